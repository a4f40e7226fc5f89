"""A desk with accounts opens on the sign-in; a wrong PIN is refused (and the button waits after a
few); the lock hides every screen, other window, tooltip and the desk's name in the title, keeps
what was typed at the intake, and an unlock by another account shows that account's view."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.access import FREE_FAILURES, Right, Role
from aiddesk.paths import DeskPaths
from aiddesk.services import accounts
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.intake import drafts
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle
from tests.ui.windows import close_window

PASSPHRASE = "sunflower kitchen radio"
PIN = "480713"


@contextmanager
def desk_with_accounts(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    admin = accounts.create_first_account(db, name="Lena", secret=PASSPHRASE)
    accounts.add_account(db, admin, name="Rosa", role=Role.PHONE_VOLUNTEER, secret=PIN, language="en")
    accounts.add_account(db, admin, name="Marta", role=Role.PHONE_VOLUNTEER, secret="271828", language="es")
    desk = desk_service.get_desk(db)
    assert desk is not None
    paths = DeskPaths(db.path.parent, db.path.parent / "logs")
    window = MainWindow(DeskContext(db, paths, desk, "", accounts=True))
    try:
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, window.ctx)
        yield window
    finally:
        close_window(qtbot, window)


def sign_in(qtbot: QtBot, window: MainWindow, name: str, secret: str) -> None:
    lock = window.desk_lock
    assert lock is not None
    settle(qtbot, window.ctx)  # the names are listed
    panel = lock.panel
    panel.name.setCurrentIndex(panel.name.findText(name))
    panel.secret.setText(secret)
    panel.submit()
    settle(qtbot, window.ctx)


def visible_pages(window: MainWindow) -> list[str]:
    return [
        str(window.sidebar.item(r).data(256))
        for r in range(window.sidebar.count())
        if not window.sidebar.item(r).isHidden()
    ]


def test_the_desk_opens_on_the_sign_in_and_a_volunteer_gets_a_volunteers_view(
    qtbot: QtBot, db: Database
) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None and lock.locked
        assert lock.stack.currentWidget() is lock.panel and not window.intake_page.isVisible()
        assert window.windowTitle() == "AidDesk"  # not the desk's name
        assert lock.panel.title.text() == "Who is at the desk?"
        assert [lock.panel.name.itemText(i) for i in range(lock.panel.name.count())] == [
            "Lena",
            "Marta",
            "Rosa",
        ]

        sign_in(qtbot, window, "Rosa", "000001")
        assert lock.locked and "not right" in lock.panel.error.text()

        sign_in(qtbot, window, "Rosa", PIN)
        assert not lock.locked and window.intake_page.isVisible()
        assert window.ctx.who == "Rosa" and window.ctx.who.role is Role.PHONE_VOLUNTEER  # type: ignore[attr-defined]
        assert visible_pages(window) == ["intake", "requests"]
        assert "Rosa" in window.who_status.text()


def test_wrong_pins_make_the_button_wait_without_freezing_the_window(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        for _try in range(FREE_FAILURES):
            sign_in(qtbot, window, "Rosa", "000001")
        assert not lock.panel.button.isEnabled()
        assert lock.panel.button.text().startswith("Try again in 5 seconds")
        assert "wait" in lock.panel.error.text()
        lock.panel.submit()  # pressing Enter meanwhile tries nothing
        settle(qtbot, window.ctx)
        qtbot.waitUntil(lock.panel.button.isEnabled, timeout=8000)
        assert lock.panel.button.text() == "Sign in"


def test_the_lock_hides_everything_keeps_the_draft_and_another_account_sees_its_own_view(
    qtbot: QtBot, db: Database
) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        assert "settings" in visible_pages(window) and "conflicts" in visible_pages(window)
        window.intake_page.caller.name_edit.setText("María José Pérez")
        window.intake_page.caller.name_edit.textEdited.emit("María José Pérez")
        window.show_about()  # another window of the desk
        about = window.about_box
        assert about is not None and about.isVisible()

        lock.lock_action.trigger()  # Ctrl+L
        settle(qtbot, window.ctx)
        assert lock.locked and not window.intake_page.isVisible() and not about.isVisible()
        assert window.windowTitle() == "AidDesk" and not window.statusBar().isVisible()
        assert lock.panel.title.text() == "The desk is locked" and lock.panel.name.currentText() == "Lena"
        qtbot.waitUntil(
            lambda: [d.form.name for d in drafts.list_drafts(db, "anyone")] == ["María José Pérez"]
        )

        sign_in(qtbot, window, "Rosa", PIN)
        assert visible_pages(window) == ["intake", "requests"]
        assert window.current_page_key() in ("intake", "requests")
        assert window.about_box is None  # Lena's window was closed, not shown to Rosa
        assert window.intake_page.caller.name_edit.text() == ""  # Lena's call is not on Rosa's screen
        settle(qtbot, window.ctx)
        assert window.intake_page.question is None  # nor offered to her
        assert [d.form.name for d in drafts.list_drafts(db, window.ctx.who)] == []
        assert [(d.who, d.form.name) for d in drafts.list_drafts(db, "anyone")] == [
            ("Lena", "María José Pérez")
        ]

        window.desk_lock.lock_now()
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        settle(qtbot, window.ctx)
        qtbot.waitUntil(lambda: window.intake_page.question is not None)  # Lena is offered hers back
        window.intake_page.question_buttons["restore"].click()
        assert window.intake_page.caller.name_edit.text() == "María José Pérez"


def test_the_desk_locks_itself_after_the_idle_minutes(qtbot: QtBot, db: Database, monkeypatch) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Rosa", PIN)
        assert lock.idle_minutes == accounts.IDLE_MINUTES_DEFAULT == 5
        lock._check_idle()
        assert not lock.locked
        monkeypatch.setattr(lock, "idle_seconds", lambda: 5 * 60.0)
        lock._check_idle()
        assert lock.locked and lock.panel.name.currentText() == "Rosa"


def test_a_desk_without_accounts_has_no_lock_and_changes_who_by_name(qtbot: QtBot, db: Database) -> None:
    from tests.ui.windows import desk_window

    with desk_window(qtbot, db, "Ana") as window:
        lock = window.desk_lock
        assert lock is not None and not lock.locked and not lock.lock_action.isVisible()
        lock.lock_action.trigger()
        assert not lock.locked
        assert "settings" in visible_pages(window)
        lock.switch_action.trigger()
        settle(qtbot, window.ctx)
        dialog = lock.shift_dialog
        assert dialog is not None
        dialog.name.setEditText("Bea")
        dialog.accept()
        settle(qtbot, window.ctx)
        assert window.ctx.who == "Bea" and "Bea" in window.who_status.text()
        assert desk_service.recent_users(db)[0] == "Bea"


def test_the_administrator_adds_a_volunteer_who_then_signs_in(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        window.show_page("settings")
        panel = window.settings_page.accounts_box
        settle(qtbot, window.ctx)
        assert panel.table.rowCount() == 3
        panel.name.setText("Juan")
        panel.role.setCurrentIndex(list(Role).index(Role.PHONE_VOLUNTEER))
        panel.secret.setText("123")
        panel.add_button.click()
        settle(qtbot, window.ctx)
        assert "6 digits" in panel.error.text() and panel.table.rowCount() == 3

        panel.name.setText("Juan")
        panel.secret.setText("705819")
        panel.add_button.click()
        settle(qtbot, window.ctx)
        assert panel.table.rowCount() == 4 and panel.error.isHidden()
        panel.idle.setValue(2)
        panel.idle_button.click()
        settle(qtbot, window.ctx)
        assert window.desk_lock is not None and window.desk_lock.idle_minutes == 2

        window.desk_lock.lock(forget=True)
        settle(qtbot, window.ctx)
        sign_in(qtbot, window, "Juan", "705819")
        assert window.ctx.who == "Juan" and visible_pages(window) == ["intake", "requests"]


def test_a_volunteer_sees_no_safety_notes_and_no_merge_or_erase(qtbot: QtBot, db: Database) -> None:
    from record_makers import add_person, add_request

    secret = "Ex-partner must not learn the address"
    maria = add_person(db, "TST-P1", "María García", address="4 Oak St", safety_notes=secret)
    request = add_request(db, maria, "TST-R1")
    with desk_with_accounts(qtbot, db) as window:
        sign_in(qtbot, window, "Rosa", PIN)
        window.show_page("requests")
        window.requests_page._show_request(request)
        settle(qtbot, window.ctx)
        detail = window.requests_page.detail
        assert detail.person_values["address"].text() == "4 Oak St"
        assert not detail.person_values["safety_notes"].isVisible()
        assert secret not in detail.person_values["safety_notes"].text()

        window.show_person(maria)
        settle(qtbot, window.ctx)
        page = window.person_page
        assert page.isVisible() and not page.values["safety_notes"].isVisible()
        assert not page.erase_button.isVisible() and not page.merge_button.isVisible()

        lock = window.desk_lock
        assert lock is not None
        lock.lock(forget=True)
        sign_in(qtbot, window, "Lena", PASSPHRASE)  # a coordinator's view shows them
        assert window.current_page_key() == "overview"  # a coordinator's first screen, not the person's page
        window.show_page("requests")
        window.requests_page._show_request(request)
        settle(qtbot, window.ctx)
        assert detail.person_values["safety_notes"].isVisible()
        assert detail.person_values["safety_notes"].text() == secret


def test_each_account_works_in_its_own_language(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Marta", "271828")
        assert i18n.current_language() == "es"
        shown = [window.sidebar.item(row) for row in range(window.sidebar.count())]
        assert [item.text() for item in shown if not item.isHidden()][0] == "Llamadas"
        lock.lock()
        assert lock.panel.title.text() == "El puesto está bloqueado"
        lock.lock(forget=True)
        sign_in(qtbot, window, "Rosa", PIN)
        shown = [window.sidebar.item(row) for row in range(window.sidebar.count())]
        assert i18n.current_language() == "en"
        assert [item.text() for item in shown if not item.isHidden()][0] == "Intake"


def test_a_desk_without_accounts_gets_the_lock_once_its_first_account_is_made(
    qtbot: QtBot, db: Database
) -> None:
    from tests.ui.windows import desk_window

    with desk_window(qtbot, db, "Ana") as window:
        lock = window.desk_lock
        assert lock is not None and not window.ctx.accounts
        window.show_page("settings")
        panel = window.settings_page.accounts_box
        panel.name.setText("Lena")
        panel.role.setCurrentIndex(list(Role).index(Role.ADMINISTRATOR))
        panel.secret.setText(PASSPHRASE)
        panel.add_button.click()
        settle(qtbot, window.ctx)
        settle(qtbot, window.ctx)
        assert window.ctx.accounts and lock.lock_action.isVisible()
        lock.lock_action.trigger()
        assert lock.locked and not window.settings_page.isVisible()
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        assert not lock.locked and window.ctx.who.role is Role.ADMINISTRATOR  # type: ignore[attr-defined]


def test_no_tooltip_shows_while_the_desk_is_locked(qtbot: QtBot, db: Database) -> None:
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    def hover(widget) -> bool:  # type: ignore[no-untyped-def]
        point = QPoint(2, 2)
        event = QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point))
        QApplication.sendEvent(widget, event)
        return QToolTip.isVisible() and QToolTip.text() == widget.toolTip()

    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        window.sidebar.setToolTip("María José Pérez, 4 Oak St")
        assert hover(window.sidebar)  # shown while signed in
        lock.lock()
        assert not QToolTip.isVisible()
        lock.panel.button.setToolTip("María José Pérez, 4 Oak St")
        assert not hover(lock.panel.button)


def test_end_shift_forgets_the_account_and_asks_who_comes_next(qtbot: QtBot, db: Database) -> None:
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Rosa", PIN)
        lock.end_action.trigger()
        settle(qtbot, window.ctx)
        assert lock.locked and lock.panel.title.text() == "Who is at the desk?"
        assert lock.panel.name.currentText() == "" and window.ctx.who == ""
        assert not window.ctx.may(Right.SAFETY_NOTES)  # nobody at the desk: the least rights
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        assert window.ctx.who == "Lena" and "settings" in visible_pages(window)
