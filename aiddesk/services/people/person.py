"""A person's page (details, calls, requests, deliveries) and merging two people entered twice.

A merge keeps one record and tombstones the other (deleted, `replaced_by` the
kept one, as docs/exchange-format.md says): the other's requests and calls move over as
ordinary stamped edits, the kept record's empty fields are filled from the
other, and both get a "merged" event — all in one transaction."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from aiddesk.domain.access import Right, may, require
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request
from aiddesk.store.repositories import history as history_repo
from aiddesk.store.repositories.history import CallRow, EventRow
from aiddesk.store.repositories.people import detail as repo
from aiddesk.store.repositories.people.detail import DeliveryInfo, PersonInfo, RequestInfo
from aiddesk.store.stamping import Tx

# Fields of the kept record filled from the other when empty (phones are handled apart:
# the other's numbers fill the kept record's free phone slots). Yes/no fields are never
# "empty" and stay as they are; consent stays with the record that recorded it.
FILLABLE: tuple[str, ...] = (
    "name",
    "email",
    "language",
    "address",
    "zone_id",
    "household_size",
    "dietary_needs",
    "delivery_notes",
    "safety_notes",
    "contact_method",
    "contact_time",
)
PHONE_SLOTS: tuple[tuple[str, str], ...] = (("phone", "phone_raw"), ("phone2", "phone2_raw"))


@dataclass(frozen=True)
class PersonPage:
    person: PersonInfo
    calls: list[CallRow]  # oldest first
    requests: list[RequestInfo]  # newest first
    deliveries: list[DeliveryInfo]  # newest first
    events: list[EventRow]  # merges and edits of the details, oldest first
    replaced_by: PersonInfo | None  # for a merged record: the one it was merged into


def person_page(db: Database, person_id: str, *, language: str = "en", who: str = "") -> PersonPage | None:
    """A person's page; the safety notes are left out for an account that may not read them."""
    with db.session() as session:
        person = repo.person_info(session, person_id, language)
        if person is None:
            return None
        if not may(who, Right.SAFETY_NOTES):
            person = dataclasses.replace(person, safety_notes="")
        replaced_by = repo.person_info(session, person.replaced_by, language) if person.replaced_by else None
        return PersonPage(
            person=person,
            calls=history_repo.calls_of_person(session, person.id),
            requests=repo.requests_of_person(session, person.id, language),
            deliveries=repo.deliveries_of_person(session, person.id),
            events=history_repo.events_of(session, [person.id], ("merged", "edited")),
            replaced_by=replaced_by,
        )


# ---- merging two people ---------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _phones(person: Any) -> list[tuple[str | None, str]]:
    return [
        (getattr(person, e164), getattr(person, raw))
        for e164, raw in PHONE_SLOTS
        if not (_empty(getattr(person, e164)) and _empty(getattr(person, raw)))
    ]


def _same_number(a: tuple[str | None, str], b: tuple[str | None, str]) -> bool:
    if a[0] and b[0]:
        return a[0] == b[0]
    return "".join(ch for ch in a[1] if ch.isdigit()) == "".join(ch for ch in b[1] if ch.isdigit())


def fills(keep: Any, other: Any) -> dict[str, Any]:
    """The kept record's fields to set from the other: its empty fields, and its free phone
    slots with the other's numbers it does not have. Works on records and on PersonInfo."""
    changes: dict[str, Any] = {
        name: getattr(other, name)
        for name in FILLABLE
        if _empty(getattr(keep, name)) and not _empty(getattr(other, name))
    }
    if "language" in changes:  # the interpreter need goes with the language it is about
        changes["needs_interpreter"] = other.needs_interpreter
    kept_numbers = _phones(keep)
    new_numbers = [n for n in _phones(other) if not any(_same_number(n, k) for k in kept_numbers)]
    for e164, raw in PHONE_SLOTS:
        if new_numbers and _empty(getattr(keep, e164)) and _empty(getattr(keep, raw)):
            changes[e164], changes[raw] = new_numbers.pop(0)
    return changes


def _refuse(message: str, **params: object) -> Invalid:
    return Invalid([Problem("other", message, dict(params))])


def _check_pair(keep: PersonInfo | Person | None, other: PersonInfo | Person | None, same: bool) -> None:
    if same:
        raise _refuse(N_("A person cannot be merged with the same record."))
    if keep is None or other is None:
        raise _refuse(N_("This person is no longer in the records."))
    for person in (keep, other):
        if person.deleted:
            raise _refuse(
                N_("%(name)s (%(code)s) was already merged or deleted; choose a current record."),
                name=person.name,
                code=person.code,
            )


@dataclass(frozen=True)
class MergePlan:
    """What a merge would do, for the dialog that asks first."""

    keep: PersonInfo
    other: PersonInfo
    filled: dict[str, Any]  # field -> value taken from the other
    calls: tuple[int, int]  # (kept, other)
    requests: tuple[int, int]


def plan_merge(db: Database, keep_id: str, other_id: str, *, language: str = "en") -> MergePlan:
    """Raises Invalid when the two cannot be merged (the same record, or one already merged)."""
    with db.session() as session:
        keep = repo.person_info(session, keep_id, language)
        other = repo.person_info(session, other_id, language)
        _check_pair(keep, other, keep_id == other_id)
        assert keep is not None and other is not None
        counts = repo.activity_counts(session, [keep.id, other.id])
    return MergePlan(
        keep=keep,
        other=other,
        filled=fills(keep, other),
        calls=(counts[keep.id][0], counts[other.id][0]),
        requests=(counts[keep.id][1], counts[other.id][1]),
    )


@dataclass(frozen=True)
class MergeResult:
    keep_id: str
    other_id: str
    requests: list[str]  # codes of the requests that moved
    calls: int
    filled: list[str]  # fields of the kept record filled from the other


def merge_people(db: Database, who: str, keep_id: str, other_id: str) -> MergeResult:
    """Merge `other_id` into `keep_id` in one transaction; raises Invalid (nothing changed) when refused."""
    require(who, Right.MERGE)
    with db.transaction(who) as tx:
        keep = repo.get_person(tx.session, keep_id)
        other = repo.get_person(tx.session, other_id)
        _check_pair(keep, other, keep_id == other_id)
        assert keep is not None and other is not None
        changes = fills(keep, other)
        for name, value in changes.items():
            setattr(keep, name, value)
        requests = repo.requests_for_merge(tx.session, other.id)
        calls = repo.calls_for_merge(tx.session, other.id)
        for request in requests:
            request.person_id = keep.id
        for call in calls:
            call.person_id = keep.id
        other.deleted = True
        other.replaced_by = keep.id
        filled = sorted(changes)
        detail = {
            "kept": keep.id,
            "kept_code": keep.code,
            "other": other.id,
            "other_code": other.code,
            "requests": [r.code for r in requests],
            "calls": len(calls),
            "filled": filled,
        }
        record_event(tx, keep, "merged", **detail)
        record_event(tx, other, "merged", **detail)
        tx.audit("merged", keep, other=other.id, requests=len(requests), calls=len(calls), filled=filled)
        return MergeResult(keep.id, other.id, [r.code for r in requests], len(calls), filled)


def follow_merges(db: Database, who: str) -> int:
    """Requests and calls that a desk took for a person another desk had merged (it had not heard
    of the merge yet) move to the person kept, as the merge moved the others: after a workbook's
    merge, and when "Delete it" settles a merged person's conflict. Otherwise they stay on a
    deleted record, out of the kept person's page, their history and their erasure. An ordinary
    edit that travels; every desk makes the same one, so the desks agree. How many moved."""
    with db.session() as session:
        if not repo.left_on_merged(session):
            return 0
    with db.transaction(who) as tx:
        return follow_merges_in(tx)


def follow_merges_in(tx: Tx) -> int:
    """follow_merges inside a transaction already open."""
    moved = repo.left_on_merged(tx.session)
    counts: dict[str, tuple[Person, int, int]] = {}
    for row, survivor in moved:
        row.person_id = survivor.id
        _person, requests, calls = counts.get(survivor.id, (survivor, 0, 0))
        is_request = isinstance(row, Request)
        counts[survivor.id] = (survivor, requests + is_request, calls + (not is_request))
    for survivor, requests, calls in counts.values():
        tx.audit("merge_followed", survivor, requests=requests, calls=calls)
    return len(moved)
