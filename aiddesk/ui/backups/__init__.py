"""Backups in the window: the Settings panel, the automatic backups and the background check,
and the dialog for a damaged database."""

from __future__ import annotations

RESTART_EXIT_CODE = 75  # the event loop ends with it after a restore: the app reopens the desk


def request_restart() -> None:
    """Ask the app to close the window and open the (restored) desk again."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.exit(RESTART_EXIT_CODE)
