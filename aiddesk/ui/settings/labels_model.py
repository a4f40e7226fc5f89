"""Need categories or zones (a short list) as a table: English, Spanish, and retired or not."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication

from aiddesk.i18n import N_, _
from aiddesk.services.labels import Label

HEADERS: tuple[str, ...] = (N_("English"), N_("Spanish"), N_("State"))
STATE_COLUMN = 2

AnyIndex = QModelIndex | QPersistentModelIndex


class LabelsModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._labels: list[Label] = []

    def set_labels(self, labels: list[Label]) -> None:
        self.beginResetModel()
        self._labels = list(labels)
        self.endResetModel()

    def label_at(self, row: int) -> Label:
        return self._labels[row]

    def row_of(self, label_id: str) -> int:
        """The row holding `label_id`, or -1."""
        return next((row for row, label in enumerate(self._labels) if label.id == label_id), -1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._labels:
            last = self.index(len(self._labels) - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._labels)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        if horizontal and 0 <= section < len(HEADERS):
            return _(HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._labels):
            return None
        label = self._labels[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return label.label_en
            if index.column() == 1:
                return label.label_es
            # L10N: shown next to a need category or zone that is no longer offered
            return _("(retired)") if label.retired else _("In use")
        if label.retired and role == Qt.ItemDataRole.ForegroundRole:
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if label.retired and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            return font
        return None
