"""Logging a call: the caller (new or known), the call and one request per need, in one transaction.

Also what the intake screen asks while the call is typed: who matches what is
typed (with their last delivery), a known person as a form, and whether a new
caller is already on the desk."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Any

from aiddesk.domain.access import Right, may
from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.intake import CleanIntake, IntakeForm, another_caller, clean, fold
from aiddesk.domain.phone import digits, display
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.history import record_event
from aiddesk.services.intake.lookup import find_callers
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person, Request
from aiddesk.store.repositories import drafts as drafts_repo
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.repositories.people import intake_checks as repo
from aiddesk.store.repositories.people.search import PersonMatch
from aiddesk.store.stamping import utcnow

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CallerMatch:
    """A person matching what is typed, with what the volunteer needs to recognise them."""

    id: str
    code: str
    name: str
    phone: str | None
    phone_raw: str
    address: str
    language: str
    open_requests: int
    last_call: dt.datetime | None
    last_delivery: dt.datetime | None


@dataclass(frozen=True)
class Duplicate:
    person: PersonMatch
    by: str  # "phone" or "name_address"


class DuplicateCaller(Exception):
    """A new caller looks like someone already on the desk; nothing was saved."""

    def __init__(self, duplicates: list[Duplicate]) -> None:
        super().__init__(", ".join(d.person.code for d in duplicates))
        self.duplicates = duplicates


class OtherCaller(Exception):
    """The call is for a known caller, but both their name and their phone were typed over with
    others: is it another caller? Nothing was saved (their record would have been overwritten)."""

    def __init__(self, code: str, name: str) -> None:
        super().__init__(code)
        self.code, self.name = code, name


@dataclass(frozen=True)
class SavedCall:
    call_id: str
    call_code: str
    person_id: str
    person_code: str
    person_created: bool
    request_ids: list[str] = field(default_factory=list)
    request_codes: list[str] = field(default_factory=list)


# ---- while typing ------------------------------------------------------------------------------


def search_key(typed: str) -> str:
    """What a lookup of `typed` depends on: the digits of a number (and a leading +), or the words
    of a name. Two texts with the same key list the same people."""
    text = typed.strip()
    number = digits(text)
    if number and not any(ch.isalpha() for ch in text):
        return ("+" if text.startswith("+") else "#") + number
    if len(text) < 2:  # too little for find_callers to look
        return "="
    return "=" + " ".join(_WORD.findall(text.casefold()))


def look_up_callers(db: Database, typed: str, region: str) -> list[CallerMatch]:
    """People matching a partly typed phone number or name (one keystroke's work)."""
    found = find_callers(db, typed, region)
    if not found:
        return []
    with db.session() as session:
        delivered = repo.last_deliveries(session, [m.id for m in found])
    return [
        CallerMatch(
            m.id,
            m.code,
            m.name,
            m.phone,
            m.phone_raw,
            m.address,
            m.language,
            m.open_requests,
            m.last_call,
            delivered.get(m.id),
        )
        for m in found
    ]


@dataclass(frozen=True)
class KnownCaller:
    code: str
    form: IntakeForm  # their record as intake fields (the call fields at their defaults)


def known_caller(db: Database, person_id: str, region: str, *, who: str = "") -> KnownCaller | None:
    """A person on the desk (or the one they were merged into) as intake fields; None when gone.
    Their safety notes are left out for an account that may not read them."""
    with db.session() as session:
        person = repo.current_person(session, person_id)
        if person is None:
            return None
        form = caller_form(person, region)
        if not may(who, Right.SAFETY_NOTES):
            form = replace(form, safety_notes="")
        return KnownCaller(person.code, form)


def caller_form(person: Any, region: str) -> IntakeForm:
    """A person record as the intake's caller fields (the call fields at their defaults)."""
    return IntakeForm(
        person_id=person.id,
        phone=person.phone_raw or display(person.phone, "", region),
        name=person.name,
        phone2=person.phone2_raw or display(person.phone2, "", region),
        email=person.email,
        language=person.language,
        needs_interpreter=bool(person.needs_interpreter),
        address=person.address,
        zone_id=person.zone_id,
        household_size=str(person.household_size) if person.household_size else "",
        elevated_risk=bool(person.elevated_risk),
        dietary_needs=person.dietary_needs,
        delivery_notes=person.delivery_notes,
        safety_notes=person.safety_notes,
        consent=bool(person.consent),
        consent_version=person.consent_version,
        anonymous=bool(person.anonymous),
        contact_method=person.contact_method,
        contact_time=person.contact_time,
    )


def find_duplicates(db: Database, form: IntakeForm, region: str) -> list[Duplicate]:
    """People already on the desk with the same phone number, or the same name and address.

    Raises Invalid like save_call when the form cannot be saved at all."""
    return _duplicates(db, clean(form, region))


def _duplicates(db: Database, data: CleanIntake) -> list[Duplicate]:
    person = data.person
    numbers = [n for n in (person["phone"], person["phone2"]) if n]
    found: dict[str, Duplicate] = {}
    with db.session() as session:
        for match in repo.same_phone(session, numbers):
            found.setdefault(match.id, Duplicate(match, "phone"))
        name, address = fold(person["name"]), fold(person["address"])
        if name and address:
            for match in repo.same_name_words(session, person["name"]):
                if fold(match.name) == name and fold(match.address) == address:
                    found.setdefault(match.id, Duplicate(match, "name_address"))
    return list(found.values())


# ---- saving ------------------------------------------------------------------------------------


def save_call(
    db: Database,
    who: str,
    form: IntakeForm,
    region: str,
    *,
    allow_duplicate: bool = False,
    change_caller: bool = False,
    draft_id: str | None = None,
    now: dt.datetime | None = None,
) -> SavedCall:
    """Save the call, its caller and one new request per need; delete the draft. All or nothing.

    Raises Invalid (nothing saved) when a field is refused, DuplicateCaller when a new caller
    matches someone already on the desk, unless `allow_duplicate`, and OtherCaller when a known
    caller's name and phone were both typed over, unless `change_caller` (the same person's new
    name and number)."""
    data = clean(form, region)
    if data.person_id is None and not allow_duplicate:
        duplicates = _duplicates(db, data)
        if duplicates:
            raise DuplicateCaller(duplicates)
    at = now or utcnow()
    with db.transaction(who) as tx:
        session = tx.session
        _check_labels(session, data)
        desk_code = tx.desk.code
        person, created = _person(tx, data, desk_code, change_caller=change_caller)
        call = Call(
            id=tx.new_id(),
            code=reserve_codes(session, "call", desk_code)[0],
            person_id=person.id,
            taken_by=who,
            taken_at=at,
            **data.call,
        )
        session.add(call)
        codes = reserve_codes(session, "request", desk_code, len(data.needs)) if data.needs else []
        requests = []
        for need, code in zip(data.needs, codes, strict=True):
            request = Request(
                id=tx.new_id(),
                code=code,
                person_id=person.id,
                call_id=call.id,
                category_id=need.category_id,
                details=need.details,
                urgency=need.urgency,
                recurring=need.recurring,
                status=RequestStatus.NEW.value,
                created_at=at,
            )
            session.add(request)
            record_event(tx, request, "created", call=call.code)
            requests.append(request)
        tx.audit("call_logged", call, person=person.code, requests=codes)
        if draft_id is not None:
            drafts_repo.delete_draft(session, draft_id)
        return SavedCall(call.id, call.code, person.id, person.code, created, [r.id for r in requests], codes)


def _check_labels(session: Any, data: CleanIntake) -> None:
    categories = {n.category_id for n in data.needs if n.category_id}
    zones = {data.person["zone_id"]} if data.person["zone_id"] else set()
    missing_categories, missing_zones = repo.missing_labels(session, categories, zones)
    problems = [
        Problem(f"needs.{i}.category", N_("This need is no longer in the list; please choose again."))
        for i, need in enumerate(data.needs)
        if need.category_id in missing_categories
    ]
    if missing_zones:
        problems.append(Problem("zone_id", N_("This zone is no longer in the list; please choose again.")))
    if problems:
        raise Invalid(problems)


def _person(tx: Any, data: CleanIntake, desk_code: str, *, change_caller: bool = True) -> tuple[Person, bool]:
    """The caller: created, or updated in the fields that changed (only those get a new stamp);
    OtherCaller when both their name and phone were typed over, unless `change_caller`."""
    if data.person_id is None:
        created = Person(
            id=tx.new_id(), code=reserve_codes(tx.session, "person", desk_code)[0], **data.person
        )
        tx.session.add(created)
        tx.audit("person_added", created)
        return created, True
    person = repo.current_person(tx.session, data.person_id)
    if person is None:
        raise Invalid(
            [
                Problem(
                    "person",
                    N_("The caller this call was for is no longer on this desk. Look them up again."),
                )
            ]
        )
    values = dict(data.person)
    stored = {n: getattr(person, n) for n in ("name", "phone", "phone_raw", "phone2", "phone2_raw")}
    if not change_caller and another_caller(stored, values):
        raise OtherCaller(person.code, person.name)
    if not may(tx.who, Right.SAFETY_NOTES):  # they were not shown the notes: keep them, add theirs
        added, kept = values.pop("safety_notes", ""), person.safety_notes
        if added:
            values["safety_notes"] = f"{kept}\n{added}" if kept else added
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, values[name])
    if changed:
        tx.audit("person_updated", person, fields=sorted(changed))
    return person, False
