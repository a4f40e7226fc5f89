"""Route sheets benchmark: seconds for one day's PDF of 50 runs on a 100,000-people desk.

    python tests/bench/bench_routes.py [--source /tmp/demo100k] [--runs 50] [--stops 8] [--repeat 3]

Copies the source desk (a `demo --people 100000` folder; never written to) into a temporary
folder, plans `--runs` runs of `--stops` ready requests on a day with no runs yet (each with its
own volunteer, through dispatch.plan_run), then times, in this process: reading the sheets
(services.route_sheets.sheets_for_day) and laying them out into a PDF (ui.printing.write_pdf);
and, as a user runs it, the whole `aiddesk routes --date D --out F` command in a fresh process
(interpreter, Qt start offscreen, database, PDF). Target: <= 3 s.

Not collected by pytest (testpaths leaves tests/bench out)."""

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
from pathlib import Path

TARGET_S = 3.0
DAY = dt.date(2027, 1, 15)


def plan_runs(db_path: Path, runs: int, stops: int) -> tuple[int, float]:
    from aiddesk.services.deliveries import dispatch
    from aiddesk.store.migrate import open_database
    from aiddesk.store.repositories.deliveries import ready_requests

    db = open_database(db_path)
    try:
        volunteers = dispatch.volunteers_for_runs(db)[:runs]
        with db.session() as session:
            ready = ready_requests(session, limit=runs * stops)
        if len(volunteers) < runs or len(ready) < runs * stops:
            raise SystemExit(f"the desk has {len(volunteers)} volunteers and {len(ready)} ready requests")
        started = time.perf_counter()
        for n, volunteer in enumerate(volunteers):
            slot = n % 3
            dispatch.plan_run(
                db,
                "bench",
                volunteer_id=volunteer.id,
                date=DAY,
                window_start=("09:00", "13:00", "17:00")[slot],
                window_end=("12:00", "16:00", "20:00")[slot],
                request_ids=[r.id for r in ready[n * stops : (n + 1) * stops]],
            )
        per_run = (time.perf_counter() - started) / runs
        languages = sorted({v.preferred_language for v in volunteers})
        print(
            f"  planned {runs} runs of {stops} stops on {DAY} ({per_run * 1000:.1f} ms a run); languages {languages}"
        )
        return runs, per_run
    finally:
        db.close()


def in_process(db_path: Path, out: Path, repeat: int) -> tuple[list[float], list[float], int]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pypdf import PdfReader

    from aiddesk.services.deliveries import route_sheets
    from aiddesk.store.migrate import open_database
    from aiddesk.ui.deliveries.printing import gui_application, write_pdf

    app = gui_application()
    db = open_database(db_path)
    read, render = [], []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            sheets = route_sheets.sheets_for_day(db, DAY)
            middle = time.perf_counter()
            write_pdf(sheets, out, data_dir=out.parent)
            read.append(middle - started)
            render.append(time.perf_counter() - middle)
    finally:
        db.close()
        del app
    return read, render, len(PdfReader(str(out)).pages)


def command(folder: Path, out: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aiddesk",
            "--data-dir",
            str(folder),
            "routes",
            "--date",
            DAY.isoformat(),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=300,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"aiddesk routes failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/demo100k"))
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--stops", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="copy the day's PDF here")
    args = parser.parse_args()
    source_db = args.source / "aiddesk.db"
    if not source_db.is_file():
        raise SystemExit(
            f"no desk at {args.source}: make one with `python -m aiddesk --data-dir DIR demo --people 100000`"
        )
    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-routes-") as tmp:
        folder = Path(tmp) / "desk"
        folder.mkdir()
        shutil.copyfile(source_db, folder / "aiddesk.db")
        os.chmod(folder / "aiddesk.db", 0o600)
        print(f"copied {source_db} ({source_db.stat().st_size / 1e6:.0f} MB)")
        plan_runs(folder / "aiddesk.db", args.runs, args.stops)
        out = Path(tmp) / "day.pdf"
        read, render, pages = in_process(folder / "aiddesk.db", out, args.repeat)
        totals = [r + w for r, w in zip(read, render, strict=True)]
        size = out.stat().st_size / 1e3
        print(
            f"  in process: read sheets {statistics.median(read) * 1000:.0f} ms + PDF {statistics.median(render) * 1000:.0f} ms"
            f" = {statistics.median(totals):.2f} s (runs: {', '.join(f'{t:.2f}' for t in totals)}); "
            f"{pages} pages, {size:.0f} kB"
        )
        commands = [command(folder, Path(tmp) / f"cli-{i}.pdf") for i in range(args.repeat)]
        worst = statistics.median(commands)
        print(
            f"  aiddesk routes (fresh process, offscreen): {worst:.2f} s "
            f"(runs: {', '.join(f'{t:.2f}' for t in commands)})"
        )
        if args.keep:
            shutil.copyfile(out, args.keep)
    print(f"a day's route PDF for {args.runs} runs: {worst:.2f} s (target: <= {TARGET_S:.0f} s)")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
