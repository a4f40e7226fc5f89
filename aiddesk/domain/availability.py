"""Weekly availability: a day x morning/afternoon/evening grid kept in one integer.

Bit `day * 3 + slot` is set when the volunteer is free then; Monday is day 0
(like `date.weekday()`), morning slot 0, afternoon 1, evening 2. Pure: names of
days and slots are translated where they are shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from aiddesk.domain.enums import DaySlot

DAYS = 7
SLOTS: tuple[DaySlot, ...] = (DaySlot.MORNING, DaySlot.AFTERNOON, DaySlot.EVENING)
ALL = (1 << (DAYS * len(SLOTS))) - 1  # every slot of the week

# The usual time window of a run in each slot (HH:MM, start and end).
SLOT_WINDOWS: dict[int, tuple[str, str]] = {
    0: ("09:00", "12:00"),
    1: ("13:00", "16:00"),
    2: ("17:00", "20:00"),
}
# Where one slot ends and the next begins (minutes after midnight): afternoon at noon, evening at 17:00.
_SLOT_STARTS = (0, 12 * 60, 17 * 60)


def bit(day: int, slot: int) -> int:
    """The bit number of `day` (Monday = 0) and `slot` (morning = 0)."""
    if not (0 <= day < DAYS and 0 <= slot < len(SLOTS)):
        raise ValueError(f"no such day/slot: {day}/{slot}")
    return day * len(SLOTS) + slot


def is_free(mask: int, day: int, slot: int) -> bool:
    return bool(mask >> bit(day, slot) & 1)


def free_on_day(mask: int, day: int) -> bool:
    """Free in at least one slot of `day`."""
    return any(is_free(mask, day, slot) for slot in range(len(SLOTS)))


def with_slot(mask: int, day: int, slot: int, free: bool) -> int:
    """`mask` with one slot set free (True) or busy (False)."""
    flag = 1 << bit(day, slot)
    return mask | flag if free else mask & ~flag


def from_slots(slots: Iterable[tuple[int, int]]) -> int:
    mask = 0
    for day, slot in slots:
        mask = with_slot(mask, day, slot, True)
    return mask


def free_slots(mask: int) -> Iterator[tuple[int, int]]:
    """(day, slot) of every free slot, Monday morning first."""
    for day in range(DAYS):
        for slot in range(len(SLOTS)):
            if is_free(mask, day, slot):
                yield day, slot


def is_valid(mask: int) -> bool:
    return 0 <= mask <= ALL


def minutes(hhmm: str) -> int:
    """Minutes after midnight of "HH:MM"; ValueError when it is not a time of day."""
    hours, sep, mins = hhmm.strip().partition(":")
    if not sep or not hours.isdigit() or not mins.isdigit() or len(mins) != 2:
        raise ValueError(f"not a time: {hhmm!r}")
    value = int(hours) * 60 + int(mins)
    if int(hours) > 23 or int(mins) > 59:
        raise ValueError(f"not a time: {hhmm!r}")
    return value


def slot_at(hhmm: str) -> int:
    """The slot a time of day falls in: before noon morning, before 17:00 afternoon, then evening."""
    value = minutes(hhmm)
    return max(i for i, start in enumerate(_SLOT_STARTS) if value >= start)


def slots_of_window(start: str, end: str) -> tuple[int, ...]:
    """The slots a window "HH:MM"–"HH:MM" overlaps (a run from 11:00 to 14:00 needs morning and afternoon)."""
    first = slot_at(start)
    # The end is exclusive: a run until 12:00 stays in the morning.
    last_minute = max(minutes(end) - 1, minutes(start))
    last = slot_at(f"{last_minute // 60:02d}:{last_minute % 60:02d}")
    return tuple(range(first, last + 1))


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week of `day` (runs per week are counted Monday to Sunday)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)
