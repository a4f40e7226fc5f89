"""The frozen bundle (./dev bundle's dist/aiddesk/) works as installed: self-test passes, and
notices a missing icon, Qt's Spanish catalog or the SVG plugin; demo, dump (identical to the
venv's), routes and export run; portable.txt beside the program keeps the desk beside it.

Runs only when AIDDESK_BUNDLE names a built bundle folder (building takes minutes):
    AIDDESK_BUNDLE=dist/aiddesk ./dev test tests/installers/test_bundle.py"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = os.environ.get("AIDDESK_BUNDLE", "")
pytestmark = pytest.mark.skipif(
    not BUNDLE or not (Path(BUNDLE) / "aiddesk").exists(), reason="set AIDDESK_BUNDLE to a built bundle"
)
TIMEOUT = 180


def run(program: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("AIDDESK_SECRET", "PYTHONPATH")}
    return subprocess.run(
        [str(program), *args],
        env={**base, "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8", **(env or {})},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the bundle (hard-linked when it can be): files can be removed from it without
    touching the original, which may be the installed, root-owned /opt/aiddesk."""
    target = tmp_path / "aiddesk"
    source = str(Path(BUNDLE).resolve())
    linked = subprocess.run(["cp", "-al", source, str(target)], capture_output=True)
    if linked.returncode != 0:  # another file system than the temporary folder's
        shutil.rmtree(target, ignore_errors=True)
        subprocess.run(["cp", "-a", source, str(target)], check=True)
    return target


def test_frozen_self_test_passes(tmp_path: Path) -> None:
    result = run(Path(BUNDLE) / "aiddesk", "--data-dir", str(tmp_path / "d"), "self-test")
    assert result.returncode == 0, result.stdout + result.stderr
    for check in ("icon", "Qt's Spanish catalog", "SVG images", "printing", "charts", "main window"):
        assert f"ok     {check}:" in result.stdout


@pytest.mark.parametrize(
    ("missing", "check"),
    [
        ("_internal/aiddesk/resources/aiddesk.svg", "icon"),
        ("_internal/PySide6/Qt/translations/qtbase_es.qm", "Qt's Spanish catalog"),
        ("_internal/PySide6/Qt/plugins/imageformats/libqsvg.so", "SVG images"),
    ],
)
def test_frozen_self_test_notices_what_is_missing(
    copy: Path, tmp_path: Path, missing: str, check: str
) -> None:
    (copy / missing).unlink()
    result = run(copy / "aiddesk", "--data-dir", str(tmp_path / "d"), "self-test")
    assert result.returncode == 1
    assert f"FAILED {check}:" in result.stdout


def test_frozen_commands_and_identical_dump(tmp_path: Path) -> None:
    program, data = Path(BUNDLE) / "aiddesk", tmp_path / "d"
    assert run(program, "--version").stdout.startswith("AidDesk ")
    assert run(program, "--data-dir", str(data), "demo", "--people", "60", "--seed", "3").returncode == 0
    frozen = run(program, "--data-dir", str(data), "dump")
    assert frozen.returncode == 0
    venv = subprocess.run(
        [sys.executable, "-m", "aiddesk", "--data-dir", str(data), "dump"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert frozen.stdout == venv.stdout
    export = run(program, "--data-dir", str(data), "export", str(tmp_path / "out.xlsx"))
    assert export.returncode == 0, export.stderr
    assert (tmp_path / "out.xlsx").stat().st_size > 10_000


def test_frozen_portable_mode_keeps_the_desk_beside_the_program(copy: Path, tmp_path: Path) -> None:
    (copy / "portable.txt").write_text("", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_DATA_HOME": str(home / "d"), "XDG_STATE_HOME": str(home / "s")}
    assert run(copy / "aiddesk", "demo", "--people", "20", env=env).returncode == 0
    assert (copy / "aiddesk-data" / "aiddesk.db").is_file()
    assert list(home.rglob("*")) == []
    shutil.rmtree(copy / "aiddesk-data")
