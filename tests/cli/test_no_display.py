"""Without a display the app says so in one line and points to the commands (Qt alone would
abort with a message about platform plugins), and creates no data folder."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from aiddesk import app


def test_no_display_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    folder = tmp_path / "desk"
    assert app.run_gui(argparse.Namespace(data_dir=str(folder), debug=False, user="Ann")) == 1
    err = capsys.readouterr().err
    assert "needs a display" in err and "aiddesk --help" in err
    assert not folder.exists()


def test_which_computers_have_a_display() -> None:
    assert app.no_display({}, "linux")
    assert not app.no_display({"DISPLAY": ":0"}, "linux")
    assert not app.no_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not app.no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not app.no_display({}, "darwin")
