"""Text that looks like a formula (it starts with =, +, - or @) is written as text a spreadsheet
keeps as text even when someone edits the cell (F2, then Enter): the cell's style carries Excel's
quote prefix. The value itself is unchanged, and merges back exactly."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from record_makers import add_person

from aiddesk.services.desk import records
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import merge_file
from aiddesk.store.database import Database
from tests.exchange_desks import new_desk

LOOKS_LIKE_FORMULAS = {
    "name": '=HYPERLINK("http://example.org","click")',
    "address": "-5 Main St",
    "delivery_notes": "@home after six",
    "dietary_needs": "+2 kg of rice",
}


def test_formula_look_alikes_are_quote_prefixed_text_and_merge_back_exactly(
    db: Database, tmp_path: Path, migrated_template: Path
) -> None:
    person = add_person(db, "TST-0001", LOOKS_LIKE_FORMULAS["name"], safety_notes="plain words",
                        **{k: v for k, v in LOOKS_LIKE_FORMULAS.items() if k != "name"})  # fmt: skip
    path = tmp_path / "out.xlsx"
    export_workbook(db, path, ExportOptions(language="en"))

    with zipfile.ZipFile(path) as book:
        assert b'quotePrefix="1"' in book.read("xl/styles.xml")
    people = openpyxl.load_workbook(path)["People"]
    keys = [c.value for c in people[2]]
    row = {key: people.cell(3, keys.index(key) + 1) for key in keys}
    for key, text in LOOKS_LIKE_FORMULAS.items():
        assert (row[key].value, row[key].data_type, row[key].quotePrefix) == (text, "s", True), key
    assert (row["safety_notes"].value, row["safety_notes"].quotePrefix) == ("plain words", False)

    other = new_desk(tmp_path / "other", migrated_template, "OTH")
    try:
        report = merge_file(other, path, "Ana")
        assert (report.new, report.proposals, report.rejected) == (report.new, 0, [])
        mine = {p["id"]: p for p in records.dump(db)["person"]}[person]
        theirs = {p["id"]: p for p in records.dump(other)["person"]}[person]
        assert theirs["fields"] == mine["fields"]
    finally:
        other.close()
