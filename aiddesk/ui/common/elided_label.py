"""A one-line label that shortens its text in the middle ("/home/…/AidDesk") when narrow."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MIN_WIDTH = 120


class ElidedLabel(QLabel):
    """Shows all of `full_text` when there is room; the tooltip always holds all of it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self._sized = False  # its size was given (a widget gets it as it shows, before it paints)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 2
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(min(MIN_WIDTH, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._sized = True
        self._elide()

    def _elide(self) -> None:
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        # Before its size is known, and whenever all of it fits, the text is shown as it is:
        # the window's first paint then needs nothing of Qt's slow namespace (main_window.py).
        if not self._sized or metrics.horizontalAdvance(self._full) < room:
            self.setText(self._full)
            return
        from PySide6.QtCore import Qt

        self.setText(metrics.elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(room, 0)))
