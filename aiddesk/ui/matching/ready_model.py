"""The ready requests to match, most pressing first, then longest waiting: sorted in SQL once,
rows read a window at a time by id (on the operation runner's worker threads)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt

from aiddesk.domain.enums import Urgency
from aiddesk.i18n import N_, _, current_language
from aiddesk.i18n.formatting import format_age, language_name
from aiddesk.services import matching
from aiddesk.services.database import Database
from aiddesk.services.matching import ReadyRow
from aiddesk.ui.common.revealing_model import RevealingModel
from aiddesk.ui.common.windowed_model import WINDOW, AnyIndex

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import Operations

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
ID_ROLE = Qt.ItemDataRole.UserRole


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ReadyRequestsModel(RevealingModel[ReadyRow]):
    COLUMNS = COLUMNS

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        window: int = WINDOW,
        now: Callable[[], dt.datetime] = _utcnow,
        operations: Operations | None = None,
    ) -> None:
        super().__init__(parent, window=window, operations=operations)
        self._db = db
        self._clock = now
        self._now = now()
        self._language = current_language()

    def refresh(self) -> None:
        self._language = current_language()  # read here: the rows are read on a worker thread
        super().refresh()

    def _read_order(self) -> list[str]:
        self._now = self._clock()
        return matching.ready_ids(self._db)

    def _read_rows(self, keys: list[str]) -> list[ReadyRow]:
        return matching.ready_rows(self._db, keys, self._language)

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
