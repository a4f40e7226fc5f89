"""People entered twice: two desks take a call from the same caller before their workbooks meet;
after the exchange both desks suggest the pair, until a person merges them or says they are not
the same person. Other people are not suggested."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from record_makers import NEED, add_person
from two_desks import Desk, exchange, north_and_south

from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.intake.calls import save_call
from aiddesk.services.people import erasure, same_people
from aiddesk.services.people import person as people
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.store.repositories.people.same_person import SAME_NAME_ADDRESS, SAME_PHONE


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def take_call(desk: Desk, name: str, phone: str, **fields: str) -> str:
    form = IntakeForm(phone=phone, name=name, needs=[NeedRow(NEED["groceries"])], **fields)
    return save_call(desk.db, "Ana", form, "US").person_id


def pairs(db: Database) -> list[tuple[str, str, str]]:
    return [(*sorted(s.pair), s.reason) for s in same_people.suggestions(db)]


def test_a_caller_entered_at_two_desks_is_suggested_at_both(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    maria_north = take_call(north, "María García", "617-555-0134", address="4 Oak St")
    maria_south = take_call(south, "Maria Garcia", "(617) 555 0134")
    take_call(north, "Ana Tran", "617-555-0111", address="4 Oak St")  # same address, other person
    take_call(south, "Luis Ortega", "617-555-0199")
    assert same_people.suggestions(north.db) == [] == same_people.suggestions(south.db)

    exchange(north, south)

    expected = [(*sorted((maria_north, maria_south)), SAME_PHONE)]
    assert pairs(north.db) == expected == pairs(south.db)
    [suggestion] = same_people.suggestions(south.db)
    assert {suggestion.a.code, suggestion.b.code} == {"NOR-P0001", "SUR-P0001"}
    assert {suggestion.a.name, suggestion.b.name} == {"María García", "Maria Garcia"}
    assert suggestion.a.phone == suggestion.b.phone == "(617) 555-0134"  # the desk's region writes it
    assert suggestion.reason_text == "same phone number"

    # merged at the south desk: no longer suggested there, nor at the north after the next exchange
    people.merge_people(south.db, "Rosa", maria_south, maria_north)
    assert pairs(south.db) == []
    exchange(south, north)
    assert pairs(north.db) == [] == pairs(south.db)


def test_not_the_same_person_is_remembered_at_this_desk(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    mother = take_call(north, "Rosa Díaz", "617-555-0134")
    son = take_call(south, "Pedro Díaz", "617.555.0134")
    exchange(north, south)
    assert pairs(north.db) == [(*sorted((mother, son)), SAME_PHONE)]

    same_people.dismiss(north.db, "Ana", son, mother)  # either order
    same_people.dismiss(north.db, "Ana", mother, son)  # twice is harmless
    assert pairs(north.db) == []
    assert len(pairs(south.db)) == 1  # a local answer: the south desk still asks

    exchange(north, south)  # workbooks do not bring the pair back
    assert pairs(north.db) == []


def test_same_name_and_address_without_a_phone(db: Database) -> None:
    first = add_person(db, "TST-P1", "José  Núñez", address="12 Elm St, Apt 3")
    second = add_person(db, "TST-P2", "jose nuñez", address="12 elm st,  apt 3")
    add_person(db, "TST-P3", "José Núñez", address="14 Elm St")  # same name, other address
    add_person(db, "TST-P4", "Josefa Núñez", address="12 Elm St, Apt 3")  # same address, other name
    add_person(db, "TST-P5", "Walk In", address="")
    add_person(db, "TST-P6", "Walk In", address="")  # no address: nothing to go on
    assert pairs(db) == [(*sorted((first, second)), SAME_NAME_ADDRESS)]
    assert same_people.suggestions(db)[0].reason_text == "same name and address"


def test_either_phone_slot_counts_and_each_pair_comes_once(db: Database) -> None:
    home = {"phone": "+16175550134", "phone_raw": "617-555-0134"}
    a = add_person(db, "TST-P1", "Rosa Díaz", address="4 Oak St", **home)
    b = add_person(
        db, "TST-P2", "Rosa Diaz", address="4 oak st", phone2="+16175550134", phone2_raw="6175550134"
    )
    assert pairs(db) == [(*sorted((a, b)), SAME_PHONE)]  # same phone and same name and address: once
    [suggestion] = same_people.suggestions(db)
    assert suggestion.a.phone == suggestion.b.phone == "(617) 555-0134"  # the number they share


def test_the_number_shown_is_the_one_they_share(db: Database) -> None:
    a = add_person(db, "TST-P1", "Rosa Díaz", phone="+16175550111", phone_raw="617-555-0111")
    add_person(
        db, "TST-P2", "Pedro Díaz", phone="+16175550999", phone2="+16175550111", phone2_raw="617 555 0111"
    )
    [suggestion] = same_people.suggestions(db)
    assert suggestion.a.id == a
    assert suggestion.a.phone == suggestion.b.phone == "(617) 555-0111"


def test_merged_deleted_and_erased_people_are_not_suggested(db: Database) -> None:
    phone = {"phone": "+16175550134", "phone_raw": "617-555-0134"}
    a = add_person(db, "TST-P1", "Rosa Díaz", **phone)
    b = add_person(db, "TST-P2", "Rosa Díaz", **phone)
    c = add_person(db, "TST-P3", "Rosa Díaz", **phone)
    assert len(pairs(db)) == 3
    erasure.erase_person(db, "Ana", c)
    assert pairs(db) == [(*sorted((a, b)), SAME_PHONE)]
    with db.transaction("Ana") as tx:
        person = tx.session.get(Person, b)
        assert person is not None
        person.deleted = True
    assert pairs(db) == []
