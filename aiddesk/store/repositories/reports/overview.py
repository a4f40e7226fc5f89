"""What the coordinator's overview counts about today, each from an index (fast at 100,000 people).

Live records only; times as naive UTC, days as given by the caller (the desk's local day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select
from sqlalchemy.orm import Session

from aiddesk.domain.enums import RequestStatus
from aiddesk.store.models import Call, KnownDesk, Request
from aiddesk.store.repositories.reports.figures import stored


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
    # INDEXED BY: without statistics SQLite takes ix_request_queue (it starts with "deleted") and
    # walks every live request (100 ms at 100,000 people) instead of the period's range.
    count = _core(session).exec_driver_sql(
        "SELECT count(*) FROM request INDEXED BY ix_request_created "
        "WHERE created_at >= ? AND created_at < ? AND deleted = 0",
        (stored(start), stored(end)),
    )
    return int(count.scalar_one())


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
    conn = _core(session)
    still_failed = select(func.count()).where(
        Request.deleted.is_(False), Request.status == RequestStatus.FAILED.value
    )
    # Two small partial indexes (migration 0008), the live ready requests and the live failed
    # stops, met in a temporary index: never a row read (100 ms at 100,000 people, now ~5).
    # The literals are those of the indexes (a bound value would not match them).
    ready_again = conn.exec_driver_sql(
        "SELECT count(*) FROM request INDEXED BY ix_request_ready "
        "WHERE status = 'ready' AND deleted = 0 AND id IN "
        "(SELECT request_id FROM stop INDEXED BY ix_stop_failed WHERE outcome = 'failed' AND deleted = 0)"
    ).scalar_one()
    return int(conn.execute(still_failed).scalar_one()) + int(ready_again)


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
