"""The shape of every big table in AidDesk: the display order sorted in SQL once, rows read a
window at a time (canFetchMore/fetchMore), never the whole table in Python, never a proxy model.

A subclass says how to read the order (`_read_order`: the keys of every row that passes its
filters, in display order) and how to read the rows of some keys (`_read_rows`); it keeps its
columns in COLUMNS as (key, header marked N_) pairs."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.i18n import _, locale_name

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
WINDOW = 200


class WindowedModel(QAbstractTableModel, Generic[Row]):
    COLUMNS: tuple[tuple[str, str], ...] = ()

    def __init__(self, parent: QObject | None = None, *, window: int = WINDOW) -> None:
        super().__init__(parent)
        self._window = window
        self._keys: list[Any] = []
        self._read_upto = 0  # keys before this index have been read (some rows may be gone since)
        self._rows: list[Row] = []
        self._locale = ""

    # ---- for subclasses --------------------------------------------------------------------

    def _read_order(self) -> list[Any]:
        raise NotImplementedError

    def _read_rows(self, keys: list[Any]) -> list[Row]:
        raise NotImplementedError

    # ---- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many rows pass the filters (not only the rows read so far)."""
        return len(self._keys)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def refresh(self) -> None:
        """Read the order and the first window again (new data, filters, sort, labels or language)."""
        self.beginResetModel()
        self._locale = locale_name()
        self._keys = self._read_order()
        self._read_upto = 0
        self._rows = self._read_window()
        self.endResetModel()

    def retranslate(self) -> None:
        """After a language switch: headers again, and the rows when the locale changed."""
        if self._locale != locale_name():
            self.refresh()
        else:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    def read_through(self, position: int) -> None:
        """Read windows until the row at `position` of the order has been read."""
        while position >= self._read_upto and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def _read_window(self) -> list[Row]:
        start, self._read_upto = self._read_upto, self._read_upto + self._window
        return self._read_rows(self._keys[start : self._read_upto])

    # ---- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._read_upto < len(self._keys)

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        more = self._read_window()
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return _(self.COLUMNS[section][1])
        return None
