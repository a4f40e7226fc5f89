"""The day to call back (a request's follow-up): when it may be set and when it no longer applies."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Problem

# Statuses that wait for a call: a move to one of them may set the day to call back.
FOLLOW_UP_STATUSES: frozenset[RequestStatus] = frozenset({RequestStatus.NEEDS_INFO, RequestStatus.CALL_BACK})


def follow_up_problem(day: dt.date | None, today: dt.date) -> Problem | None:
    """A day to call back must not have passed already (today is fine)."""
    if day is not None and day < today:
        return Problem("follow_up", N_("The day to call back has passed; choose today or a later day."))
    return None


def follow_up_after_move(
    target: RequestStatus, current: dt.date | None, chosen: dt.date | None = None
) -> dt.date | None:
    """The day to call back a request keeps after moving to `target`: the one chosen, else the one
    it had, while the request still waits for a call (needs info, call back); none otherwise (a
    ready, assigned, delivered or closed request has no call to wait for)."""
    if target not in FOLLOW_UP_STATUSES:
        return None
    return chosen if chosen is not None else current
