"""Qt's file dialog, as AidDesk opens it (ui/common/file_dialogs.py), speaks the desk's language:
in Spanish every label, button, tooltip, column, kind of file and right-click entry is Spanish
(Qt's own Spanish catalog lacks "Look in:", "Files of type:" and the kinds of file, and says
"fichero" and "directorio"; AidDesk's catalog fills in), and English again after switching back.
So does Qt's print dialog (route sheets, the cheat sheet: "Pages", two-sided printing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QGroupBox,
    QLabel,
    QTabWidget,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.ui.common.file_dialogs import file_dialog


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "Rutas de diciembre").mkdir()
    (tmp_path / "rutas.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def open_dialog(qtbot: QtBot, parent: QWidget, folder: Path, *, directories: bool = False) -> QFileDialog:
    """The route sheets' "Save as PDF" dialog (or a folder chooser), in the list's detail view,
    with its folder read."""
    dialog = file_dialog(parent, "AidDesk", str(folder / "rutas.pdf"), save=not directories)
    if directories:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    else:
        dialog.setNameFilter(i18n._("PDF files (*.pdf)"))
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    qtbot.waitUntil(lambda: kind_of(dialog, "Rutas de diciembre") != "")
    return dialog


def kind_of(dialog: QFileDialog, name: str) -> str:
    """The Type column of `name` in the list ("" until the folder is read)."""
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    model, root = view.model(), view.rootIndex()
    for row in range(model.rowCount(root)):
        if model.index(row, 0, root).data() == name:
            return str(model.index(row, 2, root).data() or "")
    return ""


def label(dialog: QFileDialog, name: str) -> str:
    widget = dialog.findChild(QLabel, name)
    assert widget is not None
    return widget.text()


def button(dialog: QFileDialog, name: str) -> QAbstractButton:
    widget = dialog.findChild(QAbstractButton, name)
    assert widget is not None
    return widget


def words(dialog: QFileDialog) -> dict[str, str]:
    """Every text of the dialog a user reads or hears, by where it is."""
    found = {f"label {w.objectName()}": w.text() for w in dialog.findChildren(QLabel) if w.text()}
    for w in dialog.findChildren(QAbstractButton):
        name = w.objectName() or "button"
        for what, text in (
            ("text", w.text()),
            ("tooltip", w.toolTip()),
            ("spoken", w.accessibleName()),
            ("described", w.accessibleDescription()),
        ):
            if text:
                found[f"{name} {what}"] = text
    view = dialog.findChild(QTreeView, "treeView")
    assert view is not None
    model = view.model()
    for column in range(model.columnCount()):
        found[f"column {column}"] = model.headerData(column, Qt.Orientation.Horizontal)
    found["a folder's kind"] = kind_of(dialog, "Rutas de diciembre")
    # the right-click menus: the list's (rename, delete, hidden files, new folder), the header's
    for number, action in enumerate(dialog.findChildren(QAction)):
        if action.text():
            found[f"menu {action.objectName() or number}"] = action.text()
    return found


def test_the_file_dialog_is_spanish_in_spanish_and_english_again_after(
    qtbot: QtBot, qt_language: None, parent: QWidget, folder: Path
) -> None:
    i18n.set_language("es", "US")
    dialog = open_dialog(qtbot, parent, folder)
    assert label(dialog, "lookInLabel") == "&Buscar en:"
    assert label(dialog, "fileTypeLabel") == "&Tipo de archivo:"
    assert label(dialog, "fileNameLabel") == "&Nombre del archivo:"
    assert button(dialog, "toParentButton").toolTip() == "Carpeta de arriba"
    assert button(dialog, "toParentButton").accessibleDescription() == "Ir a la carpeta de arriba"
    assert kind_of(dialog, "Rutas de diciembre") == "Carpeta"
    assert "Mostrar arc&hivos ocultos" in [a.text() for a in dialog.findChildren(QAction)]

    i18n.set_language("en", "US")  # the open dialog follows at once
    assert label(dialog, "lookInLabel") == "&Look in:"
    assert label(dialog, "fileTypeLabel") == "Files of &type:"
    assert label(dialog, "fileNameLabel") == "File &name:"
    assert button(dialog, "toParentButton").toolTip() == "Parent Directory"
    assert "Show &hidden files" in [a.text() for a in dialog.findChildren(QAction)]
    dialog.close()
    assert kind_of(open_dialog(qtbot, parent, folder), "Rutas de diciembre") == "Folder"


@pytest.mark.parametrize("directories", [False, True], ids=["a file", "a folder"])
def test_no_english_word_is_left_in_the_spanish_file_dialog(
    qtbot: QtBot, qt_language: None, parent: QWidget, folder: Path, directories: bool
) -> None:
    english = words(open_dialog(qtbot, parent, folder, directories=directories))
    i18n.set_language("es", "US")
    spanish = words(open_dialog(qtbot, parent, folder, directories=directories))
    assert spanish.keys() == english.keys()
    left = {where: text for where, text in spanish.items() if text == english[where]}
    assert not left, f"still in English: {left}"
    if directories:
        assert spanish["label fileNameLabel"] == "Carpeta:"


SAME_IN_BOTH = {"Color"}  # the print dialog's colour mode: the same word in Spanish


def print_dialog_words(dialog: QPrintDialog) -> dict[str, str]:
    """The print dialog's labels, buttons, group titles, tabs and tooltips, by widget."""
    found: dict[str, str] = {}
    for w in dialog.findChildren(QLabel):
        found[f"label {w.objectName()}"] = w.text()
    for w in dialog.findChildren(QAbstractButton):
        found[f"button {w.objectName()}"] = w.text()
        found[f"tooltip {w.objectName()}"] = w.toolTip()
    for w in dialog.findChildren(QGroupBox):
        found[f"group {w.objectName()}"] = w.title()
    for w in dialog.findChildren(QTabWidget):
        for tab in range(w.count()):
            found[f"tab {w.objectName()} {tab}"] = w.tabText(tab)
    for w in dialog.findChildren(QWidget):
        if w.toolTip():
            found[f"tooltip {w.objectName()}"] = w.toolTip()
    # what is no word: empty, a path, a blank name
    return {where: text for where, text in found.items() if any(c.isalpha() for c in text.split("/")[0])}


def test_no_english_word_is_left_in_the_spanish_print_dialog(
    qtbot: QtBot, qt_language: None, parent: QWidget
) -> None:
    def shown() -> dict[str, str]:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog = QPrintDialog(printer, parent)  # as the route sheets open it
        dialog.show()
        qtbot.waitExposed(dialog)
        try:
            return print_dialog_words(dialog)
        finally:
            dialog.close()

    english = shown()
    i18n.set_language("es", "US")
    spanish = shown()
    assert spanish.keys() == english.keys()
    left = {
        where: text for where, text in spanish.items() if text == english[where] and text not in SAME_IN_BOTH
    }
    assert not left, f"still in English: {left}"
    assert "&Qué páginas:" in spanish.values()
    assert "Imprimir por los dos lados" in spanish.values()
