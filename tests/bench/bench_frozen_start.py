"""Frozen start-up benchmark: the PyInstaller bundle's start to its first window, against a bare
PySide6 window run by the venv's Python (issue 15: <= 2x).

    ./dev bundle    # makes dist/aiddesk/
    python tests/bench/bench_frozen_start.py [--bundle dist/aiddesk] [--runs 7] [--people 2000] [--from-source]

Cases, interleaved after one unmeasured warm-up each, medians compared: (a) the bare window,
(b) the frozen AidDesk on an empty desk, (c) on a demo desk made by the frozen `demo`. Each is
timed from spawn to its "shown" line (bench_startup.py's measure: the first paint, then quit).
With --from-source, (d) and (e): the same desks opened by AidDesk run from the source tree (the
difference is what freezing adds). Also prints the frozen `--version` and `self-test` times. Not
collected by pytest."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import BARE_WINDOW, TARGET_RATIO, measure  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def timed(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=True, timeout=300)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "aiddesk")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument(
        "--from-source",
        action="store_true",
        help="also time AidDesk run from the source tree by this Python on the same desks: what the "
        "frozen program adds is the difference",
    )
    options = parser.parse_args()
    program = options.bundle / "aiddesk"
    if not program.exists():
        raise SystemExit(f"no bundle at {options.bundle}: run ./dev bundle first")
    env = dict(os.environ, QT_QPA_PLATFORM=options.platform, AIDDESK_EXIT_WHEN_SHOWN="1")
    env.pop("AIDDESK_SECRET", None)
    with tempfile.TemporaryDirectory(prefix="aiddesk-frozen-bench-") as folder:
        work = Path(folder)
        bare = work / "bare_window.py"
        bare.write_text(BARE_WINDOW, encoding="utf-8")
        empty, demo = work / "empty", work / "demo"
        plain = {k: v for k, v in env.items() if k != "AIDDESK_EXIT_WHEN_SHOWN"}
        subprocess.run(
            [str(program), "--data-dir", str(empty), "demo", "--people", "20"],
            env=plain,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(program), "--data-dir", str(demo), "demo", "--people", str(options.people)],
            env=plain,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        cases = {
            "bare PySide6 window (venv)": [sys.executable, str(bare)],
            "frozen AidDesk, small desk": [str(program), "--data-dir", str(empty), "--user", "Bench"],
            f"frozen AidDesk, {options.people:,} people": [
                str(program),
                "--data-dir",
                str(demo),
                "--user",
                "Bench",
            ],
        }
        if options.from_source:
            source = [sys.executable, "-m", "aiddesk"]
            cases["source AidDesk, small desk"] = [*source, "--data-dir", str(empty), "--user", "Bench"]
            cases[f"source AidDesk, {options.people:,} people"] = [
                *source,
                "--data-dir",
                str(demo),
                "--user",
                "Bench",
            ]
        walls: dict[str, list[float]] = {name: [] for name in cases}
        for command in cases.values():
            measure(command, env, work)
        for _ in range(options.runs):
            for name, command in cases.items():
                walls[name].append(measure(command, env, work)[0])
        version = statistics.median(timed([str(program), "--version"], plain) for _ in range(5))
        self_test = timed([str(program), "--data-dir", str(work / "st"), "self-test"], plain)
    floor = statistics.median(walls["bare PySide6 window (venv)"])
    print(f"platform {options.platform}, {options.runs} runs each, bundle {options.bundle}")
    worst = 0.0
    for name, values in walls.items():
        ratio = statistics.median(values) / floor
        if name.startswith("frozen"):
            worst = max(worst, ratio)
        print(f"{name:36} {statistics.median(values):7.3f}s  min {min(values):6.3f}s  {ratio:5.2f}x")
    print(f"frozen --version {version:.3f}s, frozen self-test {self_test:.2f}s")
    print(
        f"target <= {TARGET_RATIO:.1f}x the bare window: {'met' if worst <= TARGET_RATIO else 'MISSED'} "
        f"(worst {worst:.2f}x)"
    )
    return 0 if worst <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
