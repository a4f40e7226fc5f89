"""Waiting for the operation runner in UI tests: screens read and write on worker threads."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from aiddesk.ui.context import DeskContext
from aiddesk.ui.shell.operations import Operations


def settle(qtbot: QtBot, where: DeskContext | Operations, timeout: int = 10_000) -> None:
    """Wait until every operation started so far (and any it started) has delivered its result."""
    operations = where.operations if isinstance(where, DeskContext) else where
    qtbot.waitUntil(operations.idle, timeout=timeout)
