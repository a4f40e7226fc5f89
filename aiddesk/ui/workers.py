"""Background jobs: a function run on a worker thread, its result or its exception handed back
on the GUI thread through signals; and a runner that shows a progress dialog while one runs.

The function must not touch widgets; it may open database sessions of its own (services do:
`db.session()` makes a new session in the calling thread, the engine is shared)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

from aiddesk.ui.shell.operations import Failure, Operations

log = logging.getLogger(__name__)

SHOW_PROGRESS_AFTER_MS = 300


class Job(QObject):
    """`succeeded(result)` or `failed(exception)` arrive on the GUI thread, then `done()`;
    `running` is False once they have been delivered."""

    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self._work = work
        self.running = False
        self.result: Any = None
        self.error: BaseException | None = None

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to the GUI thread, which logs it and says it in one line
            log.exception("background job failed")
            self.error = exc
            self.failed.emit(exc)
        else:
            self.result = result
            self.succeeded.emit(result)
        self.done.emit()


class _Runnable(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job  # keeps the job (and its signals) alive until it ran
        self.setAutoDelete(True)

    def run(self) -> None:
        self.job._run()


class Jobs(QObject):
    """Starts jobs on its own thread pool, keeps each alive until it has finished, and can wait
    for all of them (before the database closes)."""

    def __init__(self, parent: QObject | None = None, *, serial: bool = False) -> None:
        """`serial`: one job at a time, the others wait their turn in order."""
        super().__init__(parent)
        self._pool = QThreadPool(self)
        if serial:
            self._pool.setMaxThreadCount(1)
        self._active: set[Job] = set()

    def start(
        self,
        work: Callable[[], Any],
        *,
        succeeded: Callable[[Any], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Run `work` on a worker thread; `succeeded(result)` or `failed(exception)` then run
        on the GUI thread (connected before the job starts, so none is missed)."""
        job = Job(work)
        job.running = True
        self._active.add(job)
        if succeeded is not None:
            job.succeeded.connect(succeeded)
        if failed is not None:
            job.failed.connect(failed)
        job.done.connect(lambda: self._finished(job))
        self._pool.start(_Runnable(job))
        return job

    def _finished(self, job: Job) -> None:
        job.running = False
        self._active.discard(job)

    def busy(self) -> bool:
        return bool(self._active)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the running jobs (their signals are still delivered by the event loop later)."""
        return self._pool.waitForDone(msecs)


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
    ) -> None:
        self._set_busy(True)

        def succeeded(result: Any) -> None:
            self._set_busy(False)
            done(result)

        def broke(failure: Failure) -> None:
            self._set_busy(False)
            failed(failure.error)

        operation = (
            self.operations.write(work, succeeded, failed=broke, parent=self._owner, progress=text)
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
