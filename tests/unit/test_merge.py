"""The merge core against the guarantees of docs/exchange-format.md, on record states (the
workbook-level tests come with the exchange itself). Desks make random edits and exchange in
random orders."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from aiddesk.domain import merge as merge_module
from aiddesk.domain.merge import (
    RecordState,
    StampReused,
    displayed,
    displayed_sibling,
    in_conflict,
    merge_record,
    visibility,
)

FIELDS = ("name", "phone", "deleted")
RID = "rec-1"


@dataclass(frozen=True)
class Edit:
    """One value a desk wrote, with the version vector it had seen when it wrote it."""

    desk: str
    counter: int
    field: str
    value: Any
    saw: dict[str, int]


class Desk:
    """One desk's state of one record, edited locally like the stamping hook does. `made` keeps
    every edit the desk made, for the checks that no edit is lost."""

    def __init__(self, desk_id: str) -> None:
        self.id = desk_id
        self.counter = 0
        self.clock = 0
        self.state: RecordState | None = None
        self.made: list[Edit] = []

    def create(self, values: dict[str, Any]) -> None:
        self._stamp()
        self.state = {
            "id": RID,
            "vv": {self.id: self.counter},
            "del_ctx": None,
            "fields": {
                f: [[self.id, self.counter, self.clock, values.get(f, False if f == "deleted" else "")]]
                for f in FIELDS
            },
        }
        for f, [sibling] in self.state["fields"].items():
            self.made.append(Edit(self.id, self.counter, f, sibling[3], {}))

    def edit(self, field: str, value: Any) -> None:
        assert self.state is not None
        self._stamp()
        self.made.append(Edit(self.id, self.counter, field, value, dict(self.state["vv"])))
        self.state["fields"][field] = [[self.id, self.counter, self.clock, value]]
        self.state["vv"][self.id] = self.counter
        if field == "deleted" and value is True:
            self.state["del_ctx"] = dict(self.state["vv"])

    def receive(self, other: RecordState | None) -> None:
        if other is None:
            return
        self.state = copy.deepcopy(other) if self.state is None else merge_record(self.state, other)
        self.clock = max(self.clock, max(s[2] for f in self.state["fields"].values() for s in f))

    def _stamp(self) -> None:
        self.counter += 1
        self.clock += 1


def run(script: list[tuple[str, int, int, str, Any]], desks: int) -> list[Desk]:
    """script: (op, desk, other, field, value); op is "edit" or "send"."""
    all_desks = [Desk(f"desk-{i}") for i in range(desks)]
    all_desks[0].create({"name": "María", "phone": "+16175550134"})
    for op, i, j, field, value in script:
        here, there = all_desks[i % desks], all_desks[j % desks]
        if op == "edit" and here.state is not None:
            here.edit(field, value)
        elif op == "send":
            there.receive(copy.deepcopy(here.state))
    return all_desks


steps = st.lists(
    st.tuples(
        st.sampled_from(["edit", "send", "send"]),
        st.integers(0, 4),
        st.integers(0, 4),
        st.sampled_from(FIELDS[:2]),
        st.text(alphabet="abcñé", min_size=1, max_size=3),
    ),
    max_size=30,
)


def everyone_to_everyone(desks: list[Desk]) -> None:
    for _round in range(2):
        for a in desks:
            for b in desks:
                b.receive(copy.deepcopy(a.state))


@given(steps, st.integers(2, 5))
def test_all_desks_converge_to_identical_state(script: list, n: int) -> None:
    desks = run(script, n)
    everyone_to_everyone(desks)
    first = desks[0].state
    assert all(d.state == first for d in desks)
    assert first is not None
    shown = {f: displayed(first["fields"][f]) for f in FIELDS}
    assert all({f: displayed(d.state["fields"][f]) for f in FIELDS} == shown for d in desks)  # type: ignore[index]


@given(steps, st.integers(2, 4))
def test_merge_is_commutative_associative_and_idempotent(script: list, n: int) -> None:
    desks = [d for d in run(script, n) if d.state is not None]
    states = [d.state for d in desks]
    for a in states:
        assert merge_record(a, a) == a
        for b in states:
            assert merge_record(a, b) == merge_record(b, a)
            for c in states:
                assert merge_record(merge_record(a, b), c) == merge_record(a, merge_record(b, c))


def lost_edits(edits: list[Edit], state: RecordState) -> list[Edit]:
    """The edits a state has lost. Every edit must still be there (the value shown, or kept beside
    it as a conflict) or be superseded: a value kept in the same field was written by a desk that
    had seen that edit (its version vector then covered the edit's stamp). A kept value must be
    the value its stamp was written with."""
    made = {(e.desk, e.counter, e.field): e for e in edits}
    for name, siblings in state["fields"].items():
        for s in siblings:
            edit = made.get((s[0], s[1], name))
            assert edit is not None and edit.value == s[3], f"{name}: {s} was never written"
    lost = []
    for edit in edits:
        kept = [made[(s[0], s[1], edit.field)] for s in state["fields"][edit.field]]
        if any((k.desk, k.counter) == (edit.desk, edit.counter) for k in kept):
            continue  # shown, or a sibling in conflict
        if any(k.saw.get(edit.desk, -1) >= edit.counter for k in kept):
            continue  # superseded by a later edit that saw it
        lost.append(edit)
    return lost


def lost_after_everyone_exchanged(script: list, n: int) -> list[Edit]:
    desks = run(script, n)
    everyone_to_everyone(desks)
    edits = [e for d in desks for e in d.made]
    lost: list[Edit] = []
    for desk in desks:
        assert desk.state is not None
        lost += lost_edits(edits, desk.state)
    return lost


@given(steps, st.integers(2, 5))
def test_every_edit_is_kept_or_superseded_by_a_later_edit_that_saw_it(script: list, n: int) -> None:
    assert lost_after_everyone_exchanged(script, n) == []


def newest_value_only(*args: Any) -> list[list[Any]]:
    """A deliberately wrong field merge: last writer wins, the concurrent value is dropped."""
    return [displayed_sibling(REAL_MERGE_FIELD(*args))]


REAL_MERGE_FIELD = merge_module.merge_field


def test_the_lost_edit_check_catches_a_merge_that_drops_concurrent_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two desks change the phone without having seen each other's change.
    script = [
        ("send", 0, 1, "name", ""),
        ("edit", 0, 0, "phone", "a"),
        ("edit", 1, 1, "phone", "b"),
    ]
    assert lost_after_everyone_exchanged(script, 2) == []  # the real merge keeps both as a conflict
    monkeypatch.setattr(merge_module, "merge_field", newest_value_only)
    lost = lost_after_everyone_exchanged(script, 2)
    assert {(e.field, e.value) for e in lost} == {("phone", "a")}  # "b" was written later: it shows
    # Random scripts find such a loss too, so the property test above would fail on this merge.
    script, n = find(
        st.tuples(steps, st.integers(2, 5)),
        lambda case: bool(lost_after_everyone_exchanged(*case)),
        settings=settings(
            max_examples=2_000,
            database=None,
            phases=[Phase.generate],  # any failing script will do: no shrinking
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert lost_after_everyone_exchanged(script, n)


def test_concurrent_edits_stay_visible_as_a_conflict_on_every_desk_until_resolved() -> None:
    a, b = Desk("desk-a"), Desk("desk-b")
    a.create({"name": "María", "phone": "+16175550134"})
    b.receive(copy.deepcopy(a.state))
    a.edit("phone", "+16175550199")
    b.edit("phone", "+16175550177")
    a.receive(copy.deepcopy(b.state))
    b.receive(copy.deepcopy(a.state))
    for desk in (a, b):
        assert desk.state is not None
        assert in_conflict(desk.state["fields"]["phone"])
        assert {s[3] for s in desk.state["fields"]["phone"]} == {"+16175550199", "+16175550177"}
    assert displayed(a.state["fields"]["phone"]) == displayed(b.state["fields"]["phone"])  # type: ignore[index]
    a.edit("phone", "+16175550199")  # resolving is an ordinary edit
    b.receive(copy.deepcopy(a.state))
    assert not in_conflict(b.state["fields"]["phone"])  # type: ignore[index]


def test_an_empty_state_and_a_stale_state_change_nothing() -> None:
    a = Desk("desk-a")
    a.create({"name": "María"})
    stale = copy.deepcopy(a.state)
    a.edit("name", "María José")
    before = copy.deepcopy(a.state)
    a.receive(None)
    a.receive(stale)
    assert a.state == before


def test_a_stale_state_never_revives_a_deleted_record() -> None:
    a, b = Desk("desk-a"), Desk("desk-b")
    a.create({"name": "María"})
    stale = copy.deepcopy(a.state)
    a.edit("deleted", True)
    b.receive(copy.deepcopy(a.state))
    b.receive(stale)
    assert b.state is not None and visibility(b.state).deleted


def test_an_edit_concurrent_with_a_delete_keeps_the_record_visible() -> None:
    a, b = Desk("desk-a"), Desk("desk-b")
    a.create({"name": "María"})
    b.receive(copy.deepcopy(a.state))
    a.edit("deleted", True)
    b.edit("phone", "+16175550134")
    a.receive(copy.deepcopy(b.state))
    seen = visibility(a.state)  # type: ignore[arg-type]
    assert not seen.deleted and seen.edited_after_delete == ("phone",)


def test_clock_skew_changes_only_which_value_is_displayed() -> None:
    a, b = Desk("desk-a"), Desk("desk-b")
    a.create({"name": "María"})
    b.receive(copy.deepcopy(a.state))
    b.clock += 10**9  # b's wall clock is far ahead
    a.edit("name", "Ana")
    b.edit("name", "Bea")
    a.receive(copy.deepcopy(b.state))
    assert {s[3] for s in a.state["fields"]["name"]} == {"Ana", "Bea"}  # type: ignore[index]
    assert displayed(a.state["fields"]["name"]) == "Bea"  # type: ignore[index]


def test_the_same_stamp_with_two_values_is_refused_naming_the_desk() -> None:
    a = Desk("desk-a")
    a.create({"name": "María"})
    twin = copy.deepcopy(a.state)
    twin["fields"]["name"][0][3] = "Someone else"  # type: ignore[index]
    with pytest.raises(StampReused) as refused:
        merge_record(a.state, twin)  # type: ignore[arg-type]
    assert refused.value.desk == "desk-a"


def newest_row_wins(ours: RecordState, theirs: RecordState) -> RecordState:
    """A deliberately wrong merge: the whole row from the side with the newest clock."""

    def newest(state: RecordState) -> int:
        return max(s[2] for f in state["fields"].values() for s in f)

    return copy.deepcopy(ours if newest(ours) >= newest(theirs) else theirs)


def concurrent_edits_survive(merge: Any) -> bool:
    """Two desks edit different fields of one record, exchange both ways: both edits must remain."""
    a, b = Desk("desk-a"), Desk("desk-b")
    a.create({"name": "María", "phone": "+16175550134"})
    b.receive(copy.deepcopy(a.state))
    a.edit("name", "María José")
    b.edit("phone", "+16175550199")
    a.state = merge(a.state, copy.deepcopy(b.state))
    b.state = merge(b.state, copy.deepcopy(a.state))
    return all(
        displayed(d.state["fields"]["name"]) == "María José"  # type: ignore[index]
        and displayed(d.state["fields"]["phone"]) == "+16175550199"  # type: ignore[index]
        for d in (a, b)
    )


def test_the_check_holds_for_the_merge_and_catches_whole_row_newest_wins() -> None:
    assert concurrent_edits_survive(merge_record)
    assert not concurrent_edits_survive(newest_row_wins)
