"""Who is at the desk: recent names are offered, any name (accents too) can be typed and is recorded,
and an empty name is refused with a message."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QWidget

from aiddesk import i18n
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.ui.shell.shift_dialog import ShiftDialog


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard would; qtbot.keyClicks aborts the process on non-ASCII text."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def open_dialog(qtbot, db: Database) -> ShiftDialog:  # type: ignore[no-untyped-def]
    desk = desk_service.get_desk(db)
    assert desk is not None
    dialog = ShiftDialog(desk_service.recent_users(db), desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click_start(qtbot, dialog: ShiftDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)


def test_recent_names_are_offered_newest_first_and_none_is_filled_in(qtbot, db: Database) -> None:
    for name in ("Ann", "Bob"):
        desk_service.start_shift(db, name)
    dialog = open_dialog(qtbot, db)
    assert [dialog.name.itemText(i) for i in range(dialog.name.count())] == ["Bob", "Ann"]
    assert dialog.name.currentText() == ""  # the last volunteer's name is not put on the next one's work
    assert "TST" in dialog.desk_line.text()


def test_typing_a_name_with_accents_gives_it(qtbot, db: Database) -> None:
    desk_service.start_shift(db, "Ann")
    dialog = open_dialog(qtbot, db)
    type_text(dialog.name.lineEdit(), "María José")
    assert dialog.name.currentText() == "María José"
    click_start(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.who == "María José"


def test_picking_a_recent_name_gives_it(qtbot, db: Database) -> None:
    for name in ("Ann", "Bob"):
        desk_service.start_shift(db, name)
    dialog = open_dialog(qtbot, db)
    dialog.name.setCurrentIndex(dialog.name.findText("Ann"))
    click_start(qtbot, dialog)
    assert dialog.who == "Ann"


def test_an_empty_name_is_refused_with_a_message(qtbot, db: Database) -> None:
    desk_service.start_shift(db, "Ann")
    dialog = open_dialog(qtbot, db)
    type_text(dialog.name.lineEdit(), "   ")
    click_start(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.who is None
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "Please pick your name or type it."

    type_text(dialog.name.lineEdit(), "Zoë")
    click_start(qtbot, dialog)
    assert dialog.who == "Zoë"
    assert not dialog.name_error.isVisible()


def test_a_name_with_control_characters_is_refused(qtbot, db: Database) -> None:
    dialog = open_dialog(qtbot, db)
    dialog.name.setEditText("Ann\x07")
    click_start(qtbot, dialog)
    assert dialog.who is None
    assert dialog.name_error.text() == "This text contains invisible control characters; please retype it."


def test_a_long_message_is_shown_whole_in_spanish_too(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("es", "US")  # the longer language
    dialog = open_dialog(qtbot, db)
    dialog.name.setEditText("Ann\x07")
    click_start(qtbot, dialog)
    error = dialog.name_error
    qtbot.waitUntil(lambda: error.isVisible())
    QTest.qWait(50)  # the layout settles
    assert error.wordWrap() and error.text().startswith("Este texto")
    assert error.height() >= error.heightForWidth(error.width())  # every line of it fits
    assert error.geometry().right() <= dialog.contentsRect().right()
    assert error.geometry().bottom() <= dialog.buttons.geometry().top()
