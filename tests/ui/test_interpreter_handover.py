"""The window's process runs the exchange pass on a worker thread beside the GUI thread and a
volunteer's save. A save comes back from SQLite dozens of times and each time asks for Python's
interpreter lock: with Python's default switch interval (5 ms) a computing pass kept it up to 5 ms
each time, and a save during a pass waited over 100 ms (bench_pass_saves). The application makes
threads hand it over in well under a millisecond."""

from __future__ import annotations

import sys
import threading
import time

from aiddesk.ui.shell.application import create_application


def _round_trips_beside_a_busy_thread(trips: int = 40) -> float:
    """Seconds for `trips` short waits outside the interpreter (as a save's calls into SQLite)
    while another thread computes in Python."""
    stop = threading.Event()

    def compute() -> None:
        while not stop.is_set():
            sum(range(200))

    busy = threading.Thread(target=compute)
    busy.start()
    try:
        time.sleep(0.02)  # the busy thread has the interpreter
        started = time.perf_counter()
        for _ in range(trips):
            time.sleep(0)  # lets go of the interpreter and asks for it back
        return time.perf_counter() - started
    finally:
        stop.set()
        busy.join()


def test_the_application_hands_the_interpreter_over_quickly(qapp: object) -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # Python's default
        slow = min(_round_trips_beside_a_busy_thread() for _ in range(3))
        create_application()
        assert sys.getswitchinterval() <= 0.001
        quick = min(_round_trips_beside_a_busy_thread() for _ in range(3))
    finally:
        sys.setswitchinterval(before)
    assert quick * 3 < slow, (quick, slow)
