"""PDF steps benchmark: how long each step of each printout holds the GUI thread.

    python tests/bench/bench_pdf_steps.py [--source /tmp/demo2k] [--runs 22] [--stops 8] [--repeat 2]

PDFs are laid out and painted on the GUI thread (Qt objects only there: docs/architecture.md),
one step per turn of the event loop: one document laid out, or one page painted. This copies the
source desk (`demo --people 2000 --seed 1`; never written to), plans `--runs` runs of `--stops`
stops on a day of their own, reads each printout as the screens do, then runs its steps
(ui.reports.pdf_document.pdf_of, ui.deliveries.printing.sheets_pdf_steps) here, timing each one:
the cheat sheet, today's call-back list, the queue (open requests, and every request: up to 2,000
rows), the packing list and the route sheets of the planned day, the month's and the year's
period report. Prints, per printout: its pages, the reading (on a worker in the window), the
steps' count, total, median and longest. Target: no step over 100 ms (a machine shared with
other work may show more).

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from bench_queue import demo_today
from bench_routes import DAY, plan_runs

TARGET_STEP_MS = 100.0


def timed_steps(steps: Generator[None, None, bytes]) -> tuple[list[float], bytes]:
    times = []
    while True:
        started = time.perf_counter()
        try:
            next(steps)
        except StopIteration as stop:
            times.append(time.perf_counter() - started)
            return times, stop.value
        times.append(time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/demo2k"))
    parser.add_argument("--runs", type=int, default=22)
    parser.add_argument("--stops", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    source_db = args.source / "aiddesk.db"
    if not source_db.is_file():
        raise SystemExit(
            f"no desk at {args.source}: make one with `python -m aiddesk --data-dir DIR demo --people 2000`"
        )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from pypdf import PdfReader

    from aiddesk.domain.enums import RequestStatus
    from aiddesk.services.deliveries import route_sheets
    from aiddesk.services.reports.charts import report_charts
    from aiddesk.services.reports.document import report_document
    from aiddesk.services.reports.figures import period_report
    from aiddesk.services.reports.print_lists import call_back_list, packing_list
    from aiddesk.services.reports.queue_list import queue_list
    from aiddesk.services.requests.queue import QueueQuery
    from aiddesk.store.migrate import open_database
    from aiddesk.ui.deliveries.printing import gui_application, sheets_pdf_steps
    from aiddesk.ui.reports.lists_pdf import call_back_printable, packing_printables, queue_printable
    from aiddesk.ui.reports.pdf_document import pdf_of
    from aiddesk.ui.reports.report_pdf import report_printable
    from aiddesk.ui.shell.help.cheat_sheet import cheat_sheet_printable

    app = gui_application()
    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-pdf-") as tmp:
        folder = Path(tmp) / "desk"
        folder.mkdir()
        shutil.copyfile(source_db, folder / "aiddesk.db")
        os.chmod(folder / "aiddesk.db", 0o600)
        plan_runs(folder / "aiddesk.db", args.runs, args.stops)
        db = open_database(folder / "aiddesk.db")
        today = demo_today(folder / "aiddesk.db")
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

        def report(first: dt.date) -> list[Any]:
            figures = period_report(db, first, today)
            document = report_document(figures, desk_code="D1", desk_name="Desk", today=today)
            return [report_printable(document, report_charts(figures), region="US")]

        printouts: list[tuple[str, Callable[[], Any], Callable[[Any], Generator[None, None, bytes]]]] = [
            ("cheat sheet", lambda: [cheat_sheet_printable("Desk")], pdf_of),
            (f"call-back list {today}", lambda: [call_back_printable(call_back_list(db, today))], pdf_of),
            (
                "queue, open requests",
                lambda: [queue_printable(queue_list(db, QueueQuery(), today=today, now=now))],
                pdf_of,
            ),
            (
                "queue, every request (<= 2,000)",
                lambda: [
                    queue_printable(
                        queue_list(db, QueueQuery(statuses=frozenset(RequestStatus)), today=today, now=now)
                    )
                ],
                pdf_of,
            ),
            (f"packing list {DAY}", lambda: packing_printables(packing_list(db, DAY)), pdf_of),
            (f"route sheets {DAY}", lambda: route_sheets.sheets_for_day(db, DAY), sheets_pdf_steps),
            ("report, the month", lambda: report(today.replace(day=1)), pdf_of),
            ("report, the year", lambda: report(today - dt.timedelta(days=365)), pdf_of),
        ]
        longest_all = 0.0
        try:
            for _ in range(args.repeat):
                for name, read, steps in printouts:
                    started = time.perf_counter()
                    parts = read()
                    reading = time.perf_counter() - started
                    times, data = timed_steps(steps(parts))
                    out = Path(tmp) / "out.pdf"
                    out.write_bytes(data)
                    pages = len(PdfReader(str(out)).pages)
                    longest_all = max(longest_all, max(times))
                    print(
                        f"{name}: {pages} pages; read {reading * 1000:.0f} ms; {len(times)} steps, "
                        f"{sum(times) * 1000:.0f} ms on the GUI thread, median "
                        f"{statistics.median(times) * 1000:.1f} ms, longest {max(times) * 1000:.0f} ms",
                        flush=True,
                    )
        finally:
            db.close()
            del app
    print(f"longest step: {longest_all * 1000:.0f} ms (target {TARGET_STEP_MS:.0f} ms)")
    return 0 if longest_all * 1000 <= TARGET_STEP_MS else 1


if __name__ == "__main__":
    sys.exit(main())
