"""The spreadsheet import wizard, used as a coordinator would: a Google Forms export opened,
columns guessed, an unknown answer given its meaning, every row checked (a repeat added to the
person already on the desk), the import confirmed; the choices remembered for next time; the
keyboard alone; and the wizard in Spanish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot
from sheet_samples import HEADERS, ROW_OF, mapping_json, rosa, write_csv

from aiddesk import i18n
from aiddesk.domain.defaults import fixed_id
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange.sheet_import import plan as plans
from aiddesk.services.exchange.sheet_import import preview as imports
from aiddesk.services.exchange.sheet_import.plan import Choice
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.sheet_import import SheetImportWizard, open_sheet_import

OTHER = fixed_id("need_category", "other")


@pytest.fixture
def form(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "Solicitudes de ayuda (respuestas).csv")


def make_wizard(qtbot: QtBot, db: Database) -> SheetImportWizard:
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Marta")
    wizard = open_sheet_import(None, ctx)
    qtbot.addWidget(wizard)
    qtbot.waitExposed(wizard)
    return wizard


def to_preview(qtbot: QtBot, wizard: SheetImportWizard, path: Path) -> None:
    wizard.file_page.open_file(str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.columns_page
    wizard.next()
    assert wizard.currentPage() is wizard.values_page
    if ("needs", "Ropa") in wizard.values_page.unknown():
        wizard.values_page.choose("needs", "Ropa", OTHER)
    wizard.next()
    qtbot.waitUntil(wizard.preview_page.isComplete)


def table_texts(wizard: SheetImportWizard) -> list[list[str]]:
    table = wizard.preview_page.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def people(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {p.name: p.id for p in session.query(Person)}


def test_a_google_form_imported_from_start_to_finish(qtbot: QtBot, db: Database, form: Path) -> None:
    rosa_id = rosa(db)
    wizard = make_wizard(qtbot, db)
    wizard.file_page.open_file(str(form))
    assert wizard.file_page.sheet_box.currentText() == "Solicitudes de ayuda (respuestas)"
    assert wizard.file_page.rows_table.item(0, 1).text() == HEADERS[1]
    wizard.next()

    columns = wizard.columns_page
    assert columns.note.text() == "AidDesk guessed from the questions; please check each one."
    assert {HEADERS[i]: box.currentData() for i, box in columns.boxes.items()} == mapping_json()["columns"]
    assert columns.boxes[2].accessibleName() == f"Field for the column “{HEADERS[2]}”"
    wizard.next()

    values = wizard.values_page
    assert values.unknown() == [("needs", "Ropa")]
    caption, box, _answer = values.rows[("needs", "Comida")]
    assert (caption.text(), box.currentText()) == ("“Comida” (3 rows)", "Groceries")
    assert values.rows[("urgency", "Muy urgente")][1].currentText() == "Within 24 hours"
    assert values.rows[("consent", "Sí")][1].currentText() == "Yes"
    values.choose("needs", "Ropa", OTHER)
    assert values.unknown() == []
    wizard.next()

    preview = wizard.preview_page
    qtbot.waitUntil(preview.isComplete)
    rows = table_texts(wizard)
    assert [r[0] for r in rows] == ["2", "3", "4", "5", "7", "8"]
    assert rows[0][1:3] == ["María José Hernández — (555) 201-3344", "Groceries, Other"]
    assert rows[2][3:] == ["Maybe TST-0001 Rosa Martínez (same phone number)", "Skip"]
    assert rows[3][1:] == [
        "Pedro Gómez — llámame",
        "",
        "C5: “llámame” does not look like a phone number.",
        "Not imported",
    ]
    assert rows[4][3] == "G7: “=2+2” is not a whole number from 0 to 99."
    assert preview.counts.text() == (
        "If you import now: 3 new people, 7 new requests, 1 row skipped because it may repeat someone, "
        "2 rows not taken, 1 blank row."
    )
    preview.table.setCurrentCell(3, 0)
    assert not preview.decision_box.isEnabled()
    preview.decide(ROW_OF["Rosa"], Choice.ATTACH)
    assert table_texts(wizard)[2][4] == "Add to TST-0001 Rosa Martínez (same phone number)"
    assert "1 row added to someone already on the desk" in preview.counts.text()
    wizard.next()

    review = wizard.review_page
    assert wizard.currentPage() is review
    assert [review.rows.item(i).text() for i in range(review.rows.count())] == [
        "Row 2 — New person — María José Hernández — (555) 201-3344 — Groceries, Other",
        "Row 3 — New person — John Carter — 555.201.7788 — Groceries, Prescription pickup",
        "Row 4 — Add to TST-0001 Rosa Martínez (same phone number) — Rosa Martinez — 555-201-9900 — Prescription pickup",
        "Row 8 — New person — Lucía Ramírez — 555 201 4455 — Ride, Hot meals, Groceries",
    ]
    assert people(db) == {"Rosa Martínez": rosa_id}  # nothing stored before "Import"
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "&Import"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page)

    result = wizard.result_page
    assert result.summary.text().splitlines()[:5] == [
        "• 3 new people",
        "• 8 new requests",  # Rosa's need too
        "• 1 row added to someone already on the desk",
        "• 2 rows not taken",
        "• 1 blank row",
    ]
    assert result.rejected.item(0).text() == (
        f"Row 5, column C (“{HEADERS[2]}”): “llámame” does not look like a phone number."
    )
    stored = people(db)
    assert set(stored) == {"Rosa Martínez", "María José Hernández", "John Carter", "Lucía Ramírez"}
    with db.session() as session:
        rosas = session.query(Request).filter(Request.person_id == rosa_id).all()
    assert len(rosas) == 1
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()


def test_the_next_sheet_with_the_same_questions_maps_itself(qtbot: QtBot, db: Database, form: Path) -> None:
    wizard = make_wizard(qtbot, db)
    to_preview(qtbot, wizard, form)  # "Ropa" was given its meaning: Other
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.result_page)
    wizard.accept()

    again = make_wizard(qtbot, db)
    again.file_page.open_file(str(form))
    again.next()
    assert again.columns_page.note.text() == (
        "These choices are the ones made the last time a sheet with these questions was imported."
    )
    again.next()
    assert again.values_page.unknown() == []
    assert again.values_page.rows[("needs", "Ropa")][1].currentText() == "Other"
    again.next()
    qtbot.waitUntil(again.preview_page.isComplete)
    # Everyone imported the first time is now suggested as a repeat, and skipped unless chosen.
    assert [r[4] for r in table_texts(again)] == [
        "Skip",
        "Skip",
        "Skip",
        "Not imported",
        "Not imported",
        "Skip",
    ]


def test_the_mapping_saved_as_a_file_is_what_the_command_reads(
    qtbot: QtBot, db: Database, form: Path, tmp_path: Path
) -> None:
    wizard = make_wizard(qtbot, db)
    to_preview(qtbot, wizard, form)
    wizard.next()
    target = tmp_path / "MAP.json"
    wizard.review_page.save_mapping(str(target))
    assert wizard.review_page.saved.text() == f"The mapping was saved in {target}."
    data = json.loads(target.read_text(encoding="utf-8"))
    assert (data["format"], data["version"], data["kind"]) == ("aiddesk-sheet-mapping", 1, "person_requests")
    assert data["columns"][HEADERS[2]] == "phone"
    assert data["values"]["needs"]["Ropa"] == OTHER
    from aiddesk.cli.sheet_import import load_mapping

    assert load_mapping(target) == wizard.session.mapping()


def test_an_exchange_workbook_is_refused_with_where_to_go(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.create_sheet("_meta").sheet_state = "veryHidden"
    path = tmp_path / "CC2.xlsx"
    book.save(path)
    wizard = make_wizard(qtbot, db)
    wizard.file_page.open_file(str(path))
    assert "aiddesk merge" in wizard.file_page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_columns_that_do_not_make_a_record_keep_the_wizard_on_the_page(
    qtbot: QtBot, db: Database, form: Path
) -> None:
    wizard = make_wizard(qtbot, db)
    wizard.file_page.open_file(str(form))
    wizard.next()
    wizard.columns_page.choose(HEADERS[1], "")
    wizard.columns_page.choose(HEADERS[2], "phone2")
    wizard.columns_page.choose(HEADERS[3], "phone2")
    wizard.next()
    assert wizard.currentPage() is wizard.columns_page
    assert wizard.columns_page.error.text().splitlines() == [
        "Only one column can feed Second phone, but 2 do.",
        "No column feeds the caller's name or phone number.",
    ]


def test_keyboard_only(qtbot: QtBot, db: Database, form: Path) -> None:
    rosa(db)
    wizard = make_wizard(qtbot, db)
    edit = wizard.file_page.path_edit
    edit.setFocus()
    qtbot.keyClicks(edit, str(form))  # the test's folder name is plain ASCII
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # opens the file and goes on (Next is the default button)
    assert wizard.file_page.sheet_box.count() == 1
    assert wizard.currentPage() is wizard.columns_page
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    values = wizard.values_page
    assert wizard.currentPage() is values
    box = values.rows[("needs", "Ropa")][1]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_End)  # the last need of the list: Other
    assert values.unknown() == [] and wizard.session.values["needs"]["Ropa"] == OTHER
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    preview = wizard.preview_page
    qtbot.waitUntil(preview.isComplete)
    preview.table.setFocus()
    qtbot.keyClick(preview.table, Qt.Key.Key_Down)
    qtbot.keyClick(preview.table, Qt.Key.Key_Down)
    assert preview.detail.text().startswith("Row 4: Rosa Martinez")
    preview.decision_box.setFocus()
    qtbot.keyClick(preview.decision_box, Qt.Key.Key_Home)  # New person
    assert table_texts(wizard)[2][4] == "New person"
    assert preview.decision_caption.buddy() is preview.decision_box


def test_the_wizard_follows_a_switch_to_spanish(
    qtbot: QtBot, db: Database, form: Path, qt_language: None
) -> None:
    wizard = make_wizard(qtbot, db)
    wizard.file_page.open_file(str(form))
    wizard.next()
    name_box = wizard.columns_page.boxes[1]
    assert name_box.currentText() == "Name"
    i18n.set_language("es", "US")
    assert name_box.currentText() == i18n._("Name") == "Nombre"
    assert name_box.currentData() == "name"  # the choice survives the switch
    assert wizard.button(QWizard.WizardButton.BackButton).text() != "< &Back"
    i18n.set_language("en", "US")
    assert name_box.currentText() == "Name"


def test_rejected_reasons_are_listed_by_sheet_row_and_column(db: Database, form: Path) -> None:
    """What the wizard's last page and the command list come from (one source)."""
    from sheet_samples import mapping_json

    from aiddesk.domain.sheet_mapping import SheetMapping
    from aiddesk.exchange.workbook.sheet_source import read_sheets

    (sheet,) = read_sheets(form)
    found = imports.preview(db, sheet, SheetMapping.from_json(mapping_json()), source=form.name)
    assert [r.where() for r in plans.rejected(found)] == [
        f"Row 5, column C (“{HEADERS[2]}”)",
        f"Row 7, column G (“{HEADERS[6]}”)",
    ]
