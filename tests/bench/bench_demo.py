"""Demo data benchmark: seconds for `aiddesk demo` with 10,000 and 100,000 people.

    python tests/bench/bench_demo.py [--people 10000 100000] [--runs 1] [--keep DIR]

Each run is a fresh process `python -m aiddesk --data-dir TMP demo --seed 1 --people N`, timed from
just before it is spawned until it exits (interpreter start, migration of the new database,
generation and the one bulk transaction all count). Then, in this process, the same work is split
into its phases (generate rows / write them) on a fresh copy of a migrated database. Target: 100,000
people well under a minute.

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

TARGET_S = 60.0
TODAY = "2026-03-10"


def run_command(folder: Path, people: int) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aiddesk",
            "--data-dir",
            str(folder),
            "demo",
            "--seed",
            "1",
            "--people",
            str(people),
            "--today",
            TODAY,
        ],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"aiddesk demo failed ({done.returncode}): {done.stderr.strip()}")
    print(f"  {done.stdout.strip()}")
    return elapsed


def phases(root: Path, people: int) -> tuple[float, float]:
    """Seconds to generate the rows and to write them, measured apart."""
    from aiddesk.demo import desk as demo
    from aiddesk.store.migrate import open_database

    db = open_database(root / "phases" / "aiddesk.db")
    try:
        desk = demo.ensure_desk(db, seed=1)
        started = time.perf_counter()
        rows = demo.generate(
            seed=1, people=people, today=dt.date.fromisoformat(TODAY), region=desk.phone_region
        )
        generated = time.perf_counter()
        demo.write(db, "bench", desk.code, rows)
        written = time.perf_counter()
    finally:
        db.close()
    return generated - started, written - generated


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="leave the last demo folder of each size here")
    args = parser.parse_args()
    worst = 0.0
    for people in args.people:
        times = []
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "desk"
                times.append(run_command(folder, people))
                size = (folder / "aiddesk.db").stat().st_size / 1e6
                if args.keep and run == args.runs - 1:
                    target = args.keep / f"demo-{people}"
                    shutil.rmtree(target, ignore_errors=True)
                    shutil.copytree(folder, target)
        with tempfile.TemporaryDirectory() as tmp:
            generate_s, write_s = phases(Path(tmp), people)
        median = statistics.median(times)
        worst = max(worst, median) if people >= 100_000 else worst
        print(
            f"{people:>7} people: aiddesk demo {median:6.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)}); "
            f"in process: generate {generate_s:.1f} s + write {write_s:.1f} s; database {size:.0f} MB"
        )
    if worst:
        print(f"100,000 people: {worst:.1f} s (target: well under {TARGET_S:.0f} s)")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
