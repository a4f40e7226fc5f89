"""Start-up benchmark: process start -> main window painted, against a bare PySide6 window.

    python tests/bench/bench_startup.py [--runs 5] [--people 100000] [--demo-dir DIR] [--platform NAME]

Measures, in the same run, (a) a bare PySide6 QMainWindow script, (b) AidDesk on a desk with an empty
database, (c) AidDesk on a demo database (`aiddesk demo --people N`, made once; --demo-dir keeps it for
later runs). Each process is timed from just before it is spawned until it prints "shown" (both
programs print it after the first paint of their window reached the screen and then quit), so
interpreter start and imports count. Runs are interleaved (a, b, c, a, b, c ...) after one unmeasured
warm-up each, and the medians are compared. Target: AidDesk <= 2x the bare window.

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

TARGET_RATIO = 2.0
TIMEOUT_S = 300

BARE_WINDOW = r"""
import time
STARTED = time.perf_counter()
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class PaintWatcher(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


def report():
    print(f"shown {time.perf_counter() - STARTED:.3f}", flush=True)
    QApplication.quit()


app = QApplication(sys.argv)
app.setApplicationName("Bare")
window = QMainWindow()
window.setWindowTitle("Bare window")
window.resize(1200, 760)
watcher = PaintWatcher(window)
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""


@dataclass
class Case:
    name: str
    command: list[str]
    wall: list[float] = field(default_factory=list)
    inside: list[float] = field(default_factory=list)
    ready: list[float] = field(default_factory=list)  # AidDesk: its screens built over the open database

    def median(self) -> float:
        return statistics.median(self.wall)


def measure(command: list[str], env: dict[str, str], log_dir: Path) -> tuple[float, float, float | None]:
    """Seconds from spawn to the "shown" line, the program's own count of seconds, and seconds from
    spawn to the "ready" line (screens built over the open database) when the program prints one."""
    with tempfile.TemporaryFile(mode="w+", dir=log_dir) as stderr:
        began = time.perf_counter()
        child = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
        try:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith("shown "):
                    wall = time.perf_counter() - began
                    inside = float(line.split()[1])
                    break
            else:
                child.wait(TIMEOUT_S)
                stderr.seek(0)
                raise RuntimeError(f"{command!r} exited {child.returncode} without 'shown':\n{stderr.read()}")
            ready = None
            for line in child.stdout:
                if line.startswith("ready "):
                    ready = time.perf_counter() - began
            child.wait(TIMEOUT_S)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    return wall, inside, ready


def aiddesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiddesk", *args]


def make_empty_desk(folder: Path) -> None:
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.services.desk.encryption import OFFERED
    from aiddesk.store.migrate import open_database

    db = open_database(folder / "aiddesk.db")
    try:
        if desk_service.get_desk(db) is None:
            desk_service.create_desk(db, name="Bench Desk", code="BEN", language="en", region="US")
    finally:
        db.close()
    # Encryption was offered once already (else its question would wait at the first start, and
    # no window would ever show; a demo desk records the same).
    (folder / OFFERED).touch()


def make_demo(folder: Path, people: int, env: dict[str, str]) -> None:
    if (folder / "aiddesk.db").exists():
        print(f"reusing the demo database in {folder}")
        return
    print(f"creating a demo database of {people:,} people in {folder} ...", flush=True)
    began = time.perf_counter()
    result = subprocess.run(
        aiddesk("--data-dir", str(folder), "demo", "--people", str(people), "--seed", "1"),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"`aiddesk demo` failed (exit {result.returncode}); is the demo command there yet?\n"
            f"{result.stdout}{result.stderr}"
        )
    print(f"  done in {time.perf_counter() - began:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--demo-dir", type=Path, help="keep (or reuse) the demo data folder here")
    parser.add_argument("--skip-demo", action="store_true", help="measure only (a) and (b)")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    options = parser.parse_args()

    env = dict(os.environ, QT_QPA_PLATFORM=options.platform, AIDDESK_EXIT_WHEN_SHOWN="1")
    work = Path(tempfile.mkdtemp(prefix="aiddesk-bench-"))
    try:
        bare_script = work / "bare_window.py"
        bare_script.write_text(BARE_WINDOW, encoding="utf-8")
        empty = work / "empty"
        make_empty_desk(empty)
        cases = [
            Case("bare PySide6 window", [sys.executable, str(bare_script)]),
            Case("AidDesk, empty desk", aiddesk("--data-dir", str(empty), "--user", "Bench")),
        ]
        if not options.skip_demo:
            demo = options.demo_dir.resolve() if options.demo_dir else work / "demo"
            make_demo(demo, options.people, env)
            cases.append(
                Case(
                    f"AidDesk, demo of {options.people:,} people",
                    aiddesk("--data-dir", str(demo), "--user", "Bench"),
                )
            )

        print(f"platform {options.platform}, Python {sys.version.split()[0]}, {options.runs} runs each")
        for case in cases:  # warm-up: file caches, .pyc files, fontconfig cache
            measure(case.command, env, work)
        for _ in range(options.runs):
            for case in cases:
                wall, inside, ready = measure(case.command, env, work)
                case.wall.append(wall)
                case.inside.append(inside)
                if ready is not None:
                    case.ready.append(ready)

        bare = cases[0].median()
        print()
        print("shown: the main window has painted; ready: its screens are built over the open database")
        print(f"{'':34} {'shown':>8} {'min':>7} {'max':>7} {'in-proc':>8} {'vs bare':>8} {'ready':>8}")
        worst = 0.0
        for case in cases:
            ratio = case.median() / bare
            if case is not cases[0]:
                worst = max(worst, ratio)
            print(
                f"{case.name:34} {case.median():7.3f}s {min(case.wall):6.3f}s {max(case.wall):6.3f}s "
                f"{statistics.median(case.inside):7.3f}s {ratio:7.2f}x "
                + (f"{statistics.median(case.ready):7.3f}s" if case.ready else "       -")
            )
        verdict = "met" if worst <= TARGET_RATIO else "MISSED"
        print(f"\ntarget <= {TARGET_RATIO:.1f}x the bare window: {verdict} (worst {worst:.2f}x)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
