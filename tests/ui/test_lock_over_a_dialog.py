"""The idle lock over a dialog that waits for an answer (the export's choices, a file dialog):
the lock ends the dialog as cancelled, and signing in again brings the desk back without an
error, the same account or another."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from aiddesk.store.database import Database
from tests.ui.settle import settle
from tests.ui.test_sign_in_and_lock import PASSPHRASE, PIN, desk_with_accounts, sign_in


def _dialogs_shown() -> list[str]:
    return [
        type(w).__name__ for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]


def test_signing_in_after_the_idle_lock_ended_a_waiting_dialog(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        flows = window.exchange_page.flows
        shown_at_lock: list[list[str]] = []

        def idle_lock() -> None:
            shown_at_lock.append(_dialogs_shown())
            lock._last_input -= lock.idle_minutes * 60  # nobody touched the desk for the idle minutes
            lock._check_idle()

        QTimer.singleShot(200, idle_lock)
        flows._export_with("")  # the export's choices wait for an answer, then the lock comes
        assert shown_at_lock == [["ExportDialog"]] and lock.locked
        settle(qtbot, window.ctx)

        sign_in(qtbot, window, "Lena", PASSPHRASE)  # raised "Internal C++ object already deleted"
        assert not lock.locked and window.lock_stack.currentWidget() is lock.content
        assert _dialogs_shown() == []  # the export was cancelled by the lock: not back as a dead box
        assert window.statusBar().isVisible()

        QTimer.singleShot(200, idle_lock)
        flows.merge_workbook()  # the file dialog waits, then the lock comes
        assert shown_at_lock[-1] == ["QFileDialog"] and lock.locked
        sign_in(qtbot, window, "Rosa", PIN)  # another account: what Lena had open is closed
        assert not lock.locked and window.ctx.who == "Rosa" and _dialogs_shown() == []


def test_a_dialog_that_comes_while_the_desk_is_locked_waits_behind_the_lock(
    qtbot: QtBot, db: Database, tmp_path
) -> None:
    from aiddesk.services.exchange.export import ExportOptions, export_workbook

    book = tmp_path / "other-desk.xlsx"
    export_workbook(db, book, ExportOptions())
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        shown_while_locked: list[list[str]] = []

        def look() -> None:
            shown_while_locked.append(_dialogs_shown())
            modal = QApplication.activeModalWidget()
            if modal is not None:
                modal.reject()

        window.exchange_page.flows._dry_run(book)  # the workbook is read on a worker thread...
        lock.lock_now()  # ...while the desk locks: its report must not open over the lock
        QTimer.singleShot(1500, look)
        qtbot.waitUntil(lambda: bool(shown_while_locked), timeout=10_000)
        settle(qtbot, window.ctx)
        assert shown_while_locked == [[]]  # nobody at the locked desk can press "Merge"
        assert lock.locked

        sign_in(qtbot, window, "Lena", PASSPHRASE)
        assert not lock.locked and _dialogs_shown() == []  # the report waited for an answer: cancelled
        assert window.exchange_page.result.text() == "Nothing was merged."


def test_the_alarm_of_a_damaged_database_shows_over_the_lock(qtbot: QtBot, db: Database) -> None:
    from aiddesk.services import backups
    from aiddesk.ui.backups.damaged_dialog import DamagedDatabaseDialog

    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None and lock.locked  # the desk opens on the sign-in
        # the whole check in the background found damage meanwhile (app.py: keep_backups)
        dialog = DamagedDatabaseDialog(db.path, backups.examine(db.path), window)
        dialog.show()
        qtbot.wait(50)
        assert dialog.isVisible() and lock.locked
        dialog.reject()
        dialog.deleteLater()
