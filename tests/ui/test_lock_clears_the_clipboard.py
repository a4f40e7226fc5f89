"""A caller's phone copied at the desk is not left on the clipboard when the desk locks: whoever
comes to the locked desk cannot paste it into another program. What was copied while AidDesk did
not have the focus (in another program) is left alone."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from aiddesk.store.database import Database
from tests.ui.test_sign_in_and_lock import PASSPHRASE, desk_with_accounts, sign_in


def test_what_was_copied_at_the_desk_is_gone_when_it_locks(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        field = QLineEdit("617 555 0134", window)  # as the intake's phone field: select all, copy
        field.selectAll()
        field.copy()
        assert QApplication.clipboard().text() == "617 555 0134"

        lock.lock_now()

        assert lock.locked
        assert QApplication.clipboard().text() == ""


def test_what_another_program_copied_stays(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        QApplication.clipboard().setText("a recipe from the browser")
        lock.clipboard._ours = False  # it came while another program had the focus
        lock.lock_now()
        assert lock.locked
        assert QApplication.clipboard().text() == "a recipe from the browser"
