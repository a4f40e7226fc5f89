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
- One per database file in the process, with its writer turns (`WriterTurns.foreground`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

PAUSE_S = 0.1  # the longest a background thread waits at once for the desk's own writes
FREE_S = 0.1  # after a pause that ran out, the background works this long without pausing


class ForegroundFirst:
    """Background threads pause between statements while the desk's own writes run."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._writing = 0  # the desk's own writes under way (waiting for their turn, or writing)
        self._background: dict[int, int] = {}  # background threads, and how deep they are marked
        self._free_until: dict[int, float] = {}  # a background thread's time without pauses

    @contextmanager
    def background(self) -> Iterator[None]:
        """The calling thread's work in the block is background work."""
        me = threading.get_ident()
        with self._changed:
            self._background[me] = self._background.get(me, 0) + 1
        try:
            yield
        finally:
            with self._changed:
                depth = self._background.pop(me) - 1
                if depth:
                    self._background[me] = depth
                else:
                    self._free_until.pop(me, None)

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

    def should_pause(self) -> bool:
        """Whether the calling thread is background work and the desk's own write runs (a quick
        look, without the lock: a statement of any thread asks)."""
        if not self._writing:
            return False
        me = threading.get_ident()
        return me in self._background and time.monotonic() >= self._free_until.get(me, 0.0)

    def pause(self) -> None:
        """Wait (at most PAUSE_S) until the desk's own writes are done."""
        me = threading.get_ident()
        with self._changed:
            done = self._changed.wait_for(lambda: not self._writing, PAUSE_S)
            if not done:
                self._free_until[me] = time.monotonic() + FREE_S
