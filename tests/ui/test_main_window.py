"""The main window: the screens that exist, switching between them, status bar and menus."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from aiddesk import __version__
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.page import RequestsPage
from aiddesk.ui.settings.page import SettingsPage
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle
from tests.ui.windows import close_window, desk_window


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    with desk_window(qtbot, db, "Rosa Martínez") as window:
        yield window


def sidebar_entries(window: MainWindow) -> list[str]:
    return [window.sidebar.item(row).text() for row in range(window.sidebar.count())]


def test_lists_exactly_the_screens_that_exist(qtbot: QtBot, window: MainWindow) -> None:
    assert sidebar_entries(window) == [
        "Overview",
        "Intake",
        "Requests",
        "Matching",
        "Deliveries",
        "Volunteers",
        "Exchange",
        "Conflicts",
        "Audit trail",
        "Settings",
    ]
    assert list(window.pages) == [
        "overview",
        "intake",
        "requests",
        "matching",
        "deliveries",
        "volunteers",
        "exchange",
        "conflicts",
        "audit",
        "settings",
    ]
    assert window.stack.count() == 11  # and the person page, reached from the queue
    assert isinstance(window.requests_page, RequestsPage)
    assert isinstance(window.settings_page, SettingsPage)
    assert window.windowTitle() == "AidDesk — Test Desk"
    assert 1100 <= window.width() <= 1300 and 700 <= window.height() <= 800


def test_switching_pages(qtbot: QtBot, window: MainWindow) -> None:
    settle(qtbot, window.ctx)
    assert window.stack.currentWidget() is window.intake_page  # a desk without requests: the phone desk first
    assert window.current_page_key() == "intake"
    settings_item = window.sidebar.item(9)
    rect = window.sidebar.visualItemRect(settings_item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.settings_page
    assert window.current_page_key() == "settings"
    window.show_page("requests")
    assert window.stack.currentWidget() is window.requests_page
    assert window.sidebar.currentRow() == 2


def test_status_bar_shows_desk_who_and_data_folder(db: Database, window: MainWindow) -> None:
    texts = [window.desk_status.text(), window.who_status.text(), window.data_status.full_text()]
    assert texts == [
        "Desk: Test Desk (TST)",
        "At the desk: Rosa Martínez",
        f"Data: {db.path.parent}",
    ]
    assert all(label.isVisible() for label in (window.desk_status, window.who_status, window.data_status))


def test_saved_desk_name_shows_in_title_and_status_bar(qtbot: QtBot, window: MainWindow) -> None:
    page = window.settings_page
    page.name_edit.clear()
    qtbot.keyClicks(page.name_edit, "Eastside Center")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    assert window.windowTitle() == "AidDesk — Eastside Center"
    assert window.desk_status.text() == "Desk: Eastside Center (TST)"


def test_menus_quit_and_about(qtbot: QtBot, window: MainWindow) -> None:
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Help"]
    shown = [a.text() for a in window.file_menu.actions() if a.isVisible()]
    assert shown == ["&Change who is at the desk…", "&End shift", "", "&Quit"]  # no lock without accounts
    assert [a.text() for a in window.help_menu.actions() if not a.isSeparator()] == [
        "&Guide to this screen",
        "Phone-desk &cheat sheet…",
        "&About AidDesk",
    ]

    window.about_action.trigger()
    box = window.about_box
    assert isinstance(box, QMessageBox)
    qtbot.waitExposed(box)
    assert box.windowTitle() == "About AidDesk"
    assert f"AidDesk {__version__}" in box.text()
    box.button(QMessageBox.StandardButton.Close).click()
    assert window.about_box is None

    window.quit_action.trigger()
    assert not window.isVisible()


def test_ctrl_q_closes_the_window_as_the_cheat_sheet_says(qtbot: QtBot, window: MainWindow) -> None:
    """The cheat sheet and the guides say "Ctrl+Q: Close AidDesk"; the menu shows it and the key
    works where the platform has no standard Quit key (Windows, and the offscreen platform here)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_the_screens_arrive_after_the_window_without_a_qt_warning(qtbot: QtBot, db: Database, qtlog) -> None:  # type: ignore[no-untyped-def]
    """The fast start: the frame shows with no database, then the screens are attached."""
    desk = desk_service.get_desk(db)
    assert desk is not None
    window = MainWindow(DeskContext(None, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa"))
    try:
        window.show()
        qtbot.waitExposed(window)
        assert window.stack.currentWidget() is window.opening
        window.attach_database(db)
        assert window.stack.currentWidget() is window.intake_page
        settle(qtbot, window.ctx)
        assert [r.message for r in qtlog.records if "QStackedWidget" in r.message] == []
    finally:
        close_window(qtbot, window)


def test_the_queue_follows_every_change_to_requests_from_any_screen_or_the_exchange(
    qtbot: QtBot, db: Database, tmp_path, migrated_template
) -> None:
    """Nothing wires the Requests screen to the others: it lists a call saved at Intake and a
    request that arrived in another desk's workbook through the exchange timer at once, and a
    status move made while it was hidden when it is shown again, with no refresh asked."""
    from aiddesk.domain.enums import RequestStatus
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.services.desk import labels
    from aiddesk.services.exchange import folder as exchange_folder
    from aiddesk.services.intake.calls import save_call
    from aiddesk.services.requests.queue import move_requests
    from tests.exchange_desks import new_desk

    groceries = labels.list_labels(db, "need_category")[0].id
    shared = tmp_path / "shared"
    shared.mkdir()
    exchange_folder.save_folder_settings(db, str(shared), "group-secret-1")
    with desk_window(qtbot, db) as window:
        window.exchange_timer.timer.stop()
        window.show_page("requests")
        queue = window.requests_page
        settle(qtbot, window.ctx)
        assert queue.model.total == 0

        window.intake_page.show_form(
            IntakeForm(
                phone="617 555 0101", name="Ana Ruiz", consent=True, needs=[NeedRow(category_id=groceries)]
            )
        )
        window.intake_page.save()  # from the Intake screen, through the runner
        settle(qtbot, window.ctx)
        assert [queue.model.row_at(r).person_name for r in range(queue.model.rowCount())] == ["Ana Ruiz"]
        assert queue.model.row_at(0).status == "new"

        other = new_desk(tmp_path / "other", migrated_template, "CC2")
        try:
            save_call(
                other,
                "Luis",
                IntakeForm(
                    phone="617 555 0202",
                    name="Berta Gil",
                    consent=True,
                    needs=[NeedRow(category_id=groceries)],
                ),
                region="US",
            )
            exchange_folder.save_folder_settings(other, str(shared), "group-secret-1")
            exchange_folder.run_pass(other, "Luis")  # the other desk leaves its workbook
        finally:
            other.close()
        with qtbot.waitSignal(window.exchange_timer.pass_finished, timeout=30_000):
            window.exchange_timer.run_now()  # the timer's pass merges it
        settle(qtbot, window.ctx)
        names = sorted(queue.model.row_at(r).person_name for r in range(queue.model.rowCount()))
        assert names == ["Ana Ruiz", "Berta Gil"]

        window.show_page("deliveries")  # the queue is hidden now: it reads again when shown
        request = queue.model.row_at(0).id
        window.ctx.operations.write(
            lambda: move_requests(db, "Rosa", [request], RequestStatus.READY, "", None)
        )
        settle(qtbot, window.ctx)
        assert queue.model.row_at(0).status == "new"  # hidden: not read yet
        window.show_page("requests")
        settle(qtbot, window.ctx)
        statuses = {
            queue.model.row_at(r).id: queue.model.row_at(r).status for r in range(queue.model.rowCount())
        }
        assert statuses[request] == "ready"
