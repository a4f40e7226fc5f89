"""A main window for a test, deleted at the end of the test while its database is still open.

The screens read and write on worker threads: a window left to pytest-qt (closed after the
database fixture) could still be asked something (a language switched back at teardown makes
every screen read again) and answer into the next test after it was deleted. `desk_window`
waits until the window has nothing left to ask, then deletes it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pytestqt.qtbot import QtBot

from aiddesk.app import dispose
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle


@contextmanager
def desk_window(qtbot: QtBot, db: Database, who: str = "Rosa") -> Iterator[MainWindow]:
    """The main window over `db`, shown, with its first reads answered."""
    desk = desk_service.get_desk(db)
    assert desk is not None
    window = MainWindow(DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, who))
    try:
        window.show()
        qtbot.waitExposed(window)
        settle(qtbot, window.ctx)
        yield window
    finally:
        close_window(qtbot, window)


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    """Close the window, wait for what it still asked, and delete it."""
    window.close()  # a screen may still save as it hides (the intake screen keeps its draft)
    if window.ctx.db is not None:
        settle(qtbot, window.ctx)
    dispose(window)
