"""What an exported workbook looks like to a person opening it, and to the desk merging it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from record_makers import add_person

from aiddesk import i18n
from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected
from aiddesk.services.desk import records
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import Proposals, merge_file
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from tests.exchange_desks import rename_person


def _desk(folder: Path, code: str) -> Database:
    db = open_database(folder / code / "aiddesk.db")
    desk_service.create_desk(db, name=f"Desk {code}", code=code)
    return db


@pytest.fixture
def two(tmp_path: Path):
    a, b = _desk(tmp_path, "AAA"), _desk(tmp_path, "BBB")
    yield a, b
    a.close()
    b.close()


def _column(sheet, key: str) -> int:
    keys = [c.value for c in sheet[2]]
    return keys.index(key) + 1


def test_visible_sheets_have_translated_headers_hidden_keys_and_text_cells(
    db: Database, tmp_path: Path
) -> None:
    add_person(
        db,
        "TST-0001",
        '=HYPERLINK("http://x")',
        phone="+15551234567",
        phone_raw="(555) 123-4567",
        address="-5 Main St",
        delivery_notes="@home",
    )
    i18n.set_language("es")
    export_workbook(db, tmp_path / "out.xlsx", ExportOptions())

    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames[:6] == ["Personas", "Llamadas", "Pedidos", "Voluntarios", "Entregas", "Paradas"]
    assert book["_meta"].sheet_state == "veryHidden" and book["_state"].sheet_state == "veryHidden"
    people = book["Personas"]
    assert people.row_dimensions[2].hidden
    assert people.cell(1, _column(people, "name")).value == "Nombre"
    name = people.cell(3, _column(people, "name"))
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"  # text, never a formula
    assert people.cell(3, _column(people, "phone")).value == "+1 555-123-4567"  # the leading + kept
    assert people.cell(3, _column(people, "address")).value == "-5 Main St"
    assert people.cell(3, _column(people, "delivery_notes")).value == "@home"
    assert people.cell(3, _column(people, "needs_interpreter")).value == "no"
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    meta = {row[0]: row[1] for row in book["_meta"].iter_rows(min_row=2, values_only=True)}
    assert meta["format"] == "aiddesk-exchange" and meta["rows.person"] == "1" and len(meta["checksum"]) == 64


def test_merge_of_an_export_makes_both_desks_identical_and_a_second_merge_changes_nothing(
    two, tmp_path
) -> None:
    a, b = two
    add_person(a, "AAA-0001", "Rosa Martínez", phone="+15551234567", phone_raw="555 123 4567")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())

    first = merge_file(b, tmp_path / "a.xlsx", "Luis")
    again = merge_file(b, tmp_path / "a.xlsx", "Luis")

    assert first.new == 1 and first.rejected == []
    assert records.dump(a) == records.dump(b)
    assert (again.new, again.updated, again.proposals) == (0, 0, 0)


def test_a_phone_fixed_in_excel_is_one_proposal_and_accepting_it_stores_it(two, tmp_path) -> None:
    a, b = two
    person = add_person(a, "AAA-0001", "Rosa Martínez", phone="+15551234567", phone_raw="555 123 4567")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    people = book["People"]
    people.cell(3, _column(people, "phone")).value = "(555) 987-6543"
    book.save(tmp_path / "edited.xlsx")

    dry = merge_file(b, tmp_path / "edited.xlsx", "Luis", dry_run=True)
    assert (dry.new, dry.proposals, dry.applied) == (1, 1, False)
    assert records.dump(b)["person"] == []
    report = merge_file(b, tmp_path / "edited.xlsx", "Luis", proposals=Proposals.ACCEPT)

    assert report.proposals == 1
    state = {p["id"]: p for p in records.dump(b)["person"]}[person]
    assert [s[3] for s in state["fields"]["phone"]] == ["+15559876543"]
    assert [s[3] for s in state["fields"]["phone_raw"]] == ["(555) 987-6543"]


def test_a_redacted_export_hides_people_and_cannot_be_merged(two, tmp_path) -> None:
    a, b = two
    add_person(
        a, "AAA-0001", "Rosa Martínez", phone="+15551234567", phone_raw="555 123 4567", address="1 Elm"
    )
    with pytest.raises(ExportRefused):
        export_workbook(a, tmp_path / "r.xlsx", ExportOptions(redact=True))
    export_workbook(a, tmp_path / "r.xlsx", ExportOptions(redact=True), group_password="correct horse")
    export_workbook(b, tmp_path / "r2.xlsx", ExportOptions(redact=True), group_password="correct horse")

    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "_state" not in book.sheetnames
    cells = {str(c.value) for row in book["People"].iter_rows() for c in row}
    assert not {"Rosa Martínez", "1 Elm", "+15551234567", "(555) 123-4567"} & cells
    phone = book["People"].cell(3, _column(book["People"], "phone")).value
    assert phone.startswith("X-") and len(phone) == 18
    before = records.dump(b)
    with pytest.raises(WorkbookRejected, match="redacted"):
        merge_file(b, tmp_path / "r.xlsx", "Luis")
    assert records.dump(b) == before


def test_a_password_protected_export_opens_only_with_its_password(two, tmp_path) -> None:
    a, b = two
    add_person(a, "AAA-0001", "Rosa Martínez")
    export_workbook(a, tmp_path / "p.xlsx", ExportOptions(password="s3cret-group"))
    before = records.dump(b)

    with pytest.raises(WorkbookRejected):
        merge_file(b, tmp_path / "p.xlsx", "Luis")
    with pytest.raises(WorkbookRejected):
        merge_file(b, tmp_path / "p.xlsx", "Luis", password="wrong")
    assert records.dump(b) == before
    assert merge_file(b, tmp_path / "p.xlsx", "Luis", password="s3cret-group").new == 1


def test_concurrent_edits_wait_as_a_conflict_on_both_desks_and_settling_it_travels(two, tmp_path) -> None:
    from aiddesk.services.exchange import conflicts
    from aiddesk.store.models import Person

    a, b = two
    person = add_person(a, "AAA-0001", "Rosa Martínez", address="1 Elm")
    export_workbook(a, tmp_path / "a0.xlsx", ExportOptions())
    merge_file(b, tmp_path / "a0.xlsx", "Luis")
    for db, address in ((a, "2 Oak"), (b, "3 Pine")):
        with db.transaction("Ana") as tx:
            tx.session.get(Person, person).address = address
    export_workbook(a, tmp_path / "a1.xlsx", ExportOptions())
    export_workbook(b, tmp_path / "b1.xlsx", ExportOptions())

    assert merge_file(b, tmp_path / "a1.xlsx", "Luis").conflicts == 1
    assert merge_file(a, tmp_path / "b1.xlsx", "Ana").conflicts == 1
    assert records.dump(a) == records.dump(b)
    for db in (a, b):
        (found,) = [c for c in conflicts.open_conflicts(db) if c.field == "address"]
        assert sorted(c.text for c in found.choices) == ["2 Oak", "3 Pine"]

    conflicts.resolve(a, "Ana", "person", person, {"address": "3 Pine"})
    export_workbook(a, tmp_path / "a2.xlsx", ExportOptions())
    merge_file(b, tmp_path / "a2.xlsx", "Luis")
    assert conflicts.open_conflicts(a) == [] and conflicts.open_conflicts(b) == []
    assert records.dump(a) == records.dump(b)


def test_a_failure_in_the_middle_of_applying_leaves_the_database_as_it_was(
    two, tmp_path, monkeypatch
) -> None:
    from aiddesk.services.exchange import merge_pass

    a, b = two
    for n in range(3):
        add_person(a, f"AAA-000{n + 1}", f"Person {n}")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    before = records.dump(b)
    real = merge_pass.insert_rows
    calls = []

    def crash_on_the_second_kind(session, model, rows):
        real(session, model, rows)  # the first kinds are written ...
        calls.append(model.kind)
        if len(calls) == 3:
            raise OSError("disk unplugged")  # ... then the power goes

    monkeypatch.setattr(merge_pass, "insert_rows", crash_on_the_second_kind)
    with pytest.raises(OSError):
        merge_file(b, tmp_path / "a.xlsx", "Luis")

    assert len(calls) == 3
    assert records.dump(b) == before


def test_a_redacted_export_keeps_conflicting_values_out_of_its_conflicts_sheet(two, tmp_path) -> None:
    a, b = two
    person = add_person(a, "AAA-0001", "Rosa Martínez", address="1 Elm")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    merge_file(b, tmp_path / "a.xlsx", "Luis")
    rename_person(a, person, "Rosa María Martínez")
    rename_person(b, person, "Rosa Martínez Soto")
    export_workbook(b, tmp_path / "b.xlsx", ExportOptions())
    assert merge_file(a, tmp_path / "b.xlsx", "Ana").conflicts == 1

    export_workbook(a, tmp_path / "r.xlsx", ExportOptions(redact=True), group_password="correct horse")
    [row] = list(
        openpyxl.load_workbook(tmp_path / "r.xlsx")["Conflicts"].iter_rows(min_row=2, values_only=True)
    )
    assert row[0] == "People" and row[2] == "name"  # which record and which column wait for a decision
    assert row[1].startswith("X-") and row[1] != "AAA-0001"  # a pseudonym, as on the People sheet
    cells = {str(value) for value in row}
    assert not {"Rosa María Martínez", "Rosa Martínez Soto", "AAA-0001"} & cells
