"""Saves at the desk while a backup is taken: what the backup itself costs a volunteer's save
(issue 13: a save during the exchange pass that takes the hourly backup waits <= 100 ms).

    python tests/bench/bench_backup_saves.py [--people 20000] [--backups 10] [--same-priority]
                                             [--source DIR]

A demo desk of --people people (made once in --source) in the real main window (offscreen).
--backups times, the backup the exchange pass takes before it merges (services/exchange/merge.
take_backup: a verified copy of the whole database, 120 MB at 20,000 people) runs through the
window's runner beside the desk's writes, as the pass runs it, while new callers are saved through
the same runner one after another. Interleaved with each backup, the control: the same saves
while an operation beside them only sleeps as long. The machine's other load hits both alike, so
what the backup adds is the difference between the two (bench_pass_saves.py measures whole
passes, whose longest save depends much on what else the machine runs).

A save's wait is how much longer it took than the floor's median (the same saves with nothing
beside them). Reports median, p90, p99, longest and the share over 100 ms for the saves beside a
backup and for the control, and the backup's wall time. --same-priority copies and checks at the
caller's priority (store/low_priority.py bypassed), to see what the lower priority buys.

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_pass_saves import PAUSE_S, TARGET_WAIT_MS, Saver, run_until  # noqa: E402
from bench_save_call import ensure_source  # noqa: E402  (a demo desk of N people, made once)


def spread(label: str, took: list[float], floor: float) -> str:
    waits = sorted(max(0.0, t - floor) for t in took) or [0.0]

    def at(share: float) -> float:
        return waits[round(share * (len(waits) - 1))]

    over = sum(w > TARGET_WAIT_MS for w in waits)
    return (
        f"  {label:<28} {len(waits):>5} saves  wait median {statistics.median(waits):5.1f}  p90 {at(0.9):5.1f}  "
        f"p99 {at(0.99):6.1f}  longest {waits[-1]:6.1f} ms  over {TARGET_WAIT_MS:.0f} ms: {over} "
        f"({100 * over / len(waits):.1f} %)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--backups", type=int, default=10)
    parser.add_argument("--same-priority", action="store_true")
    parser.add_argument("--source", type=Path)
    args = parser.parse_args()
    source = args.source or Path(tempfile.gettempdir()) / f"aiddesk-bench-{args.people}"
    ensure_source(source, args.people)
    work = Path(tempfile.mkdtemp(prefix="aiddesk-bench-backup-"))

    from PySide6.QtWidgets import QApplication

    from aiddesk import i18n
    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.services.exchange.merge import take_backup
    from aiddesk.store import backup as backups
    from aiddesk.store.migrate import open_database
    from aiddesk.ui.context import DeskContext
    from aiddesk.ui.exchange import timer as timer_module
    from aiddesk.ui.shell.main_window import MainWindow

    if args.same_priority:
        backups.run_at_low_priority = lambda work, name="": work()  # type: ignore[assignment]
    try:
        home = work / "desk"
        home.mkdir()
        shutil.copyfile(source / "aiddesk.db", home / "aiddesk.db")
        db = open_database(home / "aiddesk.db")
        desk = desk_service.get_desk(db)
        assert desk is not None
        app = QApplication.instance() or QApplication(sys.argv)
        i18n.set_language("en", "US")
        defaults = timer_module.install_exchange_timer.__kwdefaults__
        assert defaults is not None
        defaults["first_pass_ms"] = 24 * 3600 * 1000  # no exchange folder anyway: no pass of its own
        ctx = DeskContext(db, DeskPaths(home, home / "logs"), desk, "Bench")
        window = MainWindow(ctx)
        window.resize(1280, 800)
        window.show()
        run_until(app, ctx.operations.idle)
        saver = Saver(app, ctx)
        for _ in range(8):  # warm-up: the first saves load the intake's code paths
            saver.save()

        floor: list[float] = []
        beside_backup: list[float] = []
        beside_sleep: list[float] = []
        walls: list[float] = []

        def beside(operation: Callable[[], object]) -> tuple[list[float], float]:
            finished: list[float] = []
            began = time.perf_counter()
            ctx.operations.write(
                operation, lambda _r: finished.append(time.perf_counter() - began), alongside=True
            )
            took = saver.while_(lambda: not finished)
            run_until(app, lambda: bool(finished))
            return took, finished[0]

        print(f"{args.backups} backups of a desk of {args.people:,} people ...", flush=True)
        for round_ in range(args.backups):
            for _ in range(8):
                floor.append(saver.save())
                time.sleep(PAUSE_S)
            took, wall = beside(lambda: take_backup(db))
            beside_backup += took
            walls.append(wall)
            took, _wall = beside(lambda: time.sleep(walls[-1]))
            beside_sleep += took
            for made in (home / "backups").glob("aiddesk-merge-*"):  # the rotation would keep 5
                backups._remove_with_sidecars(made)
            print(
                f"  backup {round_ + 1}: {wall:.2f} s, {len(beside_backup)} saves beside backups so far",
                flush=True,
            )
        run_until(app, ctx.operations.idle)
        window.close()
        db.close()
        median = statistics.median(floor)
        priority = "the caller's priority" if args.same_priority else "a lower priority"
        print(f"\n== saves at the desk while a backup is taken ({args.people:,} people, {priority}) ==")
        print(f"  floor: {len(floor)} saves with nothing beside them, median {median:.1f} ms")
        print(spread("beside a backup", beside_backup, median))
        print(spread("beside a sleep (control)", beside_sleep, median))
        print(f"  backup wall time: median {statistics.median(walls):.2f} s, longest {max(walls):.2f} s")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
