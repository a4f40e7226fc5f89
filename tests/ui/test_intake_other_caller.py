"""A returning caller's name AND phone typed over at the intake: most likely another caller, whose
call would overwrite the known person's record. Saving asks first (nothing saved meanwhile):
another caller leaves the known person (their address and notes go, the name and phone typed
stay) and is saved as new; the same person has their name and phone changed; a name corrected
alone is saved without a question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aiddesk.services.desk.records import dump
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person
from aiddesk.ui.intake.page import IntakePage
from tests.ui.test_intake import CTRL, RIDES, answer, done, make_page, maria, press, rows

__all__ = ["maria"]  # the fixture


def retype_maria(qtbot: QtBot, page: IntakePage, name: str, phone: str) -> None:
    """María picked from the list, then her name and phone typed over."""
    qtbot.keyClicks(page.caller.phone_edit, "617.555.0134")
    done(qtbot, page)
    press(Qt.Key.Key_Return, CTRL)  # the call is hers
    done(qtbot, page)
    assert page.caller.lines["address"].text() == "12 Elm St, Apt 3"
    page.caller.name_edit.setText(name)
    page.caller.phone_edit.setText(phone)
    page.needs_editor.row_widgets[0].category_box.set_value(RIDES)
    press(Qt.Key.Key_S, CTRL)
    done(qtbot, page)


def maria_now(db: Database, maria_id: str) -> tuple[str, str, str]:
    [person] = [p for p in rows(db, Person) if p.id == maria_id]
    return person.name, person.phone, person.address


def test_another_caller_is_asked_about_and_saved_as_new(qtbot: QtBot, db: Database, maria: str) -> None:
    page = make_page(qtbot, db)
    before = dump(db)
    retype_maria(qtbot, page, "Rosa Quintero", "617 555 0199")
    box = page.question
    assert box is not None and set(page.question_buttons) == {"new", "change", "back"}
    assert "María José Hernández (TST-P0001)" in box.text() and "both the name and the phone" in box.text()
    assert dump(db) == before  # nothing saved while asking

    answer(qtbot, page, "new")
    assert page.read_form().person_id is None
    assert (page.caller.name_edit.text(), page.caller.phone_edit.text()) == ("Rosa Quintero", "617 555 0199")
    assert page.caller.lines["address"].text() == ""  # María's address is not Rosa's
    assert page.caller.lines["delivery_notes"].text() == ""
    assert page.notice.text() == "Check their details, then save again."
    press(Qt.Key.Key_S, CTRL)
    done(qtbot, page)
    assert page.question is None
    assert maria_now(db, maria) == ("María José Hernández", "+16175550134", "12 Elm St, Apt 3")
    [rosa] = [p for p in rows(db, Person) if p.id != maria]
    assert (rosa.name, rosa.phone, rosa.address, rosa.delivery_notes) == (
        "Rosa Quintero",
        "+16175550199",
        "",
        "",
    )
    assert [c.person_id for c in rows(db, Call)] == [maria, rosa.id]


def test_the_same_person_with_a_new_name_and_number_is_changed_when_said_so(
    qtbot: QtBot, db: Database, maria: str
) -> None:
    page = make_page(qtbot, db)
    retype_maria(qtbot, page, "María José Ortiz", "617 555 0199")
    assert page.question is not None
    answer(qtbot, page, "change")
    assert page.question is None
    assert maria_now(db, maria) == ("María José Ortiz", "+16175550199", "12 Elm St, Apt 3")
    assert [p.id for p in rows(db, Person)] == [maria]


def test_going_back_saves_nothing_and_a_name_corrected_alone_asks_nothing(
    qtbot: QtBot, db: Database, maria: str
) -> None:
    page = make_page(qtbot, db)
    before = dump(db)
    retype_maria(qtbot, page, "Rosa Quintero", "617 555 0199")
    answer(qtbot, page, "back")
    assert dump(db) == before and page.read_form().person_id == maria

    page.caller.phone_edit.setText("(617) 555-0134")  # her number after all: a spelling fixed
    page.caller.name_edit.setText("Maria Jose Hernandez Ruiz")
    press(Qt.Key.Key_S, CTRL)
    done(qtbot, page)
    assert page.question is None
    assert maria_now(db, maria)[0] == "Maria Jose Hernandez Ruiz"
