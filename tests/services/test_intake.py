"""Saving a call: the caller (new, known, or a duplicate asked about), the call, one request per need,
history and audit, the draft deleted — in one transaction, all or nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from aiddesk.domain import defaults
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.domain.validation import Invalid
from aiddesk.services.desk.records import dump
from aiddesk.services.intake import calls as intake_service
from aiddesk.services.intake import drafts
from aiddesk.services.intake.calls import (
    DuplicateCaller,
    known_caller,
    look_up_callers,
    save_call,
    search_key,
)
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.models import Audit, Call, Delivery, Event, NeedCategory, Person, Request, Stop, Volunteer

GROCERIES = defaults.NEED_CATEGORIES[0].id_for("need_category")
RIDES = defaults.NEED_CATEGORIES[2].id_for("need_category")
NORTH = defaults.ZONES[0].id_for("zone")
WHEN = dt.datetime(2026, 11, 23, 15, 4)


def two_needs() -> list[NeedRow]:
    return [
        NeedRow(GROCERIES, "within_24h", "weekly", "arroz, frijoles, leche"),
        NeedRow(RIDES, "this_week", "once", "to the clinic on Friday"),
    ]


def maria(**changes: object) -> IntakeForm:
    form = IntakeForm(
        phone="(617) 555-0134",
        name="  María José   Hernández ",
        language="es",
        address="12 Elm St, Apt 3",
        zone_id=NORTH,
        household_size="4",
        needs=two_needs(),
    )
    for name, value in changes.items():
        setattr(form, name, value)
    return form


def rows(db: Database, model: type) -> list:
    with db.session() as session:
        return list(session.scalars(select(model)))


def test_a_new_caller_with_two_needs(db: Database) -> None:
    saved = save_call(db, "Ana", maria(), "US", now=WHEN)
    assert (saved.call_code, saved.person_code, saved.request_codes) == (
        "TST-C0001",
        "TST-P0001",
        ["TST-R0001", "TST-R0002"],
    )  # one series per kind, each recognisable by its letter
    assert saved.person_created
    [person] = rows(db, Person)
    assert (person.name, person.phone, person.phone_raw) == (
        "María José Hernández",
        "+16175550134",
        "(617) 555-0134",
    )
    assert (person.language, person.zone_id, person.household_size) == ("es", NORTH, 4)
    [call] = rows(db, Call)
    assert (call.person_id, call.taken_by, call.taken_at, call.channel, call.outcome) == (
        person.id,
        "Ana",
        WHEN,
        "phone",
        "new_request",
    )
    requests = sorted(rows(db, Request), key=lambda r: r.code)
    assert [(r.code, r.category_id, r.urgency, r.recurring, r.details, r.status) for r in requests] == [
        ("TST-R0001", GROCERIES, "within_24h", "weekly", "arroz, frijoles, leche", "new"),
        ("TST-R0002", RIDES, "this_week", "once", "to the clinic on Friday", "new"),
    ]
    assert all((r.person_id, r.call_id, r.created_at) == (person.id, call.id, WHEN) for r in requests)
    events = rows(db, Event)
    assert sorted((e.record_id, e.what, e.who, json.loads(e.detail)["call"]) for e in events) == sorted(
        (r.id, "created", "Ana", "TST-C0001") for r in requests
    )
    actions = [a.action for a in rows(db, Audit)]
    assert "person_added" in actions and "call_logged" in actions


def test_a_call_with_no_need_is_still_logged(db: Database) -> None:
    saved = save_call(
        db, "Ana", IntakeForm(phone="617 555 0199", outcome="information_only", needs=[NeedRow()]), "US"
    )
    assert saved.request_codes == []
    [call] = rows(db, Call)
    assert call.outcome == "information_only"
    assert rows(db, Request) == []


def test_the_next_call_gets_the_next_codes(db: Database) -> None:
    save_call(db, "Ana", maria(), "US")
    saved = save_call(db, "Ana", IntakeForm(name="Luis Núñez", needs=[NeedRow(GROCERIES)]), "US")
    assert (saved.call_code, saved.person_code, saved.request_codes) == (
        "TST-C0002",
        "TST-P0002",
        ["TST-R0003"],
    )


@pytest.mark.parametrize("typed", ["(617) 555-0134", "617.555.0134", "+1 617 555 0134", "6175550134"])
def test_a_number_typed_any_way_is_the_same_caller(db: Database, typed: str) -> None:
    first = save_call(db, "Ana", maria(), "US")
    with pytest.raises(DuplicateCaller) as asked:
        save_call(db, "Bea", IntakeForm(phone=typed, needs=[NeedRow(GROCERIES)]), "US")
    assert [(d.person.id, d.by) for d in asked.value.duplicates] == [(first.person_id, "phone")]
    assert len(rows(db, Call)) == 1  # nothing saved while asking


def test_really_new_despite_the_same_number(db: Database) -> None:
    save_call(db, "Ana", maria(), "US")
    saved = save_call(db, "Bea", IntakeForm(phone="617.555.0134", name="Rosa"), "US", allow_duplicate=True)
    assert saved.person_created
    assert sorted(p.name for p in rows(db, Person)) == ["María José Hernández", "Rosa"]
    assert {p.phone_raw for p in rows(db, Person)} == {"(617) 555-0134", "617.555.0134"}


def test_same_name_and_address_is_asked_about_accents_and_case_aside(db: Database) -> None:
    first = save_call(db, "Ana", maria(phone=""), "US")
    with pytest.raises(DuplicateCaller) as asked:
        save_call(db, "Ana", IntakeForm(name="maria jose HERNANDEZ", address="12 elm st,  apt 3"), "US")
    assert [(d.person.id, d.by) for d in asked.value.duplicates] == [(first.person_id, "name_address")]
    # Same name elsewhere, or a longer name at the same address, is someone else.
    save_call(db, "Ana", IntakeForm(name="María José Hernández", address="40 Oak Ave"), "US")
    save_call(db, "Ana", IntakeForm(name="María José Hernández López", address="12 Elm St, Apt 3"), "US")
    assert len(rows(db, Person)) == 3


def test_a_known_caller_gets_the_call_and_only_changed_fields_are_stamped(db: Database) -> None:
    first = save_call(db, "Ana", maria(), "US")
    known = known_caller(db, first.person_id, "US")
    assert known is not None and known.code == "TST-P0001"
    form = known.form
    assert (form.phone, form.name, form.household_size, form.zone_id) == (
        "(617) 555-0134",
        "María José Hernández",
        "4",
        NORTH,
    )
    form.address = "15 Elm St"
    form.needs = [NeedRow(RIDES, details="pharmacy")]
    saved = save_call(db, "Bea", form, "US")
    assert not saved.person_created and saved.person_id == first.person_id
    [person] = rows(db, Person)
    assert person.address == "15 Elm St"
    stamps = codec.field_stamps(person.stamps, Person.synced_fields())
    changed = {name for name, stamp in stamps.items() if stamp.counter != stamps["name"].counter}
    assert changed == {"address"}
    assert [c.person_id for c in rows(db, Call)] == [first.person_id] * 2
    assert len(rows(db, Request)) == 3


def test_a_call_for_a_merged_person_goes_to_the_one_they_were_merged_into(db: Database) -> None:
    kept = save_call(db, "Ana", maria(), "US")
    gone = save_call(db, "Ana", IntakeForm(name="M. J. Hernandez"), "US")
    with db.transaction("Ana") as tx:
        tx.session.get(Person, gone.person_id).replaced_by = kept.person_id
    saved = save_call(db, "Ana", IntakeForm(person_id=gone.person_id, name="M. J. Hernandez"), "US")
    assert saved.person_id == kept.person_id


def test_nothing_typed_is_refused_on_the_phone_field_and_nothing_is_stored(db: Database) -> None:
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        save_call(db, "Ana", IntakeForm(needs=[NeedRow()]), "US")
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("phone", "Type the caller's phone number or name.")
    ]
    assert dump(db) == before


def test_a_known_caller_s_name_and_phone_cannot_both_be_emptied(db: Database) -> None:
    """The returning caller chosen, then their phone and name cleared (to look someone else up):
    saving is refused on the phone field as for a new caller, and their record keeps both (the
    call was saved and the name and phone erased from the record). The Edit dialog refuses it too."""
    first = save_call(db, "Ana", maria(), "US")
    known = known_caller(db, first.person_id, "US")
    assert known is not None
    form = known.form
    form.phone, form.name = "", " "
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        save_call(db, "Bea", form, "US")
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("phone", "Type the caller's phone number or name.")
    ]
    assert dump(db) == before
    form.name = "María José Hernández"  # one of the two is enough, as for a new caller
    save_call(db, "Bea", form, "US")
    [person] = rows(db, Person)
    assert (person.name, person.phone) == ("María José Hernández", None)


@pytest.mark.parametrize("size", ["0", "100", "2.5", "tres", "-1"])
def test_household_size_is_a_whole_number_from_1_to_99(db: Database, size: str) -> None:
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        save_call(db, "Ana", maria(household_size=size), "US")
    assert [p.field for p in refused.value.problems] == ["household_size"]
    assert dump(db) == before


def test_every_refused_field_is_named(db: Database) -> None:
    form = maria(name="Ana\x07", safety_notes="x" * 40_000)
    form.needs.append(NeedRow(None, details="something"))
    with pytest.raises(Invalid) as refused:
        save_call(db, "Ana", form, "US")
    assert [p.field for p in refused.value.problems] == ["name", "safety_notes", "needs.2.category"]


def test_an_invalid_number_is_kept_as_typed(db: Database) -> None:
    save_call(db, "Ana", IntakeForm(phone="555-01"), "US")
    [person] = rows(db, Person)
    assert (person.phone, person.phone_raw) == (None, "555-01")


def test_a_phone_that_is_no_number_and_a_bad_e_mail_are_refused_at_their_fields(db: Database) -> None:
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        save_call(db, "Ana", IntakeForm(phone="call me maybe", email="not-an-email", needs=[NeedRow()]), "US")
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("phone", "This is not a phone number; please type its digits."),
        ("email", "This does not look like an e-mail address (name@example.org)."),
    ]
    with pytest.raises(Invalid) as refused:  # a name does not make the text a number
        save_call(db, "Ana", maria(phone2="ask her daughter"), "US")
    assert [p.field for p in refused.value.problems] == ["phone2"]
    assert dump(db) == before
    save_call(db, "Ana", maria(email=" maria.h@example.org "), "US")
    [person] = rows(db, Person)
    assert person.email == "maria.h@example.org"


def test_consent_and_the_version_read_are_on_the_person_and_the_call(db: Database) -> None:
    save_call(db, "Ana", maria(consent=True, consent_version="2026-11-23.1"), "US")
    [person], [call] = rows(db, Person), rows(db, Call)
    assert (person.consent, person.consent_version, call.consent_version) == (
        True,
        "2026-11-23.1",
        "2026-11-23.1",
    )


def test_all_or_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    drafts.save_draft(db, "d1", "Ana", maria())
    before = dump(db)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(intake_service, "record_event", broken)
    with pytest.raises(RuntimeError):
        save_call(db, "Ana", maria(), "US", draft_id="d1")
    assert dump(db) == before
    assert [d.id for d in drafts.list_drafts(db, "anyone")] == ["d1"]
    monkeypatch.undo()
    save_call(db, "Ana", maria(), "US", draft_id="d1")
    assert drafts.list_drafts(db, "anyone") == []


def test_a_deleted_category_is_refused_on_its_row(db: Database) -> None:
    with db.transaction("Ana") as tx:
        tx.session.get(NeedCategory, RIDES).deleted = True
    with pytest.raises(Invalid) as refused:
        save_call(db, "Ana", maria(), "US")
    assert [p.field for p in refused.value.problems] == ["needs.1.category"]
    assert rows(db, Call) == []


def test_look_up_shows_open_requests_last_call_and_last_delivery(db: Database) -> None:
    saved = save_call(db, "Ana", maria(), "US", now=WHEN)
    delivered = dt.datetime(2026, 11, 24, 11, 0)
    with db.transaction("Ana") as tx:
        volunteer = Volunteer(id=tx.new_id(), code="TST-V1", name="Lu")
        delivery = Delivery(id=tx.new_id(), code="TST-D1", volunteer_id=volunteer.id, date=delivered.date())
        stop = Stop(
            id=tx.new_id(), delivery_id=delivery.id, request_id=saved.request_ids[0], delivered_at=delivered
        )
        tx.session.add_all([volunteer, delivery, stop])
    [match] = look_up_callers(db, "617.555.01", "US")
    assert (match.id, match.name, match.open_requests) == (saved.person_id, "María José Hernández", 2)
    assert (match.last_call, match.last_delivery) == (WHEN, delivered)
    assert [m.id for m in look_up_callers(db, "maria hern", "US")] == [saved.person_id]
    assert look_up_callers(db, "zz", "US") == []


def test_texts_that_list_the_same_people_share_a_search_key() -> None:
    same = [
        ("(617) 555-", "617555"),
        ("617.555.0", "6175550"),
        ("maria  her", "María her".replace("í", "i")),
        ("MARIA", "maria "),
        ("m", ""),
    ]
    for a, b in same:
        assert search_key(a) == search_key(b), (a, b)
    different = [("617", "+617"), ("0134", "01345"), ("mar", "mari"), ("m.", "m"), ("12", "12a")]
    for a, b in different:
        assert search_key(a) != search_key(b), (a, b)


@pytest.mark.parametrize(
    ("name", "phone", "asks"),
    [
        ("Rosa Quintero", "617 555 0199", True),  # both typed over: another caller?
        ("maria jose HERNANDEZ", "617 555 0199", False),  # her name (accents, case aside), a new number
        ("Rosa Quintero", "617-555-0134", False),  # her number: a name corrected
        ("Rosa Quintero", "", False),  # no number typed: nothing says it is someone else
    ],
)
def test_a_known_caller_s_name_and_phone_both_typed_over_asks_first(
    db: Database, name: str, phone: str, asks: bool
) -> None:
    first = save_call(db, "Ana", maria(), "US")
    form = IntakeForm(person_id=first.person_id, name=name, phone=phone, needs=[NeedRow(GROCERIES)])
    before = dump(db)
    if not asks:
        save_call(db, "Ana", form, "US")
        return
    with pytest.raises(intake_service.OtherCaller) as asked:
        save_call(db, "Ana", form, "US")
    assert (asked.value.code, asked.value.name) == (first.person_code, "María José Hernández")
    assert dump(db) == before
    save_call(db, "Ana", form, "US", change_caller=True)  # the same person, said so
    with db.session() as session:
        assert session.get(Person, first.person_id).name == "Rosa Quintero"
