"""The window comes back as it was left: size, place, maximised, a screen's splitter and a
table's column widths, kept in the data folder (sizes only) and put back on a visible screen."""

from __future__ import annotations

import stat

from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from aiddesk.store.database import Database
from aiddesk.ui.shell.main_window import DEFAULT_SIZE
from aiddesk.ui.shell.window_memory import SETTINGS_FILE, place_on_screens
from tests.ui.settle import settle
from tests.ui.windows import desk_window


def test_size_splitter_and_columns_come_back_after_close_and_reopen(qtbot: QtBot, db: Database) -> None:
    with desk_window(qtbot, db) as window:
        assert (window.width(), window.height()) == DEFAULT_SIZE  # nothing remembered yet
        window.resize(700, 520)  # as narrow as its screens allow, and lower than the default
        left_at = (window.width(), window.height())
        assert left_at[1] == 520
        window.show_page("requests")
        page = window.requests_page
        settle(qtbot, window.ctx)
        top, bottom = page.splitter.sizes()
        page.splitter.setSizes([top + bottom - 120, 120])
        moved = page.splitter.sizes()
        header = page.table.horizontalHeader()
        header.resizeSection(1, header.sectionSize(1) + 85)
        widened = header.sectionSize(1)
    with desk_window(qtbot, db) as window:
        assert (window.width(), window.height()) == left_at
        window.show_page("requests")
        settle(qtbot, window.ctx)
        assert window.requests_page.splitter.sizes() == moved
        assert window.requests_page.table.horizontalHeader().sectionSize(1) == widened


def test_maximised_comes_back_maximised(qtbot: QtBot, db: Database) -> None:
    with desk_window(qtbot, db) as window:
        window.showMaximized()
        qtbot.waitUntil(window.isMaximized)
    with desk_window(qtbot, db) as window:
        assert window.isMaximized()


def test_the_file_holds_only_sizes_and_is_owner_only(qtbot: QtBot, db: Database) -> None:
    with desk_window(qtbot, db, who="Rosa Quintanilla"):
        pass
    path = db.path.parent / SETTINGS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text(encoding="utf-8")
    assert "Rosa" not in content and "Quintanilla" not in content
    assert "width=" in content


def test_a_window_left_on_a_screen_that_is_gone_comes_back_on_one(qtbot: QtBot, db: Database) -> None:
    settings = QSettings(str(db.path.parent / SETTINGS_FILE), QSettings.Format.IniFormat)
    for key, value in {"x": 5000, "y": 4000, "width": 3000, "height": 2500}.items():
        settings.setValue(f"window/{key}", value)
    settings.sync()
    with desk_window(qtbot, db) as window:
        screen = QGuiApplication.primaryScreen().availableGeometry()
        # its title bar on the screen, as tall as the screen at most (the test screen is 800 px
        # wide, narrower than the window's screens allow: that much can hang over on the right)
        assert screen.contains(window.geometry().topLeft())
        assert window.height() <= screen.height()


def test_placing_clamps_into_the_screen_it_overlaps_most() -> None:
    left, right = QRect(0, 0, 1920, 1080), QRect(1920, 0, 1280, 1024)
    assert place_on_screens(QRect(100, 100, 800, 600), [left, right]) == QRect(100, 100, 800, 600)
    # mostly on the right-hand screen, hanging over its edge: moved in, kept whole
    assert place_on_screens(QRect(2900, 500, 800, 600), [left, right]) == QRect(2400, 424, 800, 600)
    # the right-hand screen unplugged: back on the first one, shrunk to fit
    assert place_on_screens(QRect(2000, 50, 2000, 1200), [left]) == QRect(0, 0, 1920, 1080)
