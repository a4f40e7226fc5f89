"""The requests list: windows of rows sorted in SQL (keyset pagination)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, select, tuple_
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
    sort_value: Any  # the value the window was sorted by (for the next window)


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


def count_requests(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Request).where(Request.deleted.is_(False))) or 0


def request_window(
    session: Session,
    *,
    sort: str = "age",
    descending: bool = False,
    after: tuple[Any, str] | None = None,
    limit: int = 200,
    language: str = "en",
) -> list[RequestRow]:
    """Up to `limit` requests sorted by `sort`, starting after the (sort value, id) `after`."""
    zone_alias = aliased(Zone)
    need = _label(NeedCategory, language)
    zone = func.coalesce(_label(zone_alias, language), "")
    key = _sort_expression(sort, need, zone)
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
            key,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone_alias, zone_alias.id == Person.zone_id)
        .where(Request.deleted.is_(False))
    )
    if after is not None:
        bound = tuple_(key, Request.id)
        query = query.where(bound < tuple_(*after) if descending else bound > tuple_(*after))
    order = (key.desc(), Request.id.desc()) if descending else (key.asc(), Request.id.asc())
    rows = session.execute(query.order_by(*order).limit(limit))
    return [RequestRow(*row) for row in rows]
