"""A whole call typed with the keyboard only, in the real window (the Intake screen comes first),
in English and in Spanish (the real catalog): saved, found in the database and in the Requests
screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain import defaults
from aiddesk.domain.intake import NeedRow
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person, Request
from aiddesk.ui.intake.page import IntakePage
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle
from tests.ui.windows import desk_window

GROCERIES = defaults.NEED_CATEGORIES[0].id_for("need_category")
RIDES = defaults.NEED_CATEGORIES[2].id_for("need_category")
NORTH = defaults.ZONES[0].id_for("zone")
NO = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    with desk_window(qtbot, db, "Ana") as window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.intake_page.caller.phone_edit)
        yield window


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key(k: Qt.Key, modifiers: Qt.KeyboardModifier = NO) -> None:
    QTest.keyClick(focus(), k, modifiers)


def type_text(text: str) -> None:
    for ch in text:  # qtbot.keyClicks aborts the process on non-ASCII text
        QTest.sendKeyEvent(QTest.KeyAction.Click, focus(), Qt.Key.Key_unknown, ch, NO)


def tab_to(widget: QWidget, limit: int = 30) -> None:
    for _step in range(limit):
        if focus() is widget:
            return
        key(Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r}")


def rows(db: Database, model: type) -> list:
    with db.session() as session:
        return list(session.scalars(select(model)))


def test_tab_and_enter_follow_the_form(window: MainWindow) -> None:
    page = window.intake_page
    expected = page._inputs()
    visited = [focus()]
    for _widget in expected[1:]:
        key(Qt.Key.Key_Tab)
        visited.append(focus())
    assert visited == expected
    for widget in expected[:4]:  # Enter moves on like Tab (phone, name, language, interpreter)
        widget.setFocus()
        key(Qt.Key.Key_Return)
        assert focus() is expected[expected.index(widget) + 1]
    page.call_box.notes_edit.setFocus()
    key(Qt.Key.Key_Return)  # a new line in the notes, not the next field
    assert focus() is page.call_box.notes_edit and page.call_box.notes_edit.toPlainText() == "\n"
    for widget in expected:  # screen readers name every field (a button by its text)
        assert widget.accessibleName() or (isinstance(widget, QPushButton) and widget.text()), widget
    expected[0].setFocus()  # Shift+Tab from the phone: the screens' list, no unseen stop between
    key(Qt.Key.Key_Backtab)
    assert focus() is window.sidebar
    key(Qt.Key.Key_Tab)
    assert focus() is expected[0]


def test_needs_are_added_and_removed_from_the_keyboard(window: MainWindow) -> None:
    page = window.intake_page
    editor = page.needs_editor
    editor.row_widgets[0].category_box.setFocus()
    type_text("G")
    key(Qt.Key.Key_N, CTRL_SHIFT)
    key(Qt.Key.Key_N, CTRL_SHIFT)
    assert len(editor.row_widgets) == 3 and focus() is editor.row_widgets[2].category_box
    type_text("R")
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Delete, CTRL_SHIFT)  # removes the row with the focus; the focus goes to the row above
    assert [n.category_id for n in page.read_form().needs] == [GROCERIES, None]
    assert focus() is editor.row_widgets[1].category_box
    key(Qt.Key.Key_Delete, CTRL_SHIFT)
    key(Qt.Key.Key_Delete, CTRL_SHIFT)  # the last row is emptied, never removed
    assert len(editor.row_widgets) == 1 and page.read_form().needs == [NeedRow()]
    assert focus() is editor.row_widgets[0].category_box


def type_a_call(page: IntakePage, *, language: str, need_keys: tuple[str, str]) -> None:
    """Maria's call with two needs, keyboard only (keys are what a volunteer would press)."""
    assert focus() is page.caller.phone_edit
    type_text("(617) 555-0134")
    key(Qt.Key.Key_Return)
    assert focus() is page.caller.name_edit
    type_text("María José Hernández")
    key(Qt.Key.Key_Return)
    assert focus() is page.caller.language_box
    type_text(language)
    key(Qt.Key.Key_Return)
    key(Qt.Key.Key_Space)  # needs an interpreter: no, yes, no — a checkbox toggles with Space
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Return)
    assert focus() is page.caller.lines["address"]
    type_text("12 Elm St, Apt 3")
    key(Qt.Key.Key_Return)
    type_text("N")  # the zone, by its first letter
    key(Qt.Key.Key_Return)
    type_text("4")  # household size
    tab_to(page.consent_box.consent_check)
    key(Qt.Key.Key_Space)
    key(Qt.Key.Key_Tab)
    first = page.needs_editor.row_widgets[0]
    assert focus() is first.category_box
    type_text(need_keys[0])
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Up)  # urgency: one step more urgent than "this week"
    key(Qt.Key.Key_Up)
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Down)  # recurring: weekly
    key(Qt.Key.Key_Tab)
    type_text("arroz, frijoles, leche")
    key(Qt.Key.Key_N, CTRL_SHIFT)  # another need
    second = page.needs_editor.row_widgets[1]
    assert focus() is second.category_box
    type_text(need_keys[1])
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Tab)
    type_text("a la clínica el viernes")


def check_saved(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    page = window.intake_page
    assert focus() is page.caller.phone_edit  # ready for the next call
    assert page.read_form().is_blank()
    [person] = rows(db, Person)
    assert (person.name, person.phone, person.phone_raw, person.language) == (
        "María José Hernández",
        "+16175550134",
        "(617) 555-0134",
        "es",
    )
    assert (person.address, person.zone_id, person.household_size, person.needs_interpreter) == (
        "12 Elm St, Apt 3",
        NORTH,
        4,
        False,
    )
    assert (person.consent, person.consent_version) == (True, "aiddesk-1")
    [call] = rows(db, Call)
    assert (call.person_id, call.taken_by, call.consent_version) == (person.id, "Ana", "aiddesk-1")
    requests = sorted(rows(db, Request), key=lambda r: r.code)
    assert [(r.category_id, r.urgency, r.recurring, r.details, r.status) for r in requests] == [
        (GROCERIES, "within_24h", "weekly", "arroz, frijoles, leche", "new"),
        (RIDES, "this_week", "once", "a la clínica el viernes", "new"),
    ]
    model = window.requests_page.model  # the Requests screen read again once the call was saved
    window.show_page("requests")
    settle(qtbot, window.ctx)
    assert model.rowCount() == 2
    listed = [model.row_at(row) for row in range(model.rowCount())]
    assert sorted((r.code, r.person_name) for r in listed) == [
        ("TST-R0001", "María José Hernández"),
        ("TST-R0002", "María José Hernández"),
    ]


def test_a_call_typed_with_the_keyboard_only(qtbot: QtBot, db: Database, window: MainWindow) -> None:
    assert window.current_page_key() == "intake"
    page = window.intake_page
    type_a_call(page, language="Spanish", need_keys=("G", "R"))
    key(Qt.Key.Key_S, CTRL)
    settle(qtbot, window.ctx)
    assert page.saved_label.text() == "Saved call TST-C0001 with 2 requests: TST-R0001, TST-R0002."
    check_saved(qtbot, db, window)


def test_the_same_call_with_the_screen_in_spanish(
    qtbot: QtBot, qt_language: None, db: Database, window: MainWindow
) -> None:
    i18n.set_language("es", "US")
    page = window.intake_page
    assert window.sidebar.item(1).text() == "Llamadas"
    assert page.call_box.outcome_box.currentText() == "Pedido nuevo"

    key(Qt.Key.Key_S, CTRL)  # nothing typed yet
    settle(qtbot, window.ctx)
    assert page.caller.errors["phone"].text() == "Escriba el teléfono o el nombre de la persona que llama."
    assert focus() is page.caller.phone_edit

    type_a_call(page, language="español", need_keys=("M", "A"))  # Mandado / despensa, Aventón / transporte
    assert page.needs_editor.row_widgets[0].category_box.currentText() == "Mandado / despensa"
    assert not page.caller.errors["phone"].isVisible()
    key(Qt.Key.Key_S, CTRL)
    settle(qtbot, window.ctx)
    assert page.saved_label.text() == "Se guardó la llamada TST-C0001 con 2 pedidos: TST-R0001, TST-R0002."
    check_saved(qtbot, db, window)
