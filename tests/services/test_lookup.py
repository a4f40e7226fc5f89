"""A repeat caller is recognised from a name typed without accents or a number typed any way."""

from __future__ import annotations

import pytest

from aiddesk.domain.phone import normalise
from aiddesk.services.intake.lookup import find_callers, phone_prefixes
from aiddesk.store.database import Database
from aiddesk.store.models import Person


def add_person(db: Database, name: str, typed_phone: str, *, deleted: bool = False) -> str:
    phone = normalise(typed_phone, "US")
    with db.transaction("Ana") as tx:
        person = Person(
            id=tx.new_id(), code=f"TST-{name[:3]}", name=name, phone=phone.e164, phone_raw=phone.raw
        )
        tx.session.add(person)
    if deleted:
        with db.transaction("Ana") as tx:
            tx.session.get(Person, person.id).deleted = True
    return person.id


@pytest.fixture
def callers(db: Database) -> dict[str, str]:
    return {
        "maria": add_person(db, "María José Hernández", "(617) 555-0134"),
        "jose": add_person(db, "José Núñez", "+1 508 555 0199"),
        "zoe": add_person(db, "Zoë O'Brien", "781.555.2200"),
        "gone": add_person(db, "Maria Gone", "617-555-0177", deleted=True),
    }


@pytest.mark.parametrize("typed", ["maria", "MARIA", "María", "hernandez", "mar her", "jose hern"])
def test_names_match_without_accents_or_case(db: Database, callers: dict[str, str], typed: str) -> None:
    assert callers["maria"] in [m.id for m in find_callers(db, typed, "US")]


@pytest.mark.parametrize(
    "typed", ["(617) 555-0134", "617.555.0134", "+1 617 555 0134", "6175550134", "16175550134", "617555"]
)
def test_a_number_typed_any_way_finds_the_caller(db: Database, callers: dict[str, str], typed: str) -> None:
    assert [m.id for m in find_callers(db, typed, "US")] == [callers["maria"]]


def test_last_four_digits_find_the_caller(db: Database, callers: dict[str, str]) -> None:
    assert [m.id for m in find_callers(db, "2200", "US")] == [callers["zoe"]]


def test_a_deleted_person_is_not_offered(db: Database, callers: dict[str, str]) -> None:
    assert callers["gone"] not in [m.id for m in find_callers(db, "maria", "US")]
    assert find_callers(db, "0177", "US") == []


def test_a_renamed_person_is_found_by_the_new_name_only(db: Database, callers: dict[str, str]) -> None:
    with db.transaction("Ana") as tx:
        tx.session.get(Person, callers["zoe"]).name = "Zoë Ramírez"
    assert [m.id for m in find_callers(db, "ramirez", "US")] == [callers["zoe"]]
    assert find_callers(db, "obrien", "US") == []


def test_too_little_typed_finds_nothing_yet(db: Database, callers: dict[str, str]) -> None:
    assert find_callers(db, "m", "US") == []
    assert find_callers(db, "61", "US") == []


def test_phone_prefixes_use_the_desk_region() -> None:
    assert phone_prefixes("55 1234", "MX") == ["+52551234"]
    assert phone_prefixes("+503 7", "US") == ["+5037"]
