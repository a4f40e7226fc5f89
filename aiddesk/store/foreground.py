"""The desk's own writes go first: background work pauses while one runs (issue 13).

A save at the desk during an exchange pass shares the interpreter with the pass: each of the
dozens of times the save comes back from SQLite it waits for the pass to let go of Python's lock,
and on a busy machine for the system to run it again. A save that took 20 ms alone took 100-180
ms beside a pass. So work marked as background (`background()`: the window's passes and merges,
on their worker thread) pauses at its next SQL statement while a write of the desk's own is
under way (`foreground_write()`), and goes on when it ends: the save runs as if alone.

- Only between statements and outside a write turn: a pass that holds the writer turn (applying
  a merge) finishes its transaction first; the save waits for it as before.
- A pause lasts at most `PAUSE_S`; a pause that ran out leaves the background `FREE_S` of work
  before the next one, so a long write of the desk's own (a sheet imported) slows a pass
  down, never stops it.
- Between statements, and where background work computes for long without one (`give_way()`:
  the exchange password's stretching, a workbook's rows read or written): 100 ms of pure Python
  without a statement never paused, and each of the save's dozens of returns from SQLite waited
  for it to hand the interpreter back.
- The desk's own work is more than its write transaction: the runner holds the foreground
  (`hold()`) from the moment a save is handed over until its answer reached the screen, so the
  save's checks before its transaction, the files it keeps after its commit and the answer on
  its way to the GUI thread do not share the interpreter with the pass either.
- One per database file in the process, with its writer turns (`WriterTurns.foreground`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PAUSE_S = 0.1  # the longest a background thread waits at once for the desk's own writes
FREE_S = 0.1  # after a pause that ran out, the background works this long without pausing

# Which desks (their ForegroundFirst) each thread works for in the background, for `give_way()`,
# which does not know the database: per process by nature, as the writer turns it belongs to.
_background_work: dict[int, tuple[ForegroundFirst, ...]] = {}
_background_lock = threading.Lock()


def give_way() -> None:
    """A pause point for background work that computes for long without an SQL statement (at a
    statement the database pauses it on its own): it waits here while a write of the desk's own
    runs on a database it works for in the background. Otherwise at once (a look up, well under a
    microsecond): call it every millisecond or so of computing."""
    firsts = _background_work.get(threading.get_ident())
    if firsts:
        for first in firsts:
            first.give_way()


class ForegroundFirst:
    """Background threads pause between statements while the desk's own writes run."""

    def __init__(self, turn_held: Callable[[], bool] = lambda: False) -> None:
        self._turn_held = turn_held  # whether the calling thread has the file's writer turn
        self._changed = threading.Condition()
        self._writing = 0  # the desk's own writes under way (waiting for their turn, or writing), held
        self._background: dict[int, int] = {}  # background threads, and how deep they are marked
        self._free_until: dict[int, float] = {}  # a background thread's time without pauses

    @contextmanager
    def background(self) -> Iterator[None]:
        """The calling thread's work in the block is background work."""
        me = threading.get_ident()
        with self._changed:
            self._background[me] = self._background.get(me, 0) + 1
            first = self._background[me] == 1
        if first:
            with _background_lock:
                _background_work[me] = (*_background_work.get(me, ()), self)
        try:
            yield
        finally:
            with self._changed:
                depth = self._background.pop(me) - 1
                if depth:
                    self._background[me] = depth
                else:
                    self._free_until.pop(me, None)
            if not depth:
                with _background_lock:
                    others = tuple(f for f in _background_work.get(me, ()) if f is not self)
                    if others:
                        _background_work[me] = others
                    else:
                        _background_work.pop(me, None)

    @contextmanager
    def write(self) -> Iterator[None]:
        """A write transaction on the calling thread: the desk's own unless it is background."""
        if threading.get_ident() in self._background:
            yield
            return
        with self._changed:
            self._writing += 1
        try:
            yield
        finally:
            with self._changed:
                self._writing -= 1
                if not self._writing:
                    self._changed.notify_all()

    def hold(self) -> Callable[[], None]:
        """The desk's own work under way until the returned release is called (once is enough;
        more calls do nothing): background work pauses meanwhile as during its writes. Nothing
        is held for a background thread."""
        if threading.get_ident() in self._background:
            return _nothing
        with self._changed:
            self._writing += 1
        released = threading.Lock()

        def release() -> None:
            if not released.acquire(blocking=False):
                return
            with self._changed:
                self._writing -= 1
                if not self._writing:
                    self._changed.notify_all()

        return release

    def should_pause(self) -> bool:
        """Whether the calling thread is background work and the desk's own write runs (a quick
        look, without the lock: a statement of any thread asks)."""
        if not self._writing:
            return False
        me = threading.get_ident()
        return me in self._background and time.monotonic() >= self._free_until.get(me, 0.0)

    def give_way(self) -> None:
        """Pause if the calling thread is background work, a write of the desk's own runs, and
        it does not hold the writer turn itself (the desk's write waits for it then)."""
        if self.should_pause() and not self._turn_held():
            self.pause()

    def pause(self) -> None:
        """Wait (at most PAUSE_S) until the desk's own writes are done."""
        me = threading.get_ident()
        with self._changed:
            done = self._changed.wait_for(lambda: not self._writing, PAUSE_S)
            if not done:
                self._free_until[me] = time.monotonic() + FREE_S


def _nothing() -> None:
    pass
