"""What coordinators did to the demo's records afterwards, as they do at a real desk:

- a few callers recorded twice were merged (the later record tombstoned, `replaced_by` the
  first, its calls and requests moved over, a "merged" event on both) — María José Hernández
  stays recorded twice, for the Conflicts screen to suggest;
- a few people whose help was over asked to have their data erased (personal fields emptied,
  erased and deleted, an "erased" event); their calls and requests stay, without a name;
- a few calls and new requests typed by mistake were deleted.

So the reports, their tests and anyone trying the app meet tombstones, merged and erased
people. Drawn last from the demo's generator, after every other draw: the rest of the
content is what it was for the same seed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiddesk.domain.enums import CallOutcome
from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.status import FINAL

# One in so many of each (at least one of each on every demo desk).
MERGED_PER = 400  # people recorded twice, merged
ERASED_PER = 1000  # people erased
DELETED_CALLS_PER = 300
DELETED_REQUESTS_PER = 300

# The personal fields an erasure empties (aiddesk.store.models.PERSONAL_FIELDS) and their empty values.
_ERASED_VALUES: dict[str, Any] = {
    "name": "",
    "phone": None,
    "phone_raw": "",
    "phone2": None,
    "phone2_raw": "",
    "email": "",
    "address": "",
    "dietary_needs": "",
    "delivery_notes": "",
    "safety_notes": "",
    "contact_time": "",
}
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Corrections:
    """What was corrected (row dicts, so their final ids and codes can be read once given)."""

    merged: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # (kept, other)
    erased: list[dict[str, Any]] = field(default_factory=list)
    deleted_calls: int = 0
    deleted_requests: int = 0
    # Event details that name display codes: filled once the codes are given (demo.write).
    after_codes: list[Callable[[], None]] = field(default_factory=list)


def correct(
    rows: Any,
    rng: Any,
    *,
    same_callers: list[tuple[int, int]],
    protected: set[int],
    protected_requests: set[int],
    when: dt.datetime,
    new_key: Callable[[], int],
    coordinator: Callable[[], str],
) -> Corrections:
    """Apply the corrections to `rows` (DemoRows; people by index in rows.person).

    `same_callers`: (first, later) indices of one caller recorded twice; `protected`: people
    left as they are (the showcase); `protected_requests`: request indices left as they are
    (the forced statuses); `when`: naive UTC of the corrections."""
    out = Corrections()
    people = rows.person
    requests_of: dict[Any, list[dict[str, Any]]] = {}
    for request in rows.request:
        requests_of.setdefault(request["person_id"], []).append(request)
    calls_of: dict[Any, list[dict[str, Any]]] = {}
    for call in rows.call:
        calls_of.setdefault(call["person_id"], []).append(call)

    touched: set[int] = set(protected)
    pairs = [(a, b) for a, b in same_callers if a not in touched and b not in touched]
    for first, later in rng.sample(pairs, min(len(pairs), max(1, len(people) // MERGED_PER))):
        if first in touched or later in touched:
            continue
        touched |= {first, later}
        kept, other = people[first], people[later]
        moved = requests_of.pop(other["id"], [])
        calls = calls_of.pop(other["id"], [])
        for row in moved:
            row["person_id"] = kept["id"]
        for row in calls:
            row["person_id"] = kept["id"]
        requests_of.setdefault(kept["id"], []).extend(moved)
        calls_of.setdefault(kept["id"], []).extend(calls)
        other["deleted"] = True
        other["replaced_by"] = kept["id"]
        out.merged.append((kept, other))
        who = coordinator()
        events = [
            _event(rows, new_key, kept, "merged", who, when),
            _event(rows, new_key, other, "merged", who, when),
        ]
        out.after_codes.append(_merge_detail(events, kept, other, moved, len(calls)))

    # Erased: people whose every request is over (delivered or closed), so no run still needs them.
    over = [
        i
        for i, person in enumerate(people)
        if i not in touched
        and requests_of.get(person["id"])
        and all(S(r["status"]) in FINAL for r in requests_of[person["id"]])
    ]
    for i in rng.sample(over, min(len(over), max(1, len(people) // ERASED_PER))):
        touched.add(i)
        person = people[i]
        person.update(_ERASED_VALUES)
        person["erased"] = True
        person["deleted"] = True
        out.erased.append(person)
        event = _event(rows, new_key, person, "erased", coordinator(), when)
        out.after_codes.append(_erase_detail(event, person))

    # Calls and requests typed by mistake: calls that opened no request, requests still new.
    no_request = [c for c in rows.call if c["outcome"] != str(CallOutcome.NEW_REQUEST)]
    for call in rng.sample(no_request, min(len(no_request), max(1, len(rows.call) // DELETED_CALLS_PER))):
        call["deleted"] = True
        out.deleted_calls += 1
    fresh = [
        r for n, r in enumerate(rows.request) if r["status"] == str(S.NEW) and n not in protected_requests
    ]
    for request in rng.sample(fresh, min(len(fresh), max(1, len(rows.request) // DELETED_REQUESTS_PER))):
        request["deleted"] = True
        out.deleted_requests += 1
    return out


def _event(
    rows: Any, new_key: Callable[[], int], person: dict[str, Any], what: str, who: str, when: dt.datetime
) -> dict[str, Any]:
    event = {
        "id": new_key(),
        "record_kind": "person",
        "record_id": person["id"],
        "what": what,
        "detail": "{}",
        "who": who,
        "at": when,
    }
    rows.event.append(event)
    return event


def _merge_detail(
    events: list[dict[str, Any]],
    kept: dict[str, Any],
    other: dict[str, Any],
    moved: list[dict[str, Any]],
    calls: int,
) -> Callable[[], None]:
    def fill() -> None:
        # As aiddesk.services.people.person.merge_people writes it, less the ids (random: the same seed
        # must give the same content; the screens show the codes).
        detail = {
            "kept_code": kept["code"],
            "other_code": other["code"],
            "requests": [r["code"] for r in moved],
            "calls": calls,
            "filled": [],
        }
        for event in events:
            event["detail"] = _JSON.encode(detail)

    return fill


def _erase_detail(event: dict[str, Any], person: dict[str, Any]) -> Callable[[], None]:
    def fill() -> None:
        event["detail"] = _JSON.encode({"code": person["code"]})

    return fill
