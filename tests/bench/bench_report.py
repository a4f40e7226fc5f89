"""Report benchmark on a demo desk of 100,000 people: a year's period report and the overview.

    python tests/bench/bench_report.py [--desk DIR] [--work DIR] [--runs 5]

Copies the demo database (default /tmp/demo100k, made with
`python -m aiddesk --data-dir /tmp/demo100k demo --people 100000 --seed 1` when it does not
exist) into a work folder and migrates the copy (the original is never written); --work reuses
an already migrated copy. "Today" is the demo's (the day after its newest request). Then, in this
process, prints medians of:

- the period report of the year up to today (services.reports.period_report: every figure,
  breakdown and chart series), against a floor measured in the same run: the bare sqlite3
  module reading the same rows the report needs (the calls of the year, its requests with
  need and person, the deliveries with their requests, the failed stops, every person's zone
  and language, the open requests), with nothing done to them;
- the overview (services.overview.overview: today at a glance);
- drawing the report's six charts (matplotlib, PNG), for information.

Targets: the report <= 3 s (and its ratio to the floor printed), the overview <= 150 ms.
Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench_queue import demo_today, prepare

TARGET_REPORT_S = 3.0
TARGET_OVERVIEW_MS = 150.0


def median_s(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def floor(path: Path, start: str, end: str) -> None:
    """The bare reads: what the report must at least fetch, without AidDesk's work on it."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        con.execute(
            "SELECT taken_at FROM call WHERE taken_at >= ? AND taken_at < ? AND deleted = 0", (start, end)
        ).fetchall()
        con.execute(
            "SELECT created_at, category_id, person_id FROM request "
            "WHERE created_at >= ? AND created_at < ? AND deleted = 0",
            (start, end),
        ).fetchall()
        con.execute(
            "SELECT s.request_id, s.delivery_id, s.recorded_at, r.created_at, r.person_id, r.deleted "
            "FROM stop s JOIN request r ON r.id = s.request_id "
            "WHERE s.outcome IN ('delivered', 'left_at_door') AND s.deleted = 0 AND s.recorded_at < ?",
            (end,),
        ).fetchall()
        con.execute(
            "SELECT failure_reason FROM stop WHERE outcome = 'failed' AND deleted = 0 "
            "AND recorded_at >= ? AND recorded_at < ?",
            (start, end),
        ).fetchall()
        con.execute("SELECT id, zone_id, language FROM person").fetchall()
        con.execute(
            "SELECT category_id, person_id FROM request WHERE deleted = 0 AND status IN "
            "('new', 'needs_info', 'call_back', 'ready', 'assigned', 'out_for_delivery', 'failed')"
        ).fetchall()
    finally:
        con.close()


def ensure_desk(desk: Path) -> None:
    if (desk / "aiddesk.db").exists():
        return
    print(f"making a demo desk of 100,000 people in {desk} (a few minutes) ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "aiddesk",
            "--data-dir",
            str(desk),
            "demo",
            "--people",
            "100000",
            "--seed",
            "1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--desk", type=Path, default=Path("/tmp/demo100k"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/aiddesk-bench-report"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from aiddesk.domain.periods import Period
    from aiddesk.services.reports.charts import report_charts
    from aiddesk.services.reports.figures import period_report
    from aiddesk.services.reports.overview import overview
    from aiddesk.store.migrate import open_database
    from aiddesk.store.repositories.reports.figures import stored

    ensure_desk(args.desk)
    path = prepare(args.desk, args.work)
    today = demo_today(path)
    first = today - dt.timedelta(days=364)
    year = Period(first, today)
    start, end = stored(year.start), stored(year.end)
    db = open_database(path)
    try:
        started = time.perf_counter()
        report = period_report(db, first, today)
        cold = time.perf_counter() - started
        print(
            f"a year to {today}: {report.calls:,} calls, {report.requests_opened:,} requests opened, "
            f"{report.requests_delivered:,} delivered"
        )
        # Interleaved, so both see the same machine load.
        reports, floors = [], []
        for _ in range(args.runs):
            reports.append(median_s(lambda: period_report(db, first, today), 1))
            floors.append(median_s(lambda: floor(path, start, end), 1))
        report_s, floor_s = statistics.median(reports), statistics.median(floors)
        overview_ms = median_s(lambda: overview(db, today), max(args.runs, 7)) * 1000
        charts_s = median_s(lambda: report_charts(report), max(1, args.runs // 2))
    finally:
        db.close()
    ok_report = report_s <= TARGET_REPORT_S
    ok_overview = overview_ms <= TARGET_OVERVIEW_MS
    print(
        f"  period report, a year     first {cold:6.2f} s   median {report_s:6.2f} s   target {TARGET_REPORT_S} s"
        f"   {'ok' if ok_report else 'SLOW'}"
    )
    print(
        f"  bare reads (floor)                      median {floor_s:6.2f} s   report / floor {report_s / floor_s:4.1f}x"
    )
    print(
        f"  overview                                median {overview_ms:6.1f} ms  target {TARGET_OVERVIEW_MS} ms"
        f"  {'ok' if ok_overview else 'SLOW'}"
    )
    print(f"  six charts (PNG)                        median {charts_s:6.2f} s")
    return 0 if ok_report and ok_overview else 1


if __name__ == "__main__":
    sys.exit(main())
