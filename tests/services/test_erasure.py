"""Erasing a person for privacy: one transaction that empties the personal fields, and an erasure
that wins over every concurrent edit and every stale workbook, at every desk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from record_makers import NEED, add_person, add_request
from sqlalchemy import select
from two_desks import Desk, exchange, hand_edit, north_and_south

from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.domain.validation import Invalid
from aiddesk.services.exchange import conflicts, proposals, waiting
from aiddesk.services.exchange.merge import Proposals
from aiddesk.services.intake.calls import save_call
from aiddesk.services.people import erasure
from aiddesk.services.people import person as people
from aiddesk.store.database import Database
from aiddesk.store.models import PERSONAL_FIELDS, Audit, Event, Person
from aiddesk.store.repositories.canonical import record_state

MARIA = {
    "phone": "+16175550134",
    "phone_raw": "617-555-0134",
    "phone2": "+16175550999",
    "phone2_raw": "617 555 0999",
    "email": "maria@example.org",
    "address": "4 Oak St",
    "dietary_needs": "No pork",
    "delivery_notes": "Gate code 1234",
    "safety_notes": "Ex-partner must not learn the address",
    "contact_time": "Mornings",
    "household_size": 3,
}


def _personal(person: Person) -> dict[str, object]:
    return {name: getattr(person, name) for name in PERSONAL_FIELDS}


def _empty() -> dict[str, object]:
    return {name: None if name in ("phone", "phone2") else "" for name in PERSONAL_FIELDS}


def _get(db: Database, person_id: str) -> Person:
    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


def test_erase_empties_personal_fields_and_deletes_in_one_transaction(db: Database):
    maria = add_person(db, "TST-P1", "María García", **MARIA)
    request = add_request(db, maria, "TST-0001")
    erasure.erase_person(db, "Rosa", maria)

    person = _get(db, maria)
    assert _personal(person) == _empty()
    assert person.erased is True and person.deleted is True
    assert person.household_size == 3  # not personal: kept for the counts
    assert person.code == "TST-P1"
    with db.session() as session:
        events = session.scalars(select(Event).where(Event.record_id == maria)).all()
        audit = session.scalars(select(Audit).where(Audit.action == "erased")).all()
    assert [e.what for e in events] == ["erased"]
    assert events[0].who == "Rosa"
    assert "María" not in events[0].detail
    assert [(a.who, a.record_id) for a in audit] == [("Rosa", maria)]
    assert "María" not in json.dumps([a.detail for a in audit])
    assert request  # the request stays, linked to a record that no longer says who it was


def test_the_erasure_stamps_every_personal_field_even_one_already_empty(db: Database):
    """Each erasure writes its own empty value in every personal field, so the merge never has to
    make one up: without it, three desks erasing and editing at once ended up in different states."""
    maria = add_person(db, "TST-P1", "María García", address="4 Oak St")  # e-mail, notes... empty
    erasure.erase_person(db, "Rosa", maria)
    with db.session() as session:
        state = record_state(Person, session.get(Person, maria))
    (erased,) = state["fields"]["erased"]
    for name in PERSONAL_FIELDS:
        (sibling,) = state["fields"][name]
        assert sibling[:2] == erased[:2], name


def test_erase_refuses_an_unknown_or_already_erased_person(db: Database):
    maria = add_person(db, "TST-P1", "María García")
    with pytest.raises(Invalid) as unknown:
        erasure.erase_person(db, "Rosa", "no-such-person")
    assert unknown.value.problems[0].message == "This person is no longer in the records."
    erasure.erase_person(db, "Rosa", maria)
    with pytest.raises(Invalid) as again:
        erasure.erase_person(db, "Rosa", maria)
    assert again.value.problems[0].message == "This person's data was already erased."
    assert erasure.is_erased(db, maria)


def test_other_services_refuse_to_edit_an_erased_person(db: Database):
    maria = add_person(db, "TST-P1", "María García", **MARIA)
    other = add_person(db, "TST-P2", "Maria Garcia")
    erasure.erase_person(db, "Rosa", maria)
    form = IntakeForm(
        person_id=maria, phone="617-555-0134", name="María García", needs=[NeedRow(NEED["groceries"])]
    )
    with pytest.raises(Invalid):
        save_call(db, "Ana", form, "US")
    with pytest.raises(Invalid):
        people.merge_people(db, "Ana", other, maria)
    with pytest.raises(Invalid):
        people.merge_people(db, "Ana", maria, other)
    with pytest.raises(Invalid):
        conflicts.resolve(db, "Ana", "person", maria, {"name": "María García"})
    assert _personal(_get(db, maria)) == _empty()


# ---- erasure wins, at every desk ---------------------------------------------------------------


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


@pytest.fixture
def maria(desks: tuple[Desk, Desk]) -> str:
    north, south = desks
    person_id = north.add_person("NOR-0001", "María García", **MARIA)
    south.merge(north.export())
    return person_id


@pytest.mark.parametrize("erasing_desk_first", [True, False])
def test_erasure_wins_over_a_concurrent_phone_edit_in_either_order(desks, maria, erasing_desk_first):
    north, south = desks
    erasure.erase_person(north.db, "Rosa", maria)
    south.edit("person", maria, phone="+16175550100", phone_raw="617 555 0100", name="María G.")
    if erasing_desk_first:
        exchange(north, south)
    else:
        exchange(south, north)
    for desk in desks:
        person = desk.person(maria)
        assert _personal(person) == _empty()
        assert person.erased and person.deleted
        assert conflicts.open_conflicts(desk.db) == []
        assert waiting.waiting_count(desk.db) == 0
    assert north.dump() == south.dump()


def test_a_stale_workbook_merged_later_does_not_bring_the_name_back(desks, maria):
    north, south = desks
    stale_north = north.export()  # made before the erasure: holds the name
    stale_south = south.export()
    erasure.erase_person(north.db, "Rosa", maria)
    exchange(north, south)
    for desk in desks:
        for book in (stale_north, stale_south):
            desk.merge(book)
            assert _personal(desk.person(maria)) == _empty()
    assert north.dump() == south.dump()


def test_a_hand_edit_of_an_erased_person_in_an_old_workbook_is_never_stored(desks, maria):
    north, south = desks
    old = hand_edit(south.export(), "People", maria, "name", "María Otra Vez")
    erasure.erase_person(north.db, "Rosa", maria)
    north.merge(old, proposals=Proposals.KEEP)
    proposals.accept(north.db, "Rosa", [p.id for p in proposals.pending(north.db)])
    assert _personal(north.person(maria)) == _empty()
