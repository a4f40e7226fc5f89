"""What happened to a record: the calls of a person and the events (status moves, merges) of records."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.store.models import Call, Event


@dataclass(frozen=True)
class CallRow:
    id: str
    code: str
    taken_at: dt.datetime
    taken_by: str
    channel: str
    outcome: str
    notes: str
    person_id: str | None = None


@dataclass(frozen=True)
class EventRow:
    id: str
    record_kind: str
    record_id: str
    what: str
    who: str
    at: dt.datetime
    detail: dict[str, Any]


def calls_of_person(session: Session, person_id: str) -> list[CallRow]:
    """Every live call of a person, oldest first."""
    query = (
        select(
            Call.id,
            Call.code,
            Call.taken_at,
            Call.taken_by,
            Call.channel,
            Call.outcome,
            Call.notes,
            Call.person_id,
        )
        .where(Call.person_id == person_id, Call.deleted.is_(False))
        .order_by(Call.taken_at, Call.id)
    )
    return [CallRow(*row) for row in session.execute(query)]


def _detail(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:  # history from a newer or broken desk: shown without details
        return {}
    return value if isinstance(value, dict) else {}


def events_of(
    session: Session, record_ids: list[str], whats: tuple[str, ...] | None = None
) -> list[EventRow]:
    """The live events of these records (all kinds, or only `whats`), oldest first."""
    if not record_ids:
        return []
    query = select(
        Event.id, Event.record_kind, Event.record_id, Event.what, Event.who, Event.at, Event.detail
    ).where(Event.record_id.in_(record_ids), Event.deleted.is_(False))
    if whats is not None:
        query = query.where(Event.what.in_(whats))
    rows = session.execute(query.order_by(Event.at, Event.id))
    return [EventRow(*row[:6], _detail(row[6])) for row in rows]
