"""`aiddesk import-sheet`: a Google Forms export imported from a script with a saved mapping;
bad rows reported with sheet, row, column and reason; refused input leaves the desk as it was."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sheet_samples import HEADERS, mapping_json, rosa, write_csv, write_xlsx

from aiddesk import cli
from aiddesk.cli import sheet_import as cli_import_sheet
from aiddesk.services.desk import records
from aiddesk.store.migrate import open_database


class _NoInput:
    def read(self, *args: Any) -> str:
        raise AssertionError("import-sheet read standard input")

    readline = read


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command as aiddesk.cli registers it (cli_import_sheet.add_parser and run), English, no stdin."""
    original = cli.build_parser

    def build() -> argparse.ArgumentParser:
        parser = original()
        if "import-sheet" not in parser.format_usage() + parser.format_help():
            commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            common = cli.Parser(add_help=False)
            cli.common_options(common, argparse.SUPPRESS)
            cli_import_sheet.add_parser(commands, common)
        return parser

    monkeypatch.setattr(cli, "build_parser", build)
    monkeypatch.setitem(cli.HEADLESS, "import-sheet", cli_import_sheet.run)
    monkeypatch.setattr("sys.stdin", _NoInput())
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def desk(desk_data_dir: Path) -> Iterator[Path]:
    db = open_database(desk_data_dir / "aiddesk.db")
    rosa(db)
    db.close()
    yield desk_data_dir


def dump(folder: Path) -> dict[str, Any]:
    db = open_database(folder / "aiddesk.db")
    try:
        return records.dump(db)
    finally:
        db.close()


def mapping_file(folder: Path, **changes: Any) -> Path:
    path = folder / "MAP.json"
    path.write_text(json.dumps(mapping_json(**changes), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def import_sheet(desk: Path, sheet: Path, mapping: Path, *extra: str) -> int:
    return cli.main(["--data-dir", str(desk), "import-sheet", str(sheet), "--mapping", str(mapping), *extra])


def test_dry_run_reports_in_json_and_changes_nothing(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(desk)
    sheet = write_csv(tmp_path / "respuestas.csv")
    assert import_sheet(desk, sheet, mapping_file(tmp_path), "--dry-run", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "new_people": 3,
        "new_requests": 7,
        "new_volunteers": 0,
        "attached": 0,
        "skipped_duplicates": 1,
        "skipped": 0,
        "blank_rows": 1,
        "rejected": [
            {
                "sheet": "respuestas",
                "row": 5,
                "column": HEADERS[2],
                "cell": "C5",
                "reason": "“llámame” does not look like a phone number.",
            },
            {
                "sheet": "respuestas",
                "row": 7,
                "column": HEADERS[6],
                "cell": "G7",
                "reason": "“=2+2” is not a whole number from 0 to 99.",
            },
        ],
        "file": "respuestas.csv",
        "sheet": "respuestas",
        "dry_run": True,
    }
    assert dump(desk) == before
    assert not (desk / "backups").exists()


def test_import_stores_the_good_rows_after_a_backup_and_lists_the_bad_ones(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(tmp_path / "respuestas.csv")
    assert import_sheet(desk, sheet, mapping_file(tmp_path), "--user", "Marta") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "respuestas.csv, sheet “respuestas”: 3 new people, 7 new requests, 1 row skipped because it may "
        "repeat someone, 2 rows not taken, 1 blank row.",
        "Review the rows that may repeat someone in the window: Exchange, “Import a spreadsheet”.",
    ]
    assert lines[2].startswith("A copy of the database from before the import: ")
    assert lines[3:] == [
        f"  Row 5, column C (“{HEADERS[2]}”): “llámame” does not look like a phone number.",
        f"  Row 7, column G (“{HEADERS[6]}”): “=2+2” is not a whole number from 0 to 99.",
    ]
    assert len(list((desk / "backups").glob("aiddesk-import-*.db"))) == 1
    people = {p["fields"]["name"][0][3] for p in dump(desk)["person"]}
    assert people == {"Rosa Martínez", "María José Hernández", "John Carter", "Lucía Ramírez"}

    # The same file again: everyone is suggested as a repeat, nobody is added twice.
    after = dump(desk)
    assert import_sheet(desk, sheet, mapping_file(tmp_path), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["new_people"], report["new_requests"], report["skipped_duplicates"]) == (0, 0, 4)
    assert dump(desk) == after


def test_workbook_with_a_formula_imports_the_rest(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_xlsx(tmp_path / "respuestas.xlsx")
    assert import_sheet(desk, sheet, mapping_file(tmp_path), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    formula = [r for r in report["rejected"] if r["row"] == 7]
    assert formula == [
        {
            "sheet": "Respuestas de formulario 1",
            "row": 7,
            "column": HEADERS[6],
            "cell": "G7",
            "reason": "This cell holds a formula; AidDesk reads only typed answers.",
        }
    ]
    assert report["new_people"] == 3


def test_an_exchange_workbook_is_sent_to_merge(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "name"])  # type: ignore[union-attr]
    meta = book.create_sheet("_meta")
    meta.append(["format", "aiddesk-exchange"])
    meta.sheet_state = "veryHidden"
    path = tmp_path / "CC2-export.xlsx"
    book.save(path)
    before = dump(desk)
    assert import_sheet(desk, path, mapping_file(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "exchange workbook" in err and "aiddesk merge" in err
    assert dump(desk) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "people"}, "“kind” must be “person_requests” or “volunteers”."),
        (
            {"version": 7},
            "This mapping was made by a newer AidDesk (format version 7); update AidDesk to use it.",
        ),
        ({"columns": {"Teléfono": "phone"}}, "The sheet has no column “Teléfono”."),
        (
            {"values": {"urgency": {"Muy urgente": "ya mismo"}}},
            "“ya mismo” is not one of the choices for Urgency.",
        ),
        ({"sheet": "Hoja 2"}, "The spreadsheet has no visible sheet named “Hoja 2”."),
    ],
)
def test_a_mapping_that_does_not_fit_is_refused_with_exit_2(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, Any], message: str
) -> None:
    before = dump(desk)
    sheet = write_csv(tmp_path / "respuestas.csv")
    assert import_sheet(desk, sheet, mapping_file(tmp_path, **changes)) == 2
    err = capsys.readouterr().err
    assert err.startswith("aiddesk: ") and message in err
    assert dump(desk) == before


def test_files_that_cannot_be_read_are_refused(
    desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = write_csv(tmp_path / "respuestas.csv")
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "aiddesk-sheet-mapping",', encoding="utf-8")
    assert import_sheet(desk, sheet, broken) == 2
    assert "broken.json is not valid JSON" in capsys.readouterr().err
    assert import_sheet(desk, tmp_path / "missing.csv", mapping_file(tmp_path)) == 2
    assert "There is no file" in capsys.readouterr().err
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert import_sheet(desk, old, mapping_file(tmp_path)) == 2
    assert "Save it as an Excel workbook (.xlsx) or as CSV (.csv)." in capsys.readouterr().err
