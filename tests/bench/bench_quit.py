"""Start and quit benchmark: process start -> window shown, and Ctrl+Q -> process gone, of the real app.

    python tests/bench/bench_quit.py [--runs 5] [--people 2000] [--demo-dir DIR] [--platform NAME]

Each run starts `python -m aiddesk --data-dir DIR --user Bench` with AIDDESK_EXIT_WHEN_SHOWN=tour: once
its window has painted ("shown") and its screens are built over the open database ("ready"), the app
shows every screen in turn (each one's reads done before the next), waits AIDDESK_TOUR_LINGER_MS,
prints "quitting" and closes its window as Ctrl+Q does. Quit time: from that line to the process's end
(the background work stopped, the window and the database closed, the interpreter gone).

Cases, interleaved after one unmeasured warm-up each, medians compared:
  (a) an empty desk;
  (b) a demo desk of --people, quit right after the tour;
  (c) the same desk, quit 6 s after the tour: the background integrity check (which starts 5 s
      after the window) or the day's backup is running then on a large desk (try --people 100000).
Target: quitting takes under 0.5 s in every case (median).

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import aiddesk, make_demo, make_empty_desk  # noqa: E402

TARGET_QUIT_S = 0.5
TIMEOUT_S = 300


@dataclass
class Case:
    name: str
    folder: Path
    linger_ms: int
    shown: list[float] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)
    quit: list[float] = field(default_factory=list)


def measure(case: Case, env: dict[str, str], log_dir: Path) -> tuple[float, float, float]:
    """Seconds from spawn to "shown", from spawn to "ready", and from "quitting" to the process's end."""
    env = dict(env, AIDDESK_TOUR_LINGER_MS=str(case.linger_ms))
    command = aiddesk("--data-dir", str(case.folder), "--user", "Bench")
    marks: dict[str, float] = {}
    with tempfile.TemporaryFile(mode="w+", dir=log_dir) as stderr:
        began = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            assert child.stdout is not None
            for line in child.stdout:
                word = line.split(" ", 1)[0]
                if word in ("shown", "ready", "quitting"):
                    marks[word] = time.perf_counter()
            child.wait(TIMEOUT_S)
            ended = time.perf_counter()
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if child.returncode != 0 or len(marks) != 3:
            stderr.seek(0)
            raise RuntimeError(
                f"{command!r} exited {child.returncode}, saw {sorted(marks)}:\n{stderr.read()}"
            )
    return marks["shown"] - began, marks["ready"] - began, ended - marks["quitting"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--demo-dir", type=Path, help="keep (or reuse) the demo data folder here")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    options = parser.parse_args()

    env = dict(os.environ, QT_QPA_PLATFORM=options.platform, AIDDESK_EXIT_WHEN_SHOWN="tour")
    work = Path(tempfile.mkdtemp(prefix="aiddesk-bench-"))
    try:
        empty = work / "empty"
        make_empty_desk(empty)
        demo = options.demo_dir.resolve() if options.demo_dir else work / "demo"
        make_demo(demo, options.people, dict(env, AIDDESK_EXIT_WHEN_SHOWN=""))
        cases = [
            Case("empty desk", empty, 0),
            Case(f"demo of {options.people:,} people", demo, 0),
            Case(f"demo of {options.people:,}, quit 6 s later", demo, 6000),
        ]
        print(f"platform {options.platform}, Python {sys.version.split()[0]}, {options.runs} runs each")
        for case in cases:  # warm-up: file caches, .pyc files, fontconfig cache
            measure(case, env, work)
        for _ in range(options.runs):
            for case in cases:
                shown, ready, quit_s = measure(case, env, work)
                case.shown.append(shown)
                case.ready.append(ready)
                case.quit.append(quit_s)

        print("\nmedians (min-max of quit); shown: the window painted; ready: its screens built")
        print(f"{'':36} {'shown':>8} {'ready':>8} {'quit':>8} {'quit min-max':>16}")
        worst = 0.0
        for case in cases:
            quit_median = statistics.median(case.quit)
            worst = max(worst, quit_median)
            print(
                f"{case.name:36} {statistics.median(case.shown):7.3f}s {statistics.median(case.ready):7.3f}s "
                f"{quit_median:7.3f}s {min(case.quit):7.3f}-{max(case.quit):.3f}s"
            )
        verdict = "met" if worst <= TARGET_QUIT_S else "MISSED"
        print(f"\ntarget: quit <= {TARGET_QUIT_S:.1f} s: {verdict} (worst median {worst:.3f} s)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
