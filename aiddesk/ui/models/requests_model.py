"""The requests list as a Qt table model over SQL windows (never the whole table in Python).

Sorting runs in SQL once and keeps only the ordered ids (a few MB at 100,000
requests); rows arrive in windows of `window` rows read by id, so scrolling
never sorts again (a window costs ~5 ms at 100,000 requests, where re-sorting
the table for each window cost 130–320 ms). Sorting by a column reads the
order again. Each read opens its own short-lived session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.domain.enums import Labelled, RequestStatus, Urgency
from aiddesk.i18n import N_, _, current_language, locale_name
from aiddesk.i18n.formatting import format_age
from aiddesk.store.database import Database
from aiddesk.store.repositories.requests import RequestRow, ordered_request_ids, request_rows

# (sort key of ordered_request_ids, header) in column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("person", N_("Person")),
    ("need", N_("Need")),
    ("zone", N_("Zone")),
    ("urgency", N_("Urgency")),
    ("status", N_("Status")),
    ("age", N_("Age")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _header in COLUMNS)
WINDOW = 200

AnyIndex = QModelIndex | QPersistentModelIndex


def _utcnow() -> dt.datetime:
    """Naive UTC, like the stored created_at."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _enum_label(enum: type[Labelled], value: str) -> str:
    try:
        return _(enum(value).label)
    except ValueError:  # a value from a newer desk: show it as it came
        return value


class RequestsModel(QAbstractTableModel):
    """Columns Code, Person, Need, Zone, Urgency, Status, Age; sorted in SQL by any column.

    The Age column sorts by how long a request has waited: ascending shows the
    newest first, descending the longest waiting first (the default)."""

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        window: int = WINDOW,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._window = window
        self._clock = now
        self._ids: list[str] = []
        self._read_upto = 0  # ids before this index have been read (some may be gone since)
        self._rows: list[RequestRow] = []
        self._column = COLUMN_KEYS.index("age")
        self._order = Qt.SortOrder.DescendingOrder
        self._locale = ""
        self._now = now()

    # ---- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """How many requests there are (not only the rows read so far)."""
        return len(self._ids)

    @property
    def sort_column(self) -> int:
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    def row_at(self, row: int) -> RequestRow:
        return self._rows[row]

    def _query_order(self) -> tuple[str, bool]:
        key = COLUMN_KEYS[self._column]
        descending = self._order == Qt.SortOrder.DescendingOrder
        if key == "age":  # the SQL key is created_at: a longer wait is an earlier time
            descending = not descending
        return key, descending

    def _read_window(self) -> list[RequestRow]:
        start, self._read_upto = self._read_upto, self._read_upto + self._window
        with self._db.session() as session:
            return request_rows(session, self._ids[start : self._read_upto], language=current_language())

    def refresh(self) -> None:
        """Read the order and the first window again (new data, new labels, new language)."""
        self.beginResetModel()
        self._locale = locale_name()
        self._now = self._clock()
        key, descending = self._query_order()
        with self._db.session() as session:
            self._ids = ordered_request_ids(
                session, sort=key, descending=descending, language=current_language()
            )
        self._read_upto = 0
        self._rows = self._read_window()
        self.endResetModel()

    def retranslate(self) -> None:
        """After a language switch: headers again, and the rows when the locale changed."""
        if self._locale != locale_name():
            self.refresh()
        else:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # ---- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._read_upto < len(self._ids)

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        more = self._read_window()
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._column, self._order = column, order
        self.refresh()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # A first click sorts A to Z, the most pressing first, the longest waiting first.
            key = COLUMN_KEYS[section]
            return (Qt.SortOrder.DescendingOrder if key == "age" else Qt.SortOrder.AscendingOrder).value
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(self._rows[index.row()], COLUMN_KEYS[index.column()])
        return None

    def _text(self, row: RequestRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "person":
            return row.person_name
        if key == "need":
            return row.need
        if key == "zone":
            return row.zone
        if key == "urgency":
            return _enum_label(Urgency, row.urgency)
        if key == "status":
            return _enum_label(RequestStatus, row.status)
        return format_age(row.created_at, self._now)
