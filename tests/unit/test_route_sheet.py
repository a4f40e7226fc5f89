"""What a route sheet may print about a caller."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiddesk.domain.route_sheet import CallerFacts, PrintedStop, first_name, printed_stop

ROSA = CallerFacts(
    position=2,
    name="  María José   López ",
    address="12 Elm St\nApt 3",
    zone="North",
    need="Groceries",
    details="Rice,\n beans",
    dietary_needs="No pork",
    delivery_notes="Gate code 4411",
    language="es",
    needs_interpreter=True,
    phone="(617) 555-0123",
    consent=True,
    anonymous=False,
)


def test_a_caller_who_consented_prints_first_name_phone_and_what_the_driver_needs() -> None:
    assert printed_stop(ROSA) == PrintedStop(
        number=2,
        first_name="María",
        address="12 Elm St Apt 3",
        zone="North",
        need="Groceries",
        details="Rice, beans",
        dietary_needs="No pork",
        delivery_notes="Gate code 4411",
        language="es",
        needs_interpreter=True,
        phone="(617) 555-0123",
    )


def test_no_phone_without_consent() -> None:
    stop = printed_stop(dataclasses.replace(ROSA, consent=False))
    assert stop.phone == ""
    assert stop.first_name == "María"


def test_an_anonymous_caller_is_a_stop_number_and_an_address_with_what_to_bring() -> None:
    stop = printed_stop(dataclasses.replace(ROSA, anonymous=True))
    assert stop == PrintedStop(
        number=2,
        address="12 Elm St Apt 3",
        zone="North",
        need="Groceries",
        delivery_notes="Gate code 4411",
        anonymous=True,
    )


def test_safety_notes_are_not_even_part_of_the_facts() -> None:
    fields = {f.name for f in dataclasses.fields(CallerFacts)} | {
        f.name for f in dataclasses.fields(PrintedStop)
    }
    assert not fields & {"safety_notes", "email", "household_size", "elevated_risk", "history", "notes"}


@pytest.mark.parametrize(
    ("name", "first"),
    [("Rosa Díaz", "Rosa"), ("  Li ", "Li"), ("", ""), ("   ", ""), ("Nguyễn Văn An", "Nguyễn")],
)
def test_first_name(name: str, first: str) -> None:
    assert first_name(name) == first


@given(
    name=st.text(max_size=40),
    phone=st.text(max_size=20),
    consent=st.booleans(),
    anonymous=st.booleans(),
)
def test_the_rules_hold_for_any_caller(name: str, phone: str, consent: bool, anonymous: bool) -> None:
    facts = dataclasses.replace(ROSA, name=name, phone=phone, consent=consent, anonymous=anonymous)
    stop = printed_stop(facts)
    if not consent or anonymous:
        assert stop.phone == ""
    if anonymous:
        nameless = dataclasses.replace(stop, address="", zone="", need="", delivery_notes="", anonymous=False)
        assert nameless == PrintedStop(number=stop.number)
    else:
        assert stop.first_name == (name.split() or [""])[0]
