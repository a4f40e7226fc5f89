"""Hybrid logical clock.

A clock value is one integer: wall milliseconds shifted left 16 bits plus a
logical counter, so plain integer comparison orders clocks. Clocks only order
what is displayed first and say "last edited"; they never decide what is kept."""

from __future__ import annotations

LOGICAL_BITS = 16
DAY_MS = 24 * 3600 * 1000


def pack(wall_ms: int, logical: int = 0) -> int:
    return (wall_ms << LOGICAL_BITS) | logical


def wall_ms(clock: int) -> int:
    return clock >> LOGICAL_BITS


def tick(last: int, now_ms: int) -> int:
    """The next local clock after `last`, at wall time `now_ms`."""
    return max(pack(now_ms), last + 1)


def receive(last: int, remote: int, now_ms: int) -> tuple[int, bool]:
    """Advance the local clock past a remote one.

    Returns (new clock, flagged). A remote clock more than 24 h ahead of the
    wall clock is flagged and not adopted."""
    if wall_ms(remote) - now_ms > DAY_MS:
        return tick(last, now_ms), True
    return max(tick(last, now_ms), remote + 1), False
