"""A merge reads a record new to the desk in one pass when its `_state` row is plain (every field
one value, all written by one edit, no delete context: state_text.read_plain) and makes its row
straight from the values (state_rows.plain_row). That short way must give exactly the row the
long way gives (read_state, then compact_row), or the records a new desk takes in would differ
from the network's; and it must never take in a row the long way refuses, or a damaged or forged
workbook would get in through it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from two_desks import north_and_south

from aiddesk.demo import desk as demo
from aiddesk.exchange.workbook.state_text import StateProblem, read_plain, read_state, state_cells
from aiddesk.services.exchange.merge import read
from aiddesk.services.exchange.merge_pass import settle
from aiddesk.services.people.erasure import erase_person
from aiddesk.store.models import MODEL_BY_KIND
from aiddesk.store.state_rows import CompactRow, compact_row, plain_row


def _short_way(cells: list[Any]) -> CompactRow | None:
    plain = read_plain(cells)
    if plain is None:
        return None
    stamp = (plain.desk, plain.counter, plain.clock)
    return plain_row(MODEL_BY_KIND[plain.kind], plain.id, plain.vv, stamp, plain.values)


def _long_way(cells: list[Any]) -> CompactRow:
    kind, state, _top = read_state(cells)
    return compact_row(MODEL_BY_KIND[kind], settle(kind, state))


def test_the_short_way_makes_the_rows_the_long_way_makes(tmp_path: Path, migrated_template: Path) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        demo.fill(north.db, "demo", seed=4, people=25, today=dt.date(2026, 11, 1))
        rosa = north.add_person("NOR-0100", "Rosa Martínez", phone="+16175550100")
        ana = north.add_person("NOR-0101", 'Zoë "Lulú" O\\Brien 😀', address="Apt 3\nback door")
        luz = north.add_person("NOR-0102", "Luz Pérez")
        south.merge(north.export())
        north.edit("person", rosa, name="Rosa M. Martínez")  # a conflict
        south.edit("person", rosa, name="Rosa Martinez")
        north.edit("person", ana, deleted=True)  # deleted at one desk, edited at the other
        south.edit("person", ana, address="14 Elm St")
        north.edit("person", luz, household_size=3)  # one field newer than the rest
        erase_person(south.db, "Ana", luz)
        north.merge(south.export())
        rows = [cells for _row, cells in read(north.export()).state_cells()]

    plain = [cells for cells in rows if read_plain(cells) is not None]
    kinds = {cells[0] for cells in plain}
    assert {"person", "call", "request", "volunteer", "delivery", "stop", "event"} <= kinds
    assert len(plain) > len(rows) * 3 // 4  # nearly every row takes the short way
    for cells in plain:
        assert _short_way(cells) == _long_way(cells), cells[:2]
    # The conflict, the edit after a delete and the fields of two edits take the long way.
    assert {rosa, ana, luz} <= {cells[1] for cells in rows if read_plain(cells) is None}


DESK = "0b6f0f5e-1c7e-4a51-9d3f-8c1f2a3b4c5d"
OTHER = "7c3e2a1b-4d5f-4a6b-8c7d-9e0f1a2b3c4d"
PERSON = "5d1b2c3a-9f8e-4d7c-8b6a-1e2f3a4b5c6d"


def _person_cells() -> list[str]:
    """A plain person row (one edit wrote every field), made by the writer itself."""
    model = MODEL_BY_KIND["person"]
    values: dict[str, Any] = {
        "code": "NOR-0001",
        "name": "Rosa",
        "language": "es",
        "created_at": "2026-11-01T10:00:00",
    }
    columns = model.__table__.columns
    fields = {}
    for name in model.synced_fields():
        value = values.get(name)
        if value is None and not columns[name].nullable:
            python = columns[name].type.python_type
            value = {bool: False, int: 1, str: ""}.get(python, "2026-11-01")
        fields[name] = [[DESK, 3, 1_700_000_000_000, value]]
    return state_cells("person", {"id": PERSON, "vv": {DESK: 3}, "del_ctx": None, "fields": fields})


_ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from(["es", "en", "2026-11-01", "2026-11-01T10:00:00", "2026-02-30", "x" * 5000, "a\x00b"]),
    st.lists(st.integers(), max_size=2),
)
_STAMP_TEXT = st.one_of(
    st.sampled_from(["3", "1", "4", "03", "-1", "", "1e3", "٣", "9" * 19]), st.integers(0, 10).map(str)
)


@st.composite
def _changed_rows(draw: st.DrawFn) -> list[str]:
    """A plain person row with one thing changed: a value, a stamp, a field's shape, a cell."""
    cells = _person_cells()
    fields = json.loads(cells[4])
    name = draw(st.sampled_from(sorted(fields)))
    what = draw(st.sampled_from(["value", "desk", "counter", "clock", "shape", "vv", "context", "order"]))
    sibling = fields[name][0]
    if what == "value":
        sibling[3] = draw(_ANY_VALUE)
    elif what == "desk":
        sibling[0] = draw(st.sampled_from([OTHER, DESK.upper(), "", 3]))
    elif what == "counter":
        sibling[1] = draw(_STAMP_TEXT)
    elif what == "clock":
        sibling[2] = draw(_STAMP_TEXT)
    elif what == "shape":
        fields[name] = draw(
            st.sampled_from(
                [[], [sibling, sibling], [sibling[:3]], sibling, [[*sibling, 1]], [[OTHER, "1", "2", "x"]]]
            )
        )
    elif what == "vv":
        cells[2] = draw(st.sampled_from(["", "{}", f'{{"{DESK}":"2"}}', f'{{"{DESK}":3}}', "[1]", "{"]))
    elif what == "context":
        cells[3] = draw(st.sampled_from([f'{{"{DESK}":"3"}}', "{", "0"]))
    else:
        del fields[name]
        fields[name] = sibling  # the same fields, out of the canonical order
    if what != "order":
        cells[4] = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    else:
        cells[4] = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return cells


@settings(max_examples=400, deadline=None)
@given(_changed_rows())
def test_the_short_way_takes_in_only_what_the_long_way_takes_in(cells: list[str]) -> None:
    short = _short_way(cells)
    if short is None:
        return  # the long way reads it, and refuses it if it must
    try:
        long = _long_way(cells)
    except StateProblem as problem:
        raise AssertionError(f"read_plain took in a row read_state refuses: {problem.message}") from None
    assert short == long
