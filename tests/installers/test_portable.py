"""Portable mode: `portable.txt` beside the program keeps the desk's data, logs and backups in
`aiddesk-data/` beside it, never in the user profile; --data-dir still wins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aiddesk import paths

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120


def test_portable_txt_beside_the_launcher_moves_everything_next_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.LAUNCHER_DIR_VARIABLE, str(tmp_path))
    assert paths.portable_root() is None
    assert tmp_path not in paths.resolve(None).data_dir.parents  # the user profile without it
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    desk = paths.resolve(None)
    assert desk.data_dir == tmp_path.resolve() / "aiddesk-data"
    assert desk.log_dir == desk.data_dir / "logs"
    assert desk.backups.parent == desk.data_dir
    assert desk.database.parent == desk.data_dir


def test_data_dir_wins_over_portable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(paths.LAUNCHER_DIR_VARIABLE, str(tmp_path))
    (tmp_path / "portable.txt").write_text("", encoding="utf-8")
    other = tmp_path / "elsewhere"
    assert paths.resolve(str(other)).data_dir == other.resolve()


def test_a_folder_named_portable_txt_is_not_the_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(paths.LAUNCHER_DIR_VARIABLE, str(tmp_path))
    (tmp_path / "portable.txt").mkdir()
    assert paths.portable_root() is None


def test_frozen_program_looks_beside_its_executable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = tmp_path / "AidDesk" / "aiddesk"
    exe.parent.mkdir()
    exe.write_bytes(b"")
    (exe.parent / "portable.txt").write_text("", encoding="utf-8")
    monkeypatch.setenv(paths.LAUNCHER_DIR_VARIABLE, str(tmp_path / "not-this-one"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    assert paths.resolve(None).data_dir == exe.parent.resolve() / "aiddesk-data"


def test_cli_demo_in_portable_mode_writes_nothing_in_the_profile(tmp_path: Path) -> None:
    """`aiddesk demo` then `aiddesk dump` with portable.txt and no --data-dir: the database and the
    log land beside the launcher; the (fake) home and XDG folders stay empty."""
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "portable.txt").write_text("", encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "AIDDESK_LAUNCHER_DIR": str(stick),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
    }
    env.pop("AIDDESK_SECRET", None)
    demo = subprocess.run(
        [sys.executable, "-m", "aiddesk", "demo", "--people", "20"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert demo.returncode == 0, demo.stderr
    dump = subprocess.run(
        [sys.executable, "-m", "aiddesk", "dump"],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert dump.returncode == 0, dump.stderr
    assert '"person": [' in dump.stdout or '"call": [' in dump.stdout
    data = stick / "aiddesk-data"
    assert (data / "aiddesk.db").is_file()
    assert any((data / "logs").iterdir())
    assert [p for p in home.rglob("*") if "aiddesk" in p.name.lower()] == []
