"""Qt's file dialog keeps the folders it visited in the user's QtProject settings, shared by every
Qt program (an export's folder, named for whom it is, would stay there). AidDesk's file dialogs
add nothing there, and leave what another program kept as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from aiddesk.ui.common import file_dialogs

OTHER = ["file:///home/someone/Pictures"]  # what another Qt program keeps


@pytest.fixture
def config(tmp_path: Path) -> Iterator[Path]:
    """The user's Qt settings in a folder of the test's own, holding another program's history."""
    original = Path(QSettings(QSettings.Scope.UserScope, "QtProject").fileName()).parent
    folder = tmp_path / "config"
    for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(form, QSettings.Scope.UserScope, str(folder))
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.setValue("FileDialog/history", OTHER)
    settings.setValue("FileDialog/lastVisited", OTHER[0])
    settings.sync()
    try:
        yield folder / "QtProject.conf"
    finally:
        for form in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(form, QSettings.Scope.UserScope, str(original))


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports for María Hernández"
    folder.mkdir()
    return folder


def choose_when_shown(qtbot: QtBot, path: Path, tries: int = 50) -> None:
    """The dialog about to open (a static function's, which blocks) answered with `path`; it is
    rejected after 5 s, so a test can fail but never hang."""

    def choose() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        if not shown:
            if tries > 0:
                choose_when_shown(qtbot, path, tries - 1)
            return
        dialog = shown[0]
        if path.is_dir():
            dialog.setDirectory(str(path))
        else:
            dialog.findChild(QLineEdit, "fileNameEdit").setText(str(path))  # typed, as a person would
        dialog.accept()
        QTimer.singleShot(5000, dialog.reject)

    QTimer.singleShot(100, choose)


def test_qt_s_own_dialog_keeps_the_folder_so_the_check_can_fail(qtbot: QtBot, config: Path, exports: Path):
    choose_when_shown(qtbot, exports / "desk.xlsx")
    QFileDialog.getSaveFileName(None, "Save", str(exports / "desk.xlsx"), "*.xlsx", "", file_dialogs.OPTIONS)
    assert "Hern" in config.read_text(encoding="utf-8")


def test_saving_and_opening_leave_no_folder_behind(qtbot: QtBot, config: Path, exports: Path):
    before = config.read_text(encoding="utf-8")
    choose_when_shown(qtbot, exports / "desk.xlsx")
    chosen = file_dialogs.save_file_name(None, "Save", str(exports / "desk.xlsx"), "*.xlsx")
    assert chosen == str(exports / "desk.xlsx")
    (exports / "desk.xlsx").write_bytes(b"x")
    choose_when_shown(qtbot, exports / "desk.xlsx")
    assert file_dialogs.open_file_name(None, "Open", str(exports), "*.xlsx") == str(exports / "desk.xlsx")
    choose_when_shown(qtbot, exports)
    assert file_dialogs.existing_folder(None, "Folder", str(exports)) == str(exports)
    assert config.read_text(encoding="utf-8") == before
    assert "Hern" not in before and "Pictures" in before  # the other program's history stays


def test_a_window_modal_dialog_leaves_none_once_gone(qtbot: QtBot, config: Path, exports: Path):
    """As the route sheets' and the sheet import's dialogs are used: opened, answered, deleted."""
    before = config.read_text(encoding="utf-8")
    dialog = file_dialogs.file_dialog(None, "Save route sheets as PDF", str(exports / "r.pdf"), save=True)
    chosen: list[str] = []
    dialog.fileSelected.connect(chosen.append)
    dialog.finished.connect(dialog.deleteLater)
    gone: list[bool] = []
    dialog.destroyed.connect(lambda *_args: gone.append(True))
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.selectFile(str(exports / "r.pdf"))
    dialog.accept()
    qtbot.waitUntil(lambda: bool(gone))
    assert chosen == [str(exports / "r.pdf")]
    assert config.read_text(encoding="utf-8") == before
