"""A person's page is not a screen of the sidebar: while it shows, no sidebar entry is highlighted
(the screen underneath stayed highlighted, as if it showed); Back, or a click on that entry,
returns to it highlighted."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.test_person_page import open_maria, twins, window

__all__ = ["twins", "window"]  # the fixtures


def highlighted(window: MainWindow) -> list[str]:
    return [item.text() for item in window.sidebar.selectedItems()]


def test_no_entry_is_highlighted_on_a_persons_page(qtbot: QtBot, window: MainWindow, twins: dict[str, str]):
    assert highlighted(window) == ["Requests"]
    open_maria(qtbot, window, twins)
    assert highlighted(window) == []
    window.sidebar.grab()  # painted without one, as the user sees it

    qtbot.mouseClick(window.person_page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.requests_page
    assert highlighted(window) == ["Requests"]

    open_maria(qtbot, window, twins)
    item = window.sidebar.currentItem()
    assert item is not None and item.text() == "Requests"  # where Back returns
    qtbot.mouseClick(
        window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=window.sidebar.visualItemRect(item).center()
    )
    assert window.stack.currentWidget() is window.requests_page and highlighted(window) == ["Requests"]
