"""A short list of rows (dozens, not thousands) as a read-only table: each column is a
translatable header and a function that writes a row's cell. The whole list is read at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.i18n import _

Row = TypeVar("Row")
Header = str | Callable[[], str]
AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


class ShortListModel(QAbstractTableModel, Generic[Row]):
    """`columns`: (header, cell text of a row); a header is a message marked N_, or a function
    that translates it (for a header that needs a context: `lambda: pgettext("column", "Record")`)."""

    def __init__(
        self, columns: Sequence[tuple[Header, Callable[[Row], str]]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Row] = []

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(self._columns):
            header = self._columns[section][0]
            return header() if callable(header) else _(header)
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if role not in (DISPLAY, TOOLTIP) or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._columns[index.column()][1](self._rows[index.row()])
