"""The intake form: what a volunteer types during a call, and the rules it must meet to be saved.

Pure: no Qt, no SQL. The form travels as plain data (drafts store it as JSON);
`clean()` turns it into the values the records get, or raises Invalid with one
Problem per refused field (field names as the screen knows them: "phone",
"household_size", "needs.0.category" ...)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import phonenumbers

from aiddesk.domain.enums import CallChannel, CallOutcome, ContactMethod, Recurring, Urgency
from aiddesk.domain.markers import N_
from aiddesk.domain.phone import normalise
from aiddesk.domain.validation import Invalid, Problem, email_problem, text_problem

DRAFT_FORMAT = 1

# Longest text per field (the model's column sizes; free texts are bounded by Excel's cell limit).
MAX_LEN: dict[str, int] = {
    "name": 200,
    "phone": 40,
    "phone2": 40,
    "email": 200,
    "language": 20,
    "contact_time": 120,
}
PERSON_TEXTS = (
    "name",
    "phone",
    "phone2",
    "email",
    "language",
    "address",
    "dietary_needs",
    "delivery_notes",
    "safety_notes",
    "contact_time",
)
PERSON_FLAGS = ("needs_interpreter", "elevated_risk", "anonymous", "consent")
PERSON_CHOICES = ("zone_id", "household_size", "contact_method")
HOUSEHOLD_MAX = 99


@dataclass
class NeedRow:
    """One need as typed: becomes one request."""

    category_id: str | None = None
    urgency: str = Urgency.THIS_WEEK.value
    recurring: str = Recurring.ONCE.value
    details: str = ""

    def is_blank(self) -> bool:
        return not self.category_id and not self.details.strip()


@dataclass
class IntakeForm:
    """Everything on the intake screen, as typed (texts unnormalised, household size as text)."""

    person_id: str | None = None  # the person the call is attached to; None for a new caller
    phone: str = ""
    name: str = ""
    phone2: str = ""
    email: str = ""
    language: str = ""  # a language code (en, es, vi ...) or a name typed freely
    needs_interpreter: bool = False
    address: str = ""
    zone_id: str | None = None
    household_size: str = ""
    elevated_risk: bool = False
    dietary_needs: str = ""
    delivery_notes: str = ""
    safety_notes: str = ""
    consent: bool = False
    consent_version: str = ""  # the version of the consent script that was read
    anonymous: bool = False
    contact_method: str = ""  # "" or a ContactMethod value
    contact_time: str = ""
    channel: str = CallChannel.PHONE.value
    outcome: str = CallOutcome.NEW_REQUEST.value
    call_notes: str = ""
    needs: list[NeedRow] = field(default_factory=list)

    def is_blank(self) -> bool:
        """Nothing typed yet (a fresh form): no draft to keep, nothing to ask before discarding."""
        return all(n.is_blank() for n in self.needs) and replace(self, needs=[]) == IntakeForm()

    def to_dict(self) -> dict[str, Any]:
        return {"format": DRAFT_FORMAT, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> IntakeForm:
        """The form a draft holds; unknown keys are ignored and wrong types fall back to the defaults."""
        default = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "needs" or f.name not in data:
                continue
            value, expected = data[f.name], getattr(default, f.name)
            if expected is None or f.name in ("person_id", "zone_id"):
                values[f.name] = value if isinstance(value, str) and value else None
            elif isinstance(value, type(expected)):
                values[f.name] = value
        needs = []
        for row in data.get("needs") or []:
            if isinstance(row, dict):
                need = NeedRow()
                for f in fields(NeedRow):
                    value = row.get(f.name)
                    if isinstance(value, str):
                        setattr(need, f.name, value or (None if f.name == "category_id" else value))
                needs.append(need)
        return cls(**values, needs=needs)


@dataclass(frozen=True)
class CleanIntake:
    """What the records get: person columns, call columns and the needs (blank rows dropped)."""

    person_id: str | None
    person: dict[str, Any]
    call: dict[str, Any]
    needs: list[NeedRow]


def tidy_name(text: str) -> str:
    return " ".join(text.split())


def fold(text: str) -> str:
    """Text compared loosely: no accents, no case, single spaces ("  María  José" == "maria jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def _digits(text: str | None) -> str:
    return "".join(ch for ch in text or "" if ch.isdigit())


def another_caller(stored: Mapping[str, Any], typed: Mapping[str, Any]) -> bool:
    """A known caller's name AND phone typed over with others (person columns: name, phone,
    phone_raw, phone2, phone2_raw): most likely another caller, whose call would otherwise
    overwrite the known person's record. A name corrected, a new number, or a number added to a
    record that had none, or a number left blank are ordinary changes. Names compare loosely
    (accents, case, spaces)."""
    old_name, new_name = fold(str(stored.get("name") or "")), fold(str(typed.get("name") or ""))
    if not old_name or old_name == new_name:
        return False
    old_numbers = {_digits(stored.get(n)) for n in ("phone", "phone_raw", "phone2", "phone2_raw")} - {""}
    new_numbers = {_digits(typed.get(n)) for n in ("phone", "phone_raw")} - {""}
    return bool(old_numbers) and bool(new_numbers) and not old_numbers & new_numbers


def phone_problem(name: str, raw: str, region: str) -> Problem | None:
    """A refusal for text that is no phone number at all ("call me maybe"): a call needs a number
    that can be dialled back or a name. Odd but real numbers only get `phone_warning`."""
    text = raw.strip()
    if not text:
        return None
    try:
        phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return Problem(name, N_("This is not a phone number; please type its digits."))
    return None


def phone_warning(raw: str, region: str) -> Problem | None:
    """A note under the phone while it is typed: the refusal to come for text that is no number
    at all, else a gentle note (never a refusal) when the number does not look like a real one."""
    text = raw.strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return phone_problem("phone", text, region)
    if phonenumbers.is_valid_number(parsed):
        return None
    return Problem("phone", N_("This does not look like a complete phone number. It will be saved as typed."))


def household_problem(text: str) -> tuple[int | None, Problem | None]:
    value = text.strip()
    if not value:
        return None, None
    if value.isdigit() and 1 <= int(value) <= HOUSEHOLD_MAX:
        return int(value), None
    return None, Problem(
        "household_size",
        N_("The household size is a whole number from 1 to %(max)d."),
        {"max": HOUSEHOLD_MAX},
    )


def _choice_problem(name: str, value: str, allowed: type[Any], *, optional: bool = False) -> Problem | None:
    if optional and not value:
        return None
    if value in {m.value for m in allowed}:
        return None
    return Problem(name, N_("Please choose one of the list."))


def clean(form: IntakeForm, region: str) -> CleanIntake:
    """The values to save, or Invalid naming every field that cannot be saved as it is."""
    problems: list[Problem] = []
    texts = {name: str(getattr(form, name)).strip() for name in PERSON_TEXTS}
    texts["name"] = tidy_name(texts["name"])
    call_notes = form.call_notes.strip()
    for name, value in (*texts.items(), ("call_notes", call_notes)):
        if (p := text_problem(name, value, max_len=MAX_LEN.get(name, 32_767))) is not None:
            problems.append(p)
    for name in ("phone", "phone2"):
        if not any(p.field == name for p in problems) and (p := phone_problem(name, texts[name], region)):
            problems.append(p)
    if not any(p.field == "email" for p in problems) and (p := email_problem("email", texts["email"])):
        problems.append(p)
    problems.sort(key=lambda p: PERSON_TEXTS.index(p.field) if p.field in PERSON_TEXTS else len(PERSON_TEXTS))
    # a known caller too: their name and phone emptied in the form were erased from their record
    if not texts["phone"] and not texts["name"]:
        problems.insert(0, Problem("phone", N_("Type the caller's phone number or name.")))
    household, p = household_problem(form.household_size)
    if p is not None:
        problems.append(p)
    for p in (
        _choice_problem("contact_method", form.contact_method, ContactMethod, optional=True),
        _choice_problem("channel", form.channel, CallChannel),
        _choice_problem("outcome", form.outcome, CallOutcome),
    ):
        if p is not None:
            problems.append(p)
    needs: list[NeedRow] = []
    for index, row in enumerate(form.needs):
        if row.is_blank():
            continue
        details = row.details.strip()
        if not row.category_id:
            problems.append(Problem(f"needs.{index}.category", N_("Please choose what is needed.")))
        if (p := text_problem(f"needs.{index}.details", details)) is not None:
            problems.append(p)
        for name, value, allowed in (
            ("urgency", row.urgency, Urgency),
            ("recurring", row.recurring, Recurring),
        ):
            if (p := _choice_problem(f"needs.{index}.{name}", value, allowed)) is not None:
                problems.append(p)
        needs.append(NeedRow(row.category_id, row.urgency, row.recurring, details))
    if problems:
        raise Invalid(problems)

    phone, phone2 = normalise(texts["phone"], region), normalise(texts["phone2"], region)
    person: dict[str, Any] = {
        "name": texts["name"],
        "phone": phone.e164,
        "phone_raw": phone.raw,
        "phone2": phone2.e164,
        "phone2_raw": phone2.raw,
        "email": texts["email"],
        "language": texts["language"],
        "needs_interpreter": form.needs_interpreter,
        "address": texts["address"],
        "zone_id": form.zone_id or None,
        "household_size": household,
        "elevated_risk": form.elevated_risk,
        "dietary_needs": texts["dietary_needs"],
        "delivery_notes": texts["delivery_notes"],
        "safety_notes": texts["safety_notes"],
        "consent": form.consent,
        "consent_version": form.consent_version if form.consent else "",
        "anonymous": form.anonymous,
        "contact_method": form.contact_method,
        "contact_time": texts["contact_time"],
    }
    call = {
        "channel": form.channel,
        "outcome": form.outcome,
        "notes": call_notes,
        "consent_version": person["consent_version"],
    }
    return CleanIntake(form.person_id, person, call, needs)


def merge_person(typed: IntakeForm, stored: IntakeForm, *, prefer_typed: bool) -> IntakeForm:
    """The form attached to a known person (`stored` holds their record as a form).

    Texts and choices: the preferred side wins where it has a value, the other fills the gaps
    (picking a caller from the list prefers what is stored; attaching at save time prefers what
    was just typed). Flags add up (a tick on either side stays). The call and its needs are the
    typed ones."""
    first, second = (typed, stored) if prefer_typed else (stored, typed)
    values: dict[str, Any] = {"person_id": stored.person_id}
    for name in (*PERSON_TEXTS, *PERSON_CHOICES):
        a, b = getattr(first, name), getattr(second, name)
        values[name] = a if (a.strip() if isinstance(a, str) else a) else b
    for name in PERSON_FLAGS:
        values[name] = getattr(typed, name) or getattr(stored, name)
    values["consent_version"] = typed.consent_version if typed.consent else stored.consent_version
    return replace(typed, **values)


PERSON_PART = ("person_id", *PERSON_TEXTS, *PERSON_CHOICES, *PERSON_FLAGS, "consent_version")


def person_part(form: IntakeForm) -> dict[str, Any]:
    """The fields about the caller (what attaching a person changes)."""
    return {name: getattr(form, name) for name in PERSON_PART}


# ---- the consent script ------------------------------------------------------------------------


def script_language(person_language: str, ui_language: str) -> str:
    """The language the consent script is read in: Spanish for a Spanish speaker, English for
    anyone else, and the screen's language while the caller's is not known."""
    code = person_language.strip().lower().replace("_", "-")
    if code == "es" or code.startswith("es-") or fold(code) in ("spanish", "espanol"):
        return "es"
    if code:
        return "en"
    return ui_language if ui_language in ("en", "es") else "en"


def next_consent_version(previous: str, today: dt.date) -> str:
    """The version of a changed script: the date and a count within the day ("2026-11-23.2")."""
    day = today.isoformat()
    stem, _dot, count = previous.rpartition(".")
    if stem == day and count.isdigit():
        return f"{day}.{int(count) + 1}"
    return f"{day}.1"
