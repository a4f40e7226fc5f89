"""Phone numbers: one caller whatever way the number was typed."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class Phone:
    raw: str
    e164: str | None  # None when the number cannot be understood

    @property
    def valid(self) -> bool:
        return self.e164 is not None


def normalise(raw: str, region: str = "US") -> Phone:
    """Normalise a typed number to E.164 using the desk's default region.

    Numbers that phonenumbers cannot parse or that are not possible numbers
    keep their raw form only: people call from odd numbers, so this never blocks."""
    text = raw.strip()
    if not text:
        return Phone(raw="", e164=None)
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Phone(raw=text, e164=None)
    # A local-only number (seven digits, no area code) names no one line: keep it raw.
    if phonenumbers.is_possible_number_with_reason(parsed) != phonenumbers.ValidationResult.IS_POSSIBLE:
        return Phone(raw=text, e164=None)
    return Phone(raw=text, e164=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def digits(text: str) -> str:
    """Only the digits of what was typed (for last-4 and prefix lookups)."""
    return "".join(ch for ch in text if ch.isdigit())


def display(e164: str | None, raw: str, region: str = "US") -> str:
    """How to show a number: national format in the desk's region, international otherwise."""
    if not e164:
        return raw
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:  # kept as typed (a cell edited by hand to "ask Ana")
        return raw or e164
    if phonenumbers.region_code_for_number(parsed) == region:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
