"""One-at-a-time runs for a screen (export, merge, restore...) behind a progress dialog,
through the desk's operation runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from aiddesk.ui.shell.operations import Failure, Operations


class ProgressRunner(QObject):
    """One operation at a time for a widget, through the desk's operation runner, behind its
    progress dialog (shown only when the work lasts), with a busy cursor; `busy_changed(bool)`
    lets the widget disable its buttons. A cancellable run must be read-only: its result is
    dropped."""

    busy_changed = Signal(bool)

    def __init__(self, owner: QWidget, operations: Operations, title: Callable[[], str]) -> None:
        super().__init__(owner)
        self._owner = owner
        self.operations = operations
        self._title = title
        self.busy = False

    def run(
        self,
        text: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        *,
        cancellable: bool = False,
        writes: bool = False,
        alongside: bool = False,
    ) -> None:
        """`writes`: a change (broadcast to the screens); `alongside`: a long one that holds the
        write lock only briefly (a merge), run beside the desk's other writes."""
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._set_busy(False)
            done(result)

        def broke(failure: Failure) -> None:
            self._set_busy(False)
            failed(failure.error)

        operation = (
            self.operations.write(
                work, succeeded, failed=broke, parent=self._owner, progress=text, alongside=alongside
            )
            if writes
            else self.operations.query(
                work, succeeded, failed=broke, parent=self._owner, progress=text, cancellable=cancellable
            )
        )
        operation.dropped.connect(lambda: self._set_busy(False))  # cancelled: nothing delivered

    def _set_busy(self, busy: bool) -> None:
        if self.busy == busy:
            return
        self.busy = busy
        if busy:
            self._owner.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self._owner.unsetCursor()
        self.busy_changed.emit(busy)
