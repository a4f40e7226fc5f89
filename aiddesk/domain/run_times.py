"""When two delivery runs of one volunteer would be at the same time. Pure.

A run's window is two "HH:MM" texts; a run without a window (either text empty or not a time)
counts as the whole day."""

from __future__ import annotations

import re

_HHMM = re.compile(r"^\d{2}:\d{2}$")


def _window(start: str, end: str) -> tuple[str, str]:
    if _HHMM.match(start) and _HHMM.match(end) and start < end:
        return start, end
    return "00:00", "24:00"


def windows_overlap(start_a: str, end_a: str, start_b: str, end_b: str) -> bool:
    """The two windows share some time (one ending when the other starts does not clash)."""
    a_start, a_end = _window(start_a, end_a)
    b_start, b_end = _window(start_b, end_b)
    return a_start < b_end and b_start < a_end
