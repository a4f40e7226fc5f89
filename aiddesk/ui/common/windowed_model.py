"""The shape of every big table in AidDesk: the display order sorted in SQL once, rows read a
window at a time (canFetchMore/fetchMore), never the whole table in Python, never a proxy model.

A subclass says how to read the order (`_read_order`: the keys of every row that passes its
filters, in display order) and how to read the rows of some keys (`_read_rows`); it keeps its
columns in COLUMNS as (key, header marked N_) pairs.

With the desk's operation runner (screens always pass it) the order and every window are read
on a worker thread: `refresh()` returns at once, the rows replace the old ones when they arrive
(`loaded` then), and a newer refresh supersedes one still running. Without a runner (headless
benchmarks) the reads happen in the call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from aiddesk.i18n import _, locale_name
from aiddesk.ui.common.alive import while_alive

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import Operations

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
WINDOW = 200


class WindowedModel(QAbstractTableModel, Generic[Row]):
    COLUMNS: tuple[tuple[str, str], ...] = ()
    loaded = Signal()  # a refresh's first window arrived

    def __init__(
        self, parent: QObject | None = None, *, window: int = WINDOW, operations: Operations | None = None
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._operations = operations
        self._keys: list[Any] = []
        self._read_upto = 0  # keys before this index have been read (some rows may be gone since)
        self._rows: list[Row] = []
        self._locale = ""
        self._generation = 0  # rises with each refresh: a window read for an older order is dropped
        self._loading = False
        self._fetching = False

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

    @property
    def loading(self) -> bool:
        """A refresh is under way (its rows have not arrived yet)."""
        return self._loading

    def refresh(self) -> None:
        """Read the order and the first window again (new data, filters, sort, labels or language)."""
        self._locale = locale_name()
        self._generation += 1
        if self._operations is None:
            self._apply(self._load())
            return
        self._loading = True
        self._operations.query(
            self._load,
            while_alive(self, self._apply),
            key=f"model-{id(self)}",
            failed=while_alive(self, self._load_failed),
        )

    def _load(self) -> tuple[list[Any], list[Row]]:
        """On the worker thread: the order, and the rows of its first window."""
        keys = self._read_order()
        return keys, self._read_rows(keys[: self._window])

    def _apply(self, loaded: tuple[list[Any], list[Row]]) -> None:
        self.beginResetModel()
        self._keys, self._rows = loaded
        self._read_upto = self._window
        self._fetching = False
        self.endResetModel()
        self._loading = False
        self.loaded.emit()

    def _load_failed(self, failure: Any) -> None:
        from aiddesk.ui.shell.operations import show_failure

        self._loading = False
        show_failure(None, failure)

    def retranslate(self) -> None:
        """After a language switch: headers again, and the rows when the locale changed."""
        if self._locale != locale_name():
            self.refresh()
        else:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)

    def read_through(self, position: int) -> None:
        """Read windows until the row at `position` of the order has been read (at once: a
        screen selecting a row it just saved; a window reads in a few milliseconds)."""
        while position >= self._read_upto and self.canFetchMore(QModelIndex()):
            self._insert(self._read_window())

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
        if not self.canFetchMore(parent) or self._fetching:
            return
        if self._operations is None:
            self._insert(self._read_window())
            return
        start, end, generation = self._read_upto, self._read_upto + self._window, self._generation
        keys = self._keys[start:end]
        self._fetching = True

        def arrived(more: list[Row]) -> None:
            if generation != self._generation:  # the order was read again meanwhile
                return
            self._fetching = False
            self._read_upto = end
            self._insert(more)

        self._operations.query(
            lambda: self._read_rows(keys),
            while_alive(self, arrived),
            failed=while_alive(self, self._load_failed),
        )

    def _insert(self, more: list[Row]) -> None:
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
