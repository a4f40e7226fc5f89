"""Merge benchmark: a workbook of about 100,000 records into a desk that holds half of them, some
changed there and some changed in the workbook, against a bare read plus a bare insert.

    python tests/bench/bench_merge.py [--source DIR] [--people 10000] [--runs 3] [--profile]

Works on the demo desk in --source (made with `aiddesk demo --seed 1 --people N` when it does not
exist; 10,000 people make about 100,000 records). Set-up, not timed:

- the workbook: a copy of the desk whose --changed people got a new address, exported;
- the merging desk: another copy of the desk (it takes its own desk id) that keeps only the
  records whose id starts with 0-7 (half of each kind) and gave --changed other people a new
  address of its own.

Times services.merge.merge_file of the workbook into a fresh copy of the merging desk (check
everything, merge, find hand edits, backup, one transaction), and as a floor measured in the same
run: a bare python-calamine read of the same workbook (every sheet's values) plus a bare sqlite3
executemany insert of its `_state` rows into an empty table, committed. Peak memory is the
high-water mark of a fresh child process that does one merge (VmHWM: ru_maxrss would carry over
the forking parent's peak across exec).

At 100,000 people (about 990,000 records) `_state` holds over a billion characters: written in one
sheet (as before it ran on by size), its XML passes the zip guard's 512 MiB limit for one part and
the merge refuses the file.

Targets: merge <= 2x the floor; peak memory <= 400 MB. --profile prints where a merge's time goes
(cProfile, by cumulative time).

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_export import child_peak, profiled
from bench_save_call import ensure_source  # a demo desk of N people, made once

TARGET_RATIO = 2.0
TARGET_MB = 400.0
KINDS = ("person", "call", "request", "volunteer", "delivery", "stop", "event")


def copy_desk(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copyfile(source / "aiddesk.db", folder / "aiddesk.db")
    return folder / "aiddesk.db"


def change_addresses(path: Path, who: str, offset: int, count: int) -> None:
    """Give `count` people (every other one from `offset`) a new address, in one stamped transaction."""
    from sqlalchemy import select

    from aiddesk.store.migrate import open_database
    from aiddesk.store.models import Person

    db = open_database(path)
    try:
        with db.transaction(who) as tx:
            ids = list(tx.session.scalars(select(Person.id).order_by(Person.id)))[offset::2][:count]
            for person in tx.session.scalars(select(Person).where(Person.id.in_(ids))):
                person.address = f"{who}: {person.address}"
    finally:
        db.close()


def keep_half(path: Path) -> None:
    """Leave only the records whose id starts with 0-7 (foreign keys are not enforced here)."""
    con = sqlite3.connect(path)
    with con:
        for kind in KINDS:
            con.execute(f"DELETE FROM {kind} WHERE substr(id, 1, 1) NOT IN ('0','1','2','3','4','5','6','7')")  # noqa: S608
    con.execute("VACUUM")
    con.close()


def prepare(source: Path, folder: Path, changed: int) -> tuple[Path, Path]:
    """(workbook, merging desk's database)."""
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.store.migrate import open_database

    sender = copy_desk(source, folder / "sender")
    change_addresses(sender, "sender", 0, changed)
    db = open_database(sender)
    workbook = folder / "sender.aiddesk.xlsx"
    try:
        export_workbook(db, workbook, ExportOptions(language="en"))
    finally:
        db.close()
    receiver = copy_desk(source, folder / "receiver-template")
    keep_half(receiver)
    change_addresses(receiver, "receiver", 1, changed)
    return workbook, receiver


def report_peak() -> None:
    """This process's own peak resident memory, as child_peak reads it."""
    status = Path("/proc/self/status").read_text()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    print(json.dumps({"peak_mb": kb / 1024}))


def merge(database: Path, workbook: Path) -> Any:
    from aiddesk.services.exchange.merge import merge_file
    from aiddesk.store.migrate import open_database

    db = open_database(database)
    try:
        return merge_file(db, workbook, "bench")
    finally:
        db.close()


def fresh_receiver(template: Path, folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(template, folder / "aiddesk.db")
    return folder / "aiddesk.db"


def floor(workbook: Path, target: Path) -> int:
    """A bare read of every sheet with python-calamine plus a bare insert of the `_state` rows (of
    every part: `_state`, `_state2`, …)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(workbook))
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    parts = [name for name in sheets if name == "_state" or (name[:6] == "_state" and name[6:].isdigit())]
    rows = [tuple((list(row) + [""] * 5)[:5]) for name in parts for row in sheets[name][1:]]
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target)
    con.execute("CREATE TABLE record (kind TEXT, id TEXT PRIMARY KEY, vv TEXT, del_ctx TEXT, fields TEXT)")
    with con:
        con.executemany("INSERT INTO record VALUES (?, ?, ?, ?, ?)", rows)
    con.close()
    return len(rows)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        merge(Path(sys.argv[2]), Path(sys.argv[3]))
        report_peak()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/aiddesk-bench-exchange-10000"))
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--changed", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="a folder keeping the workbook and merging desk between runs (made once)"
    )
    args = parser.parse_args()
    ensure_source(args.source, args.people)
    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-merge-") as tmp:
        folder = Path(tmp)
        if args.keep is None:
            workbook, receiver = prepare(args.source, folder, args.changed)
        else:
            workbook, receiver = (
                args.keep / "sender.aiddesk.xlsx",
                args.keep / "receiver-template" / "aiddesk.db",
            )
            if not receiver.exists():
                shutil.rmtree(args.keep, ignore_errors=True)
                args.keep.mkdir(parents=True)
                prepare(args.source, args.keep, args.changed)
        merge_s, floor_s = [], []
        report = None
        records = 0
        for run in range(args.runs):
            database = fresh_receiver(receiver, folder / f"receiver-{run}")
            started = time.perf_counter()
            report = merge(database, workbook)
            merge_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            records = floor(workbook, folder / "bare.db")
            floor_s.append(time.perf_counter() - started)
        assert report is not None
        child = fresh_receiver(receiver, folder / "receiver-child")
        peak = child_peak(__file__, "--child", str(child), str(workbook))
        if args.profile:
            profiled(lambda: merge(fresh_receiver(receiver, folder / "receiver-profile"), workbook))
        size = workbook.stat().st_size / 1e6
    merge_median, floor_median = statistics.median(merge_s), statistics.median(floor_s)
    ratio = merge_median / floor_median
    counts = report.as_json()
    print(
        f"workbook of {records:,} records ({size:.1f} MB) into a desk holding half: new {counts['new']:,}, "
        f"updated {counts['updated']:,}, unchanged {counts['unchanged']:,}, conflicts {counts['conflicts']}, "
        f"hand edits {counts['proposals']}, rejected {len(counts['rejected'])}"
    )
    print(
        f"  merge_file                  median {merge_median:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in merge_s)})"
    )
    print(
        f"  calamine read + sqlite insert median {floor_median:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in floor_s)})"
    )
    print(
        f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x) -> {'OK' if ratio <= TARGET_RATIO else 'TOO SLOW'}"
    )
    print(
        f"  peak memory of a merge process: {peak:.0f} MB (target <= {TARGET_MB:.0f}) -> {'OK' if peak <= TARGET_MB else 'TOO MUCH'}"
    )
    return 0 if ratio <= TARGET_RATIO and peak <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
