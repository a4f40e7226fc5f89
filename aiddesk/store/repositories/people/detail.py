"""One person in full (details, requests, deliveries) and one request, for the detail panel and the
person's page; and the rows a merge of two people changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from aiddesk.store.models import Call, Delivery, NeedCategory, Person, Request, Stop, Volunteer, Zone


def _label(model: Any, language: str) -> ColumnElement[str]:
    """The label in `language`, falling back to the other language when it is empty."""
    first, other = (model.label_es, model.label_en) if language == "es" else (model.label_en, model.label_es)
    return func.coalesce(func.nullif(first, ""), func.nullif(other, ""), "")


@dataclass(frozen=True)
class PersonInfo:
    id: str
    code: str
    name: str
    phone: str | None
    phone_raw: str
    phone2: str | None
    phone2_raw: str
    email: str
    language: str
    needs_interpreter: bool
    address: str
    zone_id: str | None
    household_size: int | None
    elevated_risk: bool
    dietary_needs: str
    delivery_notes: str
    safety_notes: str
    consent: bool
    consent_version: str
    anonymous: bool
    contact_method: str
    contact_time: str
    deleted: bool
    replaced_by: str | None
    zone: str = ""  # the zone's label in the language asked for


_PERSON_COLUMNS = [f.name for f in fields(PersonInfo) if f.name != "zone"]


def person_info(session: Session, person_id: str, language: str = "en") -> PersonInfo | None:
    """The person (live or a tombstone), or None when there is no such record."""
    zone = aliased(Zone)
    query = (
        select(
            *(getattr(Person, name) for name in _PERSON_COLUMNS), func.coalesce(_label(zone, language), "")
        )
        .outerjoin(zone, zone.id == Person.zone_id)
        .where(Person.id == person_id)
    )
    row = session.execute(query).first()
    return PersonInfo(*row) if row is not None else None  # type: ignore[call-arg]


@dataclass(frozen=True)
class RequestInfo:
    id: str
    code: str
    person_id: str
    need: str
    details: str
    urgency: str
    recurring: str
    status: str
    status_reason: str
    follow_up: dt.date | None
    created_at: dt.datetime


def _request_query(language: str):
    return (
        select(
            Request.id,
            Request.code,
            Request.person_id,
            _label(NeedCategory, language),
            Request.details,
            Request.urgency,
            Request.recurring,
            Request.status,
            Request.status_reason,
            Request.follow_up,
            Request.created_at,
        )
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .where(Request.deleted.is_(False))
    )


def request_info(session: Session, request_id: str, language: str = "en") -> RequestInfo | None:
    row = session.execute(_request_query(language).where(Request.id == request_id)).first()
    return RequestInfo(*row) if row is not None else None


def requests_of_person(session: Session, person_id: str, language: str = "en") -> list[RequestInfo]:
    """Every live request of a person, newest first."""
    query = _request_query(language).where(Request.person_id == person_id)
    return [
        RequestInfo(*row)
        for row in session.execute(query.order_by(Request.created_at.desc(), Request.code.desc()))
    ]


@dataclass(frozen=True)
class DeliveryInfo:
    """One stop of a run that carried one of the person's requests."""

    delivery_id: str
    delivery_code: str
    date: dt.date
    window_start: str
    window_end: str
    delivery_status: str
    volunteer_name: str
    request_code: str
    stop_outcome: str
    failure_reason: str
    delivered_at: dt.datetime | None


def deliveries_of_person(session: Session, person_id: str) -> list[DeliveryInfo]:
    """The runs with a stop for one of the person's requests, newest first."""
    query = (
        select(
            Delivery.id,
            Delivery.code,
            Delivery.date,
            Delivery.window_start,
            Delivery.window_end,
            Delivery.status,
            Volunteer.name,
            Request.code,
            Stop.outcome,
            Stop.failure_reason,
            Stop.delivered_at,
        )
        .select_from(Request)
        .join(Stop, Stop.request_id == Request.id)
        .join(Delivery, Delivery.id == Stop.delivery_id)
        .join(Volunteer, Volunteer.id == Delivery.volunteer_id)
        .where(
            Request.person_id == person_id,
            Request.deleted.is_(False),
            Stop.deleted.is_(False),
            Delivery.deleted.is_(False),
        )
        .order_by(Delivery.date.desc(), Delivery.window_start.desc(), Delivery.id, Request.code)
    )
    return [DeliveryInfo(*row) for row in session.execute(query)]


def activity_counts(session: Session, person_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(live calls, live requests) per person."""
    if not person_ids:
        return {}
    calls = dict(
        session.execute(
            select(Call.person_id, func.count())
            .where(Call.person_id.in_(person_ids), Call.deleted.is_(False))
            .group_by(Call.person_id)
        ).all()
    )
    requests = dict(
        session.execute(
            select(Request.person_id, func.count())
            .where(Request.person_id.in_(person_ids), Request.deleted.is_(False))
            .group_by(Request.person_id)
        ).all()
    )
    return {pid: (calls.get(pid, 0), requests.get(pid, 0)) for pid in person_ids}


# ---- for a merge ----------------------------------------------------------------------------------


def get_person(session: Session, person_id: str) -> Person | None:
    """The person record, live or a tombstone."""
    return session.get(Person, person_id)


def requests_for_merge(session: Session, person_id: str) -> list[Request]:
    query = select(Request).where(Request.person_id == person_id, Request.deleted.is_(False))
    return list(session.scalars(query.order_by(Request.created_at, Request.code)))


def left_on_merged(session: Session) -> list[tuple[Request | Call, Person]]:
    """Live requests and calls still on a person merged into another, each with the live person
    at the end of the merges: a desk that had not heard of the merge took them for the merged
    record. The merged record's own ones moved with the merge."""
    from aiddesk.store.repositories.people.intake_checks import current_person

    merged = select(Person.id).where(Person.deleted.is_(True), Person.replaced_by.is_not(None))
    rows: list[Request | Call] = [
        *session.scalars(select(Request).where(Request.person_id.in_(merged), Request.deleted.is_(False))),
        *session.scalars(select(Call).where(Call.person_id.in_(merged), Call.deleted.is_(False))),
    ]
    out: list[tuple[Request | Call, Person]] = []
    for row in rows:
        survivor = current_person(session, str(row.person_id))
        if survivor is not None:
            out.append((row, survivor))
    return out


def calls_for_merge(session: Session, person_id: str) -> list[Call]:
    query = select(Call).where(Call.person_id == person_id, Call.deleted.is_(False))
    return list(session.scalars(query.order_by(Call.taken_at, Call.id)))
