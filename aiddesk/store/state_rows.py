"""A merged record state as the columns of its row (the inverse of canonical.record_state).

Each column holds the displayed sibling (highest clock, then desk), `stamps` the
stamp of each displayed value (the most common one as base), `siblings` the
others. A deleted record that a desk edited concurrently with the delete stays
visible: its `deleted` column is false and the delete's siblings are held aside."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any

from aiddesk.domain.merge import RecordState, displayed_sibling, hidden
from aiddesk.store import stamps_codec as codec
from aiddesk.store.derived import derived_values
from aiddesk.store.models import Synced

# A new record's row as a merge keeps it until it writes: its columns' names (one tuple shared by
# every row with the same columns) and their values. A third of the memory of the row's dict.
CompactRow = tuple[tuple[str, ...], tuple[Any, ...]]


@cache
def _python_types(model: type[Synced]) -> dict[str, type | None]:
    """The fields whose canonical text must become a date or a date and time in the row."""
    table = model.__table__  # type: ignore[attr-defined]
    out: dict[str, type | None] = {}
    for name in model.synced_fields():
        python = table.c[name].type.python_type
        out[name] = python if python in (dt.date, dt.datetime) else None
    return out


def _column_value(python: type | None, value: Any) -> Any:
    if python is None or value is None:
        return value
    return python.fromisoformat(value)  # type: ignore[attr-defined]


def row_values(model: type[Synced], state: RecordState) -> dict[str, Any]:
    """Every column of the record's row, bookkeeping and derived columns included. Hot: a merge
    writes every record it brings through here."""
    types = _python_types(model)  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
    fields = state["fields"]
    values: dict[str, Any] = {"id": state["id"]}
    siblings: dict[str, list[list[Any]]] = {}
    first: list[Any] | None = None  # the first field's displayed sibling
    one_stamp = True  # every displayed value has the first one's stamp (one transaction wrote them)
    edited = 0
    for name, field_siblings in fields.items():
        if len(field_siblings) == 1:  # nearly every field: no conflict
            shown = field_siblings[0]
        else:
            shown = displayed_sibling(field_siblings)
            siblings[name] = [s for s in field_siblings if s is not shown]
            edited = max(edited, *(s[2] for s in field_siblings))
        python = types[name]
        value = shown[3]
        values[name] = value if python is None or value is None else python.fromisoformat(value)  # type: ignore[attr-defined]
        if first is None:
            first = shown
        elif one_stamp and (shown[1] != first[1] or shown[0] != first[0] or shown[2] != first[2]):
            one_stamp = False
        if shown[2] > edited:
            edited = shown[2]
    if values.get("deleted") and not hidden(state):  # edited after its delete: stays in the lists
        siblings[codec.HELD + "deleted"] = fields["deleted"]
        values["deleted"] = False
    if one_stamp and first is not None:
        values["stamps"] = _base_stamps(first[0], first[1], first[2])
    else:
        values["stamps"] = _stamps_column(fields)
    values["siblings"] = codec.dumps(siblings) if siblings else None
    values["vv"] = _vector_column(tuple(state["vv"].items()))
    values["del_ctx"] = codec.encode_vv(state["del_ctx"]) if state.get("del_ctx") else None
    values["edited_clock"] = edited
    values.update(derived_values(model, values))
    return values


@cache
def _dated(model: type[Synced]) -> tuple[tuple[str, Any], ...]:
    """(field, date or datetime class) of the fields whose text becomes a date in the row."""
    types = _python_types(model)  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
    return tuple((name, python) for name, python in types.items() if python is not None)


def plain_row(
    model: type[Synced],
    record_id: str,
    vv: dict[str, int],
    stamp: tuple[str, int, int],
    values: dict[str, Any],
) -> CompactRow:
    """compact_row of a record not deleted whose every field holds one value (`values`, as the
    canonical text holds them), all written by the edit `stamp` (desk, counter, clock), with no
    delete context: the row straight from its values, its state never built."""
    row: dict[str, Any] = {"id": record_id}
    row.update(values)
    for name, python in _dated(model):  # type: ignore[arg-type]  # a class is Hashable (mypy#11470)
        value = row.get(name)
        if value is not None:
            row[name] = python.fromisoformat(value)
    row["stamps"] = _base_stamps(*stamp)
    row["siblings"] = None
    row["vv"] = _vector_column(tuple(vv.items()))
    row["del_ctx"] = None
    row["edited_clock"] = stamp[2]
    row.update(derived_values(model, row))
    return _shared_names(tuple(row)), tuple(row.values())


def _stamps_column(fields: dict[str, list[list[Any]]]) -> str:
    """The `stamps` column: the stamp of each displayed value, the most common one (the first of
    equals) as base, the others by field."""
    stamps: dict[str, tuple[Any, ...]] = {}
    counts: dict[tuple[Any, ...], int] = {}
    for name, field_siblings in fields.items():
        shown = field_siblings[0] if len(field_siblings) == 1 else displayed_sibling(field_siblings)
        stamp = (shown[0], shown[1], shown[2])
        stamps[name] = stamp
        counts[stamp] = counts.get(stamp, 0) + 1
    base = max(counts, key=counts.__getitem__)
    compact: dict[str, Any] = {"s": list(base)}
    overrides = {name: list(s) for name, s in stamps.items() if s != base}
    if overrides:
        compact["f"] = overrides
    return codec.dumps(compact)


# The columns of the records of one transaction are alike: made once for each (a merge makes them
# by the ten thousand).
@lru_cache(maxsize=4096)
def _base_stamps(desk: str, counter: int, clock: int) -> str:
    """The `stamps` column of a record whose displayed values all have one stamp."""
    return codec.dumps({"s": [desk, counter, clock]})


@lru_cache(maxsize=4096)
def _vector_column(vv: tuple[tuple[str, int], ...]) -> str:
    return codec.encode_vv(dict(vv))


def compact_row(model: type[Synced], state: RecordState) -> CompactRow:
    """row_values as a CompactRow."""
    values = row_values(model, state)
    return _shared_names(tuple(values)), tuple(values.values())


@cache
def _shared_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple object for every row with these columns."""
    return names
