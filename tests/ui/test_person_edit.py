"""Editing a person's details from their page and from the queue's detail panel: Enter saves when
valid, a refused field says why under it (in Spanish too), Esc cancels safely, the history shows
the edit, and an erased person cannot be edited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from record_makers import NOW, ZONE, add_person, add_request

from aiddesk import i18n
from aiddesk.i18n.qt_bridge import QtLanguage
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.people import erasure
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.ui.context import DeskContext
from aiddesk.ui.person.edit_dialog import EditPersonDialog
from aiddesk.ui.person.page import PersonPage
from tests.ui.settle import settle
from tests.ui.windows import desk_window

from .test_queue_page import click_row


@pytest.fixture
def page(qtbot: QtBot, db: Database) -> PersonPage:
    info = desk_service.get_desk(db)
    assert info is not None
    page = PersonPage(DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), info, "Rosa"))
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def maria(db: Database) -> str:
    return add_person(
        db,
        "TST-P1",
        "María García",
        phone="+16175550134",
        phone_raw="617-555-0134",
        address="4 Oak St",
        language="es",
        consent=True,
        consent_version="2026-11-01.1",
    )


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    remove = i18n.on_language_change(QtLanguage(qapp).apply)
    i18n.set_language("es", "US")
    yield
    i18n.set_language("en", "US")
    remove()


def _stored(db: Database, person_id: str) -> Person:
    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


def open_edit(qtbot: QtBot, page: PersonPage, person_id: str) -> EditPersonDialog:
    page.show_person(person_id)
    settle(qtbot, page._ctx)
    assert page.edit_button.isEnabled()
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.edit_dialog
    assert dialog is not None
    settle(qtbot, page._ctx)
    qtbot.waitExposed(dialog)
    return dialog


def closed(dialog: EditPersonDialog) -> bool:
    """Closed (the screen that opened it deletes it once closed)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _saved(dialog: EditPersonDialog) -> list[list[str] | None]:
    """What the dialog saved, kept when it is closed."""
    saved: list[list[str] | None] = []
    dialog.accepted.connect(lambda: saved.append(dialog.saved))
    return saved


def _type(qtbot: QtBot, dialog: EditPersonDialog, name: str, text: str) -> None:
    edit = dialog.fields.lines[name]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_enter_saves_the_edit_and_the_page_and_history_show_it(qtbot, db, page, maria) -> None:
    dialog = open_edit(qtbot, page, maria)
    assert dialog.fields.lines["address"].text() == "4 Oak St"
    assert dialog.heading.text() == "Details of María García (TST-P1)"
    _type(qtbot, dialog, "address", "40 Elm Ave, Apt 2")
    _type(qtbot, dialog, "phone", "617 555 0199")
    dialog.fields.zone_box.setCurrentIndex(dialog.fields.zone_box.findData(ZONE["east"]))
    saved = _saved(dialog)
    qtbot.keyClick(dialog.fields.lines["phone"], Qt.Key.Key_Return)
    settle(qtbot, page._ctx)

    assert saved == [["phone", "address", "zone_id"]] and closed(dialog)
    person = _stored(db, maria)
    assert (person.address, person.phone, person.zone_id) == (
        "40 Elm Ave, Apt 2",
        "+16175550199",
        ZONE["east"],
    )
    assert page.values["address"].text() == "40 Elm Ave, Apt 2"  # the page read it again
    history = page.history_table
    assert page.tabs.tabText(3) == "History (1)"
    assert history.item(0, 1).text() == "Rosa"
    assert history.item(0, 2).text() == "Details edited: Phone, Address, Zone"


def test_a_refused_field_says_why_under_it_and_nothing_is_saved(qtbot, db, page, maria) -> None:
    dialog = open_edit(qtbot, page, maria)
    _type(qtbot, dialog, "email", "not-an-email")
    _type(qtbot, dialog, "phone2", "call me maybe")
    qtbot.keyClick(dialog.fields.lines["email"], Qt.Key.Key_Return)
    settle(qtbot, page._ctx)

    assert dialog.isVisible() and dialog.saved is None
    assert (
        dialog.fields.errors["email"].text()
        == "This does not look like an e-mail address (name@example.org)."
    )
    assert dialog.fields.errors["email"].isVisible()
    assert dialog.fields.errors["phone2"].text() == "This is not a phone number; please type its digits."
    assert _stored(db, maria).email == ""
    _type(qtbot, dialog, "email", "maria@example.org")  # typing again clears the message
    assert not dialog.fields.errors["email"].isVisible()


def test_no_name_and_no_phone_is_refused(qtbot, db, page, maria) -> None:
    dialog = open_edit(qtbot, page, maria)
    _type(qtbot, dialog, "name", "")
    dialog.fields.lines["name"].clear()
    dialog.fields.lines["phone"].clear()
    dialog.try_save()
    settle(qtbot, page._ctx)
    assert dialog.fields.errors["phone"].text() == "Type the caller's phone number or name."
    assert _stored(db, maria).name == "María García"


def test_the_refusal_is_in_spanish(qtbot, db, page, maria, spanish) -> None:
    dialog = open_edit(qtbot, page, maria)
    assert dialog.windowTitle() == "Cambiar datos"
    _type(qtbot, dialog, "email", "no-es-correo")
    dialog.try_save()
    settle(qtbot, page._ctx)
    assert (
        dialog.fields.errors["email"].text() == "Esto no parece un correo electrónico (nombre@ejemplo.org)."
    )


def test_esc_without_changes_closes_and_with_changes_asks_keeping_them_by_default(
    qtbot, db, page, maria
) -> None:
    dialog = open_edit(qtbot, page, maria)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert closed(dialog)

    dialog = open_edit(qtbot, page, maria)
    _type(qtbot, dialog, "address", "99 Pine St")
    qtbot.keyClick(dialog.fields.lines["address"], Qt.Key.Key_Escape)
    box = dialog.discard_question
    assert isinstance(box, QMessageBox) and dialog.isVisible()
    assert box.defaultButton().text() == "Keep editing"
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Esc then Enter loses nothing
    assert dialog.isVisible() and dialog.fields.lines["address"].text() == "99 Pine St"

    qtbot.keyClick(dialog.fields.lines["address"], Qt.Key.Key_Escape)
    box = dialog.discard_question
    assert box is not None
    [discard] = [b for b in box.buttons() if b.text() == "Discard the changes"]
    discard.click()
    settle(qtbot, page._ctx)
    assert closed(dialog)
    assert _stored(db, maria).address == "4 Oak St"


def test_consent_can_be_withdrawn_but_not_given(qtbot, db, page, maria) -> None:
    dialog = open_edit(qtbot, page, maria)
    assert dialog.consent_check.isChecked() and dialog.consent_check.isEnabled()
    dialog.consent_check.setChecked(False)
    dialog.try_save()
    settle(qtbot, page._ctx)
    assert (_stored(db, maria).consent, _stored(db, maria).consent_version) == (False, "")

    dialog = open_edit(qtbot, page, maria)
    assert not dialog.consent_check.isChecked() and not dialog.consent_check.isEnabled()
    assert "during a call" in dialog.consent_note.text()


def test_an_erased_person_cannot_be_edited(qtbot, db, page, maria) -> None:
    dialog = open_edit(qtbot, page, maria)  # open while another desk's erasure arrives
    erasure.erase_person(db, "Ana", maria)
    _type(qtbot, dialog, "address", "1 Main St")
    qtbot.keyClick(dialog.fields.lines["address"], Qt.Key.Key_Return)
    settle(qtbot, page._ctx)
    assert dialog.isVisible()
    assert dialog.general_error.text() == "This person's data was erased; there is nothing left to edit."
    assert _stored(db, maria).address == ""
    dialog.done(0)

    page.refresh()  # as the broadcast of an erasure merged from a workbook would
    settle(qtbot, page._ctx)
    assert not page.edit_button.isEnabled()
    assert page.edit_button.toolTip() == "An erased or merged record cannot be edited."
    assert page.ask_edit() is None
    dialog = EditPersonDialog(page._ctx, maria, parent=page)  # asked for anyway: says why, edits nothing
    settle(qtbot, page._ctx)
    assert dialog.general_error.text() == "This person's data was erased; there is nothing left to edit."
    assert not dialog.save_button.isEnabled() and not dialog.fields.isEnabled()


def test_the_queue_panel_opens_the_edit_and_shows_it(qtbot, db, maria) -> None:
    request = add_request(db, maria, "TST-0001", created_at=NOW)
    with desk_window(qtbot, db, "Ana") as window:
        window.show_page("requests")
        settle(qtbot, window.ctx)
        queue = window.requests_page
        click_row(qtbot, queue, request)
        settle(qtbot, window.ctx)
        panel = queue.detail
        assert panel.edit_person_button.text() == "Edit person…" and panel.edit_person_button.isEnabled()
        qtbot.mouseClick(panel.edit_person_button, Qt.MouseButton.LeftButton)
        dialog = queue.edit_dialog
        assert dialog is not None
        settle(qtbot, window.ctx)
        _type(qtbot, dialog, "address", "7 Birch Rd")
        qtbot.keyClick(dialog.fields.lines["address"], Qt.Key.Key_Enter)
        settle(qtbot, window.ctx)
        assert closed(dialog)
        assert panel.person_values["address"].text() == "7 Birch Rd"
        texts = [panel.history_list.item(i).text() for i in range(panel.history_list.count())]
        assert any(t.endswith("Details edited: Address") for t in texts)


@pytest.mark.parametrize("where", ["language", "zone", "flag"])
def test_enter_saves_from_a_list_or_a_tick_box_too(qtbot, db, page, maria, where) -> None:
    dialog = open_edit(qtbot, page, maria)
    _type(qtbot, dialog, "address", "5 Cedar Ct")
    widget = {
        "language": dialog.fields.language_box,
        "zone": dialog.fields.zone_box,
        "flag": dialog.fields.flags["elevated_risk"],
    }[where]
    widget.setFocus()
    saved = _saved(dialog)
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    settle(qtbot, page._ctx)
    assert saved == [["address"]] and closed(dialog)
    assert _stored(db, maria).address == "5 Cedar Ct"
