"""What route sheets are made of: the runs of a day and the printable facts of their stops.

Only the columns a sheet may print are read (see aiddesk.domain.route_sheet): safety
notes, e-mail, household and other private fields are never selected here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from aiddesk.domain.enums import DeliveryStatus
from aiddesk.store.models import Delivery, Desk, NeedCategory, Person, Request, Stop, Volunteer, Zone
from aiddesk.store.repositories.volunteers import volunteer_sort


@dataclass(frozen=True)
class RunFacts:
    id: str
    code: str
    date: dt.date
    window_start: str
    window_end: str
    status: str
    notes: str
    volunteer_name: str
    volunteer_language: str


@dataclass(frozen=True)
class StopFacts:
    delivery_id: str
    position: int
    name: str
    address: str
    zone_en: str
    zone_es: str
    need_en: str
    need_es: str
    details: str
    dietary_needs: str
    delivery_notes: str
    language: str
    needs_interpreter: bool
    phone: str | None
    phone_raw: str
    consent: bool
    anonymous: bool


def _runs() -> Any:
    return (
        select(
            Delivery.id,
            Delivery.code,
            Delivery.date,
            Delivery.window_start,
            Delivery.window_end,
            Delivery.status,
            Delivery.notes,
            Volunteer.name,
            Volunteer.preferred_language,
        )
        .join(Volunteer, Volunteer.id == Delivery.volunteer_id)
        .where(Delivery.deleted.is_(False))
    )


def runs_on(session: Session, day: dt.date, language: str = "en") -> list[RunFacts]:
    """The day's runs that go out (not cancelled), by window start, then volunteer (names sorted
    as `language` expects)."""
    query = (
        _runs()
        .where(Delivery.date == day, Delivery.status != DeliveryStatus.CANCELLED.value)
        .order_by(Delivery.window_start, volunteer_sort(language), Delivery.code)
    )
    return [RunFacts(*row) for row in session.execute(query)]


def run(session: Session, delivery_id: str) -> RunFacts | None:
    row = session.execute(_runs().where(Delivery.id == delivery_id)).first()
    return RunFacts(*row) if row is not None else None


def stops_of_runs(session: Session, delivery_ids: list[str]) -> dict[str, list[StopFacts]]:
    """The printable facts of the runs' stops, in stop order, by run id."""
    found: dict[str, list[StopFacts]] = {i: [] for i in delivery_ids}
    if not delivery_ids:
        return found
    zone = aliased(Zone)
    query = (
        select(
            Stop.delivery_id,
            Stop.position,
            Person.name,
            Person.address,
            func.coalesce(zone.label_en, ""),
            func.coalesce(zone.label_es, ""),
            NeedCategory.label_en,
            NeedCategory.label_es,
            Request.details,
            Person.dietary_needs,
            Person.delivery_notes,
            Person.language,
            Person.needs_interpreter,
            Person.phone,
            Person.phone_raw,
            Person.consent,
            Person.anonymous,
        )
        .join(Request, Request.id == Stop.request_id)
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone, zone.id == Person.zone_id)
        .where(Stop.delivery_id.in_(delivery_ids), Stop.deleted.is_(False))
        .order_by(Stop.delivery_id, Stop.position, Stop.id)
    )
    for row in session.execute(query):
        found[row[0]].append(StopFacts(*tuple(row)))  # mypy cannot spread a Row of over ten columns
    return found


def phone_region(session: Session) -> str:
    return session.scalar(select(Desk.phone_region)) or "US"
