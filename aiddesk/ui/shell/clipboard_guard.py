"""What a volunteer copied in AidDesk (a caller's phone, a name, an address, a safety note) does
not stay on the clipboard of a locked desk, where anyone could paste it into another program.

The guard notes, each time the clipboard changes, whether AidDesk had the focus then (it was
copied here) or owns the clipboard (where the system says so). When the desk locks, such content
is cleared; what someone copied in another program is left alone."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QClipboard
from PySide6.QtWidgets import QApplication


class ClipboardGuard(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._ours = False
        clipboard = QApplication.clipboard()
        clipboard.dataChanged.connect(self._changed)
        if clipboard.supportsSelection():  # X11's selection: what was last selected, pasted by a middle click
            clipboard.selectionChanged.connect(self._changed)

    def _changed(self) -> None:
        self._ours = self._ours_now(QApplication.clipboard())

    @staticmethod
    def _ours_now(clipboard: QClipboard) -> bool:
        return QApplication.activeWindow() is not None or clipboard.ownsClipboard()

    def clear(self) -> None:
        """Clear what AidDesk put on the clipboard (and on X11's selection)."""
        clipboard = QApplication.clipboard()
        if self._ours or clipboard.ownsClipboard():
            clipboard.clear(QClipboard.Mode.Clipboard)
        if clipboard.supportsSelection() and (self._ours or clipboard.ownsSelection()):
            clipboard.clear(QClipboard.Mode.Selection)
        self._ours = False
