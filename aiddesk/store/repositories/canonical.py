"""The canonical state of every synced record: what `dump` prints and what desks compare.

Per record: id, version vector, delete context and, per field, all its
siblings [desk, counter, clock, value] sorted. Values are canonical text-safe
JSON (dates ISO-8601). Local-only tables are left out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.store import stamps_codec as codec
from aiddesk.store.models import SYNCED_MODELS, Synced


def canonical_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def record_state(model: type[Synced], row: Any) -> dict[str, Any]:
    fields = model.synced_fields()
    stamps = codec.field_stamps(row.stamps, fields)
    siblings = codec.decode_siblings(row.siblings)
    state: dict[str, list[list[Any]]] = {}
    for name in fields:
        held = siblings.get(codec.HELD + name)
        if held is not None:  # the column shows something else (a record kept after its delete)
            state[name] = held
            continue
        current = stamps[name]
        values = [[current.desk, current.counter, current.clock, canonical_value(getattr(row, name))]]
        values += siblings.get(name, [])
        state[name] = sorted(values, key=lambda s: (s[0], s[1]))
    return {
        "id": row.id,
        "vv": codec.decode_vv(row.vv),
        "del_ctx": codec.decode_vv(row.del_ctx) if row.del_ctx else None,
        "fields": state,
    }


def canonical_state(session: Session) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        rows = session.execute(select(table).order_by(table.c.id))
        out[model.kind] = [record_state(model, row) for row in rows]
    return out
