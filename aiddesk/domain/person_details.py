"""Editing a person's details outside a call: the intake's rules for the caller's fields (a name or
a phone that parses, a parseable second phone and e-mail, texts that fit, a household size from 1
to 99), consent that can be withdrawn but only given during a call, and which record fields an edit
changes (only those the volunteer edited, so a field another desk changed meanwhile is not put back).

The form is the intake's `IntakeForm` (its caller part): the edit dialog shows the same inputs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiddesk.domain.enums import CallChannel, CallOutcome
from aiddesk.domain.intake import PERSON_CHOICES, PERSON_FLAGS, PERSON_TEXTS, IntakeForm, clean
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Invalid, Problem

# The record's columns each form field sets (the phones keep the number as typed beside E.164).
COLUMNS: dict[str, tuple[str, ...]] = {
    **{name: (name,) for name in (*PERSON_TEXTS, *PERSON_CHOICES, *PERSON_FLAGS)},
    "phone": ("phone", "phone_raw"),
    "phone2": ("phone2", "phone2_raw"),
    "consent": ("consent", "consent_version"),
}
# The form fields in the order the dialog shows them (and the history lists them).
FIELDS: tuple[str, ...] = (
    "phone",
    "name",
    "language",
    "needs_interpreter",
    "address",
    "zone_id",
    "household_size",
    "phone2",
    "email",
    "contact_method",
    "contact_time",
    "elevated_risk",
    "anonymous",
    "dietary_needs",
    "delivery_notes",
    "safety_notes",
    "consent",
)


def clean_details(form: IntakeForm, region: str, *, consent_version: str) -> dict[str, Any]:
    """The person's columns as the form has them, or Invalid naming each refused field.

    `consent_version` is the version the person agreed to ("" when they did not): consent is
    kept or withdrawn here, never given (the script is read during a call)."""
    caller = replace(
        form,
        person_id=None,  # a name or a phone is required, as for a new caller
        channel=CallChannel.PHONE.value,
        outcome=CallOutcome.NEW_REQUEST.value,
        call_notes="",
        needs=[],
        consent_version=consent_version if form.consent else "",
    )
    problems: list[Problem] = []
    try:
        values = clean(caller, region).person
    except Invalid as invalid:
        problems = list(invalid.problems)
        values = {}
    if form.consent and not consent_version:
        problems.append(
            Problem("consent", N_("Consent is given during a call, once the consent script has been read."))
        )
    if problems:
        raise Invalid(problems)
    return values


def edited_fields(form: IntakeForm, before: IntakeForm | None) -> list[str]:
    """The form fields the volunteer changed (every field when what they started from is unknown)."""
    if before is None:
        return list(FIELDS)
    return [name for name in FIELDS if _typed(getattr(form, name)) != _typed(getattr(before, name))]


def _typed(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
