"""The date field: what is typed is the date read, in the order of the UI language, shown back in
the language's one date format; it follows a language switch."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.ui.common.date_field import DateField


def make_field(qtbot: QtBot, day: dt.date) -> DateField:
    field = DateField(day)
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field.line)
    return field


def retype(qtbot: QtBot, field: DateField, text: str) -> None:
    QTest.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.line, text)
    QTest.keyClick(field.line, Qt.Key.Key_Return)


def test_typing_over_a_date_gives_the_date_typed(qtbot: QtBot) -> None:
    field = make_field(qtbot, dt.date(2026, 12, 8))
    assert field.line.text() == "Dec 8, 2026"
    with qtbot.waitSignal(field.dateChanged):
        retype(qtbot, field, "11/20/26")
    assert field.value() == dt.date(2026, 11, 20)
    assert field.line.text() == "Nov 20, 2026"  # shown back so the reading can be checked
    QTest.keyClick(field.line, Qt.Key.Key_Up)
    assert field.value() == dt.date(2026, 11, 21)
    retype(qtbot, field, "the 20th")
    assert field.value() is None and field.line.text() == "the 20th"  # kept as typed, and said why
    problem = field.problem("follow_up")
    assert problem is not None and problem.field == "follow_up"


def test_spanish_reads_day_first_and_shows_spanish_dates(qtbot: QtBot, qt_language: None) -> None:
    field = make_field(qtbot, dt.date(2026, 12, 8))
    i18n.set_language("es", "US")
    assert field.line.text() == "8 dic 2026"
    assert field.line.placeholderText() == "por ejemplo 8/12/2026"
    retype(qtbot, field, "5/1/27")
    assert field.value() == dt.date(2027, 1, 5) and field.line.text() == "5 ene 2027"
    i18n.set_language("en", "US")
    assert field.line.text() == "Jan 5, 2027"


def test_tab_and_shift_tab_go_through_a_date_and_out_of_it(qtbot: QtBot) -> None:
    """Keyboard only, in the status dialog: tick "Call back on", Tab to the date, type it, Tab on to
    the buttons, Shift+Tab back. Tab and Shift+Tab never left a date field once in it (every date
    of the app: follow-ups, runs, the audit's days)."""
    from aiddesk.domain.enums import RequestStatus
    from aiddesk.ui.requests.move_dialog import QueueMoveDialog

    def never(*_args: object) -> None:
        raise AssertionError("nothing is moved in this test")

    dialog = QueueMoveDialog(never, RequestStatus.CALL_BACK, ["TST-R1"], today=dt.date(2026, 12, 7))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.follow_up_check.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.follow_up_check)

    def press(key: Qt.Key) -> object:
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, key)
        return QApplication.focusWidget()

    QTest.keyClick(dialog.follow_up_check, Qt.Key.Key_Space)
    assert press(Qt.Key.Key_Tab) is dialog.follow_up_edit.line
    QTest.keyClick(dialog.follow_up_edit.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.follow_up_edit.line, "12/9/26")  # (Enter would move at once)
    assert dialog.follow_up == dt.date(2026, 12, 9)
    assert press(Qt.Key.Key_Tab) in dialog.buttons.buttons()  # the first of Change and Cancel
    assert press(Qt.Key.Key_Backtab) is dialog.follow_up_edit.line
    assert press(Qt.Key.Key_Backtab) is dialog.follow_up_check


def test_a_field_python_has_let_go_of_ignores_what_reaches_it_while_qt_deletes_it(qtbot: QtBot) -> None:
    """Garbage collection clears a field's attributes before Qt deletes it; its line can still
    get an event meanwhile. That must not raise (the window's error hook would report it; a CI
    run of the matching screen met it)."""
    field = make_field(qtbot, dt.date(2026, 12, 8))
    line = field.line
    field.__dict__.clear()  # what the collector does to a field in a cycle, before it is deleted
    QTest.keyClick(line, Qt.Key.Key_Up)  # before the fix: AttributeError in Qt's event loop
    assert line.text() == "Dec 8, 2026"
