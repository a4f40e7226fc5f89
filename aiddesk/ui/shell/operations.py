"""The operation runner: the one way a screen reaches the data.

A screen never calls a service on the GUI thread. It hands the call to the
runner as a function of no arguments:

    ctx.operations.query(lambda: queue.page(db, query), self._show_page, key="queue")
    ctx.operations.write(lambda: intake.save_call(db, who, form), self._saved, failed=self._refused)

The runner runs the function on a worker thread (reads in parallel, writes one
at a time and in order), then calls `done(result)` or `failed(failure)` back on
the GUI thread. A failure arrives as a `Failure` whose `message` is already in
the user's language; without a `failed` callback the runner shows it in a
message box, so no traceback ever reaches the user. Long work can show a
progress dialog (`progress="Merging…"`), cancellable when the work is a read.

A write's function runs inside the store's change recorder: the kinds of
records its committed transactions touched come back as a `Changes`, and the
runner broadcasts them on the desk's `ChangeNotifier` after `done` ran. Each
screen listens there for the kinds it shows (see `refreshing.Refreshes`):
nobody wires "when this one saves, refresh that one" by hand.

`key`: a query started again under the same key (the queue re-sorted while its
previous page was loading) supersedes the earlier one; only the latest result
is delivered. `again=True` (a screen reading again what changed): one query at a
time runs under its key; asked again while it runs, the newest waits for it
(replacing any other waiting) and runs when it is done, so a burst of saves makes
a screen read again once more, not once per save. Without it (a type-ahead
lookup) the newest runs at once and answers without waiting for the older.

`steps(job, done)`: work that must run on the GUI thread but takes long (laying out and painting
a PDF: Qt's QObjects are made, connected and destroyed only on the GUI thread, see
docs/architecture.md) runs in short steps, one per turn of the event loop, so the window stays
responsive. `job` is a generator: each `yield` ends a step; `yield OnWorker(work)` runs `work` on
a worker thread (a read, a file saved) and resumes the job with its result; its return value goes
to `done`. The runner is not idle until it ended; its failures arrive as the others'."""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from aiddesk.domain.changes import NO_CHANGES, Changes
from aiddesk.i18n import _
from aiddesk.ui.shell.failures import error_name, is_refusal, user_message

if TYPE_CHECKING:
    from aiddesk.services.database import Database

log = logging.getLogger(__name__)

T = TypeVar("T")
SHOW_PROGRESS_AFTER_MS = 300
READ_THREADS = 2


@dataclass(frozen=True)
class Failure:
    """What went wrong, said for the user (`message`), and the error itself (for the log and
    for screens that show some errors at a field, such as `Invalid`)."""

    message: str
    error: BaseException


@dataclass(frozen=True)
class OnWorker:
    """Yielded by a stepped job (`Operations.steps`): run `work` on a worker thread (a read; it
    must not change the database) and resume the job with its result."""

    work: Callable[[], Any]


# A job of steps on the GUI thread: yields None between two steps, or an OnWorker.
Job = Generator["OnWorker | None", Any, T]


class ChangeNotifier(QObject):
    """The desk's one broadcast of what operations changed (on the GUI thread)."""

    changed = Signal(object)  # Changes

    def publish(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)


class CancelToken:
    """Set by the progress dialog's Cancel button; long work may poll `cancelled()` to stop early."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def cancelled(self) -> bool:
        return self._event.is_set()


class Dropped:
    """An operation's `dropped`: what to call (on the GUI thread) when its result will not be
    delivered."""

    def __init__(self) -> None:
        self._calls: list[Callable[[], None]] = []

    def connect(self, call: Callable[[], None]) -> None:
        self._calls.append(call)

    def emit(self) -> None:
        calls, self._calls = self._calls, []
        for call in calls:
            call()


class _Relay(QObject):
    """The runner's one way back to the GUI thread: a worker emits, the GUI thread answers."""

    succeeded = Signal(object, object, object)  # operation, result, Changes
    failed = Signal(object, object)  # operation, exception


class Operation(Generic[T]):
    """One call on a worker thread; its answer comes back on the GUI thread (through the runner's
    relay). A plain object, not a QObject: what its work and answer hold (a form's values, a
    screen) is freed once it answered, and always on the GUI thread (`forget()`); no QObject is
    made, connected or destroyed per operation (see docs/architecture.md on worker threads)."""

    def __init__(
        self,
        work: Callable[[], T],
        db: Database | None,
        relay: _Relay,
        *,
        writes: bool,
        long: bool = False,
    ) -> None:
        self._work: Callable[[], Any] = work
        self._db = db
        self._relay = relay
        self.writes = writes
        self.long = long  # a merge or an exchange pass: no full garbage collection while it runs
        self.cancel_token = CancelToken()
        self.dropped = Dropped()  # the result will not be delivered: cancelled, or superseded
        # A write of the desk's own holds the foreground until its answer reached the GUI thread
        # (set by the runner; background work pauses meanwhile: store/foreground.py).
        self.release_foreground: Callable[[], None] = _nothing
        # What to do with the answer, on the GUI thread (set by the runner)
        self.on_success: Callable[[Any, Changes], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None

    def run(self) -> None:
        """Runs on the worker thread. Keeps no reference of its own to what the work holds, so the
        GUI thread's forget() is what frees it (the work called through `self`, a failure's
        frames dropped once logged)."""
        try:
            with collections_paused() if self.long else contextlib.nullcontext():
                if self._db is None:
                    result, changes = self._work(), NO_CHANGES
                else:
                    # a long one lets the desk's own writes (a save) go first between its statements
                    background = self._db.background() if self.long else contextlib.nullcontext()
                    with background, self._db.changes.collect() as sink:
                        result = self._work()
                    changes = sink.changes()
        except Exception as exc:  # handed to the GUI thread, which says it in one line
            log_failure(exc)
            _without_frames(exc)
            self._deliver(self._relay.failed, self, exc)
        else:
            self._deliver(self._relay.succeeded, self, result, changes)

    def _deliver(self, signal: Any, *args: Any) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the application is closing and took the runner with it
            self.release_foreground()
            log.info("an operation finished after the window closed; its answer is dropped")

    def forget(self) -> None:
        """On the GUI thread, once answered (or never to run): let go of the work and the answer's
        callbacks, and what they hold."""
        self._work = _forgotten
        self.on_success = self.on_failure = None
        self.dropped = Dropped()


def _nothing() -> None:
    pass


def _forgotten() -> None:
    raise RuntimeError("an operation's work is run once")


def _without_frames(error: BaseException) -> None:
    """Drop the frames of a logged failure and of its causes: their variables (what the work
    held) are not kept alive by the error on its way to the GUI thread."""
    seen: set[int] = set()
    left: list[BaseException | None] = [error]
    while left:
        link = left.pop()
        if link is not None and id(link) not in seen:
            seen.add(id(link))
            link.__traceback__ = None
            left += [link.__cause__, link.__context__]


class _CollectionPause:
    """Python's cyclic garbage collector paused while long operations run. A merge makes millions
    of objects; each full collection then walks them all holding the GIL (1.4 s measured), and
    the window freezes for that long. What a merge makes is freed by reference counting anyway."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._running == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                if self._running == 0 and self._was_enabled:
                    gc.enable()

    def running(self) -> bool:
        return self._running > 0


# The collector is the process's, whichever window or dialog runs the merge: one count for it.
collections_paused = _CollectionPause()


COLLECT_EVERY_MS = 500
OLDER_EVERY = 20  # ticks between collections of the middle generation (10 s)
ALL_EVERY = 600  # ticks between full collections (5 minutes)


class _GuiThreadCollector:
    """What Python's automatic collection would do, on the GUI thread: the youngest generation
    every tick, the middle one every OLDER_EVERY, all every ALL_EVERY (none while a merge runs:
    its millions of objects are freed by reference counting, and a walk would freeze the window)."""

    def __init__(self) -> None:
        self.ticks = 0

    def __call__(self) -> None:
        if collections_paused.running():
            return
        self.ticks += 1
        generation = 2 if self.ticks % ALL_EVERY == 0 else 1 if self.ticks % OLDER_EVERY == 0 else 0
        gc.collect(generation)


def log_failure(error: BaseException) -> None:
    """Log a failed operation without its message: a refusal's or a database error's text may
    name a person. A refusal (bad input, a refused move or workbook) is expected: one line; any
    other error gets its type (with SQLite's own code for a database error: SQLITE_CORRUPT,
    SQLITE_NOTADB, SQLITE_BUSY…) and where it happened, for whoever looks into it."""
    if is_refusal(error):
        log.info("operation refused: %s", type(error).__name__)
        return
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("operation failed: %s\n%s", error_name(error), frames)


def _start(pool: QThreadPool, operation: Operation[Any]) -> None:
    """Run `operation` on `pool`. Given as a function, not a Python QRunnable: PySide keeps each
    QRunnable given to start() referenced by the pool's wrapper after Qt deleted it, so every
    operation (and what it still holds) stayed in memory until the window closed. The function
    keeps the operation alive until it ran; the runner's own references (until it answered) keep
    it longer."""
    pool.start(operation.run)


class Operations(QObject):
    """Runs the desk's operations off the GUI thread and broadcasts what writes changed."""

    busy_changed = Signal(bool)

    def __init__(self, db: Database | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.notifier = ChangeNotifier(self)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(READ_THREADS)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)  # one writer at a time, in the order they were asked
        # Merges and exchange passes read and compare for long before they write: they run beside
        # the desk's writes (one at a time among themselves), so a save is never queued behind
        # their reading; the database's writer turns (first come, first served, handed over the
        # moment a write commits) and its write lock order their short apply with the saves.
        self._merges = QThreadPool(self)
        self._merges.setMaxThreadCount(1)
        self._running: set[Operation[Any]] = set()
        self._latest: dict[str, Operation[Any]] = {}
        # Under a key, the query running and the newest one waiting for it (with its pool and the
        # way to forget it unheard): the others asked meanwhile never run.
        self._keyed: dict[str, Operation[Any]] = {}
        self._waiting: dict[str, tuple[Operation[Any], QThreadPool, Callable[[], bool]]] = {}
        self._soon: dict[str, QTimer] = {}  # calls asked for later (soon()), by key
        self._relay = _Relay(self)
        # Python's automatic cyclic collection runs on whichever thread happens to allocate: on a
        # worker it could destroy a QObject left in a cycle and meet the GUI thread on one of Qt's
        # mutexes while holding Python's lock (the freeze described in docs/architecture.md). While
        # a runner exists, collections run on the GUI thread only (_GuiThreadCollector).
        gc.disable()
        self._collector = QTimer(self)
        self._collector.setInterval(COLLECT_EVERY_MS)
        self._collector.timeout.connect(_GuiThreadCollector())
        self._collector.start()
        self._relay.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        self._relay.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._stepping: set[_Steps[Any]] = set()  # jobs of steps on the GUI thread (steps())

    # -- the two kinds of operation ---------------------------------------------------------------

    def query(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        parent: QWidget | None = None,
        failed: Callable[[Failure], None] | None = None,
        key: str | None = None,
        progress: str | None = None,
        cancellable: bool = False,
        again: bool = False,
    ) -> Operation[T]:
        """Read: `work` must not change anything. A cancelled query's result is dropped.
        `again` (with `key`): waits for the query running under its key (see the module)."""
        return self._start(
            work,
            done,
            parent=parent,
            failed=failed,
            key=key,
            progress=progress,
            cancellable=cancellable,
            again=again,
        )

    def write(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        parent: QWidget | None = None,
        failed: Callable[[Failure], None] | None = None,
        progress: str | None = None,
        alongside: bool = False,
    ) -> Operation[T]:
        """Change: runs after the writes asked before it; what it changed is broadcast.

        `alongside`: a long change that holds the write lock only briefly (a merge, an exchange
        pass) runs beside the other writes instead of in their queue."""
        return self._start(
            work, done, parent=parent, failed=failed, progress=progress, writes=True, alongside=alongside
        )

    def soon(self, call: Callable[[], None], msecs: int, *, key: str) -> None:
        """`call` on the GUI thread in `msecs`, once however often it is asked meanwhile under
        `key` (a screen reading again after a burst of changes). Until it ran the runner is not
        idle: what it starts is part of the work under way."""
        if key in self._soon:
            return
        timer = QTimer(self)
        timer.setSingleShot(True)

        def due() -> None:
            del self._soon[key]
            timer.deleteLater()
            call()

        timer.timeout.connect(due)
        self._soon[key] = timer
        timer.start(max(0, msecs))

    def steps(
        self,
        job: Job[T],
        done: Callable[[T], None] | None = None,
        *,
        parent: QWidget | None = None,
        failed: Callable[[Failure], None] | None = None,
        progress: str | None = None,
    ) -> None:
        """Run `job` on the GUI thread one step per turn of the event loop (see the module): its
        reads through OnWorker, then `done(its result)`; a failure as for `query`. When `parent`
        is gone before the job ended, the job goes on (the file asked for is still saved) and
        nobody is told."""
        _Steps(self, job, done, parent=parent, failed=failed, progress=progress).advance(None)

    def idle(self) -> bool:
        """No operation running or waiting to deliver its result, nor a call asked for soon(), nor
        a job of steps under way."""
        return not self._running and not self._soon and not self._stepping

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the worker threads (before the database closes); results still arrive later
        through the event loop, or never if it does not run again. The saves' holds on the
        foreground end now: no answer is hurried to the screen while the window closes, and a
        pass waited for does not pause at each step for an answer the event loop never delivers
        (a save's own transaction still goes first). A job of steps (a PDF being painted) is
        finished here, its steps and reads run at once: the file asked for is saved, but nobody
        is told (the window closes)."""
        for operation in list(self._running):
            operation.release_foreground()
        reads = self._reads.waitForDone(msecs)
        for job in list(self._stepping):
            job.finish()  # its next step would wait for an event loop that no longer runs
        merges = self._merges.waitForDone(msecs)
        return self._writes.waitForDone(msecs) and reads and merges

    # -- running --------------------------------------------------------------------------------

    def _start(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None,
        *,
        parent: QWidget | None,
        failed: Callable[[Failure], None] | None,
        key: str | None = None,
        progress: str | None = None,
        cancellable: bool = False,
        writes: bool = False,
        alongside: bool = False,
        again: bool = False,
    ) -> Operation[T]:
        operation: Operation[T] = Operation(work, self.db, self._relay, writes=writes, long=alongside)
        dialog = _progress_dialog(parent, progress, operation.cancel_token, cancellable) if progress else None
        if key is not None:
            self._latest[key] = operation

        def finish() -> bool:
            """Forget the operation; whether its result is still wanted."""
            self._running.discard(operation)
            if dialog is not None and shiboken6.isValid(dialog):  # its screen may be gone
                dialog.hide()
                dialog.deleteLater()
            if not self._running:
                self.busy_changed.emit(False)
            wanted = not operation.cancel_token.cancelled()
            if key is not None:
                if self._latest.get(key) is not operation:
                    wanted = False  # superseded by a later query under the same key
                else:
                    del self._latest[key]
                self._next_under(key, operation)
            if not wanted:
                operation.dropped.emit()
            return wanted

        def forgotten() -> bool:
            """finish() for an operation that never ran (replaced while it waited)."""
            finish()
            operation.forget()
            return False

        def succeeded(result: Any, changes: Changes) -> None:
            # A `done` that asks something (a dialog's own event loop) lets go at once: a pass is
            # not held up while the question waits for the volunteer.
            QTimer.singleShot(0, operation.release_foreground)
            try:
                if not shiboken6.isValid(self):
                    return  # the window (and its runner) closed while this ran: nobody to tell
                wanted = finish() and (parent is None or shiboken6.isValid(parent))
                if wanted and done is not None:
                    done(result)
                self.notifier.publish(changes)  # even when cancelled or superseded: it happened
            finally:
                operation.release_foreground()  # the answer is on the screen (or nobody's)

        def broke(error: BaseException) -> None:
            operation.release_foreground()  # a refusal is said at leisure (it may ask something)
            if not shiboken6.isValid(self) or not finish():
                return
            if parent is not None and not shiboken6.isValid(parent):
                return  # the screen that asked is gone
            failure = Failure(user_message(error), error)
            if failed is not None:
                failed(failure)
            else:
                show_failure(parent, failure)

        if writes and not alongside and self.db is not None:
            # the desk's own write: background work (a pass) gives way from now until its answer
            # is on the screen, not only during its transaction (issue 13)
            operation.release_foreground = self.db.hold_foreground()
        operation.on_success, operation.on_failure = succeeded, broke
        if not self._running:
            self.busy_changed.emit(True)
        self._running.add(operation)
        pool = (self._merges if alongside else self._writes) if writes else self._reads
        if again and key is not None and key in self._keyed:  # one runs under this key: wait
            replaced = self._waiting.pop(key, None)
            self._waiting[key] = (operation, pool, forgotten)
            if replaced is not None:
                replaced[2]()  # never run: forgotten, and dropped for whoever waits on it
        else:
            if again and key is not None:
                self._keyed[key] = operation
            _start(pool, operation)
        if dialog is not None:
            QTimer.singleShot(
                SHOW_PROGRESS_AFTER_MS, dialog, lambda: dialog.show() if operation in self._running else None
            )
        return operation

    def _succeeded(self, operation: Operation[Any], result: Any, changes: Changes) -> None:
        answer = operation.on_success
        try:
            if answer is not None:
                answer(result, changes)
        finally:
            operation.forget()

    def _failed(self, operation: Operation[Any], error: BaseException) -> None:
        answer = operation.on_failure
        try:
            if answer is not None:
                answer(error)
        finally:
            operation.forget()

    def _next_under(self, key: str, operation: Operation[Any]) -> None:
        """`operation` (under `key`) is done: the query waiting for it, if any, runs."""
        if self._keyed.get(key) is not operation:
            return  # it never ran (replaced while it waited)
        del self._keyed[key]
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            next_operation, pool, _forget = waiting
            self._keyed[key] = next_operation
            _start(pool, next_operation)


class _Steps(Generic[T]):
    """One job of `Operations.steps`: drives the generator on the GUI thread."""

    def __init__(
        self,
        runner: Operations,
        job: Job[T],
        done: Callable[[T], None] | None,
        *,
        parent: QWidget | None,
        failed: Callable[[Failure], None] | None,
        progress: str | None,
    ) -> None:
        self._runner = runner
        self._job = job
        self._done = done
        self._parent = parent
        self._failed = failed
        self._dialog = _progress_dialog(parent, progress, CancelToken(), False) if progress else None
        self._ended = False
        self._asked: OnWorker | None = None  # the read under way on a worker (finish() uses it)
        self._answered = False  # its answer came back from the worker (not delivered yet, maybe)
        self._answer: Any = None
        runner._stepping.add(self)
        if self._dialog is not None:
            dialog = self._dialog
            QTimer.singleShot(
                SHOW_PROGRESS_AFTER_MS, dialog, lambda: dialog.show() if self in runner._stepping else None
            )

    def _wanted(self) -> bool:
        if not shiboken6.isValid(self._runner):
            self._end()  # the window is gone (its wait() finished what it could)
            return False
        return True

    def _heard(self) -> bool:
        """Whether the screen that asked is still there to be told. A job goes on without it: the
        file asked for is saved all the same (a dialog closed while its PDF is made)."""
        return self._parent is None or shiboken6.isValid(self._parent)

    def finish(self) -> None:
        """Run what is left of the job now, its reads on this thread, and tell nobody (the window
        closes: the PDF asked for is still saved). The answer of a read already made is used; a
        read whose answer never came is made again (reads change nothing)."""
        if self._ended:
            return
        asked, self._asked = self._asked, None
        try:
            while True:
                value = None
                if isinstance(asked, OnWorker):
                    value = self._answer if self._answered else asked.work()
                self._answered, self._answer = False, None
                asked = self._job.send(value)
        except StopIteration:
            pass
        except Exception as exc:  # the window is closing: the log says it, no dialog
            log_failure(exc)
        finally:
            self._end()

    def _end(self) -> None:
        self._ended = True
        self._job.close()  # its `finally` clauses run (a painter ended, a buffer dropped)
        self._runner._stepping.discard(self)
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.hide()
            self._dialog.deleteLater()

    def advance(self, value: Any) -> None:
        """One step: resume the job with `value` (the result of its OnWorker, or None)."""
        if self._ended or not self._wanted():
            return
        try:
            asked = self._job.send(value)
        except StopIteration as stop:
            self._end()
            if self._done is not None and self._heard():
                self._done(stop.value)
        except Exception as exc:  # said in one line, as an operation's failure
            log_failure(exc)
            self._end()
            if self._heard():
                self._fail(Failure(user_message(exc), exc))
        else:
            if isinstance(asked, OnWorker):
                self._asked, self._answered = asked, False
                # No parent: the job itself checks its screen when the answer comes.
                self._runner.query(lambda: self._kept(asked), self._delivered, failed=self._worker_failed)
            else:
                QTimer.singleShot(0, self._runner, lambda: self.advance(None))

    def _kept(self, asked: OnWorker) -> Any:
        """Run on the worker: the read's answer, also kept for finish()."""
        self._answer = asked.work()
        self._answered = True
        return self._answer

    def _delivered(self, value: Any) -> None:
        self._asked, self._answered, self._answer = None, False, None
        self.advance(value)

    def _worker_failed(self, failure: Failure) -> None:
        if not self._ended and self._wanted():
            self._end()
            if self._heard():
                self._fail(failure)

    def _fail(self, failure: Failure) -> None:
        if self._failed is not None:
            self._failed(failure)
        else:
            show_failure(self._parent, failure)


def _progress_dialog(
    parent: QWidget | None, text: str, token: CancelToken, cancellable: bool
) -> QProgressDialog:
    dialog = QProgressDialog(text, _("Cancel") if cancellable else "", 0, 0, parent)
    if cancellable:
        dialog.canceled.connect(token.cancel)
    else:
        dialog.setCancelButton(None)
    dialog.setWindowTitle(text)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setCursor(Qt.CursorShape.BusyCursor)
    dialog.setMinimumDuration(0)
    dialog.hide()
    return dialog


def show_failure(parent: QWidget | None, failure: Failure) -> None:
    """The failure in a message box (when the screen did not say it itself)."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("AidDesk"), failure.message, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
