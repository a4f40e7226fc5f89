"""The Deliveries screen's tables: the runs of a day (or of one volunteer) and the stops of a run.

A day holds a few dozen runs and a run at most a few dozen stops, so each model
keeps its rows as the screen read them (through services.dispatch, on the operation
runner's worker threads) and is given them whole; the service sorts them."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.domain.enums import (
    URGENCY_RANK,
    DeliveryStatus,
    FailureReason,
    Labelled,
    RequestStatus,
    StopOutcome,
    Urgency,
)
from aiddesk.i18n import N_, _
from aiddesk.i18n.formatting import format_date, format_time
from aiddesk.services.deliveries.dispatch import ReadyRow, RunRow, StopRow

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole

RUN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Run")),
    ("date", N_("Date")),
    ("window", N_("Time")),
    ("volunteer", N_("Volunteer")),
    ("stops", N_("Stops")),
    ("status", N_("Status")),
)
STOP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("position", N_("Stop")),
    ("request", N_("Request")),
    ("person", N_("Person")),
    ("address", N_("Address")),
    ("need", N_("Need")),
    ("outcome", N_("Outcome")),
    ("request_status", N_("Request status")),
)
READY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Request")),
    ("person", N_("Person")),
    ("address", N_("Address")),
    ("need", N_("Need")),
    ("zone", N_("Zone")),
    ("urgency", N_("Urgency")),
)


def enum_label(enum: type[Labelled], value: str) -> str:
    try:
        return _(enum(value).label)
    except ValueError:  # a value from a newer desk: show it as it came
        return value


def window_text(start: str, end: str) -> str:
    """ "9:00 AM – 12:00 PM" in the UI language (the stored text when it is not a time)."""
    try:
        return f"{format_time(dt.time.fromisoformat(start))} – {format_time(dt.time.fromisoformat(end))}"
    except ValueError:
        return f"{start} – {end}"


def outcome_text(row: StopRow) -> str:
    text = enum_label(StopOutcome, row.outcome)
    if row.outcome == StopOutcome.FAILED and row.failure_reason:
        text = _("%(outcome)s: %(reason)s") % {
            "outcome": text,
            "reason": enum_label(FailureReason, row.failure_reason),
        }
    return text


def fold(text: str) -> str:
    """Lower case without accents, so "maria" finds "María"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _pressing_first(row: ReadyRow) -> tuple[int, dt.datetime, str]:
    return (URGENCY_RANK.get(row.urgency, len(URGENCY_RANK)), row.created_at, row.id)  # type: ignore[call-overload]


class _ListModel(QAbstractTableModel):
    """A table over a short list of rows with translated headers."""

    columns: tuple[tuple[str, str], ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        if rows == self._rows:
            return  # the same rows read again: the view keeps its selection and scroll position
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        """The row showing `record_id`, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def column_of(self, key: str) -> int:
        return [k for k, _h in self.columns].index(key)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(self.columns):
            return _(self.columns[section][1])
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (DISPLAY, TOOLTIP):
            return self.text(self._rows[index.row()], self.columns[index.column()][0])
        return None

    def text(self, row: Any, key: str) -> str:
        raise NotImplementedError


class RunsModel(_ListModel):
    """Runs: code, date, time window, volunteer, stops recorded of all, status."""

    columns = RUN_COLUMNS

    def text(self, row: RunRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "date":
            return format_date(row.date)
        if key == "window":
            return window_text(row.window_start, row.window_end)
        if key == "volunteer":
            return row.volunteer_name
        if key == "stops":
            return _("%(recorded)d of %(stops)d") % {"recorded": row.recorded, "stops": row.stops}
        return enum_label(DeliveryStatus, row.status)


class StopsModel(_ListModel):
    """The stops of one run in their order, with what happened and where their request stands."""

    columns = STOP_COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._run_id: str | None = None

    @property
    def run_id(self) -> str | None:
        """The run whose stops are shown (None: no run)."""
        return self._run_id

    def show_run(self, run_id: str | None, stops: list[StopRow]) -> None:
        self._run_id = run_id
        self.set_rows(stops if run_id is not None else [])

    def text(self, row: StopRow, key: str) -> str:
        if key == "position":
            return str(row.position)
        if key == "request":
            return row.request_code
        if key == "person":
            return row.person_name
        if key == "address":
            return " ".join(row.address.split())
        if key == "need":
            return row.need
        if key == "outcome":
            return outcome_text(row)
        return enum_label(RequestStatus, row.request_status)


class ReadyModel(_ListModel):
    """Requests ready for a run (most pressing first), narrowed by a typed filter."""

    columns = READY_COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[ReadyRow] = []
        self._filter = ""
        self.loaded_once = False  # the ready requests have been read

    def load(self, rows: list[ReadyRow], *, leave_out: set[str] | frozenset[str] = frozenset()) -> None:
        """The ready requests as read, but those already chosen (`leave_out`)."""
        self._all = [r for r in rows if r.id not in leave_out]
        self.loaded_once = True
        self._apply()

    def set_filter(self, text: str) -> None:
        self._filter = fold(text)
        self._apply()

    def drop(self, ids: set[str]) -> None:
        """Leave out requests already chosen."""
        self._all = [r for r in self._all if r.id not in ids]
        self._apply()

    def give_back(self, rows: list[ReadyRow]) -> None:
        known = {r.id for r in self._all}
        self._all.extend(r for r in rows if r.id not in known)
        self._all.sort(key=_pressing_first)
        self._apply()

    def _apply(self) -> None:
        words = self._filter.split()
        rows = [r for r in self._all if all(w in self._haystack(r) for w in words)] if words else self._all
        self.set_rows(list(rows))

    def _haystack(self, row: ReadyRow) -> str:
        return fold(" ".join((row.code, row.person_name, row.address, row.need, row.zone)))

    def text(self, row: ReadyRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "person":
            return row.person_name
        if key == "address":
            return " ".join(row.address.split())
        if key == "need":
            return row.need
        if key == "zone":
            return row.zone
        return enum_label(Urgency, row.urgency)
