"""File dialogs that leave no trace of where AidDesk's files went.

Qt's file dialog keeps, for every Qt program of the user, the folders it visited and the last one
(`~/.config/QtProject.conf` on Linux, the registry on Windows, a plist on macOS; group
"FileDialog"): an export's folder, named for whom it is, would stay there for anyone to read. And a
system's own dialog keeps the files chosen among its recent files (GTK's `recently-used.xbel`,
Windows' recent lists). So AidDesk uses Qt's own dialog (in the desk's language: Qt's catalog is
loaded), and puts that group back as it was before the dialog opened: other programs keep their
history, AidDesk adds none."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

GROUP = "FileDialog"
OPTIONS = QFileDialog.Option.DontUseNativeDialog


def _settings() -> QSettings:
    return QSettings(QSettings.Scope.UserScope, "QtProject")


def _snapshot() -> dict[str, Any]:
    settings = _settings()
    settings.beginGroup(GROUP)
    try:
        return {key: settings.value(key) for key in settings.childKeys()}
    finally:
        settings.endGroup()


def _put_back(before: dict[str, Any]) -> None:
    settings = _settings()
    settings.beginGroup(GROUP)
    for key in settings.childKeys():
        if key not in before:
            settings.remove(key)
    for key, value in before.items():
        if settings.value(key) != value:
            settings.setValue(key, value)
    settings.endGroup()
    settings.sync()
    if not settings.allKeys():  # nothing was there: no empty file left either
        with contextlib.suppress(OSError):
            empty = Path(settings.fileName())
            if empty.is_file() and empty.stat().st_size == 0:
                empty.unlink()


@contextlib.contextmanager
def leaving_no_trace() -> Iterator[None]:
    """Qt's file-dialog history as it was before (a dialog writes it as it is destroyed)."""
    before = _snapshot()
    try:
        yield
    finally:
        _put_back(before)


def save_file_name(parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
    """The file chosen to save into ("" when cancelled)."""
    with leaving_no_trace():
        name, _filter = QFileDialog.getSaveFileName(parent, caption, suggested, filters, "", OPTIONS)
    return str(name)


def open_file_name(parent: QWidget | None, caption: str, folder: str, filters: str) -> str:
    """The file chosen to open ("" when cancelled)."""
    with leaving_no_trace():
        name, _filter = QFileDialog.getOpenFileName(parent, caption, folder, filters, "", OPTIONS)
    return str(name)


def existing_folder(parent: QWidget | None, caption: str, folder: str = "") -> str:
    """The folder chosen ("" when cancelled)."""
    with leaving_no_trace():
        return str(QFileDialog.getExistingDirectory(parent, caption, folder, OPTIONS))


def file_dialog(parent: QWidget, caption: str, start: str, *, save: bool) -> QFileDialog:
    """A dialog to open() window-modally, to save (`save`) or to choose a file to read: Qt's own,
    and the history put back once the dialog is gone (Qt writes it as the dialog is destroyed)."""
    before = _snapshot()
    dialog = QFileDialog(parent, caption, start)
    dialog.setOption(OPTIONS)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.destroyed.connect(lambda *_args: _put_back(before))
    return dialog
