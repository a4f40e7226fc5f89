"""Conflicts between two real desks exchanging workbooks: what the Conflicts screen lists, and
settling them (keep a value, type one, keep or delete a record edited after its delete) so that
the decision travels and both desks agree again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from two_desks import Desk, exchange, north_and_south

from aiddesk import i18n
from aiddesk.domain.validation import Invalid
from aiddesk.services.exchange import conflicts, waiting
from aiddesk.services.exchange.conflicts import AFTER_DELETE


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


@pytest.fixture
def maria(desks: tuple[Desk, Desk]) -> str:
    """María, entered at the north desk, known to both."""
    north, south = desks
    person_id = north.add_person(
        "NOR-0001",
        "María García",
        phone="+16175550134",
        phone_raw="617-555-0134",
        address="4 Oak St",
        household_size=2,
    )
    south.merge(north.export())
    return person_id


def _concurrent(desks: tuple[Desk, Desk], person_id: str, north: dict, south: dict) -> None:
    desks[0].edit("person", person_id, **north)
    desks[1].edit("person", person_id, **south)
    exchange(*desks)


def _phones_differ(desks: tuple[Desk, Desk], person_id: str) -> None:
    north = {"phone": "+16175550100", "phone_raw": "617 555 0100"}
    south = {"phone": "+16175550199", "phone_raw": "(617) 555-0199"}
    _concurrent(desks, person_id, north, south)


def test_concurrent_edits_show_on_both_desks_with_both_values_and_desks(desks, maria):
    _concurrent(desks, maria, {"address": "4 Oak St, Apt 2"}, {"address": "12 Elm Rd"})
    seen = []
    for desk in desks:
        (conflict,) = conflicts.open_conflicts(desk.db)
        assert (conflict.kind, conflict.record_id, conflict.field) == ("person", maria, "address")
        assert conflict.record == "NOR-0001"
        assert conflict.field_label == "Address"
        by_text = {c.text: c.desk for c in conflict.choices}
        assert by_text == {"4 Oak St, Apt 2": "NOR (Desk NOR)", "12 Elm Rd": "SUR (Desk SUR)"}
        assert sum(c.shown for c in conflict.choices) == 1
        seen.append(next(c.text for c in conflict.choices if c.shown))
        assert waiting.waiting_count(desk.db) == 1
    assert seen[0] == seen[1]  # the same value shows on every desk


def test_keeping_a_value_settles_it_and_the_decision_travels(desks, maria):
    north, south = desks
    _concurrent(desks, maria, {"address": "4 Oak St, Apt 2"}, {"address": "12 Elm Rd"})
    (conflict,) = conflicts.open_conflicts(south.db)
    kept = next(c for c in conflict.choices if c.text == "4 Oak St, Apt 2")
    conflicts.resolve(south.db, "Rosa", "person", maria, {"address": kept.value})

    assert conflicts.open_conflicts(south.db) == []
    assert south.person(maria).address == "4 Oak St, Apt 2"
    north.merge(south.export())
    assert conflicts.open_conflicts(north.db) == []
    assert north.person(maria).address == "4 Oak St, Apt 2"
    south.merge(north.export())
    assert north.dump() == south.dump()
    assert waiting.waiting_count(north.db) == waiting.waiting_count(south.db) == 0


def test_keeping_the_value_already_shown_still_settles_it(desks, maria):
    north, south = desks
    _concurrent(desks, maria, {"household_size": 3}, {"household_size": 5})
    (conflict,) = conflicts.open_conflicts(north.db)
    shown = next(c for c in conflict.choices if c.shown)
    conflicts.resolve(north.db, "Rosa", "person", maria, {"household_size": shown.value})
    exchange(north, south)
    assert conflicts.open_conflicts(north.db) == conflicts.open_conflicts(south.db) == []
    assert north.dump() == south.dump()


def test_a_typed_value_is_read_as_in_the_form_and_travels(desks, maria):
    north, south = desks
    _phones_differ(desks, maria)
    (conflict,) = conflicts.open_conflicts(north.db)  # the raw phone goes with its number: one conflict
    assert conflict.field == "phone" and conflict.field_label == "Phone"
    values = conflicts.typed_values("person", "phone", "617.555.0111")
    assert values == {"phone": "+16175550111", "phone_raw": "617.555.0111"}
    conflicts.resolve(north.db, "Rosa", "person", maria, values)
    exchange(north, south)
    for desk in desks:
        assert conflicts.open_conflicts(desk.db) == []
        person = desk.person(maria)
        assert (person.phone, person.phone_raw) == ("+16175550111", "617.555.0111")
    assert north.dump() == south.dump()


def test_keeping_a_phone_keeps_the_number_as_it_was_typed_with_it(desks, maria):
    north, south = desks
    _phones_differ(desks, maria)
    (conflict,) = conflicts.open_conflicts(south.db)
    kept = next(c for c in conflict.choices if c.value == "+16175550199")
    conflicts.resolve(south.db, "Rosa", "person", maria, {"phone": kept.value})
    assert conflicts.open_conflicts(south.db) == []
    person = south.person(maria)
    assert (person.phone, person.phone_raw) == ("+16175550199", "(617) 555-0199")


def test_a_bad_typed_value_is_refused_and_changes_nothing(desks, maria):
    north, _south = desks
    _concurrent(desks, maria, {"household_size": 3}, {"household_size": 5})
    before = north.dump()
    with pytest.raises(Invalid) as refused:
        conflicts.typed_values("person", "household_size", "lots")
    problem = refused.value.problems[0]
    assert problem.field == "household_size"
    assert i18n._(problem.message) % problem.params == "“lots” is not a whole number."
    assert north.dump() == before
    assert len(conflicts.open_conflicts(north.db)) == 1


def test_a_link_to_another_record_cannot_be_typed(desks, maria):
    from aiddesk.domain.defaults import ZONES

    zones = [z.id_for("zone") for z in ZONES]
    _concurrent(desks, maria, {"zone_id": zones[0]}, {"zone_id": zones[1]})
    (conflict,) = conflicts.open_conflicts(desks[0].db)
    assert conflict.field == "zone_id" and conflict.field_label == "Zone"
    assert not conflicts.can_type("person", "zone_id")
    with pytest.raises(Invalid):
        conflicts.typed_values("person", "zone_id", "North")
    assert {c.text for c in conflict.choices} == {ZONES[0].label_en, ZONES[1].label_en}


@pytest.mark.parametrize("keep", [True, False])
def test_edited_after_delete_keep_or_delete(desks, maria, keep):
    north, south = desks
    north.edit("person", maria, deleted=True)
    south.edit("person", maria, address="12 Elm Rd", dietary_needs="No pork")
    exchange(north, south)
    for desk in desks:
        (conflict,) = conflicts.open_conflicts(desk.db)
        assert conflict.field == AFTER_DELETE
        assert set(conflict.edited_fields) == {"address", "dietary_needs"}
        assert conflict.choices[0].desk == "NOR (Desk NOR)"
        assert desk.person(maria).deleted is False  # intake data must not vanish while undecided

    conflicts.resolve(north.db, "Rosa", "person", maria, {"deleted": not keep})
    exchange(north, south)
    for desk in desks:
        assert conflicts.open_conflicts(desk.db) == []
        person = desk.person(maria)
        assert person.deleted is (not keep)
        assert person.address == "12 Elm Rd"
    assert north.dump() == south.dump()


def test_a_conflict_on_a_record_deleted_since_is_not_listed(desks, maria):
    north, south = desks
    _concurrent(desks, maria, {"address": "A"}, {"address": "B"})
    north.edit("person", maria, deleted=True)  # deleted after seeing both values
    exchange(north, south)
    assert conflicts.open_conflicts(north.db) == conflicts.open_conflicts(south.db) == []
    assert waiting.waiting_count(north.db) == waiting.waiting_count(south.db) == 0


def test_resolving_a_record_that_is_gone_is_refused(desks):
    north, _south = desks
    with pytest.raises(Invalid):
        conflicts.resolve(north.db, "Rosa", "person", "no-such-id", {"address": "x"})
    with pytest.raises(Invalid):
        conflicts.resolve(north.db, "Rosa", "person", "no-such-id", {"no_such_field": "x"})
