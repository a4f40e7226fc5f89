"""What the printable lists are made of: the call-backs due on a day, and the needs each run of a
day carries. Only the columns a list may print are read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiddesk.domain.enums import DeliveryStatus
from aiddesk.store.models import Call, Delivery, NeedCategory, Person, Request, Stop, Volunteer
from aiddesk.store.repositories.reports.figures import merged_into, resolve

CHUNK = 900


@dataclass(frozen=True)
class CallBackFacts:
    request_id: str
    person_id: str  # the person it counts as (after merges)
    need_en: str
    need_es: str
    status: str
    status_reason: str
    follow_up: dt.date


@dataclass(frozen=True)
class CallerFacts:
    name: str
    phone: str | None
    phone_raw: str
    language: str
    consent: bool
    anonymous: bool
    erased: bool


@dataclass(frozen=True)
class RunNeeds:
    id: str
    code: str
    window_start: str
    window_end: str
    volunteer_name: str
    volunteer_language: str
    needs: dict[str, int]  # need category id -> stops


def call_backs_due(session: Session, statuses: Iterable[str], day: dt.date) -> list[CallBackFacts]:
    """Live requests waiting for a call with their call-back day on or before `day`."""
    query = (
        select(
            Request.id,
            Request.person_id,
            Person.replaced_by,
            NeedCategory.label_en,
            NeedCategory.label_es,
            Request.status,
            Request.status_reason,
            Request.follow_up,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .where(
            Request.follow_up <= day,
            Request.follow_up.is_not(None),
            Request.deleted.is_(False),
            Request.status.in_(list(statuses)),
        )
    )
    rows = list(session.execute(query))
    merged = merged_into(session) if any(row.replaced_by for row in rows) else {}
    return [
        CallBackFacts(rid, resolve(pid, merged), en, es, status, reason, follow_up)
        for rid, pid, _replaced, en, es, status, reason, follow_up in rows
        if follow_up is not None  # (the query asks for a day)
    ]


def callers(session: Session, ids: Iterable[str]) -> dict[str, CallerFacts]:
    """What a call-back list may show of these people: no address, notes or anything else."""
    wanted = sorted(set(ids))
    out: dict[str, CallerFacts] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(
            Person.id,
            Person.name,
            Person.phone,
            Person.phone_raw,
            Person.language,
            Person.consent,
            Person.anonymous,
            Person.erased,
        ).where(Person.id.in_(wanted[start : start + CHUNK]))
        out.update({row[0]: CallerFacts(*row[1:]) for row in session.execute(query)})
    return out


def last_calls(session: Session, person_ids: Iterable[str]) -> dict[str, dt.datetime]:
    """When each of these people (or a record merged into them) last called (naive UTC)."""
    wanted = set(person_ids)
    merged = merged_into(session)
    owners: dict[str, str] = {pid: pid for pid in wanted}
    for pid in merged:
        kept = resolve(pid, merged)
        if kept in wanted:
            owners[pid] = kept
    ids = sorted(owners)
    out: dict[str, dt.datetime] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Call.person_id, func.max(Call.taken_at))
            .where(Call.person_id.in_(ids[start : start + CHUNK]), Call.deleted.is_(False))
            .group_by(Call.person_id)
        )
        for caller, last in session.execute(query):
            if caller is None or last is None:
                continue
            when = last if isinstance(last, dt.datetime) else dt.datetime.fromisoformat(str(last))
            owner = owners[caller]
            if owner not in out or when > out[owner]:
                out[owner] = when
    return out


def needs_of_runs(session: Session, day: dt.date) -> list[RunNeeds]:
    """The day's runs that go out (not cancelled), by window, with their live stops counted by need."""
    runs = session.execute(
        select(
            Delivery.id,
            Delivery.code,
            Delivery.window_start,
            Delivery.window_end,
            Volunteer.name,
            Volunteer.preferred_language,
        )
        .join(Volunteer, Volunteer.id == Delivery.volunteer_id)
        .where(
            Delivery.date == day,
            Delivery.deleted.is_(False),
            Delivery.status != DeliveryStatus.CANCELLED.value,
        )
        .order_by(Delivery.window_start, func.lower(Volunteer.name), Delivery.code)
    ).all()
    needs: dict[str, dict[str, int]] = {run.id: {} for run in runs}
    if runs:
        # "deleted" of the request checked here: in SQL it would send SQLite through the request
        # queue's index (it starts with "deleted") instead of the day's stops.
        query = (
            select(Stop.delivery_id, Request.category_id, Request.deleted, func.count())
            .join(Request, Request.id == Stop.request_id)
            .where(Stop.delivery_id.in_(list(needs)), Stop.deleted.is_(False))
            .group_by(Stop.delivery_id, Request.category_id, Request.deleted)
        )
        for run_id, category, deleted, count in session.execute(query):
            if not deleted:
                needs[run_id][category] = needs[run_id].get(category, 0) + count
    return [RunNeeds(*run, needs=needs[run[0]]) for run in runs]
