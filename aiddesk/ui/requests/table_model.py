"""The request queue as a Qt table model over SQL windows (never the whole table in Python).

Filtering and sorting run in SQL once and keep only the ordered rowids (about
1 MB per 100,000 requests); rows arrive in windows of `window` rows read by
rowid, so scrolling never sorts again (a window costs a few ms at 100,000
requests). A new sort or filter reads the order again. Reads go through
services.queue, which opens a short session for each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from aiddesk.domain.enums import Labelled, RequestStatus, Urgency
from aiddesk.i18n import N_, _, current_language
from aiddesk.i18n.formatting import format_age, format_date
from aiddesk.services.database import Database
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import QueueCounts, QueueQuery, RequestRow
from aiddesk.ui.common.windowed_model import WINDOW, AnyIndex, WindowedModel

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import Operations

# (sort key of services.queue.queue_order, header) in column order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("person", N_("Person")),
    ("need", N_("Need")),
    ("zone", N_("Zone")),
    ("urgency", N_("Urgency")),
    ("status", N_("Status")),
    ("follow_up", N_("Follow-up")),
    ("age", N_("Age")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _header in COLUMNS)


def utcnow() -> dt.datetime:
    """Naive UTC, like the stored created_at."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def enum_label(enum: type[Labelled], value: str) -> str:
    """The translated label of an enum value; a value from a newer desk is shown as it came."""
    try:
        return _(enum(value).label)
    except ValueError:
        return value


class RequestsModel(WindowedModel[RequestRow]):
    COLUMNS = COLUMNS

    """Columns Code, Person, Need, Zone, Urgency, Status, Follow-up, Age; filtered and sorted in SQL.

    The Age column sorts by how long a request has waited: ascending shows the
    newest first, descending the longest waiting first (the default). `today`
    gives the desk's local date (for the "call back today" view)."""

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        window: int = WINDOW,
        now: Callable[[], dt.datetime] = utcnow,
        today: Callable[[], dt.date] = dt.date.today,
        query: QueueQuery | None = None,
        operations: Operations | None = None,
    ) -> None:
        super().__init__(parent, window=window, operations=operations)
        self._db = db
        self._clock = now
        self._today = today
        self._query = query if query is not None else QueueQuery()
        self._with_counts = True
        self._counts: QueueCounts | None = None
        self._column = COLUMN_KEYS.index("age")
        self._order = Qt.SortOrder.DescendingOrder
        self._now = now()

    # ---- reading ---------------------------------------------------------------------------

    @property
    def query(self) -> QueueQuery:
        return self._query

    @property
    def counts(self) -> QueueCounts | None:
        """Requests per status (and to call back today) under the filters but the statuses,
        read with the order at the last refresh (a sort keeps them)."""
        return self._counts

    @property
    def sort_column(self) -> int:
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    def now(self) -> dt.datetime:
        """The time the ages are counted to (naive UTC), read at the last refresh."""
        return self._now

    def today(self) -> dt.date:
        return self._today()

    def row_of(self, request_id: str) -> int | None:
        """The row showing `request_id` among the rows read so far."""
        for row, data in enumerate(self._rows):
            if data.id == request_id:
                return row
        return None

    def query_order(self) -> tuple[str, bool]:
        """(sort key, descending) as the queue service takes them."""
        key = COLUMN_KEYS[self._column]
        descending = self._order == Qt.SortOrder.DescendingOrder
        if key == "age":  # the SQL key is created_at: a longer wait is an earlier time
            descending = not descending
        return key, descending

    def _read_rows(self, keys: list[int]) -> list[RequestRow]:
        return queue.queue_rows(self._db, keys, language=current_language())

    def refresh(self) -> None:
        """Read the order, the counts and the first window again (new data, filters, labels or language)."""
        self._with_counts = True
        super().refresh()

    def _read_order(self) -> list[int]:
        self._now = self._clock()
        key, descending = self.query_order()
        snapshot = queue.queue_snapshot(
            self._db,
            self._query,
            sort=key,
            descending=descending,
            language=current_language(),
            today=self._today(),
            now=self._now,
            with_counts=self._with_counts or self._counts is None,
        )
        if snapshot.counts is not None:
            self._counts = snapshot.counts
        return snapshot.rowids

    def set_query(self, query: QueueQuery) -> None:
        """Filter by `query` (read again at once)."""
        self._query = query
        self.refresh()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._column, self._order = column, order
        self._with_counts = False  # the same requests: the counts stay
        super().refresh()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # A first click sorts A to Z, the most pressing first, the longest waiting first.
            key = COLUMN_KEYS[section]
            return (Qt.SortOrder.DescendingOrder if key == "age" else Qt.SortOrder.AscendingOrder).value
        return super().headerData(section, orientation, role)

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
            return enum_label(Urgency, row.urgency)
        if key == "status":
            return enum_label(RequestStatus, row.status)
        if key == "follow_up":
            return format_date(row.follow_up) if row.follow_up else ""
        return format_age(row.created_at, self._now)
