"""A windowed table whose rows have ids, and that can bring a row into the rows read.

A screen selects a record (the volunteer it just saved, the requests chosen before a
refresh) that may lie beyond the windows read so far: `reveal(id, then)` reads the
windows up to it through the operation runner, on worker threads, and calls
`then(row)` on the GUI thread once it is there; never when the record is not
listed, or the list was read again meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Signal

from aiddesk.ui.common.windowed_model import WindowedModel


class HasId(Protocol):
    @property
    def id(self) -> str: ...


Row = TypeVar("Row", bound=HasId)


class RevealingModel(WindowedModel[Row]):
    """Rows with an `id`; the order's keys are those ids."""

    window_read = Signal()  # a window of rows arrived (perhaps none, when its records were gone)

    def listed(self, record_id: str) -> bool:
        """Whether the record passes the filters (read or not yet)."""
        return record_id in self._keys

    def row_of(self, record_id: str) -> int:
        """The row showing `record_id` among the rows read; -1 when it is not read (yet)."""
        return next((row for row, item in enumerate(self._rows) if item.id == record_id), -1)

    def reveal(self, record_id: str, then: Callable[[int], None]) -> None:
        """Call `then(row)` once the row of `record_id` is read (at once when it already is)."""
        if self._operations is None:  # headless: the windows are read in the call
            if self.listed(record_id):
                self.read_through(self._keys.index(record_id))
            row = self.row_of(record_id)
            if row >= 0:
                then(row)
            return
        generation = self._generation

        def attempt() -> bool:
            """Whether it is over: shown, or not to be shown."""
            if generation != self._generation or not self.listed(record_id):
                return True
            row = self.row_of(record_id)
            if row >= 0:
                then(row)
                return True
            if not self.canFetchMore(QModelIndex()):
                return True
            self.fetchMore(QModelIndex())  # the next window, on a worker thread (or the one coming)
            return False

        def arrived() -> None:
            if attempt():
                self.window_read.disconnect(arrived)

        if not attempt():
            self.window_read.connect(arrived)

    def _insert(self, more: list[Row]) -> None:
        super()._insert(more)
        self.window_read.emit()
