"""A message goes when the situation it describes changes (issue 11, item 7): the saved call's
codes when the next call is typed, "Run planned…" when another request is chosen, a refusal when
its field is answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sheet_samples import write_csv
from sqlalchemy import select

from aiddesk.domain.enums import RequestStatus
from aiddesk.services.deliveries import dispatch
from aiddesk.store.database import Database
from aiddesk.store.models import Volunteer
from tests.record_makers import add_person, add_request
from tests.ui import test_deliveries_page as deliveries
from tests.ui import test_first_run as first_run
from tests.ui import test_intake as intake
from tests.ui import test_matching_page as matching
from tests.ui import test_queue_page as queue
from tests.ui import test_settings_page as settings
from tests.ui import test_sheet_import_wizard as sheet_import
from tests.ui.settle import settle
from tests.ui.test_matching_page import desk as desk  # the matching screen's requests and volunteers

CTRL = Qt.KeyboardModifier.ControlModifier


def test_the_saved_call_message_goes_when_the_next_call_is_typed(qtbot: QtBot, db: Database) -> None:
    page = intake.make_page(qtbot, db)
    qtbot.keyClicks(page.caller.phone_edit, "617 555 0134")
    qtbot.keyClicks(page.caller.name_edit, "Rosa Diaz")
    intake.press(Qt.Key.Key_S, CTRL)
    intake.done(qtbot, page)
    assert page.saved_label.isVisible() and page.saved_label.text().startswith("Saved call")

    qtbot.keyClicks(page.caller.phone_edit, "call me maybe")  # the next caller
    assert not page.saved_label.isVisible()
    intake.press(Qt.Key.Key_S, CTRL)
    intake.done(qtbot, page)
    assert page.caller.errors["phone"].isVisible()
    assert not page.saved_label.isVisible()  # no "Saved call…" beside the refusal


@pytest.mark.usefixtures("desk")
def test_run_planned_goes_when_another_request_is_chosen(qtbot: QtBot, db: Database) -> None:
    page = matching.make_page(qtbot, db)
    matching.click_row(qtbot, page.requests_table, 1)  # TST-R1
    dialog = matching.plan_from_page(qtbot, page)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None)
    settle(qtbot, page._ctx)
    assert page.planned_label.isVisible() and page.planned_label.text().startswith("Run planned for")

    matching.click_row(qtbot, page.requests_table, 0)  # another request: another run to plan
    assert not page.planned_label.isVisible()


def test_please_choose_what_happened_goes_once_chosen(qtbot: QtBot, db: Database) -> None:
    ids = deliveries.fill(db)
    with db.session() as s:
        luis = s.scalars(select(Volunteer.id).where(Volunteer.name == "Luis Ortega")).one()
    run_id = dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=luis,
        date=deliveries.DAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[ids["TST-0101"]],
    )
    dispatch.start_run(db, "Marta", run_id)
    page = deliveries.make_page(qtbot, db)
    page.select_stop_row(0)
    deliveries.click(qtbot, page, page.record_button)
    recorder = page.stop_recorder
    assert recorder is not None
    deliveries.click(qtbot, page, recorder.save_button)  # nothing chosen
    assert (
        recorder.outcome_error.isVisible()
        and recorder.outcome_error.text() == "Please choose what happened at this stop."
    )

    qtbot.mouseClick(recorder.outcome_buttons["failed"], Qt.MouseButton.LeftButton)
    assert not recorder.outcome_error.isVisible()
    deliveries.click(qtbot, page, recorder.save_button)  # failed, but no reason
    assert recorder.reason_error.isVisible()
    recorder.reason_box.setCurrentIndex(0)  # a reason chosen
    assert not recorder.reason_error.isVisible()
    recorder.reject()


def test_a_run_s_message_goes_when_another_run_is_chosen(qtbot: QtBot, db: Database) -> None:
    ids = fill_two_runs(db)
    page = deliveries.make_page(qtbot, db)
    page.select_run(ids["first"])
    settle(qtbot, page._ctx)
    deliveries.click(qtbot, page, page.start_button)
    assert page.message_label.isVisible() and page.message_label.text().startswith("Run ")

    page.select_run(ids["second"])  # another run: the message was about the first one
    settle(qtbot, page._ctx)
    assert not page.message_label.isVisible()


def fill_two_runs(db: Database) -> dict[str, str]:
    ids = deliveries.fill(db)
    with db.session() as s:
        luis = s.scalars(select(Volunteer.id).where(Volunteer.name == "Luis Ortega")).one()
    runs = {}
    for key, code, window in (("first", "TST-0101", "09:00"), ("second", "TST-0102", "13:00")):
        runs[key] = dispatch.plan_run(
            db,
            "Marta",
            volunteer_id=luis,
            date=deliveries.DAY,
            window_start=window,
            window_end=f"{int(window[:2]) + 2:02d}:00",
            request_ids=[ids[code]],
        )
    return runs


def test_a_refused_setting_s_message_goes_when_it_is_typed_again(qtbot: QtBot, db: Database) -> None:
    page = settings.make_page(qtbot, db)
    settings.retype(page.code_edit, "c-1")
    settings.click(qtbot, page.save_button)
    assert page.code_error.isVisible()
    settings.retype(page.code_edit, "CE2")
    assert not page.code_error.isVisible()

    editor = page.consent_editor
    editor.english_edit.setPlainText("")
    settings.click(qtbot, editor.save_button)
    assert editor.english_error.isVisible()
    settings.type_text(editor.english_edit, "We keep your name.")
    assert not editor.english_error.isVisible()


def test_the_run_editor_s_refusal_goes_when_a_volunteer_is_chosen(qtbot: QtBot, db: Database) -> None:
    deliveries.fill(db)
    page = deliveries.make_page(qtbot, db)
    deliveries.click(qtbot, page, page.plan_button)
    editor = page.run_editor
    assert editor is not None
    luis = editor.volunteer_box.findText("Luis Ortega")
    editor.volunteer_box.setCurrentIndex(luis)
    deliveries.click(qtbot, page, editor.plan_button)  # no stop
    assert editor.requests_error.isVisible()
    deliveries.select_rows(editor.ready_table, [0])
    deliveries.click(qtbot, page, editor.add_button)
    assert not editor.requests_error.isVisible()

    editor.volunteer_box.setCurrentIndex(-1)
    deliveries.click(qtbot, page, editor.plan_button)  # no volunteer
    assert editor.volunteer_error.isVisible()
    editor.volunteer_box.setCurrentIndex(luis)
    assert not editor.volunteer_error.isVisible()
    editor.reject()


def test_a_label_s_refusal_goes_when_a_name_is_typed(qtbot: QtBot, db: Database) -> None:
    page = settings.make_page(qtbot, db)
    editor = page.categories_editor
    dialog = settings.open_dialog(qtbot, editor, editor.add_button)
    settings.save_dialog(qtbot, dialog)  # no name at all
    assert dialog.english_error.isVisible()
    settings.type_text(dialog.spanish_edit, "Pañales")  # a name in either language will do
    assert not dialog.english_error.isVisible()
    dialog.reject()


def test_the_first_run_refusal_goes_when_the_field_is_typed_again(qtbot: QtBot, empty_db: Database) -> None:
    dialog = first_run.open_dialog(qtbot, empty_db)
    first_run.fill(qtbot, dialog, "Eastside Center", "C-1")
    first_run.click_create(qtbot, dialog)
    assert dialog.code_error.isVisible()
    qtbot.keyClicks(dialog.code, "2")
    assert not dialog.code_error.isVisible()


def test_the_move_dialog_s_refusal_goes_when_a_reason_is_typed(qtbot: QtBot, db: Database) -> None:
    person = add_person(db, "TST-P1", "Rosa Díaz")
    request = add_request(db, person, "TST-0001")
    page = queue.make_page(qtbot, db)
    queue.click_row(qtbot, page, request)
    dialog = queue.open_move(page, RequestStatus.WITHDRAWN)
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    queue.wait(qtbot, page)
    assert dialog.error.isVisible()  # a reason is needed
    qtbot.keyClicks(dialog.reason_edit, "Moved away")
    assert not dialog.error.isVisible()
    dialog.reject()


@pytest.mark.usefixtures("desk")
def test_the_run_plan_s_refusal_goes_when_the_time_is_changed(qtbot: QtBot, db: Database) -> None:
    page = matching.make_page(qtbot, db)
    matching.click_row(qtbot, page.requests_table, 1)
    dialog = matching.plan_from_page(qtbot, page)
    dialog.end_edit.setTime(dialog.start_edit.time())  # a window that ends as it starts
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    settle(qtbot, page._ctx)
    shown = [e for e in (dialog.errors["window_start"], dialog.errors["window_end"]) if e.isVisible()]
    assert shown and dialog.isVisible()
    dialog.end_edit.setTime(dialog.end_edit.time().addSecs(3 * 3600))
    assert not any(e.isVisible() for e in shown)
    dialog.reject()


def test_an_intake_refusal_at_a_list_or_the_call_notes_goes_when_changed(qtbot: QtBot, db: Database) -> None:
    page = intake.make_page(qtbot, db)
    qtbot.keyClicks(page.caller.phone_edit, "617 555 0134")
    page.caller.language_box.setEditText("A language name far too long to keep")
    page.call_box.notes_edit.setPlainText("Called back\x01")
    intake.press(Qt.Key.Key_S, CTRL)
    intake.done(qtbot, page)
    language, notes = page.caller.errors["language"], page.call_box.errors["call_notes"]
    assert language.isVisible() and notes.isVisible()

    page.caller.language_box.setCurrentIndex(page.caller.language_box.findData("es"))
    assert not language.isVisible()
    page.call_box.notes_edit.setPlainText("Called back")
    assert not notes.isVisible()


def test_the_sheet_file_page_s_refusal_goes_when_another_header_row_is_chosen(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    wizard = sheet_import.make_wizard(qtbot, db)
    page = wizard.file_page
    page.open_file(str(write_csv(tmp_path / "Solicitudes de ayuda (respuestas).csv")))
    page.header_spin.setValue(page.header_spin.maximum())  # past the sheet's last row
    wizard.next()
    assert wizard.currentPage() is page and page.error.text().startswith("The sheet")
    page.header_spin.setValue(1)
    assert page.error.text() == ""
    wizard.next()
    assert wizard.currentPage() is wizard.columns_page
