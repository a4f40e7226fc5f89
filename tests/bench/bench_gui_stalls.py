"""How long the GUI event loop is blocked while the desk works, on a desk of 100,000 people.

    python tests/bench/bench_gui_stalls.py [--desk /tmp/demo100k] [--other /tmp/demo20k]
                                           [--work /tmp/aiddesk-bench-stalls] [--saves 20]

A probe timer fires every 5 ms on the GUI thread and records the gaps between its
ticks; a gap longer than 5 ms is the event loop blocked. The real main window
(offscreen) is driven as a volunteer would while the probe runs:

(a) saving calls at the Intake screen (a new caller with two needs, each save
    through the operation runner);
(b) loading the request queue and re-sorting it by every column (about 155,000
    requests);
(c) a merge of the 20,000-person workbook of another desk through the window's
    runner (what the Exchange screen and the exchange timer's pass run);
(d) printing a day's route sheets to PDF from the Deliveries screen.

Then (e): saves at the desk while the same workbook is merged again (read and
compared whole, nothing new to apply), in the app and from a second `aiddesk
merge` process: how long each save waits (target <= 100 ms while a workbook
changing <= 1,000 records is merged).

The floor is the same probe with the window idle, in the same run. Target: every
stall <= 50 ms. Demo desks: `aiddesk --data-dir /tmp/demo100k demo --people 100000
--seed 1` and `aiddesk --data-dir /tmp/demo20k demo --people 20000 --seed 2
--desk-code TWO` (made when missing). The --desk copy is worked on, never the
original. Not collected by pytest."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TARGET_STALL_MS = 50.0
TARGET_SAVE_WAIT_MS = 100.0
PROBE_MS = 5


def ensure_demo(folder: Path, people: int, seed: int, code: str | None = None) -> None:
    if (folder / "aiddesk.db").exists():
        return
    print(f"making a demo desk of {people:,} people in {folder} ...", flush=True)
    command = [sys.executable, "-m", "aiddesk", "--data-dir", str(folder), "demo", "--people", str(people)]
    command += ["--seed", str(seed)] + (["--desk-code", code] if code else [])
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


class GcPauses:
    """The longest full garbage collection (generation 2) since `reset()`: Python holds the GIL
    through it, so the GUI thread waits whichever thread started it."""

    def __init__(self) -> None:
        import gc

        self.longest = 0.0
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, (time.perf_counter() - self._started) * 1000)

    def reset(self) -> None:
        self.longest = 0.0


class Probe:
    """Ticks every PROBE_MS on the GUI thread; `stalls()` are the gaps beyond the interval."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append((now - self._last) * 1000 - PROBE_MS)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], 0.0
        GC.reset()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return [max(0.0, gap) for gap in self.gaps]


def run_until(app: object, done: Callable[[], bool], timeout_s: float = 600) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.perf_counter() + timeout_s
    while not done():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        if time.perf_counter() > deadline:
            raise TimeoutError("the scenario did not finish")


GC = GcPauses()


def report(label: str, stalls: list[float], floor: float) -> bool:
    gc_pause, GC.longest = GC.longest, 0.0
    worst = max(stalls, default=0.0)
    ordered = sorted(stalls)
    p99 = ordered[round(0.99 * (len(ordered) - 1))] if ordered else 0.0
    over = worst > TARGET_STALL_MS
    print(
        f"  {label:<52} longest {worst:7.1f} ms  p99 {p99:6.1f} ms  (idle floor {floor:5.1f} ms; "
        f"longest full GC {gc_pause:6.1f} ms)"
        f"{'  <-- over ' + str(int(TARGET_STALL_MS)) + ' ms' if over else ''}",
        flush=True,
    )
    return not over


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desk", type=Path, default=Path("/tmp/demo100k"))
    parser.add_argument("--other", type=Path, default=Path("/tmp/demo20k"))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "aiddesk-bench-stalls")
    parser.add_argument("--saves", type=int, default=20)
    args = parser.parse_args()
    ensure_demo(args.desk, 100_000, 1)
    ensure_demo(args.other, 20_000, 2, "TWO")

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QApplication

    from aiddesk import i18n
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk import labels
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.store.migrate import open_database
    from aiddesk.ui.context import DeskContext
    from aiddesk.ui.requests.table_model import COLUMN_KEYS
    from aiddesk.ui.shell.main_window import MainWindow

    shutil.rmtree(args.work, ignore_errors=True)
    (args.work / "desk").mkdir(parents=True)
    print("copying the desk and exporting the other desk's workbook ...", flush=True)
    shutil.copyfile(args.desk / "aiddesk.db", args.work / "desk" / "aiddesk.db")
    other = open_database(args.other / "aiddesk.db")
    other_book = args.work / "TWO.xlsx"
    export_workbook(other, other_book, ExportOptions())
    other.close()

    app = QApplication.instance() or QApplication(sys.argv)
    i18n.set_language("en", "US")
    db = open_database(args.work / "desk" / "aiddesk.db")
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(args.work / "desk", args.work / "desk" / "logs"), desk, "Bench")
    window = MainWindow(ctx)
    window.resize(1440, 900)
    window.show()
    window.exchange_timer.timer.stop()  # passes only when the benchmark asks
    ops = ctx.operations
    probe = Probe()
    all_ok = True

    def idle() -> bool:
        return ops.idle()

    run_until(app, idle)
    probe.start()
    run_until(app, lambda: len(probe.gaps) > 400)
    floor = max(probe.stop(), default=0.0)
    print(f"\n== GUI thread stalls (probe every {PROBE_MS} ms; target <= {TARGET_STALL_MS:.0f} ms) ==")

    # (a) saving calls at the Intake screen
    intake = window.intake_page
    window.show_page("intake")
    run_until(app, idle)
    needs = [label.id for label in labels.list_labels(db, "need_category")][:2]
    probe.start()
    for n in range(args.saves):
        form = IntakeForm(
            phone=f"617 555 {n:04d}",
            name=f"Bench Caller {n}",
            address=f"{n} Elm St",
            consent=True,
            needs=[NeedRow(category_id=need, details="bread and milk") for need in needs],
        )
        intake.show_form(form)
        intake.save()
        run_until(app, idle)
    all_ok &= report(f"(a) saving {args.saves} calls at Intake", probe.stop(), floor)

    # (b) the request queue: first load and a re-sort by every column
    window.show_page("requests")
    page = window.requests_page
    probe.start()
    page.refresh()
    run_until(app, idle)
    for column in range(len(COLUMN_KEYS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            page.model.sort(column, order)
            run_until(app, idle)
    all_ok &= report(f"(b) queue load + 16 re-sorts ({page.model.total:,} requests)", probe.stop(), floor)

    # (c) a merge of the other desk's 20,000-person workbook through the window's runner (what the
    # Exchange screen and the timer's pass run), every record new to this desk
    window.show_page("exchange")
    probe.start()
    started = time.perf_counter()
    merging = start_app_merge(window, other_book)
    run_until(app, lambda: not merging() and idle(), timeout_s=3600)
    took = time.perf_counter() - started
    all_ok &= report(f"(c) merging 20,000 people, all new ({took:.0f} s)", probe.stop(), floor)

    # (d) a day's route sheets to PDF
    window.show_page("deliveries")
    deliveries = window.deliveries_page
    run_until(app, idle)
    day = busiest_day(args.work / "desk" / "aiddesk.db")
    deliveries.date_edit.setDate(QDate(day.year, day.month, day.day))
    run_until(app, idle)
    probe.start()
    deliveries.save_pdf(args.work / "routes.pdf", day=True)
    run_until(app, idle)
    all_ok &= report(f"(d) route sheets of {day} to PDF", probe.stop(), floor)

    # (e) saves while a merge runs, in the app and from a second process. The workbook is merged
    # again: the whole 20,000-person workbook is read and compared (outside the write lock), and
    # nothing in it is new, so what it applies under the lock is well under 1,000 records.
    print(f"\n== a save at the desk while a merge runs (target <= {TARGET_SAVE_WAIT_MS:.0f} ms) ==")
    waits = saves_during(app, window, lambda: start_app_merge(window, other_book))
    all_ok &= report_waits("(e1) during the app's merge of the workbook again", waits)
    waits = saves_during(app, window, lambda: start_process_merge(args.work / "desk", other_book))
    all_ok &= report_waits("(e2) during `aiddesk merge` of it in another process", waits)

    window.close()
    db.close()
    del app
    return 0 if all_ok else 1


def busiest_day(path: Path) -> dt.date:
    """The day with the most runs (read-only, straight from the file)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        day = con.execute(
            "SELECT date FROM delivery GROUP BY date ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    return dt.date.fromisoformat(str(day)[:10])


def start_app_merge(window: object, book: Path) -> Callable[[], bool]:
    """A merge through the window's runner (as the Exchange screen runs one); returns `running()`."""
    from aiddesk.services.exchange.merge import merge_file

    ctx = window.ctx  # type: ignore[attr-defined]
    db, who = ctx.database, ctx.who
    finished: list[bool] = []
    ctx.operations.write(lambda: merge_file(db, book, who), lambda _r: finished.append(True), alongside=True)
    return lambda: not finished


def start_process_merge(folder: Path, book: Path) -> Callable[[], bool]:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiddesk", "--data-dir", str(folder), "merge", str(book)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return lambda: process.poll() is None


def saves_during(app: object, window: object, start: Callable[[], Callable[[], bool]]) -> list[float]:
    """Save small records through the runner while the merge runs; how long each took."""
    from aiddesk.domain.intake import IntakeForm
    from aiddesk.services.intake import drafts

    ctx = window.ctx  # type: ignore[attr-defined]
    db = ctx.database
    waits: list[float] = []
    running = start()
    time.sleep(0.5)
    while running():
        started = time.perf_counter()
        done: list[bool] = []
        form = IntakeForm(phone="617 555 0199", name="Draft while merging")
        ctx.operations.write(
            lambda form=form: drafts.save_draft(db, drafts.new_draft_id(), "Bench", form),
            lambda _r, done=done: done.append(True),
        )
        run_until(app, lambda done=done: bool(done))
        waits.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)
    run_until(app, ctx.operations.idle)
    return waits


def report_waits(label: str, waits: list[float]) -> bool:
    if not waits:
        print(f"  {label:<52} (the merge ended before a save could be made)")
        return True
    worst = max(waits)
    over = worst > TARGET_SAVE_WAIT_MS
    print(
        f"  {label:<52} {len(waits):>4} saves  median {statistics.median(waits):6.1f} ms  "
        f"longest {worst:7.1f} ms{'  <-- over' if over else ''}"
    )
    return not over


if __name__ == "__main__":
    raise SystemExit(main())
