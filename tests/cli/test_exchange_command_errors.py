"""`merge` and `exchange` on the command line when the input is wrong: the right exit code and one
line that says what is wrong with which file; and a file whose name is not UTF-8 merges."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from record_makers import add_person
from sheet_samples import mapping_json

from aiddesk import cli
from aiddesk.services.desk import records
from aiddesk.store.migrate import open_database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_exchange_without_a_folder_is_bad_input_with_or_without_json(
    desk_data_dir: Path, capsys, as_json: bool
) -> None:
    status, out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "exchange", *(["--json"] if as_json else [])
    )

    assert status == 2
    assert "exchange folder" in err and len(err.strip().splitlines()) == 1
    if as_json:
        assert json.loads(out)["configured"] is False  # scripts still get the summary
    else:
        assert out == ""


def test_exchange_on_a_desk_whose_group_password_stayed_behind_says_how_to_give_it(
    desk_data_dir: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backup put back on another computer keeps the folder, not the group password: bad input
    (exit 2) saying what is missing and how to give it; nothing is written into the folder; with
    the password given, the pass runs."""
    from aiddesk.store.group_secret import SECRET_FILE

    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setenv("GROUP_PASSWORD", "shared-secret-1")
    data = ["--data-dir", str(desk_data_dir), "exchange", "--json"]
    assert run(capsys, *data, "--folder", str(folder), "--password-env", "GROUP_PASSWORD")[0] == 0
    for path in folder.iterdir():
        path.unlink()
    (desk_data_dir / SECRET_FILE).unlink()

    status, out, err = run(capsys, *data)

    assert status == 2 and json.loads(out)["password_missing"] is True
    assert "group password is not on this computer" in err and "--password-env" in err
    assert list(folder.iterdir()) == []
    assert run(capsys, *data, "--password-env", "GROUP_PASSWORD")[0] == 0
    assert list(folder.iterdir()) != []


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.xlsx")
    return folder / "pipe.xlsx"


def _folder(folder: Path) -> Path:
    (folder / "folder.xlsx").mkdir()
    return folder / "folder.xlsx"


@pytest.mark.parametrize(
    "make", [lambda folder: Path(os.devnull), _fifo, _folder], ids=["null device", "named pipe", "folder"]
)
def test_merging_something_that_is_not_a_file_is_bad_input_saying_so(
    desk_data_dir: Path, tmp_path: Path, capsys, make
) -> None:
    source = make(tmp_path)

    status, out, err = run(capsys, "--data-dir", str(desk_data_dir), "merge", str(source))

    assert status == 2 and out == ""
    assert f"{source.name} is not a workbook file" in err and "There is no file" not in err
    assert len(err.strip().splitlines()) == 1


def test_merging_a_file_that_is_not_there_says_so(desk_data_dir: Path, tmp_path: Path, capsys) -> None:
    status, _out, err = run(capsys, "--data-dir", str(desk_data_dir), "merge", str(tmp_path / "gone.xlsx"))
    assert status == 2 and f"There is no file {tmp_path / 'gone.xlsx'}" in err


def test_a_workbook_whose_file_name_is_not_utf8_merges(desk_data_dir: Path, tmp_path: Path, capsys) -> None:
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        add_person(db, "TST-0001", "Rosa Martínez")
    finally:
        db.close()
    exported = tmp_path / "week.xlsx"
    assert run(capsys, "--data-dir", str(desk_data_dir), "export", str(exported))[0] == 0
    latin1 = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.xlsx"))  # a name written on an old Windows
    shutil.copyfile(exported, latin1)

    status, out, err = run(capsys, "--data-dir", str(desk_data_dir), "merge", str(latin1))

    assert status == 0, err
    assert "caf\ufffd.xlsx from desk TST" in out
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        assert [p["id"] for p in records.dump(db)["person"]]  # the desk is intact and readable
    finally:
        db.close()


def test_importing_a_device_as_a_spreadsheet_is_bad_input_saying_so(
    desk_data_dir: Path, tmp_path: Path, capsys
) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps(mapping_json()), encoding="utf-8")
    status, _out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "import-sheet", os.devnull, "--mapping", str(mapping)
    )
    assert status == 2 and "null is not a workbook file" in err
