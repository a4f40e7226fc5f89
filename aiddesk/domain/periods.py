"""Periods of the desk's local days, and the few sums the reports make of them.

Times are stored as naive UTC; a day is a date of the desk's local time, both ends of a
period included. `tz` is a tzinfo (a ZoneInfo) or None for this computer's own time zone,
which is the desk's. Pure: no Qt, no SQL."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

DAY = dt.timedelta(days=1)


def local_midnight_utc(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    """The naive UTC time at which the local `day` starts."""
    midnight = dt.datetime.combine(day, dt.time())
    aware = midnight.astimezone() if tz is None else midnight.replace(tzinfo=tz)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def local_date(utc: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The local date of a naive UTC time."""
    return utc.replace(tzinfo=dt.UTC).astimezone(tz).date()


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of `day`."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """Local days `first` to `last`, both included."""

    first: dt.date
    last: dt.date
    tz: dt.tzinfo | None = None

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period ends on or after the day it starts")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def start(self) -> dt.datetime:
        """Naive UTC start (included)."""
        return local_midnight_utc(self.first, self.tz)

    @property
    def end(self) -> dt.datetime:
        """Naive UTC end (excluded): the start of the day after the last."""
        return local_midnight_utc(self.last + DAY, self.tz)

    def dates(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range(self.days)]

    def bounds(self) -> list[dt.datetime]:
        """Naive UTC start of each day, then the end of the last: one more than the days."""
        return [local_midnight_utc(day, self.tz) for day in self.dates()] + [self.end]

    def weeks(self) -> list[dt.date]:
        """The Mondays of the weeks the period touches."""
        out, monday = [], week_start(self.first)
        while monday <= self.last:
            out.append(monday)
            monday += dt.timedelta(days=7)
        return out

    def tail(self, days: int) -> Period:
        """The last `days` days of the period (the whole period when it is shorter)."""
        return Period(max(self.first, self.last - dt.timedelta(days=days - 1)), self.last, self.tz)


def median_days(days: Iterable[float]) -> float | None:
    """The median of `days`, to one decimal (None when there are none)."""
    values = list(days)
    if not values:
        return None
    return round(statistics.median(values), 1)
