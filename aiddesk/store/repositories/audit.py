"""Reading the audit trail (local table `audit`) for the coordinators' screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session

from aiddesk.store.models import Audit, Call, Delivery, Person, Request, Stop, Volunteer

_CODED: dict[str, Any] = {
    "person": Person,
    "call": Call,
    "request": Request,
    "volunteer": Volunteer,
    "delivery": Delivery,
}


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""
    action: str = ""
    start: dt.datetime | None = None  # from this moment (UTC, as stored)
    end: dt.datetime | None = None  # before this moment
    person_code: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    who: str
    action: str
    record_kind: str
    record_code: str
    detail: str


def _person_condition(session: Session, code: str) -> ColumnElement[bool]:
    """Entries about the person with `code`: on the person, their calls and requests and the
    stops of those requests, or naming the code in their detail (a call names its caller)."""
    person_id = session.scalar(select(Person.id).where(func.upper(Person.code) == code.strip().upper()))
    if person_id is None:
        return false()
    calls = select(Call.id).where(Call.person_id == person_id)
    requests = select(Request.id).where(Request.person_id == person_id)
    stops = select(Stop.id).where(Stop.request_id.in_(requests))
    return or_(
        and_(Audit.record_kind == "person", Audit.record_id == person_id),
        and_(Audit.record_kind == "call", Audit.record_id.in_(calls)),
        and_(Audit.record_kind == "request", Audit.record_id.in_(requests)),
        and_(Audit.record_kind == "stop", Audit.record_id.in_(stops)),
        Audit.detail.contains(f'"{code.strip().upper()}"'),
        Audit.detail.contains(person_id),
    )


def _conditions(session: Session, chosen: AuditFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if chosen.who:
        found.append(Audit.who == chosen.who)
    if chosen.action:
        found.append(Audit.action == chosen.action)
    if chosen.start is not None:
        found.append(Audit.at >= chosen.start)
    if chosen.end is not None:
        found.append(Audit.at < chosen.end)
    if chosen.person_code.strip():
        found.append(_person_condition(session, chosen.person_code))
    return found


def count(session: Session, chosen: AuditFilter) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Audit).where(*_conditions(session, chosen))) or 0
    )


def newest(session: Session, chosen: AuditFilter, limit: int) -> list[AuditRow]:
    """The newest `limit` entries that pass the filter, newest first, with their records' codes."""
    rows = session.execute(
        select(Audit.id, Audit.at, Audit.who, Audit.action, Audit.record_kind, Audit.record_id, Audit.detail)
        .where(*_conditions(session, chosen))
        .order_by(Audit.id.desc())
        .limit(limit)
    ).all()
    codes = _codes(session, [(r.record_kind, r.record_id) for r in rows])
    return [
        AuditRow(r.id, r.at, r.who, r.action, r.record_kind, codes.get(r.record_id, ""), r.detail)
        for r in rows
    ]


def _codes(session: Session, records: Sequence[tuple[str, str]]) -> dict[str, str]:
    wanted: dict[str, set[str]] = {}
    for kind, record_id in records:
        if kind in _CODED and record_id:
            wanted.setdefault(kind, set()).add(record_id)
    codes: dict[str, str] = {}
    for kind, ids in wanted.items():
        model = _CODED[kind]
        for chunk in _chunks(sorted(ids), 500):
            for record_id, code in session.execute(select(model.id, model.code).where(model.id.in_(chunk))):
                codes[str(record_id)] = str(code)
    return codes


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def accounts(session: Session) -> list[str]:
    """Every name that appears on the trail, sorted."""
    return sorted(n for n in session.scalars(select(Audit.who).distinct()) if n)


def actions(session: Session) -> list[str]:
    return sorted(session.scalars(select(Audit.action).distinct()))
