"""Erasing a person from their page: a plain-words confirmation (Cancel is the default), then the
page shows the record with its data gone (and so does any screen, as the change is broadcast)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from record_makers import add_person, add_request

from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.people import erasure
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.person.page import PersonPage
from tests.ui.settle import settle


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


def _button(box: QMessageBox, text: str):
    (button,) = [b for b in box.buttons() if b.text() == text]
    return button


def test_erase_asks_in_plain_words_and_cancel_changes_nothing(qtbot, db, page):
    maria = add_person(db, "TST-P1", "María García", phone="+16175550134", phone_raw="617-555-0134")
    assert page.show_person(maria)
    settle(qtbot, page._ctx)
    assert page.erase_button.text() == "Erase this person's data…"
    box = page.ask_erase()
    assert box is not None and box is page.erase_question
    assert box.text() == "Erase the personal data of María García (TST-P1)?"
    assert "This cannot be undone." in box.informativeText()
    assert "other desks" in box.informativeText()
    assert box.defaultButton() is _button(box, "Cancel")
    _button(box, "Cancel").click()
    settle(qtbot, page._ctx)
    assert not erasure.is_erased(db, maria)
    assert page.title.text() == "María García (TST-P1)"


def test_erasing_shows_the_record_gone(qtbot, db, page):
    maria = add_person(
        db, "TST-P1", "María García", phone="+16175550134", phone_raw="617-555-0134", address="4 Oak St"
    )
    add_request(db, maria, "TST-0001")
    page.show_person(maria)
    settle(qtbot, page._ctx)
    box = page.ask_erase()
    assert box is not None
    _button(box, "Erase the data").click()
    settle(qtbot, page._ctx)
    assert erasure.is_erased(db, maria)
    assert page.title.text() == "(data erased) (TST-P1)"
    assert page.merged_bar.isVisible()
    assert page.merged_note.text().startswith("This person's data was erased for privacy.")
    assert page.values["address"].text() == "—" and page.values["phones"].text() == "—"
    assert not page.erase_button.isEnabled() and not page.merge_button.isEnabled()
    assert page.ask_erase() is None


def test_erased_elsewhere_shows_when_the_page_is_shown_again(qtbot, db, page):
    maria = add_person(db, "TST-P1", "María García", address="4 Oak St")
    page.show_person(maria)
    settle(qtbot, page._ctx)
    assert page.values["address"].text() == "4 Oak St"
    page.hide()
    page._ctx.operations.write(lambda: erasure.erase_person(db, "Luis", maria))
    settle(qtbot, page._ctx)
    page.show()
    settle(qtbot, page._ctx)
    assert page.title.text() == "(data erased) (TST-P1)"
    assert page.values["address"].text() == "—"
    assert not page.erase_button.isEnabled()


def test_erasing_a_person_already_erased_says_so(qtbot, db, page):
    maria = add_person(db, "TST-P1", "María García")
    page.show_person(maria)
    settle(qtbot, page._ctx)
    box = page.ask_erase()
    assert box is not None
    erasure.erase_person(db, "Luis", maria)  # another coordinator was quicker (no broadcast: another app)
    _button(box, "Erase the data").click()
    settle(qtbot, page._ctx)
    assert page.merged_bar.isVisible()
    assert page.merged_note.text() == "This person's data was already erased."
