"""Python's cycle collector paused while a merge builds and drops objects by the hundred thousand.

The collector runs each time enough new objects survive, and each full run walks every object
the process holds: the workbook just read, the merge's plan. A merge makes few reference cycles
(reference counting frees its objects), so pausing the collector loses no memory to speak of and
reading the `_state` rows of a 100,000-record workbook took half the time without it.

The collector is the process's own: a pause covers the window's thread too, for the few
seconds a merge lasts. Nothing is shared between callers: each puts back what it found, so
overlapping pauses (two merges in two threads) end with the collector running whenever it ran
before the first one began; one of them may end the other's pause early, which costs time, not
correctness."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()
