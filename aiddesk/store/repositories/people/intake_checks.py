"""Queries of the intake screen about callers: duplicates of a new caller, the person a call is
attached to, their last delivery, and whether the chosen labels still exist."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from aiddesk.store.models import NeedCategory, Person, Request, Stop, Zone
from aiddesk.store.repositories.people.search import PersonMatch

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_HOPS = 20  # replaced_by chains longer than this are broken data, not merges


def _columns() -> tuple[Any, ...]:
    return (
        Person.id,
        Person.code,
        Person.name,
        Person.phone,
        Person.phone_raw,
        Person.address,
        Person.language,
        Person.zone_id,
    )


def same_phone(session: Session, numbers: list[str], limit: int = 10) -> list[PersonMatch]:
    """People (not deleted) whose first or second number is one of `numbers` (E.164)."""
    found: dict[str, PersonMatch] = {}
    if not numbers:
        return []
    for column in (Person.phone, Person.phone2):  # one query each: each uses its own index
        query = select(*_columns()).where(column.in_(numbers), Person.deleted.is_(False)).limit(limit)
        for row in session.execute(query):
            found.setdefault(row.id, PersonMatch(*row))
    return list(found.values())[:limit]


def same_name_words(session: Session, name: str, limit: int = 500) -> list[PersonMatch]:
    """People whose name holds every word of `name` (whole words, accents and case ignored)."""
    words = _WORD.findall(name)
    if not words:
        return []
    match = " ".join(f'"{word}"' for word in words)
    query = (
        select(*_columns())
        .where(text("person.rowid IN (SELECT rowid FROM person_fts WHERE person_fts MATCH :q)"))
        .where(Person.deleted.is_(False))
        .limit(limit)
    )
    return [PersonMatch(*row) for row in session.execute(query, {"q": match})]


# Built once: it runs at every keystroke of the caller lookup ("ids" expands to the list).
_LAST_DELIVERIES = (
    select(Request.person_id, func.max(Stop.delivered_at))
    .join(Stop, Stop.request_id == Request.id)
    .where(
        Request.person_id.in_(bindparam("ids", expanding=True)),
        Request.deleted.is_(False),
        Stop.deleted.is_(False),
        Stop.delivered_at.is_not(None),
    )
    .group_by(Request.person_id)
)


def last_deliveries(session: Session, person_ids: list[str]) -> dict[str, dt.datetime]:
    """When each person last had something delivered."""
    if not person_ids:
        return {}
    return {
        person_id: at
        for person_id, at in session.execute(_LAST_DELIVERIES, {"ids": person_ids})
        if at is not None
    }


def current_person(session: Session, person_id: str) -> Person | None:
    """The person, or the one they were merged into; None when gone."""
    person = session.get(Person, person_id)
    for _hop in range(MAX_HOPS):
        if person is None or not person.replaced_by:
            break
        person = session.get(Person, person.replaced_by)
    if person is None or person.deleted or person.replaced_by:
        return None
    return person


def missing_labels(session: Session, category_ids: set[str], zone_ids: set[str]) -> tuple[set[str], set[str]]:
    """The category and zone ids among those given that do not exist (or were deleted)."""
    missing: list[set[str]] = []
    for model, ids in ((NeedCategory, category_ids), (Zone, zone_ids)):
        if not ids:
            missing.append(set())
            continue
        present = set(session.scalars(select(model.id).where(model.id.in_(ids), model.deleted.is_(False))))
        missing.append(ids - present)
    return missing[0], missing[1]
