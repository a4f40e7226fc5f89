"""The canonical state of every synced record: what `dump` prints and what desks compare.

Per record: id, version vector, delete context and, per field, all its
siblings [desk, counter, clock, value] sorted. Values are canonical text-safe
JSON (dates ISO-8601). Local-only tables are left out."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from aiddesk.store import stamps_codec as codec
from aiddesk.store.models import SYNCED_MODELS, Synced


def canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


@cache
def field_positions(model: type[Synced]) -> tuple[tuple[str, int], ...]:
    """Each synced field with its position among the table's columns (a Core row's order)."""
    columns = [c.key for c in model.__table__.columns]  # type: ignore[attr-defined]
    return tuple((name, columns.index(name)) for name in model.synced_fields())


def record_state(model: type[Synced], row: Any) -> dict[str, Any]:
    """The state of one row (a Core row or an ORM object). Hot: the merge reads every record of
    a workbook it already holds through here, so it avoids building objects it does not need."""
    stamps = json.loads(row.stamps)
    base = stamps["s"]
    overrides = stamps.get("f") or {}
    state: dict[str, list[list[Any]]] = {}
    values = tuple(row) if isinstance(row, Row) else None
    for name, position in field_positions(model):  # type: ignore[arg-type]  # mypy: a class is Hashable (mypy#11470)
        desk, counter, clock = overrides.get(name, base)
        value = values[position] if values is not None else getattr(row, name)
        if isinstance(value, dt.date):  # dates and datetimes as ISO-8601 text
            value = value.isoformat()
        state[name] = [[desk, counter, clock, value]]
    if row.siblings:  # only records in conflict (or kept after a delete)
        siblings = json.loads(row.siblings)
        for name, others in siblings.items():
            if name in state:
                state[name] = sorted(state[name] + others, key=lambda s: (s[0], s[1]))
        for name, held in siblings.items():  # the column shows something else: all siblings held here
            if name.startswith(codec.HELD):
                state[name[len(codec.HELD) :]] = held
    return {
        "id": row.id,
        "vv": json.loads(row.vv),
        "del_ctx": json.loads(row.del_ctx) if row.del_ctx else None,
        "fields": state,
    }


def canonical_state(session: Session) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        rows = session.execute(select(table).order_by(table.c.id))
        out[model.kind] = [record_state(model, row) for row in rows]
    return out
