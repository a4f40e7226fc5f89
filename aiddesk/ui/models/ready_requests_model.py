"""The ready requests to match, most pressing first, then longest waiting: sorted in SQL once,
rows read a window at a time by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.domain.enums import Urgency
from aiddesk.i18n import N_, _, current_language, locale_name
from aiddesk.i18n.formatting import format_age, language_name
from aiddesk.services import matching
from aiddesk.services.matching import ReadyRow
from aiddesk.store.database import Database

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("person", N_("Person")),
    ("need", N_("Need")),
    ("zone", N_("Zone")),
    ("language", N_("Language")),
    ("urgency", N_("Urgency")),
    ("age", N_("Waiting")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _header in COLUMNS)
WINDOW = 200
ID_ROLE = Qt.ItemDataRole.UserRole

AnyIndex = QModelIndex | QPersistentModelIndex


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ReadyRequestsModel(QAbstractTableModel):
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
        self._now = now()
        self._ids: list[str] = []
        self._read_upto = 0
        self._rows: list[ReadyRow] = []
        self._locale = ""

    @property
    def total(self) -> int:
        return len(self._ids)

    def row_at(self, row: int) -> ReadyRow:
        return self._rows[row]

    def row_of(self, request_id: str) -> int:
        if request_id not in self._ids:
            return -1
        position = self._ids.index(request_id)
        while position >= len(self._rows) and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        return next((row for row, item in enumerate(self._rows) if item.id == request_id), -1)

    def _read_window(self) -> list[ReadyRow]:
        start, self._read_upto = self._read_upto, self._read_upto + self._window
        return matching.ready_rows(self._db, self._ids[start : self._read_upto], current_language())

    def refresh(self) -> None:
        self.beginResetModel()
        self._locale = locale_name()
        self._now = self._clock()
        self._ids = matching.ready_ids(self._db)
        self._read_upto = 0
        self._rows = self._read_window()
        self.endResetModel()

    def retranslate(self) -> None:
        if self._locale != locale_name():
            self.refresh()
        else:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

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

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return _(COLUMNS[section][1])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, COLUMN_KEYS[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.details or self._text(row, COLUMN_KEYS[index.column()])
        if role == ID_ROLE:
            return row.id
        return None

    def _text(self, row: ReadyRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "person":
            return row.person_name
        if key == "need":
            return row.need
        if key == "zone":
            return row.zone
        if key == "language":
            return language_name(row.language) if row.language else ""
        if key == "urgency":
            try:
                return _(Urgency(row.urgency).label)
            except ValueError:
                return row.urgency
        return format_age(row.created_at, self._now)
