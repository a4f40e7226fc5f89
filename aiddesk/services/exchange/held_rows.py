"""The `_state` text of a record this desk holds, made straight from its row.

A merge compares every record it already holds with the workbook's row: equal text means
nothing new (and nothing to check). Going through the record's state first (record_state,
then state_cells) built every sibling twice; this builds the text once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from aiddesk.exchange.workbook.state_text import state_cells, text_cells, vv_text
from aiddesk.store.models import Synced
from aiddesk.store.repositories.canonical import field_positions, record_state


def row_state_cells(model: type[Synced], row: Any) -> list[str]:
    """state_cells(kind, record_state(model, row)) of a Core row, without the state in between."""
    if row.siblings:  # a record in conflict or kept after a delete: rare, the long way
        return state_cells(model.kind, record_state(model, row))
    stamps = json.loads(row.stamps)
    desk, counter, clock = stamps["s"]
    base = [desk, str(counter), str(clock)]
    overrides = stamps.get("f")
    values = tuple(row)
    fields: dict[str, list[list[Any]]] = {}
    for name, position in field_positions(model):  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
        value = values[position]
        if isinstance(value, dt.date):  # dates and datetimes as ISO-8601 text
            value = value.isoformat()
        if overrides and name in overrides:
            desk, counter, clock = overrides[name]
            fields[name] = [[desk, str(counter), str(clock), value]]
        else:
            fields[name] = [[*base, value]]
    context = json.loads(row.del_ctx) if row.del_ctx else None
    return text_cells(model.kind, row.id, json.loads(row.vv), context, fields)


def vv_cell(row: Any) -> str:
    """The version vector's cell of the record's `_state` row (a quick first comparison)."""
    return vv_text(json.loads(row.vv))
