"""The main window: the screens that exist, switching between them, status bar and menus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from aiddesk import __version__
from aiddesk.paths import DeskPaths
from aiddesk.services import desk as desk_service
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.page import RequestsPage
from aiddesk.ui.settings.page import SettingsPage
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle


def make_window(qtbot: QtBot, db: Database, who: str = "Rosa Martínez") -> MainWindow:
    desk = desk_service.get_desk(db)
    assert desk is not None
    window = MainWindow(DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, who))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def sidebar_entries(window: MainWindow) -> list[str]:
    return [window.sidebar.item(row).text() for row in range(window.sidebar.count())]


def test_lists_exactly_the_screens_that_exist(qtbot: QtBot, db: Database) -> None:
    window = make_window(qtbot, db)
    assert sidebar_entries(window) == [
        "Intake",
        "Requests",
        "Matching",
        "Deliveries",
        "Volunteers",
        "Exchange",
        "Conflicts",
        "Settings",
    ]
    assert list(window.pages) == [
        "intake",
        "requests",
        "matching",
        "deliveries",
        "volunteers",
        "exchange",
        "conflicts",
        "settings",
    ]
    assert window.stack.count() == 9  # and the person page, reached from the queue
    assert isinstance(window.requests_page, RequestsPage)
    assert isinstance(window.settings_page, SettingsPage)
    assert window.windowTitle() == "AidDesk — Test Desk"
    assert 1100 <= window.width() <= 1300 and 700 <= window.height() <= 800


def test_switching_pages(qtbot: QtBot, db: Database) -> None:
    window = make_window(qtbot, db)
    assert window.stack.currentWidget() is window.intake_page  # the phone desk is open first
    assert window.current_page_key() == "intake"
    settings_item = window.sidebar.item(7)
    rect = window.sidebar.visualItemRect(settings_item)
    qtbot.mouseClick(window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.stack.currentWidget() is window.settings_page
    assert window.current_page_key() == "settings"
    window.show_page("requests")
    assert window.stack.currentWidget() is window.requests_page
    assert window.sidebar.currentRow() == 1


def test_status_bar_shows_desk_who_and_data_folder(qtbot: QtBot, db: Database) -> None:
    window = make_window(qtbot, db, who="Rosa Martínez")
    texts = [window.desk_status.text(), window.who_status.text(), window.data_status.full_text()]
    assert texts == [
        "Desk: Test Desk (TST)",
        "At the desk: Rosa Martínez",
        f"Data: {db.path.parent}",
    ]
    assert all(label.isVisible() for label in (window.desk_status, window.who_status, window.data_status))


def test_saved_desk_name_shows_in_title_and_status_bar(qtbot: QtBot, db: Database) -> None:
    window = make_window(qtbot, db)
    page = window.settings_page
    page.name_edit.clear()
    qtbot.keyClicks(page.name_edit, "Eastside Center")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    assert window.windowTitle() == "AidDesk — Eastside Center"
    assert window.desk_status.text() == "Desk: Eastside Center (TST)"


def test_menus_quit_and_about(qtbot: QtBot, db: Database) -> None:
    window = make_window(qtbot, db)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Help"]
    assert [a.text() for a in window.file_menu.actions()] == ["&Quit"]
    assert [a.text() for a in window.help_menu.actions()] == ["&About AidDesk"]

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


def test_the_screens_arrive_after_the_window_without_a_qt_warning(qtbot: QtBot, db: Database, qtlog) -> None:  # type: ignore[no-untyped-def]
    """The fast start: the frame shows with no database, then the screens are attached."""
    desk = desk_service.get_desk(db)
    assert desk is not None
    window = MainWindow(DeskContext(None, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.stack.currentWidget() is window.opening
    window.attach_database(db)
    assert window.stack.currentWidget() is window.intake_page
    assert [r.message for r in qtlog.records if "QStackedWidget" in r.message] == []
