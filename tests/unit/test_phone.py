"""Phone numbers: one caller whatever way the number was typed; odd input never blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiddesk.domain.phone import digits, display, normalise


@pytest.mark.parametrize(
    "typed",
    ["(617) 555-0134", "617.555.0134", "+1 617 555 0134", "6175550134", "  617-555-0134 ", "1 617 555 0134"],
)
def test_us_formats_become_one_number(typed: str) -> None:
    phone = normalise(typed, "US")
    assert phone.e164 == "+16175550134"
    assert phone.valid
    assert phone.raw == typed.strip()


def test_region_decides_numbers_typed_without_country_code() -> None:
    assert normalise("55 1234 5678", "MX").e164 == "+525512345678"
    assert normalise("+52 55 1234 5678", "US").e164 == "+525512345678"


@pytest.mark.parametrize("junk", ["abc", "12", "call the church", "555", "+", "((()))", "☎☎☎", "0" * 40])
def test_junk_keeps_the_raw_text_and_no_number(junk: str) -> None:
    phone = normalise(junk, "US")
    assert phone.e164 is None
    assert not phone.valid
    assert phone.raw == junk.strip()


def test_empty_is_no_number() -> None:
    assert normalise("   ").e164 is None
    assert normalise("").raw == ""


@given(st.text(max_size=60), st.sampled_from(["US", "MX", "ES", "GB", "ZZ"]))
def test_normalise_never_raises(typed: str, region: str) -> None:
    phone = normalise(typed, region)
    assert phone.raw == typed.strip()
    assert phone.e164 is None or phone.e164.startswith("+")


def test_display_national_at_home_international_abroad() -> None:
    assert display("+16175550134", "617.555.0134", "US") == "(617) 555-0134"
    assert display("+525512345678", "55 1234 5678", "US") == "+52 55 1234 5678"
    assert display(None, "call the church", "US") == "call the church"


def test_digits_only() -> None:
    assert digits("(617) 555-0134 ext. 2") == "61755501342"


def test_a_number_without_its_area_code_is_kept_raw_not_guessed() -> None:
    phone = normalise("555-0134", "US")
    assert phone.e164 is None and phone.raw == "555-0134"


def test_display_of_a_number_kept_as_typed_is_that_text() -> None:
    """A phone cell edited by hand in a workbook to words is kept as typed; showing it (in the next
    export) must not fail."""
    assert display("ask at the shop", "ask at the shop", "US") == "ask at the shop"
