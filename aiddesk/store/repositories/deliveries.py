"""Delivery runs and their stops: loading them for a change, and the lists the Deliveries screen shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from aiddesk.domain.enums import URGENCY_RANK, DeliveryStatus
from aiddesk.store.models import Delivery, Event, NeedCategory, Person, Request, Stop, Volunteer, Zone
from aiddesk.store.repositories.volunteers import volunteer_sort

# The event on a delivered recurring request that names the request opened for next week.
NEXT_REQUEST_EVENT = "next_request"
RECENT_RUNS = 200  # runs listed for one volunteer (newest first)
READY_LIMIT = 500  # ready requests offered when planning a run


def _label(model: Any, language: str) -> ColumnElement[str]:
    """The label in `language`, falling back to the other language when it is empty."""
    first, other = (model.label_es, model.label_en) if language == "es" else (model.label_en, model.label_es)
    return func.coalesce(func.nullif(first, ""), func.nullif(other, ""), "")


# ---- for a change ---------------------------------------------------------------------------------


def get_delivery(session: Session, delivery_id: str) -> Delivery | None:
    run = session.get(Delivery, delivery_id)
    return run if run is not None and not run.deleted else None


def get_stop(session: Session, stop_id: str) -> Stop | None:
    stop = session.get(Stop, stop_id)
    return stop if stop is not None and not stop.deleted else None


def get_volunteer(session: Session, volunteer_id: str) -> Volunteer | None:
    volunteer = session.get(Volunteer, volunteer_id)
    return volunteer if volunteer is not None and not volunteer.deleted else None


def stops_of(session: Session, delivery_id: str) -> list[Stop]:
    """The live stops of a run in their order."""
    query = (
        select(Stop)
        .where(Stop.delivery_id == delivery_id, Stop.deleted.is_(False))
        .order_by(Stop.position, Stop.id)
    )
    return list(session.scalars(query))


def requests_by_id(session: Session, ids: list[str]) -> dict[str, Request]:
    if not ids:
        return {}
    # By primary key alone: with "deleted" in the condition SQLite may walk the request queue's index
    # (it starts with deleted) through every live request instead (~200 ms at 100,000 requests).
    query = select(Request).where(Request.id.in_(ids))
    return {r.id: r for r in session.scalars(query) if not r.deleted}


def has_next_request(session: Session, request_id: str) -> bool:
    """Whether next week's request was already opened for this recurring request."""
    query = select(Event.id).where(
        Event.record_id == request_id, Event.what == NEXT_REQUEST_EVENT, Event.deleted.is_(False)
    )
    return session.scalar(query.limit(1)) is not None


# ---- lists for the screen -------------------------------------------------------------------------


@dataclass(frozen=True)
class RunRow:
    id: str
    code: str
    date: dt.date
    window_start: str
    window_end: str
    volunteer_id: str
    volunteer_name: str
    status: str
    stops: int
    recorded: int  # stops with an outcome


@dataclass(frozen=True)
class StopRow:
    id: str
    position: int
    request_id: str
    request_code: str
    request_status: str
    person_name: str
    address: str
    need: str
    zone: str
    outcome: str
    failure_reason: str
    note: str


@dataclass(frozen=True)
class VolunteerChoice:
    id: str
    code: str
    name: str
    preferred_language: str


@dataclass(frozen=True)
class ReadyRow:
    id: str
    code: str
    person_name: str
    address: str
    need: str
    zone: str
    urgency: str
    created_at: dt.datetime


def _runs_query() -> Any:
    # Counted per listed run (correlated, through the stop.delivery_id index), never over all stops.
    live = (Stop.delivery_id == Delivery.id) & Stop.deleted.is_(False)
    stops = select(func.count()).where(live).scalar_subquery()
    recorded = select(func.count()).where(live, Stop.outcome != "pending").scalar_subquery()
    return (
        select(
            Delivery.id,
            Delivery.code,
            Delivery.date,
            Delivery.window_start,
            Delivery.window_end,
            Delivery.volunteer_id,
            Volunteer.name,
            Delivery.status,
            stops,
            recorded,
        )
        .join(Volunteer, Volunteer.id == Delivery.volunteer_id)
        .where(Delivery.deleted.is_(False))
    )


def runs_on(session: Session, day: dt.date, language: str = "en") -> list[RunRow]:
    """The runs of one day, by start of their window, then volunteer (names sorted as `language`
    expects)."""
    query = (
        _runs_query()
        .where(Delivery.date == day)
        .order_by(Delivery.window_start, volunteer_sort(language), Delivery.code)
    )
    return [RunRow(*row) for row in session.execute(query)]


def runs_of_volunteer(session: Session, volunteer_id: str, limit: int = RECENT_RUNS) -> list[RunRow]:
    """One volunteer's runs, the latest first."""
    query = (
        _runs_query()
        .where(Delivery.volunteer_id == volunteer_id)
        .order_by(Delivery.date.desc(), Delivery.window_start.desc(), Delivery.code.desc())
        .limit(limit)
    )
    return [RunRow(*row) for row in session.execute(query)]


def run_row(session: Session, delivery_id: str) -> RunRow | None:
    row = session.execute(_runs_query().where(Delivery.id == delivery_id)).first()
    return RunRow(*row) if row is not None else None


def stop_rows(session: Session, delivery_id: str, *, language: str = "en") -> list[StopRow]:
    """The stops of a run in their order, with what the screen shows of each request."""
    zone_alias = aliased(Zone)
    query = (
        select(
            Stop.id,
            Stop.position,
            Request.id,
            Request.code,
            Request.status,
            Person.name,
            Person.address,
            _label(NeedCategory, language),
            func.coalesce(_label(zone_alias, language), ""),
            Stop.outcome,
            Stop.failure_reason,
            Stop.note,
        )
        .join(Request, Request.id == Stop.request_id)
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone_alias, zone_alias.id == Person.zone_id)
        .where(Stop.delivery_id == delivery_id, Stop.deleted.is_(False))
        .order_by(Stop.position, Stop.id)
    )
    return [StopRow(*tuple(row)) for row in session.execute(query)]  # mypy: a Row of over ten columns


@dataclass(frozen=True)
class RunTime:
    id: str
    code: str
    window_start: str
    window_end: str


def runs_of_volunteer_on(session: Session, volunteer_id: str, day: dt.date) -> list[RunTime]:
    """A volunteer's runs of one day that were not cancelled, by window start."""
    query = (
        select(Delivery.id, Delivery.code, Delivery.window_start, Delivery.window_end)
        .where(
            Delivery.volunteer_id == volunteer_id,
            Delivery.date == day,
            Delivery.deleted.is_(False),
            Delivery.status != DeliveryStatus.CANCELLED.value,
        )
        .order_by(Delivery.window_start, Delivery.code)
    )
    return [RunTime(*row) for row in session.execute(query)]


def active_volunteers(session: Session, language: str = "en") -> list[VolunteerChoice]:
    """Volunteers who may take a run, by name (sorted as `language` expects)."""
    query = (
        select(Volunteer.id, Volunteer.code, Volunteer.name, Volunteer.preferred_language)
        .where(Volunteer.deleted.is_(False), Volunteer.active.is_(True))
        .order_by(volunteer_sort(language), Volunteer.code)
    )
    return [VolunteerChoice(*row) for row in session.execute(query)]


def volunteers_with_runs(session: Session, language: str = "en") -> list[VolunteerChoice]:
    """Active volunteers and anyone who ever had a run, by name (for "runs by volunteer")."""
    has_run = select(Delivery.id).where(Delivery.volunteer_id == Volunteer.id, Delivery.deleted.is_(False))
    query = (
        select(Volunteer.id, Volunteer.code, Volunteer.name, Volunteer.preferred_language)
        .where(Volunteer.deleted.is_(False), Volunteer.active.is_(True) | has_run.exists())
        .order_by(volunteer_sort(language), Volunteer.code)
    )
    return [VolunteerChoice(*row) for row in session.execute(query)]


def ready_requests(session: Session, *, language: str = "en", limit: int = READY_LIMIT) -> list[ReadyRow]:
    """Requests ready for a run, the most pressing and the longest waiting first."""
    zone_alias = aliased(Zone)
    urgency = case(URGENCY_RANK, value=Request.urgency, else_=len(URGENCY_RANK))
    query = (
        select(
            Request.id,
            Request.code,
            Person.name,
            Person.address,
            _label(NeedCategory, language),
            func.coalesce(_label(zone_alias, language), ""),
            Request.urgency,
            Request.created_at,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone_alias, zone_alias.id == Person.zone_id)
        .where(and_(Request.status == "ready", Request.deleted.is_(False)))
        .order_by(urgency, Request.created_at, Request.id)
        .limit(limit)
    )
    return [ReadyRow(*row) for row in session.execute(query)]
