"""The version is read from the package metadata as importlib.metadata finds it, without importing
importlib.metadata (it took ~0.1 s of every start and of every command)."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pytest

import aiddesk

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_the_installed_metadata_one() -> None:
    assert aiddesk.__version__ == importlib.metadata.version("aiddesk")


def test_the_first_metadata_along_the_path_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    newer = tmp_path / "first" / "aiddesk-9.8.7.dist-info"
    newer.mkdir(parents=True)
    (newer / "METADATA").write_text(
        "Metadata-Version: 2.4\nName: aiddesk\nVersion: 9.8.7\n\nDescription: Version: 1.0\n",
        encoding="utf-8",
    )
    egg = tmp_path / "second" / "aiddesk.egg-info"
    egg.mkdir(parents=True)
    (egg / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: aiddesk\nVersion: 5.0\n", encoding="utf-8")
    monkeypatch.setattr(
        sys, "path", [str(tmp_path / "missing"), str(tmp_path / "second"), str(tmp_path / "first")]
    )
    assert aiddesk._version() == "5.0"
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second")])
    assert aiddesk._version() == importlib.metadata.version("aiddesk") == "9.8.7"


def test_a_source_tree_never_installed_reads_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", [])
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{aiddesk._version()}"' in text


def test_the_window_and_the_commands_start_without_importlib_metadata() -> None:
    code = "import sys, aiddesk.cli, aiddesk.app; print('importlib.metadata' in sys.modules, aiddesk.__version__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.split() == ["False", importlib.metadata.version("aiddesk")], done.stderr
