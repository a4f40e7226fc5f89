"""The queries of retention: closed requests with the date they closed, people with the date they
were last heard from (domain/retention.py decides which are due)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from aiddesk.store.models import Call, Event, Person, Request, Stop


@dataclass(frozen=True)
class Dated:
    id: str
    code: str
    last: dt.datetime | None


def closed_requests_with_text(session: Session, statuses: Iterable[str]) -> list[Dated]:
    """Closed requests that still hold details, a status reason, stop notes or a reason in
    their history, with when they closed (their last
    status move; the day they were made when no move is recorded)."""
    moved = (
        select(Event.record_id, func.max(Event.at).label("at"))
        .where(Event.record_kind == Request.kind, Event.what == "status", Event.deleted.is_(False))
        .group_by(Event.record_id)
        .subquery()
    )
    noted = select(Stop.request_id).where(Stop.note != "", Stop.deleted.is_(False))
    reasoned = select(Event.record_id).where(*_status_events_with_reason())
    rows = session.execute(
        select(Request.id, Request.code, func.coalesce(moved.c.at, Request.created_at))
        .outerjoin(moved, moved.c.record_id == Request.id)
        .where(
            Request.deleted.is_(False),
            Request.status.in_(list(statuses)),
            or_(
                Request.details != "",
                Request.status_reason != "",
                Request.id.in_(noted),
                Request.id.in_(reasoned),
            ),
        )
        .order_by(Request.code)
    )
    return [Dated(id_, code, last) for id_, code, last in rows]


def people_last_heard(session: Session) -> list[Dated]:
    """Every person not erased, with the last call, request or stop of theirs (None: none known)."""
    last: dict[str, dt.datetime] = {}

    def keep(rows: Iterable[Any]) -> None:
        for person_id, at in rows:
            if person_id is not None and at is not None and (person_id not in last or at > last[person_id]):
                last[person_id] = at

    keep(session.execute(select(Call.person_id, func.max(Call.taken_at)).group_by(Call.person_id)))
    keep(session.execute(select(Request.person_id, func.max(Request.created_at)).group_by(Request.person_id)))
    stop_at = func.max(func.coalesce(Stop.recorded_at, Stop.delivered_at))
    keep(
        session.execute(
            select(Request.person_id, stop_at)
            .join(Stop, Stop.request_id == Request.id)
            .group_by(Request.person_id)
        )
    )
    people = session.execute(
        select(Person.id, Person.code)
        .where(Person.erased.is_(False), Person.deleted.is_(False), Person.replaced_by.is_(None))
        .order_by(Person.code)
    )
    return [Dated(id_, code, last.get(id_)) for id_, code in people]


def closed_request(session: Session, request_id: str) -> Request | None:
    return session.get(Request, request_id)


def stops_with_notes(session: Session, request_id: str) -> list[Stop]:
    return list(session.scalars(select(Stop).where(Stop.request_id == request_id, Stop.note != "")))


def people_with_open_requests(session: Session, statuses: Iterable[str]) -> set[str]:
    rows = session.scalars(
        select(Request.person_id)
        .where(Request.deleted.is_(False), Request.status.in_(list(statuses)))
        .distinct()
    )
    return set(rows)


def _status_events_with_reason() -> tuple[Any, ...]:
    """A request's status moves whose reason is not empty."""
    return (
        Event.record_kind == Request.kind,
        Event.what == "status",
        func.coalesce(func.json_extract(Event.detail, "$.reason"), "") != "",
    )


def status_events_with_reason(session: Session, request_id: str) -> list[Event]:
    return list(
        session.scalars(select(Event).where(Event.record_id == request_id, *_status_events_with_reason()))
    )
