"""Long work on the database's files that yields the processor to the desk's own work.

A backup copies and checks the whole database: over a second of processor time on a desk of
20,000 people, on machines with two cores. A volunteer's save and the window need the processor
meanwhile; at the same priority they share it with the backup and wait (issue 13: a save during
the exchange pass that takes the hourly backup waited up to 170 ms). `run_at_low_priority` runs
the work on a thread of its own with a higher nice value, so the scheduler serves the desk's other
threads first and the backup takes what is left; it still finishes, only later when the machine
is busy.

Linux only: there a nice value belongs to one thread, and a new thread may lower its own
priority without any privilege (it could not raise it back, which is why the work gets a thread
of its own instead of lowering a worker of the operation runner's pool for good). Elsewhere the
work runs on the calling thread, as before."""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
NICENESS = 10  # on Linux's scheduler a thread at nice 10 gets about a tenth of a shared core


def supported() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "setpriority")


def run_at_low_priority(work: Callable[[], T], name: str = "aiddesk-low-priority") -> T:
    """`work()`'s result (or its exception, BaseException included), computed on a thread of its
    own at a lower processor priority; the caller waits for it."""
    if not supported():
        return work()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            lower_this_thread()
            outcome["result"] = work()
        except BaseException as exc:  # handed to the caller, which raises it on its own thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        error = outcome["error"]
        assert isinstance(error, BaseException)
        raise error
    return outcome["result"]  # type: ignore[return-value]


def lower_this_thread() -> None:
    """Raise the calling thread's nice value by NICENESS (Linux: per thread). Never fails."""
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), min(19, current + NICENESS))
    except OSError:
        log.info("the thread's priority could not be lowered", exc_info=True)


def thread_niceness() -> int:
    """The calling thread's nice value (Linux), for tests and logs."""
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
