"""What the coordinator's overview counts about today, each from an index (fast at 100,000 people).

Live records only; times as naive UTC, days as given by the caller (the desk's local day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select
from sqlalchemy.orm import Session

from aiddesk.domain.enums import RequestStatus, StopOutcome
from aiddesk.store.models import Call, KnownDesk, Request, Stop


@dataclass(frozen=True)
class WaitingRow:
    id: str
    code: str
    category_id: str
    status: str
    created_at: dt.datetime


@dataclass(frozen=True)
class DeskSeen:
    code: str
    name: str
    last_merged_at: dt.datetime  # naive UTC


def _core(session: Session) -> Connection:
    return session.connection()


def calls_between(session: Session, start: dt.datetime, end: dt.datetime) -> int:
    query = select(func.count()).where(Call.taken_at >= start, Call.taken_at < end, Call.deleted.is_(False))
    return int(_core(session).execute(query).scalar_one())


def requests_between(session: Session, start: dt.datetime, end: dt.datetime) -> int:
    query = select(func.count()).where(
        Request.created_at >= start, Request.created_at < end, Request.deleted.is_(False)
    )
    return int(_core(session).execute(query).scalar_one())


def requests_by_status(session: Session, statuses: Iterable[str]) -> dict[str, int]:
    query = (
        select(Request.status, func.count())
        .where(Request.deleted.is_(False), Request.status.in_(list(statuses)))
        .group_by(Request.status)
    )
    return {status: count for status, count in _core(session).execute(query).all()}


def call_backs(session: Session, statuses: Iterable[str], today: dt.date) -> tuple[int, int]:
    """(due today, overdue): requests waiting for a call with their call-back day today or before."""
    query = select(
        func.count(case((Request.follow_up == today, 1))), func.count(case((Request.follow_up < today, 1)))
    ).where(
        Request.follow_up <= today,
        Request.follow_up.is_not(None),
        Request.deleted.is_(False),
        Request.status.in_(list(statuses)),
    )
    due, overdue = _core(session).execute(query).one()
    return int(due), int(overdue)


def failed_to_replan(session: Session) -> int:
    """Requests whose delivery failed, not yet on another run: those still marked failed, and
    those made ready again after a failed stop (recording a failure does both at once)."""
    failed_stop = (
        select(Stop.id)
        .where(
            Stop.request_id == Request.id, Stop.outcome == StopOutcome.FAILED.value, Stop.deleted.is_(False)
        )
        .exists()
    )
    live = Request.deleted.is_(False)
    still_failed = select(func.count()).where(live, Request.status == RequestStatus.FAILED.value)
    ready_again = select(func.count()).where(live, Request.status == RequestStatus.READY.value, failed_stop)
    conn = _core(session)
    return int(conn.execute(still_failed).scalar_one()) + int(conn.execute(ready_again).scalar_one())


def oldest_waiting(session: Session, statuses: Iterable[str], limit: int) -> list[WaitingRow]:
    """The requests waiting longest in these statuses, oldest first."""
    query = (
        select(Request.id, Request.code, Request.category_id, Request.status, Request.created_at)
        .where(Request.deleted.is_(False), Request.status.in_(list(statuses)))
        .order_by(Request.created_at, Request.code)
        .limit(limit)
    )
    return [WaitingRow(*row) for row in _core(session).execute(query).all()]


def desks_seen(session: Session) -> list[DeskSeen]:
    """The other desks whose workbooks were merged here, the latest first."""
    query = select(KnownDesk.code, KnownDesk.name, KnownDesk.last_merged_at).order_by(
        KnownDesk.last_merged_at.desc()
    )
    return [DeskSeen(*row) for row in _core(session).execute(query).all()]


def any_request(session: Session) -> bool:
    """Whether the desk holds a live request (the overview is then its first screen)."""
    query = select(Request.id).where(Request.deleted.is_(False)).limit(1)
    return _core(session).execute(query).first() is not None
