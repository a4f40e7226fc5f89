"""`aiddesk export`, `merge` and `exchange`: two demo desks meet through files, headless."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from aiddesk import cli


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def desks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert run(capsys, "--data-dir", a, "demo", "--seed", "3", "--people", "20", "--desk-code", "AAA")[0] == 0
    assert run(capsys, "--data-dir", b, "demo", "--seed", "4", "--people", "20", "--desk-code", "BBB")[0] == 0
    return a, b


def dump(capsys: pytest.CaptureFixture[str], folder: str) -> dict[str, object]:
    status, out, _err = run(capsys, "--data-dir", folder, "dump")
    assert status == 0
    return json.loads(out)


def test_export_then_merge_both_ways_gives_two_identical_desks(desks, tmp_path, capsys) -> None:
    a, b = desks
    status, out, _ = run(capsys, "--data-dir", a, "export", str(tmp_path / "a.xlsx"))
    assert status == 0 and "a.xlsx" in out
    assert run(capsys, "--data-dir", b, "export", str(tmp_path / "b.xlsx"))[0] == 0

    status, out, _ = run(capsys, "--data-dir", b, "merge", str(tmp_path / "a.xlsx"), "--dry-run", "--json")
    report = json.loads(out)
    assert status == 0 and report["new"] > 20 and report["applied"] is False
    assert {"new", "updated", "unchanged", "conflicts", "proposals", "rejected"} <= set(report)

    assert run(capsys, "--data-dir", b, "merge", str(tmp_path / "a.xlsx"))[0] == 0
    status, out, _ = run(capsys, "--data-dir", a, "merge", str(tmp_path / "b.xlsx"))
    assert status == 0 and "from desk BBB" in out
    assert dump(capsys, a) == dump(capsys, b)


def test_merge_refuses_a_foreign_spreadsheet_pointing_to_import_sheet(desks, tmp_path, capsys) -> None:
    _a, b = desks
    book = openpyxl.Workbook()
    book.active.append(["Marca temporal", "Nombre", "Teléfono"])
    book.save(tmp_path / "form.xlsx")
    before = dump(capsys, b)

    status, out, err = run(capsys, "--data-dir", b, "merge", str(tmp_path / "form.xlsx"))

    assert status == 2 and out == ""
    assert "_meta" in err and "import-sheet" in err
    assert dump(capsys, b) == before


def test_a_password_comes_from_the_environment_and_a_wrong_one_is_refused(
    desks, tmp_path, capsys, monkeypatch
) -> None:
    a, b = desks
    monkeypatch.setenv("GROUP_PW", "our-group-secret")
    monkeypatch.setenv("WRONG_PW", "not-the-secret")
    assert (
        run(capsys, "--data-dir", a, "export", str(tmp_path / "a.xlsx"), "--password-env", "GROUP_PW")[0] == 0
    )
    before = dump(capsys, b)

    status, _out, err = run(
        capsys, "--data-dir", b, "merge", str(tmp_path / "a.xlsx"), "--password-env", "WRONG_PW"
    )
    assert status == 2 and "password" in err and dump(capsys, b) == before
    status, _out, err = run(
        capsys, "--data-dir", b, "merge", str(tmp_path / "a.xlsx"), "--password-env", "NOPE"
    )
    assert status == 2 and "NOPE" in err
    assert (
        run(capsys, "--data-dir", b, "merge", str(tmp_path / "a.xlsx"), "--password-env", "GROUP_PW")[0] == 0
    )


def test_hand_edits_can_be_accepted_from_the_command_line(desks, tmp_path, capsys) -> None:
    a, b = desks
    assert run(capsys, "--data-dir", a, "export", str(tmp_path / "a.xlsx"))[0] == 0
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    people = book["People"]
    column = [c.value for c in people[2]].index("address") + 1
    people.cell(3, column).value = "77 Corrected Ave"
    record_id = people.cell(3, 1).value
    book.save(tmp_path / "edited.xlsx")

    status, out, _ = run(
        capsys, "--data-dir", b, "merge", str(tmp_path / "edited.xlsx"), "--json", "--accept-proposals"
    )

    assert status == 0 and json.loads(out)["proposals"] == 1
    (person,) = [p for p in dump(capsys, b)["person"] if p["id"] == record_id]
    assert [s[3] for s in person["fields"]["address"]] == ["77 Corrected Ave"]


def test_exchange_without_a_folder_says_so(desks, capsys) -> None:
    a, _b = desks
    status, _out, err = run(capsys, "--data-dir", a, "exchange")
    assert status == 2 and "exchange folder" in err
