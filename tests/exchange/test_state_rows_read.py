"""Reading one `_state` row strictly (exchange/workbook/state_text.read_state): what a merge
refuses in a row, said in words, every time it sees it, and the same record read the same way
whether or not another row before it had the same version vector."""

from __future__ import annotations

import pytest

from aiddesk.domain.markers import N_
from aiddesk.exchange.workbook.state_text import (
    StateProblem,
    canonical_json,
    read_state,
    state_cells,
    vv_text,
)
from aiddesk.store.field_types import synced_columns

DESK = "0b6f0f5e-1c7e-4a51-9d3f-8c1f2a3b4c5d"
EVENT = "5d1b2c3a-9f8e-4d7c-8b6a-1e2f3a4b5c6d"


def _event_cells(vv: dict[str, int] | None = None) -> list[str]:
    """A valid event row made by the writer itself."""
    values = {
        "record_kind": "person",
        "record_id": EVENT,
        "what": "created",
        "detail": "",
        "who": "Ana",
        "at": "2026-11-01T10:00:00",
        "deleted": False,
    }
    fields = {name: [[DESK, 3, 1_700_000_000_000, values.get(name)]] for name in synced_columns("event")}
    return state_cells("event", {"id": EVENT, "vv": vv or {DESK: 3}, "del_ctx": None, "fields": fields})


def test_a_valid_row_reads_back_the_same_twice() -> None:
    cells = _event_cells()
    kind, first, top = read_state(cells)
    _kind, second, _top = read_state(cells)
    assert (kind, top) == ("event", 1_700_000_000_000)
    assert first == second and first["vv"] == {DESK: 3}
    first["vv"][DESK] = 99  # one record's vector is its own: changing it leaves the next row alone
    assert read_state(cells)[1]["vv"] == {DESK: 3}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.__setitem__(2, "{not json"), N_("a version vector is not readable")),
        (lambda c: c.__setitem__(2, '{"desk-7":"3"}'), N_("“%(value)s” is not a record or desk identifier")),
        (
            lambda c: c.__setitem__(2, f'{{"{DESK}":"x"}}'),
            N_("a counter is not a whole number written as text"),
        ),
        (
            lambda c: c.__setitem__(4, c[4].replace('"who"', '"whom"')),
            N_("the field “%(field)s” is not known to this version of AidDesk"),
        ),
    ],
)
def test_a_bad_row_is_refused_each_time_it_is_read(change, message: str) -> None:
    cells = _event_cells()
    change(cells)
    for _time in range(2):  # a refusal is never remembered as a reading
        with pytest.raises(StateProblem) as problem:
            read_state(cells)
        assert problem.value.message == message


def test_a_missing_field_is_named() -> None:
    cells = _event_cells()
    start = cells[4].index('"who":')
    cells[4] = cells[4][: start - 1] + "}"  # "who" is the last field: cut it off
    with pytest.raises(StateProblem) as problem:
        read_state(cells)
    assert problem.value.message == N_("the field “%(field)s” is missing")
    assert problem.value.params == {"field": "who"}


def test_a_version_vector_is_written_as_the_canonical_encoder_writes_it() -> None:
    """vv_text writes the cell straight; it must be character for character the canonical JSON of
    the vector with its counters as text, or every record a desk holds reads as changed."""
    other = "f0e1d2c3-b4a5-4968-8776-655443322110"
    vv = {other: 12, DESK: 3, "a1b2c3d4-0000-4000-8000-000000000001": 9_007_199_254_740_992}
    assert vv_text(vv) == canonical_json({desk: str(counter) for desk, counter in vv.items()})
    assert vv_text({}) == "{}" and vv_text(None) == ""


def test_each_field_of_a_row_is_checked_even_when_it_shares_its_stamp_with_the_others() -> None:
    """The fields of a record written by one transaction share one stamp, checked once: a value of
    the wrong type or a control character among them is still refused, and a field whose stamp
    differs only in its counter (one the record has not seen) too."""
    base = _event_cells({DESK: 3})
    wrong_type = [*base[:4], base[4].replace('"Ana"]', "12]")]
    control = [*base[:4], base[4].replace('"Ana"]', '"An\\u0001a"]')]
    unseen = [*base[:4], base[4].replace(f'"who":[["{DESK}","3"', f'"who":[["{DESK}","4"')]
    assert read_state(base)[1]["fields"]["who"][0][3] == "Ana"
    for cells, message in (
        (wrong_type, N_("the field %(field)s holds a value of the wrong type")),
        (control, N_("the field %(field)s: %(problem)s")),
        (unseen, N_("the field %(field)s holds an edit its record has not seen")),
    ):
        assert cells[4] != base[4]
        with pytest.raises(StateProblem) as problem:
            read_state(cells)
        assert (problem.value.message, problem.value.params["field"]) == (message, "who")


def test_fields_out_of_the_canonical_order_read_as_the_same_state() -> None:
    """A row whose fields were written in another order (any JSON writer may) is the same record."""
    import json

    cells = _event_cells()
    fields = json.loads(cells[4])
    shuffled = [*cells[:4], json.dumps(dict(reversed(list(fields.items()))), ensure_ascii=False)]
    kind, state, top = read_state(shuffled)
    assert (kind, state, top) == read_state(cells)
    assert list(state["fields"]) == sorted(state["fields"])


def test_a_time_is_read_only_in_the_one_form_the_export_writes() -> None:
    """A date and time another program wrote its own way (a space for the T, no seconds, a
    number) is refused, also after the same text in the export's form was read (the check of a
    text is kept for the records of the same day and transaction)."""
    base = _event_cells()
    assert read_state(base)[1]["fields"]["at"][0][3] == "2026-11-01T10:00:00"
    for typed in ('"2026-11-01 10:00:00"', '"2026-11-01T10:00"', '"1 Nov 2026"', "20261101"):
        cells = [*base[:4], base[4].replace('"2026-11-01T10:00:00"', typed)]
        assert cells[4] != base[4]
        with pytest.raises(StateProblem) as problem:
            read_state(cells)
        assert problem.value.params["field"] == "at"
    assert read_state(base)[1]["fields"]["at"][0][3] == "2026-11-01T10:00:00"
