"""`aiddesk export --redact`: the pseudonyms are made with the network's group password, which a
desk without one is given with --group-password-env (then kept as Settings keeps it); without it,
one line says how to set it. And the export window says in plain words why it is needed."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from aiddesk import cli, i18n
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.store.migrate import open_database
from aiddesk.ui.exchange.export_dialog import ExportDialog

GROUP = "our-network-secret"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def group_password(folder: Path) -> str:
    db = open_database(folder / "aiddesk.db")
    try:
        return exchange_folder.folder_settings(db).password
    finally:
        db.close()


def test_without_a_group_password_a_redacted_export_says_how_to_set_one(
    desk_data_dir: Path, tmp_path: Path, capsys
) -> None:
    status, out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "export", str(tmp_path / "r.xlsx"), "--redact"
    )

    assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "Settings" in err and "--group-password-env" in err
    assert not (tmp_path / "r.xlsx").exists()


def test_the_group_password_from_the_environment_is_used_and_kept(
    desk_data_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("GROUP_PW", GROUP)
    argv = ["--data-dir", str(desk_data_dir), "export"]

    status, _out, err = run(
        capsys, *argv, str(tmp_path / "r.xlsx"), "--redact", "--group-password-env", "GROUP_PW"
    )

    assert status == 0, err
    with zipfile.ZipFile(tmp_path / "r.xlsx") as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
    assert group_password(desk_data_dir) == GROUP  # kept, as Settings keeps it
    monkeypatch.delenv("GROUP_PW")
    assert run(capsys, *argv, str(tmp_path / "again.xlsx"), "--redact")[0] == 0


def test_a_group_password_that_settings_would_refuse_is_refused(
    desk_data_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("GROUP_PW", "short")
    status, _out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "export", str(tmp_path / "r.xlsx"), "--redact",
        "--group-password-env", "GROUP_PW",
    )  # fmt: skip
    assert status == 2 and "at least 8 characters" in err
    assert group_password(desk_data_dir) == "" and not (tmp_path / "r.xlsx").exists()


def test_a_group_password_other_than_the_desks_is_refused(
    desk_data_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        exchange_folder.save_folder_settings(db, "", GROUP)
    finally:
        db.close()
    monkeypatch.setenv("OTHER_PW", "a-different-secret")
    status, _out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "export", str(tmp_path / "r.xlsx"), "--redact",
        "--group-password-env", "OTHER_PW",
    )  # fmt: skip
    assert status == 2 and "OTHER_PW" in err and "Settings" in err
    assert group_password(desk_data_dir) == GROUP and not (tmp_path / "r.xlsx").exists()


def test_the_export_window_says_why_a_redacted_copy_needs_the_group_password(qtbot: QtBot) -> None:
    dialog = ExportDialog(since=dt.date(2026, 11, 16), can_redact=False)
    qtbot.addWidget(dialog)
    hint = dialog.redact_hint.text()
    assert "Settings" in hint and "network" in hint and "codes" in hint
    i18n.set_language("es")
    spanish = ExportDialog(since=dt.date(2026, 11, 16), can_redact=False)
    qtbot.addWidget(spanish)
    assert "Ajustes" in spanish.redact_hint.text() and "su red" in spanish.redact_hint.text()


def test_a_refused_export_keeps_no_group_password(
    desk_data_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("GROUP_PW", GROUP)
    (tmp_path / "r.xlsx").mkdir()
    status, _out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "export", str(tmp_path / "r.xlsx"), "--redact",
        "--group-password-env", "GROUP_PW",
    )  # fmt: skip
    assert status == 2 and "is a folder" in err
    assert group_password(desk_data_dir) == ""
