"""Editing a person's details: the intake's rules, only what was edited changes, a normal synced
edit that travels to another desk, a history entry, and no edit of an erased or merged record."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from record_makers import ZONE, add_person
from sqlalchemy import select
from two_desks import Desk, north_and_south

from aiddesk.domain.validation import Invalid
from aiddesk.services.intake import lookup
from aiddesk.services.people import details, erasure
from aiddesk.services.people import person as people
from aiddesk.store.database import Database
from aiddesk.store.models import Audit, Event, Person

ROSA = {
    "phone": "+16175550134",
    "phone_raw": "617-555-0134",
    "address": "12 Elm St",
    "language": "es",
    "consent": True,
    "consent_version": "2026-11-01.1",
}


def _get(db: Database, person_id: str) -> Person:
    with db.session() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


def test_an_edit_changes_the_fields_typed_and_shows_in_the_history(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    start = details.editable_details(db, rosa, "US")
    assert (start.code, start.form.name, start.form.phone, start.form.address) == (
        "TST-P1",
        "Rosa Díaz",
        "617-555-0134",
        "12 Elm St",
    )
    form = replace(
        start.form,
        phone="(617) 555-0199",
        address="  40 Oak Ave, Apt 2 ",
        zone_id=ZONE["east"],
        household_size="4",
        email="rosa@example.org",
        safety_notes="Do not leave food outside",
    )
    changed = details.update_details(db, "Luis", rosa, form, before=start.form)

    assert changed == ["phone", "address", "zone_id", "household_size", "email", "safety_notes"]
    person = _get(db, rosa)
    assert (person.phone, person.phone_raw, person.address) == (
        "+16175550199",
        "(617) 555-0199",
        "40 Oak Ave, Apt 2",
    )
    assert (person.zone_id, person.household_size, person.email) == (ZONE["east"], 4, "rosa@example.org")
    assert person.name == "Rosa Díaz" and person.consent_version == "2026-11-01.1"  # untouched
    assert [m.id for m in lookup.find_callers(db, "617 555 0199", "US")] == [rosa]  # found by the new number
    assert lookup.find_callers(db, "617 555 0134", "US") == []
    page = people.person_page(db, rosa)
    assert page is not None
    [event] = [e for e in page.events if e.what == "edited"]
    assert event.who == "Luis" and event.detail["fields"] == changed
    with db.session() as session:
        assert (
            session.scalars(select(Audit.action).where(Audit.record_id == rosa)).all()[-1] == "person_edited"
        )


def test_nothing_edited_writes_nothing(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    start = details.editable_details(db, rosa, "US")
    assert (
        details.update_details(db, "Luis", rosa, replace(start.form, name=" Rosa Díaz "), before=start.form)
        == []
    )
    with db.session() as session:
        assert session.scalars(select(Event).where(Event.record_id == rosa)).all() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "", "phone": ""}, "phone"),  # a name or a phone
        ({"name": "", "phone": "call me maybe"}, "phone"),
        ({"phone2": "call me maybe"}, "phone2"),
        ({"email": "not-an-email"}, "email"),
        ({"household_size": "tres mil"}, "household_size"),
    ],
)
def test_refused_fields_change_nothing(db: Database, change: dict[str, str], field: str) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    start = details.editable_details(db, rosa, "US")
    form = replace(start.form, address="New address", **change)
    with pytest.raises(Invalid) as refused:
        details.update_details(db, "Luis", rosa, form, before=start.form)
    assert refused.value.problems[0].field == field
    assert _get(db, rosa).address == "12 Elm St"


def test_consent_can_be_withdrawn_but_not_given_outside_a_call(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    pedro = add_person(db, "TST-P2", "Pedro Ruiz")
    start = details.editable_details(db, pedro, "US")
    with pytest.raises(Invalid) as refused:
        details.update_details(db, "Luis", pedro, replace(start.form, consent=True), before=start.form)
    assert refused.value.problems[0].field == "consent"

    start = details.editable_details(db, rosa, "US")
    details.update_details(db, "Luis", rosa, replace(start.form, consent=False), before=start.form)
    person = _get(db, rosa)
    assert (person.consent, person.consent_version) == (False, "")


def test_a_field_changed_meanwhile_is_not_put_back(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    start = details.editable_details(db, rosa, "US")
    with db.transaction("Ana") as tx:  # another screen (or a merge) changes the address meanwhile
        person = tx.session.get(Person, rosa)
        assert person is not None
        person.address = "99 New St"
    sort_key = _get(db, rosa).name_sort_es
    details.update_details(db, "Luis", rosa, replace(start.form, name="Rosa María Díaz"), before=start.form)
    person = _get(db, rosa)
    assert (person.name, person.address) == ("Rosa María Díaz", "99 New St")
    assert person.name_sort_es not in ("", sort_key)  # the name sorts under its new spelling


def test_an_erased_or_merged_person_cannot_be_edited(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", **ROSA)
    start = details.editable_details(db, rosa, "US")
    erasure.erase_person(db, "Ana", rosa)
    for attempt in (
        lambda: details.editable_details(db, rosa, "US"),
        lambda: details.update_details(db, "Luis", rosa, replace(start.form, name="Rosa"), before=start.form),
    ):
        with pytest.raises(Invalid) as refused:
            attempt()
        assert "erased" in refused.value.problems[0].message
    assert _get(db, rosa).name == ""

    keep = add_person(db, "TST-P2", "Pedro Ruiz")
    other = add_person(db, "TST-P3", "Pedro Ruíz")
    people.merge_people(db, "Ana", keep, other)
    with pytest.raises(Invalid) as refused:
        details.editable_details(db, other, "US")
    assert "merged" in refused.value.problems[0].message


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def test_an_edit_on_one_desk_arrives_at_the_other_and_merges_field_by_field(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    rosa = north.add_person("NOR-0001", "Rosa Díaz", **ROSA)
    south.merge(north.export())

    start = details.editable_details(north.db, rosa, "US")
    details.update_details(
        north.db,
        "Ana",
        rosa,
        replace(start.form, phone="617 555 0177", address="40 Oak Ave"),
        before=start.form,
    )
    south.edit("person", rosa, delivery_notes="Ring twice")  # a concurrent edit of another field at SUR
    south.merge(north.export())
    north.merge(south.export())

    for desk in (north, south):
        person = desk.person(rosa)
        assert (person.phone, person.phone_raw, person.address, person.delivery_notes) == (
            "+16175550177",
            "617 555 0177",
            "40 Oak Ave",
            "Ring twice",
        )
        page = people.person_page(desk.db, rosa)
        assert page is not None
        assert [e.what for e in page.events] == ["edited"]  # the history travels too
