"""The intake form's two columns: side by side when the window leaves room for both, one above the
other when it does not (a narrow window, a small screen), so no field is ever out of reach."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget


class FormColumns(QWidget):
    """`first` (the caller) and `second` (consent, needs, the call) as columns, stretched 4:3, in a
    scroll area whose viewport `follow()` watches: its width decides (the form's own width cannot,
    since side by side it is never narrower than both columns)."""

    def __init__(self, first: QWidget, second: QLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first = first
        self._second = second
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        # The caller's column has the longer captions and fields (in Spanish above all): more room.
        self.columns.addWidget(first, 4, Qt.AlignmentFlag.AlignTop)
        self.columns.addLayout(second, 3)

    def follow(self, viewport: QWidget) -> None:
        viewport.installEventFilter(self)

    def side_by_side(self) -> bool:
        return self.columns.direction() == QBoxLayout.Direction.LeftToRight

    def room_for_both(self) -> int:
        """The width both columns need side by side (what each needs at least, and the gaps)."""
        margins = self.columns.contentsMargins()
        return (
            self.first.minimumSizeHint().width()
            + self._second.minimumSize().width()
            + self.columns.spacing()
            + margins.left()
            + margins.right()
        )

    def fit(self, width: int) -> None:
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if width >= self.room_for_both()
            else QBoxLayout.Direction.TopToBottom
        )
        if self.columns.direction() != wanted:
            self.columns.setDirection(wanted)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.fit(watched.width())
        return False
