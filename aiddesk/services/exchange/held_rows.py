"""The `_state` text of a record this desk holds, made straight from its row.

A merge compares every record it already holds with the workbook's row: equal text means
nothing new (and nothing to check). Going through the record's state first (record_state,
then state_cells) built every sibling twice and sorted every field by name again; this writes
the text once, piece by piece, exactly as the canonical encoder would (the same string escaping,
the fields in the same order)."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache, lru_cache
from typing import Any

from aiddesk.exchange.workbook.layout import STATE_CHUNK
from aiddesk.exchange.workbook.state_text import canonical_json, json_string, state_cells, vv_text
from aiddesk.store.models import Synced
from aiddesk.store.repositories.canonical import field_positions, record_state

_quoted = json_string


def _value_text(value: Any) -> str:
    if type(value) is str:
        return _quoted(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, dt.date):  # dates and datetimes as ISO-8601 text
        return _quoted(value.isoformat())
    return canonical_json(value)


@cache
def _sorted_fields(model: type[Synced]) -> tuple[tuple[str, int], ...]:
    """field_positions in the canonical text's order (by name), each name already quoted."""
    fields = sorted(field_positions(model))  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
    return tuple((_quoted(name), position) for name, position in fields)


def _stamp_text(stamp: list[Any]) -> str:
    desk, counter, clock = stamp
    return f'[[{_quoted(desk)},"{counter}","{clock}",'


@lru_cache(maxsize=4096)
def _stamps_text(stamps: str) -> tuple[str, dict[str, str]]:
    """A row's `stamps` column as the text that opens each field's sibling: the base stamp's,
    and the quoted field names with one of their own. Cached: the records of one transaction
    share their stamps column, and a merge reads them by the thousand."""
    data = json.loads(stamps)
    overrides = data.get("f") or {}
    return _stamp_text(data["s"]), {_quoted(name): _stamp_text(stamp) for name, stamp in overrides.items()}


@lru_cache(maxsize=4096)
def _vector_text(column: str) -> str:
    """vv_text of a row's version vector column (shared by the records of one transaction)."""
    return vv_text(json.loads(column))


def row_state_cells(model: type[Synced], row: Any) -> list[str]:
    """state_cells(kind, record_state(model, row)) of a Core row, without the state in between."""
    if row.siblings:  # a record in conflict or kept after a delete: rare, the long way
        return state_cells(model.kind, record_state(model, row))
    base, quoted = _stamps_text(row.stamps)
    values = tuple(row)
    fields = _sorted_fields(model)  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
    if quoted:
        parts = [
            f"{name}:{quoted.get(name, base)}{_value_text(values[position])}]]" for name, position in fields
        ]
    else:
        parts = [f"{name}:{base}{_value_text(values[position])}]]" for name, position in fields]
    text = "{" + ",".join(parts) + "}"
    if len(text) > STATE_CHUNK:
        chunks = [text[i : i + STATE_CHUNK] for i in range(0, len(text), STATE_CHUNK)]
    else:
        chunks = [text]
    context = _vector_text(row.del_ctx) if row.del_ctx else ""
    return [model.kind, row.id, _vector_text(row.vv), context, *chunks]


def vv_cell(row: Any) -> str:
    """The version vector's cell of the record's `_state` row (a quick first comparison)."""
    return _vector_text(row.vv)
