"""What a route sheet may print about a caller: the rules, in one place.

A sheet goes out on paper with a volunteer driver, so it carries only what the
delivery needs:
- the caller's first name, never the full name;
- the phone number only when the caller consented to be contacted;
- a caller who asked for anonymity appears by stop number and address only:
  no name, phone, language, details or diet; the sheet still says what to
  bring (the need) and how to get in (delivery notes), which name no one;
- safety notes (people to avoid), history, e-mail, household and risk details
  and every other private field never print: they are not even part of
  `CallerFacts`, so nothing downstream can print them by mistake."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallerFacts:
    """What the store hands over for one stop (already without the fields that never print)."""

    position: int
    name: str
    address: str
    zone: str
    need: str
    details: str
    dietary_needs: str
    delivery_notes: str
    language: str  # language code ("es", "vi"); empty when unknown
    needs_interpreter: bool
    phone: str  # how the number is shown; empty when there is none
    consent: bool  # agreed to be contacted
    anonymous: bool  # asked not to be named


@dataclass(frozen=True)
class PrintedStop:
    """What the sheet prints for one stop."""

    number: int
    first_name: str = ""
    address: str = ""
    zone: str = ""
    need: str = ""
    details: str = ""
    dietary_needs: str = ""
    delivery_notes: str = ""
    language: str = ""
    needs_interpreter: bool = False
    phone: str = ""
    anonymous: bool = False


def first_name(name: str) -> str:
    """The first word of a name ("María José López" -> "María")."""
    words = name.split()
    return words[0] if words else ""


def tidy(text: str) -> str:
    """Free text on one paragraph: line breaks and runs of spaces become single spaces."""
    return " ".join(text.split())


def printed_stop(facts: CallerFacts) -> PrintedStop:
    """Apply the rules to one stop."""
    if facts.anonymous:
        return PrintedStop(
            number=facts.position,
            address=tidy(facts.address),
            zone=facts.zone,
            need=facts.need,
            delivery_notes=tidy(facts.delivery_notes),
            anonymous=True,
        )
    return PrintedStop(
        number=facts.position,
        first_name=first_name(facts.name),
        address=tidy(facts.address),
        zone=facts.zone,
        need=facts.need,
        details=tidy(facts.details),
        dietary_needs=tidy(facts.dietary_needs),
        delivery_notes=tidy(facts.delivery_notes),
        language=facts.language,
        needs_interpreter=facts.needs_interpreter,
        phone=facts.phone if facts.consent else "",
    )
