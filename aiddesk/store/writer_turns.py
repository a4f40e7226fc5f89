"""This process's writers of one database file take turns, first come first served.

SQLite's own write lock (`BEGIN IMMEDIATE`) orders writers too, but a writer that finds it taken
waits in SQLite's busy handler, which sleeps and tries again: it starts 8-28 ms after the lock
is free (measured; issue 13). Writers in the same process (the window's save, its exchange pass)
first take a turn here instead: the one that ends its transaction hands the turn to the writer
that has waited longest, and wakes it at once. SQLite's lock and busy timeout still order this
process's writer with other processes' (an `aiddesk exchange` run beside the window).

One `WriterTurns` per database file in the process, shared by every `Database` on that file
(`turns_for`): two `Database` objects on one path hand over at once too.

- First come, first served: a turn is handed to the writer that waited longest, never taken by
  one that comes later (a pass made of many short writes does not starve a save, nor the other
  way round).
- A thread that has the turn and asks again (a write inside a write, which SQLite would make
  wait for itself for the whole busy timeout) is refused at once with `NestedWrite`.
- A writer waits at most the busy timeout, then fails as SQLite would ("database is locked")."""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections import deque
from pathlib import Path

from sqlalchemy.exc import OperationalError

from aiddesk.store.foreground import ForegroundFirst


class NestedWrite(RuntimeError):
    """A write transaction opened on a thread that already has one open on the same database
    file: it would wait for itself. A write belongs in one `transaction()` or `write_session()`."""


class _Waiter:
    __slots__ = ("granted", "thread", "woken")

    def __init__(self, thread: int) -> None:
        self.thread = thread
        self.granted = False
        self.woken = threading.Event()


class WriterTurns:
    """One writer at a time among this process's threads, in the order they asked."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._mutex = threading.Lock()
        self._holder: int | None = None  # the thread that has the turn
        self._queue: deque[_Waiter] = deque()
        # What a transaction writes beside the database after its commit, once its turn is given
        # back (the audit chain's head): one writer at a time, so that a writer which committed
        # first but writes it last (the next one starts at once now) cannot put an older head back.
        self.after_commit = threading.Lock()
        # Background work (a pass) pauses between statements while the desk's own writes run.
        self.foreground = ForegroundFirst(self.held_here)

    def take(self) -> None:
        """Wait for this thread's turn. NestedWrite when it has it already; SQLAlchemy's
        OperationalError ("database is locked", as SQLite's busy timeout) after `timeout_s`."""
        me = threading.get_ident()
        with self._mutex:
            if self._holder == me:
                raise NestedWrite("a write transaction inside another on the same thread")
            if self._holder is None:
                self._holder = me
                return
            waiter = _Waiter(me)
            self._queue.append(waiter)
        try:
            if waiter.woken.wait(self.timeout_s):
                return
        except BaseException:  # interrupted while waiting (Ctrl+C in a command): out of the queue
            self._leave(waiter)
            raise
        with self._mutex:
            if waiter.granted:  # handed over just as the time ran out
                return
            self._queue.remove(waiter)
        raise OperationalError(
            "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked (a writer of this process)")
        )

    def give_back(self) -> None:
        """End the turn: the writer that waited longest has it now, and is woken."""
        with self._mutex:
            if not self._queue:
                self._holder = None
                return
            waiter = self._queue.popleft()
            waiter.granted = True
            self._holder = waiter.thread
        waiter.woken.set()

    def _leave(self, waiter: _Waiter) -> None:
        """A waiter that will not write: out of the queue, or its turn passed on if it had it."""
        with self._mutex:
            if not waiter.granted:
                self._queue.remove(waiter)
                return
        self.give_back()

    def waiting(self) -> int:
        """How many writers wait for their turn."""
        with self._mutex:
            return len(self._queue)

    def held_here(self) -> bool:
        """Whether the calling thread has the turn."""
        return self._holder == threading.get_ident()


# The turns of each database file this process has open: per process by nature (the point is
# that every Database on the file shares them); an entry goes with the last Database on its file.
_turns: weakref.WeakValueDictionary[Path, WriterTurns] = weakref.WeakValueDictionary()
_turns_lock = threading.Lock()


def turns_for(path: Path, timeout_s: float) -> WriterTurns:
    """The writer turns of the database file at `path` in this process."""
    key = path.resolve()
    with _turns_lock:
        turns = _turns.get(key)
        if turns is None:
            turns = WriterTurns(timeout_s)
            _turns[key] = turns
        return turns
