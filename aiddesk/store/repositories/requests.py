"""The requests list: the display order sorted in SQL, and rows read a window at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from aiddesk.domain.enums import STATUS_RANK, URGENCY_RANK
from aiddesk.store.models import NeedCategory, Person, Request, Zone

SORT_KEYS = ("code", "person", "need", "zone", "urgency", "status", "age")


@dataclass(frozen=True)
class RequestRow:
    id: str
    code: str
    person_name: str
    need: str
    zone: str
    urgency: str
    status: str
    created_at: dt.datetime


def _label(model: Any, language: str) -> ColumnElement[str]:
    """The label in `language`, falling back to the other language when it is empty."""
    first, other = (model.label_es, model.label_en) if language == "es" else (model.label_en, model.label_es)
    return func.coalesce(func.nullif(first, ""), func.nullif(other, ""), "")


def _sort_expression(key: str, need: ColumnElement[str], zone: ColumnElement[str]) -> ColumnElement[Any]:
    if key == "code":
        return Request.code
    if key == "person":
        return func.lower(Person.name)
    if key == "need":
        return func.lower(need)
    if key == "zone":
        return func.lower(zone)
    if key == "urgency":
        return case(URGENCY_RANK, value=Request.urgency, else_=len(URGENCY_RANK))
    if key == "status":
        return case(STATUS_RANK, value=Request.status, else_=len(STATUS_RANK))
    if key == "age":
        # Oldest first reads as "most waiting" first.
        return Request.created_at
    raise ValueError(f"unknown sort key {key!r}")


def ordered_request_ids(
    session: Session, *, sort: str = "age", descending: bool = False, language: str = "en"
) -> list[str]:
    """The ids of all live requests in display order, sorted in SQL.

    A table model keeps this snapshot (a few MB at 100,000 rows) and reads rows
    for the part on screen with `request_rows`, so scrolling never re-sorts."""
    zone_alias = aliased(Zone)
    need = _label(NeedCategory, language)
    zone = func.coalesce(_label(zone_alias, language), "")
    key = _sort_expression(sort, need, zone)
    query = select(Request.id).where(Request.deleted.is_(False))
    if sort in ("person", "zone"):
        query = query.join(Person, Person.id == Request.person_id)
    if sort == "need":
        query = query.join(NeedCategory, NeedCategory.id == Request.category_id)
    if sort == "zone":
        query = query.outerjoin(zone_alias, zone_alias.id == Person.zone_id)
    order = (key.desc(), Request.id.desc()) if descending else (key.asc(), Request.id.asc())
    return list(session.scalars(query.order_by(*order)))


def request_rows(session: Session, ids: list[str], *, language: str = "en") -> list[RequestRow]:
    """The rows for `ids`, in the order of `ids` (at most a window: a few hundred)."""
    zone_alias = aliased(Zone)
    need = _label(NeedCategory, language)
    zone = func.coalesce(_label(zone_alias, language), "")
    query = (
        select(
            Request.id,
            Request.code,
            Person.name,
            need,
            zone,
            Request.urgency,
            Request.status,
            Request.created_at,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone_alias, zone_alias.id == Person.zone_id)
        .where(Request.id.in_(ids))
    )
    found = {row[0]: RequestRow(*row) for row in session.execute(query)}
    return [found[i] for i in ids if i in found]
