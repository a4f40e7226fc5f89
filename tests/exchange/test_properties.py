"""The guarantees of docs/exchange-format.md, proved with hypothesis through real workbooks
between real databases.

Two to five desks make random edits (intake calls, new people and requests, field edits,
deletes, erasures), export workbooks and merge them in random orders — stale ones, repeated
ones, their own — and finally all exchange with all. Every local edit is recorded with what it
had seen (tests/exchange/desks.py), so what each desk must hold is worked out here from the
history alone, never from the merge code.

The last test breaks the merge on purpose (a whole row, newest wins) and shows that the same
checks then fail on a concrete exchange of workbooks: the properties can fail."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aiddesk.domain.merge import RecordState, displayed
from aiddesk.store.models import Volunteer
from tests.exchange import desks as harness
from tests.exchange.desks import ExchangeDesk, World

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

NAMES = ("María José", "Bea", '=HYPERLINK("x")', " Ana ", "Nguyễn Văn An")
PHONES = ("+16175550101", "+16175550102", "+5215512345678", None)
ADDRESSES = ("", "12 Elm St\nApt 3", "+1 Calle 5", "@casa")
DETAILS = ("arroz, frijoles", "", "-2 bags\tof rice", "leche 🍼")
URGENCIES = ("within_24h", "days_2_3", "this_week", "flexible")
FOLLOW_UPS = (None, dt.date(2026, 11, 20), dt.date(2027, 1, 4))
HOUSEHOLDS = (None, 1, 4, 12)
HAND_NAMES = ("Ana M.", "Bea", "  Luz  ", "Nguyễn")  # typed into a spreadsheet cell
HAND_PHONES = ("(617) 555-0188", "+1 617 555 0102", "617.555.0134", "")

# The fields a desk edits, per kind, with the values it types (few, so desks often collide).
EDITS: dict[str, tuple[tuple[str, tuple[Any, ...]], ...]] = {
    "person": (
        ("name", NAMES),
        ("phone", PHONES),
        ("address", ADDRESSES),
        ("household_size", HOUSEHOLDS),
        ("name", NAMES),  # twice: names and phones are what desks most often fix at once
        ("phone", PHONES),
    ),
    "request": (
        ("details", DETAILS),
        ("urgency", URGENCIES),
        ("follow_up", FOLLOW_UPS),
    ),
}

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]

# A script is a list of steps (operation, desk, a, b, c); the numbers pick records, fields,
# values and workbooks modulo what exists when the step runs. It is drawn as rounds: in each,
# some desks edit, then some send a workbook to another (or merge an old one again), so
# desks often edit the same field concurrently.
_LOCAL = ["person", "call", "request", "edit", "edit", "edit", "edit", "hand", "delete", "erase"]
_number = st.integers(0, 7)
local_step = st.tuples(st.sampled_from(_LOCAL), st.integers(0, 4), _number, _number, _number)
exchange_step = st.tuples(
    st.sampled_from(["send", "send", "merge", "export"]),
    st.integers(0, 4),
    st.integers(0, 4),
    _number,
    _number,
)
rounds = st.tuples(st.lists(local_step, min_size=1, max_size=4), st.lists(exchange_step, max_size=3))
scripts = st.lists(rounds, min_size=1, max_size=4).map(
    lambda rs: [s for local, sent in rs for s in (*local, *sent)]
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return harness.migrated_template(tmp_path_factory.mktemp("exchange-template"))


@pytest.fixture(scope="module")
def make_world(template: Path) -> Any:
    """Hypothesis runs a test many times; each example gets its own world (and folder)."""
    return lambda desks: harness.world(template, desks)


# ---- running a script ---------------------------------------------------------------------------


def _editable(desk: ExchangeDesk) -> list[tuple[str, str]]:
    return [(kind, rid) for kind in ("person", "request") for rid in desk.visible_ids(kind)]


def run_step(w: World, op: str, d: int, a: int, b: int, c: int) -> None:
    desk = w.desks[d % len(w.desks)]
    if op == "person":
        desk.add_person(NAMES[a % len(NAMES)], PHONES[b % len(PHONES)], address=ADDRESSES[c % len(ADDRESSES)])
    elif op == "call":
        desk.take_call(NAMES[a % len(NAMES)], f"(617) 555-01{b + 10:02d}", DETAILS[c % len(DETAILS)])
    elif op == "request":
        people = desk.visible_ids("person")
        if people:
            desk.add_request(people[a % len(people)], DETAILS[b % len(DETAILS)], urgency=URGENCIES[c % 4])
    elif op in ("edit", "delete", "erase"):
        records = _editable(desk)
        if not records:
            return
        kind, record_id = records[a % len(records)]
        if op == "delete":
            desk.delete(kind, record_id)
        elif op == "erase":
            people = desk.visible_ids("person")
            if people:
                desk.erase(people[a % len(people)])
        else:
            name, values = EDITS[kind][b % len(EDITS[kind])]
            value = values[c % len(values)]
            extra = {"phone_raw": value or ""} if name == "phone" else {}
            desk.edit(kind, record_id, **{name: value}, **extra)
    elif op == "export":
        desk.export()
    elif op == "send":
        other = w.desks[a % len(w.desks)]
        if other is not desk:
            other.merge(desk.export())
    elif op == "merge" and w.workbooks:
        desk.merge(w.workbooks[(a * 8 + b) % len(w.workbooks)])  # stale, repeated or its own
    elif op == "hand" and w.workbooks:
        # Someone changes a name or a phone in a (possibly stale) workbook; this desk accepts it.
        book = w.workbooks[a % len(w.workbooks)]
        key, typed = (
            ("name", HAND_NAMES[c % len(HAND_NAMES)])
            if c % 2
            else ("phone", HAND_PHONES[c % len(HAND_PHONES)])
        )
        target = w.root / f"hand-{len(w.edits)}-{book.path.name}"
        if harness.hand_edited(book, target, "People", b, key, typed):
            desk.accept_hand_edits(target)


def run_script(w: World, script: list[tuple[str, int, int, int, int]], *, shared: bool = True) -> None:
    """Run the steps; with `shared`, the first desk starts with two people and a request that
    every desk has merged, so desks edit the same records from the first step on."""
    if shared:
        first = w.desks[0]
        ana = first.add_person("Ana", "+16175550111", address="1 Main St", household_size=2)
        first.add_person("Beto", "+16175550112")
        first.add_request(ana, "arroz", urgency="this_week")
        book = first.export()
        for desk in w.desks[1:]:
            desk.merge(book)
    for op, d, a, b, c in script:
        run_step(w, op, d, a, b, c)


# ---- checks shared with the test that breaks the merge -------------------------------------------


def assert_converged(w: World) -> dict[str, list[RecordState]]:
    """Every desk holds the same state and shows the same values."""
    first = w.desks[0].state()
    shown = w.desks[0].shown()
    for desk in w.desks[1:]:
        other = desk.state()
        assert other == first, f"{desk} differs from {w.desks[0]}: {harness.state_diff(other, first)}"
        assert desk.shown() == shown, f"{desk} shows other values than {w.desks[0]}"
    return first


def assert_visibility(w: World) -> None:
    """Every desk lists exactly the records the history says are not deleted (or erased)."""
    hidden = harness.hidden_ids(w.edits)
    made = {(e.kind, e.record_id) for e in w.edits}
    for kind in ("person", "request"):
        expected = sorted(rid for k, rid in made if k == kind and (k, rid) not in hidden)
        for desk in w.desks:
            assert desk.visible_ids(kind) == expected, (desk, kind)


def assert_nothing_lost(w: World, state: dict[str, list[RecordState]]) -> None:
    lost = harness.lost_edits(w.edits, state)
    assert lost == [], f"edits lost: {lost}"


def assert_conflicts_shown(w: World) -> set[tuple[str, str, str]]:
    """Every desk's Conflicts screen lists exactly what the history says is open."""
    expected = harness.expected_conflicts(w.edits)
    for desk in w.desks:
        assert desk.open_conflicts() == expected, desk
    return expected


# ---- the properties -----------------------------------------------------------------------------


@settings(max_examples=20, suppress_health_check=SLOW, deadline=None)
@given(script=scripts, desks=st.integers(2, 5))
def test_desks_converge_keep_every_edit_and_show_every_concurrent_edit(
    make_world: Any, script: list, desks: int
) -> None:
    with make_world(desks) as w:
        run_script(w, script)
        w.everyone_to_everyone()
        state = assert_converged(w)
        assert_nothing_lost(w, state)
        assert_conflicts_shown(w)
        assert_visibility(w)


@settings(max_examples=10, suppress_health_check=SLOW, deadline=None)
@given(script=scripts, desks=st.integers(2, 4), settler=st.integers(0, 3))
def test_concurrent_edits_stay_a_conflict_on_every_desk_until_resolved(
    make_world: Any, script: list, desks: int, settler: int
) -> None:
    with make_world(desks) as w:
        a, b = w.desks[0], w.desks[1]
        person = a.add_person("María", "+16175550134")
        b.merge(a.export())
        a.edit("person", person, phone="+16175550199", phone_raw="(617) 555-0199")
        b.edit("person", person, phone="+16175550177", phone_raw="617 555 0177")
        a.merge(b.export())
        b.merge(a.export())
        for desk in (a, b):
            assert desk.open_conflicts() == {("person", person, "phone")}
        run_script(w, script)
        w.everyone_to_everyone()
        assert_converged(w)
        open_everywhere = assert_conflicts_shown(w)
        # One desk settles every conflict; until the others merge its workbook, they still show them all.
        chosen = w.desks[settler % len(w.desks)]
        while chosen.open_conflicts():  # as on the screen: the list is read again after each decision
            kind, record_id, name = min(chosen.open_conflicts())
            record = chosen.record(kind, record_id)
            assert record is not None
            value: Any = True if name == "deleted" else displayed(record["fields"][name])
            chosen.resolve(kind, record_id, {name: value})
        for desk in w.desks:
            if desk is not chosen:
                assert desk.open_conflicts() == open_everywhere
        w.everyone_to_everyone()
        state = assert_converged(w)
        assert_nothing_lost(w, state)
        assert assert_conflicts_shown(w) == set()


@settings(max_examples=8, suppress_health_check=SLOW, deadline=None)
@given(script=scripts)
def test_merge_is_commutative_associative_and_idempotent(make_world: Any, script: list) -> None:
    with make_world(3) as w:
        run_script(w, script)
        a, b, c = (desk.export() for desk in w.desks)
        # Fresh desks compute A+B, B+A, (A+B)+C and A+(B+C), each through workbooks.
        ab, ba, bc = w.add_desk("AB"), w.add_desk("BA"), w.add_desk("BC")
        for desk, books in ((ab, (a, b)), (ba, (b, a)), (bc, (b, c))):
            for book in books:
                desk.merge(book)
        assert ab.state() == ba.state()
        assert ab.shown() == ba.shown()
        ab_c, a_bc = w.add_desk("ABC"), w.add_desk("ABC2")
        for desk, books in ((ab_c, (ab.export(), c)), (a_bc, (a, bc.export()))):
            for book in books:
                desk.merge(book)
        assert ab_c.state() == a_bc.state()
        assert ab_c.shown() == a_bc.shown()
        # Idempotent: a desk merging its own workbook, or the same one twice, changes nothing.
        for desk, own in zip(w.desks[:3], (a, b, c), strict=True):
            before = desk.state()
            report = desk.merge(own)
            assert desk.state() == before
            assert (report.new, report.updated, report.conflicts) == (0, 0, 0)
        once = ab.state()
        report = ab.merge(b)
        assert ab.state() == once
        assert (report.new, report.updated, report.conflicts) == (0, 0, 0)


@settings(max_examples=6, suppress_health_check=SLOW, deadline=None)
@given(script=scripts, desks=st.integers(1, 3))
def test_merging_an_empty_state_changes_nothing(make_world: Any, script: list, desks: int) -> None:
    with make_world(desks) as w:
        run_script(w, script)
        empty = w.add_desk("EMPTY").export()
        for desk in w.desks[:desks]:
            before, shown = desk.state(), desk.shown()
            report = desk.merge(empty)
            assert (desk.state(), desk.shown()) == (before, shown)
            assert (report.new, report.updated, report.conflicts) == (0, 0, 0)
            # and the other way round: an empty desk that merges this one holds exactly its state
            fresh = w.add_desk()
            fresh.merge(desk.export())
            assert fresh.state() == before


@settings(max_examples=8, suppress_health_check=SLOW, deadline=None)
@given(script=scripts, desks=st.integers(2, 4), order=st.randoms(use_true_random=False))
def test_a_stale_workbook_never_revives_a_deleted_record(
    make_world: Any, script: list, desks: int, order: Any
) -> None:
    with make_world(desks) as w:
        a, b = w.desks[0], w.desks[1]
        ana = a.add_person("Ana", "+16175550111")
        gone = a.add_person("Bea", "+16175550112")
        erased = a.add_person("Cruz", "+16175550113", address="3 Oak St")
        request = a.add_request(ana, "arroz")
        stale = a.export()
        b.merge(stale)
        a.delete("person", gone)
        b.delete("request", request)
        a.erase(erased)
        run_script(w, script)
        w.everyone_to_everyone()
        converged = assert_converged(w)
        # Every workbook ever written, merged again anywhere in any order, changes nothing.
        books = list(w.workbooks)
        order.shuffle(books)
        for desk in w.desks:
            for book in books[:6]:
                desk.merge(book)
                assert desk.state() == converged
        # The deletes nobody edited against stay deleted; the erased person stays empty.
        assert_visibility(w)
        hidden_now = harness.hidden_ids(w.edits)
        for kind, rid in (("person", gone), ("request", request)):
            assert ((kind, rid) in hidden_now) == ((kind, rid) not in harness.edited_after_delete(w.edits))
        assert ("person", erased) in hidden_now
        records = {(kind, r["id"]): r for kind, rows in converged.items() for r in rows}
        person = records[("person", erased)]
        for name in ("name", "phone", "phone_raw", "address"):
            assert {s[3] for s in person["fields"][name]} <= {"", None}


# ---- values through export and import -------------------------------------------------------------

# What a volunteer may type: anything but the control characters the forms refuse.
typed_char = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)])),
)
risky = st.sampled_from(
    [
        "=",
        "+",
        "-",
        "@",
        "'",
        '"',
        "\n",
        "\r\n",
        "\t",
        " ",
        "  ",
        "=1+1",
        "0",
        "007",
        "1e5",
        "TRUE",
        "2026-03-14",
        "‏مرحبا",
        "👩‍👩‍👧",
        "\u200b",
        "&amp;",
        "<b>",
        "]]>",
        "_x0041_",
        "_x000D_",
        "_x005F_",
    ]
)
hostile_text = st.lists(st.one_of(risky, st.text(typed_char, max_size=8)), max_size=6).map("".join)
# Text at Excel's limit of 32,767 characters (one cell) and just under it.
long_text = st.tuples(
    st.sampled_from([32_767, 32_766, 32_001, 16_384]), st.sampled_from(["a", "=ñ", "👍 ", "x\n", " \t_"])
).map(lambda n_part: (n_part[1] * n_part[0])[: n_part[0]])
some_date = st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31))
some_time = st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2199, 12, 31)).map(
    lambda t: t.replace(microsecond=0)
)


@settings(max_examples=25, suppress_health_check=SLOW, deadline=None)
@given(
    texts=st.lists(hostile_text, min_size=6, max_size=6),
    long=st.one_of(st.none(), long_text),
    household=st.one_of(st.none(), st.integers(0, 99)),
    runs=st.integers(0, 1_000_000),
    follow_up=st.one_of(st.none(), some_date),
    created=some_time,
)
def test_import_of_export_is_the_same_state_for_hostile_values(
    make_world: Any,
    texts: list[str],
    long: str | None,
    household: int | None,
    runs: int,
    follow_up: Any,
    created: Any,
) -> None:
    with make_world(2) as w:
        a, b = w.desks
        person = a.add_person(
            texts[0][:200],
            None,
            phone_raw=texts[1][:40],
            address=long if long is not None else texts[2],
            household_size=household,
            delivery_notes=texts[3],
            contact_time=texts[4][:120],
        )
        a.add_request(person, texts[5], follow_up=follow_up, created_at=created, status_reason=texts[2])
        with a.transaction() as tx:
            tx.session.add(
                Volunteer(
                    id=w.next_id(),
                    code="D1-V1",
                    name=texts[4][:200],
                    max_runs_week=runs,
                    checked_on=follow_up,
                    notes=texts[0],
                )
            )
        state = a.state()
        book = a.export()
        b.merge(book)
        assert b.state() == state
        assert b.shown() == a.shown()
        # The visible cells read back exactly as written: merging the workbook back finds no hand edit.
        report = a.merge(book)
        assert (report.proposals, report.rejected, report.updated) == (0, [], 0)
        assert a.state() == state


# ---- clocks ------------------------------------------------------------------------------------

SKEWS = (0, 5 * 60_000, -3 * 3_600_000, 2 * 86_400_000, -40 * 86_400_000, 200 * 86_400_000)
# Skew runs use records with fixed ids and values only: no intake (its events carry the time).
skew_local = st.tuples(
    st.sampled_from(["person", "request", "edit", "edit", "edit", "delete"]),
    st.integers(0, 4),
    _number,
    _number,
    _number,
)
skew_scripts = st.lists(
    st.tuples(st.lists(skew_local, min_size=1, max_size=4), st.lists(exchange_step, max_size=3)),
    min_size=1,
    max_size=4,
).map(lambda rs: [s for local, sent in rs for s in (*local, *sent)])


@settings(max_examples=6, suppress_health_check=SLOW, deadline=None)
@given(script=skew_scripts, skews=st.lists(st.sampled_from(SKEWS), min_size=3, max_size=3))
def test_clock_skew_changes_only_which_value_is_displayed(
    make_world: Any, script: list, skews: list[int]
) -> None:
    assume(any(skews))
    outcomes = []
    for skewed in (False, True):
        with make_world(3) as w:
            for desk, skew in zip(w.desks, skews, strict=True):
                desk.skew_ms = skew if skewed else 0
            run_script(w, script)
            w.everyone_to_everyone()
            state = assert_converged(w)
            assert_nothing_lost(w, state)
            outcomes.append((harness.without_clocks(state), w.desks[0].open_conflicts()))
    assert outcomes[0] == outcomes[1]


# ---- the properties can fail ----------------------------------------------------------------------


def _newest_row_wins(ours: RecordState, theirs: RecordState) -> RecordState:
    """A deliberately wrong merge: the record last edited (by clock) replaces the other whole."""

    def last_edit(state: RecordState) -> int:
        return max(s[2] for siblings in state["fields"].values() for s in siblings)

    newest = copy.deepcopy(max(ours, theirs, key=last_edit))
    newest["vv"] = {
        d: max(ours["vv"].get(d, 0), theirs["vv"].get(d, 0)) for d in {**ours["vv"], **theirs["vv"]}
    }
    return newest


def _two_desks_edit_one_person(w: World) -> str:
    a, b = w.desks
    b.skew_ms = 60_000  # B's edits are the newest, whatever the timing of the test
    person = a.add_person("María", "+16175550134", address="1 Main St")
    b.merge(a.export())
    a.edit("person", person, name="María José")  # one field at one desk ...
    b.edit("person", person, household_size=3)  # ... another field at the other
    a.edit("person", person, address="2 Oak St")  # and the same field at both
    b.edit("person", person, address="3 Elm St")
    w.everyone_to_everyone()
    return person


def test_a_whole_row_newest_wins_merge_loses_edits_and_hides_conflicts(make_world: Any) -> None:
    with make_world(2) as w:  # the real merge keeps everything: the checks pass
        _two_desks_edit_one_person(w)
        state = assert_converged(w)
        assert_nothing_lost(w, state)
        assert ("person", w.desks[0].visible_ids("person")[0], "address") in assert_conflicts_shown(w)
    with (
        make_world(2) as w,
        mock.patch("aiddesk.services.exchange.merge_pass.merge_record", _newest_row_wins),
    ):
        person = _two_desks_edit_one_person(w)
        state = w.desks[0].state()
        lost = harness.lost_edits(w.edits, state)
        assert ("name", "María José") in {(e.field, e.value) for e in lost}  # desk A's edit is gone
        with pytest.raises(AssertionError, match="edits lost"):
            assert_nothing_lost(w, state)
        with pytest.raises(AssertionError):  # and the concurrent addresses are no conflict anywhere
            assert_conflicts_shown(w)
        assert w.desks[0].open_conflicts() == set()
        assert w.desks[0].record("person", person) is not None


def test_an_edit_saved_on_a_record_deleted_meanwhile_still_exchanges(make_world: Any) -> None:
    with make_world(2) as w:
        a, b = w.desks
        person = a.add_person("María", "+16175550134")
        b.merge(a.export())
        a.delete("person", person)
        b.merge(a.export())  # the exchange folder brings the delete in while the person page is open ...
        b.edit("person", person, address="5 Pine St")  # ... and the volunteer saves an address there
        w.everyone_to_everyone()  # every desk must still take B's workbooks
        assert_converged(w)
        assert assert_conflicts_shown(w) == {("person", person, "deleted")}
