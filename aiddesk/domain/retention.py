"""Retention: which records are due to forget, given today, the months kept and their dates.

Two rules, each off unless an administrator sets a number of months:
- a closed request (delivered, or closed by one of the closing exits) loses its details and the
  notes of its stops once it has been closed that long;
- a person not heard from that long (no call, request or delivery stop since) is erased.
A person of whom no date is known at all is kept: nothing says how long ago they called."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiddesk.domain.markers import N_

MIN_MONTHS = 6  # less than half a year forgets requests still being followed up
MAX_MONTHS = 120  # ten years
DEFAULT_MONTHS = 24  # offered when a rule is first switched on


@dataclass(frozen=True)
class RetentionPolicy:
    """`request_months` / `people_months`: None when that rule is off; `enabled`: confirmed after
    a preview (until then nothing runs)."""

    request_months: int | None = None
    people_months: int | None = None
    enabled: bool = False

    @property
    def anything(self) -> bool:
        return self.request_months is not None or self.people_months is not None


def months_problem(months: int | None) -> str | None:
    """Why `months` cannot be a retention period (English, marked N_), or None."""
    if months is None:
        return None
    if not MIN_MONTHS <= months <= MAX_MONTHS:
        return N_("Keep records between 6 and 120 months.")
    return None


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = today.day
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def cutoff(today: dt.date, months: int | None) -> dt.datetime | None:
    """Records whose date is before this moment are due; None when the rule is off."""
    if months is None:
        return None
    return dt.datetime.combine(months_before(today, months), dt.time())


def is_due(last: dt.datetime | None, today: dt.date, months: int | None) -> bool:
    """Is a record whose last date is `last` due under a rule of `months`? Never when the rule is
    off or no date is known."""
    limit = cutoff(today, months)
    return limit is not None and last is not None and last < limit


def run_is_due(last_run: dt.date | None, today: dt.date, policy: RetentionPolicy) -> bool:
    """Retention runs once a day, once confirmed."""
    return policy.enabled and policy.anything and (last_run is None or last_run < today)
