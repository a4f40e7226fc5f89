"""The request queue of the Requests screen: what to list, counts per status, the selected
request in full with its history, and status moves.

Reads only: each function opens one short session. Moves go through
`request_status.move_status` (one transaction, with their status events)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from aiddesk.domain.access import Right, may
from aiddesk.domain.enums import RequestStatus, Urgency
from aiddesk.domain.follow_up import FOLLOW_UP_STATUSES
from aiddesk.domain.periods import Period
from aiddesk.domain.status import ALLOWED, NEEDS_REASON, OPEN
from aiddesk.services.requests.status import MoveResult, move_status
from aiddesk.store.database import Database
from aiddesk.store.repositories import history as history_repo
from aiddesk.store.repositories import request_queue as repo
from aiddesk.store.repositories.history import CallRow
from aiddesk.store.repositories.people import detail as person_repo
from aiddesk.store.repositories.people.detail import PersonInfo, RequestInfo
from aiddesk.store.repositories.request_queue import NO_ZONE, SORT_KEYS, RequestRow

__all__ = [
    "CALL_BACK_STATUSES",
    "CLOSED_STATUSES",
    "Focus",
    "NO_ZONE",
    "OPEN_STATUSES",
    "SORT_KEYS",
    "HistoryEntry",
    "QueueCounts",
    "QueueQuery",
    "QueueSnapshot",
    "RequestDetail",
    "RequestRow",
    "allowed_targets",
    "move_requests",
    "needs_reason",
    "queue_counts",
    "queue_order",
    "queue_rows",
    "queue_snapshot",
    "request_detail",
    "takes_follow_up",
]

OPEN_STATUSES: tuple[RequestStatus, ...] = tuple(s for s in RequestStatus if s in OPEN)
CLOSED_STATUSES: tuple[RequestStatus, ...] = tuple(s for s in RequestStatus if s not in OPEN)
# The "call back today" view: these statuses with a follow-up date today or earlier.
CALL_BACK_STATUSES: frozenset[RequestStatus] = FOLLOW_UP_STATUSES
FAILED_TO_REPLAN_STATUSES: frozenset[RequestStatus] = frozenset({RequestStatus.FAILED, RequestStatus.READY})


class Focus(StrEnum):
    """One of the overview's numbers, as a filter of the queue (NONE: no such filter).

    A call-back focus lists the requests waiting for a call (needs info, call back) and a failed
    delivery focus those still to plan again (failed, or ready after a failed stop), whatever
    statuses the chips chose; "new today" keeps the chips' statuses."""

    NONE = ""
    NEW_TODAY = "new_today"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    FAILED = "failed"


@dataclass(frozen=True)
class QueueQuery:
    """What the coordinator chose to see. Empty sets mean "any"; the default is every open request."""

    statuses: frozenset[RequestStatus] = frozenset(OPEN_STATUSES)
    category_ids: frozenset[str] = frozenset()
    zone_ids: frozenset[str] = frozenset()  # NO_ZONE for people without a zone
    urgencies: frozenset[Urgency] = frozenset()
    older_than_days: int = 0  # 0: any age
    text: str = ""
    call_back_today: bool = False  # needs info / call back with a follow-up today or earlier
    focus: Focus = Focus.NONE

    def to_filter(self, *, today: dt.date, now: dt.datetime) -> repo.RequestFilter:
        """The repository's filter; `today` is the desk's local date, `now` naive UTC."""
        statuses = CALL_BACK_STATUSES if self.call_back_today else self.statuses
        if self.focus in (Focus.DUE_TODAY, Focus.OVERDUE):
            statuses = CALL_BACK_STATUSES
        elif self.focus is Focus.FAILED:
            statuses = FAILED_TO_REPLAN_STATUSES
        day = Period(today, today)
        return repo.RequestFilter(
            statuses=frozenset(s.value for s in statuses),
            category_ids=self.category_ids,
            zone_ids=self.zone_ids,
            urgencies=frozenset(u.value for u in self.urgencies),
            created_before=self._created_before(day, now),
            follow_up_by=today if self.call_back_today else None,
            follow_up_on=today if self.focus is Focus.DUE_TODAY else None,
            follow_up_before=today if self.focus is Focus.OVERDUE else None,
            created_from=day.start if self.focus is Focus.NEW_TODAY else None,
            failed_delivery=self.focus is Focus.FAILED,
            text=self.text.strip(),
        )

    def _created_before(self, day: Period, now: dt.datetime) -> dt.datetime | None:
        bounds = [now - dt.timedelta(days=self.older_than_days)] if self.older_than_days > 0 else []
        if self.focus is Focus.NEW_TODAY:
            bounds.append(day.end)
        return min(bounds, default=None)


def queue_order(
    db: Database,
    query: QueueQuery,
    *,
    sort: str = "age",
    descending: bool = False,
    language: str = "en",
    today: dt.date,
    now: dt.datetime,
) -> list[int]:
    """The rowids of the requests to list, in display order (see repositories.requests)."""
    with db.session() as session:
        return repo.ordered_request_ids(
            session,
            sort=sort,
            descending=descending,
            language=language,
            filters=query.to_filter(today=today, now=now),
        )


def queue_rows(db: Database, rowids: list[int], *, language: str = "en") -> list[RequestRow]:
    """The rows of one window, in the order of `rowids` (requests gone since are left out)."""
    if not rowids:
        return []
    with db.session() as session:
        return repo.request_rows(session, rowids, language=language)


@dataclass(frozen=True)
class QueueCounts:
    """Requests per status under the other filters, and how many to call back today."""

    by_status: dict[RequestStatus, int]
    call_back_today: int

    def total(self, statuses: Iterable[RequestStatus]) -> int:
        return sum(self.by_status.get(s, 0) for s in statuses)


@dataclass(frozen=True)
class QueueSnapshot:
    rowids: list[int]  # in display order
    counts: QueueCounts | None  # None when not asked for


def queue_snapshot(
    db: Database,
    query: QueueQuery,
    *,
    sort: str = "age",
    descending: bool = False,
    language: str = "en",
    today: dt.date,
    now: dt.datetime,
    with_counts: bool = True,
) -> QueueSnapshot:
    """The order to list and (`with_counts`) the counts the chips show, read together: the same
    as queue_order and queue_counts, in one pass when the filters make that cheaper."""
    with db.session() as session:
        snapshot = repo.queue_snapshot(
            session,
            sort=sort,
            descending=descending,
            language=language,
            filters=query.to_filter(today=today, now=now),
            with_counts=with_counts,
            due_statuses=frozenset(s.value for s in CALL_BACK_STATUSES),
            due_by=today,
        )
    if snapshot.counts is None or snapshot.due is None:
        return QueueSnapshot(snapshot.rowids, None)
    by_status = {s: snapshot.counts.get(s.value, 0) for s in RequestStatus}
    return QueueSnapshot(snapshot.rowids, QueueCounts(by_status, snapshot.due))


def queue_counts(db: Database, query: QueueQuery, *, today: dt.date, now: dt.datetime) -> QueueCounts:
    """Counts under the query's filters other than status and the call-back view: a status chip
    leaves that view when clicked, so its count says what it will list."""
    filters = replace(query, call_back_today=False).to_filter(today=today, now=now)
    call_back = QueueQuery(
        statuses=CALL_BACK_STATUSES,
        category_ids=query.category_ids,
        zone_ids=query.zone_ids,
        urgencies=query.urgencies,
        older_than_days=query.older_than_days,
        text=query.text,
        call_back_today=True,
        focus=query.focus,
    ).to_filter(today=today, now=now)
    with db.session() as session:
        counts = repo.status_counts(session, filters)
        call_back_today = repo.count_requests(session, call_back)
    by_status = {s: counts.get(s.value, 0) for s in RequestStatus}
    return QueueCounts(by_status, call_back_today)


# ---- status moves ---------------------------------------------------------------------------------


def _status(value: str) -> RequestStatus | None:
    try:
        return RequestStatus(value)
    except ValueError:  # a status from a newer desk: no moves offered
        return None


def allowed_targets(statuses: Iterable[str]) -> list[RequestStatus]:
    """Where requests in `statuses` may go: every target allowed for at least one, in status order."""
    known = [s for s in map(_status, statuses) if s is not None]
    targets = set().union(*(ALLOWED[s] for s in known)) if known else set()
    return [s for s in RequestStatus if s in targets]


def needs_reason(target: RequestStatus) -> bool:
    return target in NEEDS_REASON


def takes_follow_up(target: RequestStatus) -> bool:
    return target in FOLLOW_UP_STATUSES


def move_requests(
    db: Database,
    who: str,
    request_ids: list[str],
    target: RequestStatus,
    reason: str = "",
    follow_up: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> MoveResult:
    """Move the requests the domain allows; the result lists the others with why (nothing of theirs
    changes). A day to call back before `today` is refused (Invalid)."""
    return move_status(db, who, request_ids, target, reason, follow_up, today=today)


# ---- the selected request in full -----------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a request's history: a call of the person, or an event (status move, merge ...)."""

    at: dt.datetime  # naive UTC
    who: str
    kind: str  # "call", or the event's what: "status", "merged" ...
    call: CallRow | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RequestDetail:
    request: RequestInfo
    person: PersonInfo
    history: list[HistoryEntry]
    allowed: list[RequestStatus]


def request_detail(
    db: Database, request_id: str, *, language: str = "en", who: str = ""
) -> RequestDetail | None:
    """The request, its person and its history in time order (calls of the person, status moves
    of the request, merges of the person); None when the request is gone. The person's safety
    notes are left out for an account that may not read them."""
    with db.session() as session:
        request = person_repo.request_info(session, request_id, language)
        if request is None:
            return None
        person = person_repo.person_info(session, request.person_id, language)
        if person is None:
            return None
        if not may(who, Right.SAFETY_NOTES):
            person = dataclasses.replace(person, safety_notes="")
        calls = history_repo.calls_of_person(session, person.id)
        events = history_repo.events_of(session, [request.id], ("status",))
        events += history_repo.events_of(session, [person.id], ("merged", "edited"))
    history = [HistoryEntry(c.taken_at, c.taken_by, "call", call=c) for c in calls]
    history += [HistoryEntry(e.at, e.who, e.what, detail=e.detail) for e in events]
    history.sort(key=lambda h: h.at)
    return RequestDetail(request, person, history, allowed_targets([request.status]))
