"""What matching needs: the volunteers with their runs in the planned week, the requests
as the score sees them, and the ready requests to choose from (sorted in SQL, read by id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from aiddesk.domain.enums import URGENCY_RANK, DeliveryStatus, RequestStatus
from aiddesk.domain.matching import Candidate, Label, Need
from aiddesk.store.models import Delivery, NeedCategory, Person, Request, Zone
from aiddesk.store.repositories.volunteers import json_list

# Runs that count against a volunteer's week (a cancelled run took nothing from them).
COUNTED_RUNS = tuple(s.value for s in DeliveryStatus if s != DeliveryStatus.CANCELLED)


@dataclass(frozen=True)
class ReadyRow:
    id: str
    code: str
    person_name: str
    need: str
    zone: str
    language: str
    urgency: str
    details: str
    created_at: dt.datetime
    address: str = ""


def runs_in_week(session: Session, monday: dt.date, sunday: dt.date) -> dict[str, int]:
    """Runs per volunteer dated from `monday` to `sunday` (cancelled ones left out)."""
    query = (
        select(Delivery.volunteer_id, func.count())
        .where(
            Delivery.date.between(monday, sunday),
            Delivery.deleted.is_(False),
            Delivery.status.in_(COUNTED_RUNS),
        )
        .group_by(Delivery.volunteer_id)
    )
    return {volunteer_id: count for volunteer_id, count in session.execute(query)}


# Read through the driver's own cursor: at 5,000 volunteers SQLAlchemy's row processing
# would cost more than the scoring. Booleans arrive as 0/1.
_CANDIDATES_SQL = (
    "SELECT id, code, name, active, languages, skills, zones, availability,"
    " trained AND checked_on IS NOT NULL, max_runs_week, preferred_language"
    " FROM volunteer WHERE deleted = 0"
)


def candidates(session: Session, monday: dt.date, sunday: dt.date) -> list[Candidate]:
    """Every live volunteer (inactive ones too: the score says why they are left out),
    with their runs in the week from `monday` to `sunday`. Two queries."""
    runs = runs_in_week(session, monday, sunday)
    cursor = session.connection().connection.driver_connection.execute(_CANDIDATES_SQL)  # type: ignore[union-attr]
    frozen, listed = _frozen, json_list
    return [
        Candidate(
            vid,
            code,
            name,
            bool(active),
            listed(languages),
            frozen(skills),
            frozen(zones),
            mask or 0,
            bool(vetted),
            most or 0,
            runs.get(vid, 0),
            preferred,
        )
        for vid, code, name, active, languages, skills, zones, mask, vetted, most, preferred in cursor.fetchall()
    ]


_FROZEN: dict[str, frozenset[str]] = {}


def _frozen(value: str | None) -> frozenset[str]:
    """A JSON list column as a frozenset (the same few lists repeat: made once each)."""
    key = value or ""
    found = _FROZEN.get(key)
    if found is None:
        if len(_FROZEN) > 4096:
            _FROZEN.clear()
        found = _FROZEN[key] = frozenset(json_list(value))
    return found


def needs(session: Session, request_ids: list[str]) -> list[Need]:
    """The requests as the score sees them, in the order of `request_ids` (unknown ones left out)."""
    if not request_ids:
        return []
    query = (
        select(
            Request.id,
            Request.code,
            Request.category_id,
            NeedCategory.key,
            NeedCategory.label_en,
            NeedCategory.label_es,
            Person.zone_id,
            Person.language,
            Request.deleted,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        # Deleted ones are left out below, not in SQL: "deleted = 0" there lets SQLite pick the
        # queue index (deleted, status, ...) over the primary key and read every request (~200 ms).
        .where(Request.id.in_(request_ids))
    )
    found = {
        row[0]: Need(
            request_id=row[0],
            code=row[1],
            category_id=row[2],
            category_key=row[3],
            category=Label(row[4] or "", row[5] or ""),
            zone_id=row[6],
            language=row[7] or "",
        )
        for row in session.execute(query)
        if not row[8]
    }
    return [found[i] for i in request_ids if i in found]


def _label(model: Any, language: str) -> ColumnElement[str]:
    first, other = (model.label_es, model.label_en) if language == "es" else (model.label_en, model.label_es)
    return func.coalesce(func.nullif(first, ""), func.nullif(other, ""), "")


def ready_request_ids(session: Session) -> list[str]:
    """Ready requests, the most pressing first, then the longest waiting."""
    urgency = case(URGENCY_RANK, value=Request.urgency, else_=len(URGENCY_RANK))
    query = (
        select(Request.id)
        .where(Request.status == RequestStatus.READY.value, Request.deleted.is_(False))
        .order_by(urgency, Request.created_at, Request.id)
    )
    return list(session.scalars(query))


def ready_rows(session: Session, ids: list[str], *, language: str = "en") -> list[ReadyRow]:
    """The rows for `ids` (a window), in the order of `ids`."""
    if not ids:
        return []
    zone = aliased(Zone)
    query = (
        select(
            Request.id,
            Request.code,
            Person.name,
            _label(NeedCategory, language),
            func.coalesce(_label(zone, language), ""),
            Person.language,
            Request.urgency,
            Request.details,
            Request.created_at,
            Person.address,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone, zone.id == Person.zone_id)
        .where(Request.id.in_(ids))
    )
    found: dict[str, ReadyRow] = {}
    for row in session.execute(query):
        request_id, code, name, need, zone_name, person_language, urgency, details, created_at, address = row
        found[request_id] = ReadyRow(
            request_id, code, name, need, zone_name, person_language, urgency, details, created_at, address
        )
    return [found[i] for i in ids if i in found]


def request_statuses(session: Session, ids: list[str]) -> dict[str, str]:
    """The current status of each request (to see which are still ready)."""
    if not ids:
        return {}
    return dict(session.execute(select(Request.id, Request.status).where(Request.id.in_(ids))).all())
