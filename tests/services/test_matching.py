"""Suggestions from the database: runs this week, the vetting setting, deactivated volunteers,
selections, and the ready requests to choose from."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain import availability as av
from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.enums import Skill
from aiddesk.services import matching, roster
from aiddesk.services.matching import reasons_text
from aiddesk.services.roster import VolunteerFields
from aiddesk.store.database import Database
from aiddesk.store.models import Delivery, Person, Request

NORTH = fixed_id("zone", "north")
SOUTH = fixed_id("zone", "south")
SATURDAY = dt.date(2026, 11, 28)
MORNING = ("09:00", "12:00")
TODAY = dt.date(2026, 11, 23)


def add_request(
    db: Database,
    code: str,
    need: str = "groceries",
    *,
    zone: str = NORTH,
    language: str = "es",
    status: str = "ready",
    urgency: str = "this_week",
    created: dt.datetime | None = None,
) -> str:
    with db.transaction("Rosa") as tx:
        person = Person(
            id=tx.new_id(), code=f"P-{code}", name=f"Caller {code}", zone_id=zone, language=language
        )
        request = Request(
            id=tx.new_id(),
            code=code,
            person_id=person.id,
            status=status,
            urgency=urgency,
            category_id=fixed_id("need_category", need),
            created_at=created or dt.datetime(2026, 11, 20, 10),
        )
        tx.session.add_all([person, request])
    return request.id


def add_volunteer(db: Database, name: str, **changes: object) -> str:
    values: dict[str, object] = {
        "name": name,
        "languages": ("es",),
        "skills": (Skill.SHOPPING.value,),
        "zones": (NORTH,),
        "availability": av.from_slots([(5, 0)]),
        "trained": True,
        "checked_on": dt.date(2026, 1, 1),
        "max_runs_week": 2,
    }
    values.update(changes)
    return roster.add_volunteer(db, "Rosa", VolunteerFields(**values), today=TODAY)  # type: ignore[arg-type]


def add_run(db: Database, volunteer_id: str, day: dt.date, status: str = "planned") -> None:
    with db.transaction("Rosa") as tx:
        tx.session.add(
            Delivery(id=tx.new_id(), code=tx.new_id()[:8], volunteer_id=volunteer_id, date=day, status=status)
        )


def ranked(suggestions: matching.Suggestions) -> list[str]:
    return [s.candidate.name for s in suggestions.ranking.ranked]


def excluded(suggestions: matching.Suggestions) -> dict[str, str]:
    return {
        s.candidate.name: reasons_text(s.exclusions, s.requests, "en") for s in suggestions.ranking.excluded
    }


def test_suggestions_rank_with_reasons_and_count_the_runs_of_the_planned_week(db: Database) -> None:
    rid = add_request(db, "R-1")
    ana = add_volunteer(db, "Ana")
    add_volunteer(db, "Bob", languages=("en",))
    busy = add_volunteer(db, "Cy")
    add_run(db, ana, dt.date(2026, 11, 23))  # Monday of the same week: counts
    add_run(db, ana, dt.date(2026, 11, 22))  # the Sunday before: another week
    add_run(db, busy, dt.date(2026, 11, 24))
    add_run(db, busy, dt.date(2026, 11, 29))  # Sunday: still this week, so Cy is full
    add_run(db, busy, dt.date(2026, 11, 25), status="cancelled")  # does not count
    found = matching.suggest(db, [rid], day=SATURDAY, window=MORNING)
    assert [n.code for n in found.needs] == ["R-1"]
    assert ranked(found) == ["Ana", "Bob"]
    [first, _second] = found.ranking.ranked
    assert reasons_text(first.reasons, 1, "en") == (
        "speaks Spanish · same zone · shops or drives · free Saturday morning · runs this week: 1 of 2"
    )
    assert excluded(found) == {"Cy": "already has 2 runs this week (at most 2)"}


def test_deactivated_volunteers_are_never_suggested(db: Database) -> None:
    rid = add_request(db, "R-1")
    gone = add_volunteer(db, "Ana")
    add_volunteer(db, "Bob")
    roster.set_active(db, "Rosa", gone, False)
    found = matching.suggest(db, [rid], day=SATURDAY, window=MORNING)
    assert ranked(found) == ["Bob"]
    assert excluded(found) == {"Ana": "inactive"}


def test_which_needs_require_vetting_is_a_setting(db: Database) -> None:
    pills = add_request(db, "R-1", "prescriptions")
    kids = add_request(db, "R-2", "childcare")
    add_volunteer(db, "Ana", trained=False, skills=("childcare", "shopping"))
    add_volunteer(db, "Bob", checked_on=None, skills=("childcare", "shopping"))
    add_volunteer(db, "Cy", skills=("childcare", "shopping"))
    assert matching.vetted_categories(db) == {fixed_id("need_category", "prescriptions")}
    found = matching.suggest(db, [pills], day=SATURDAY, window=MORNING)
    assert ranked(found) == ["Cy"]
    assert excluded(found) == {
        "Ana": "not vetted for prescription pickup",
        "Bob": "not vetted for prescription pickup",
    }
    assert ranked(matching.suggest(db, [kids], day=SATURDAY, window=MORNING)) == ["Ana", "Bob", "Cy"]
    matching.set_vetted_categories(db, "Rosa", [fixed_id("need_category", "childcare")])
    assert ranked(matching.suggest(db, [pills], day=SATURDAY, window=MORNING)) == ["Ana", "Bob", "Cy"]
    assert excluded(matching.suggest(db, [kids], day=SATURDAY, window=MORNING)) == {
        "Ana": "not vetted for childcare",
        "Bob": "not vetted for childcare",
    }


def test_a_selection_is_scored_against_every_request(db: Database) -> None:
    north = add_request(db, "R-1")
    south = add_request(db, "R-2", zone=SOUTH, language="en")
    add_volunteer(db, "Ana", zones=(NORTH,), languages=("es",))
    add_volunteer(db, "Bob", zones=(NORTH, SOUTH), languages=("es", "en"))
    found = matching.suggest(db, [north, south, "gone"], day=SATURDAY, window=MORNING)
    assert [n.code for n in found.needs] == ["R-1", "R-2"]
    assert ranked(found) == ["Bob", "Ana"]
    ana = found.ranking.ranked[1]
    assert "speaks Spanish (1 of 2 requests)" in reasons_text(ana.reasons, ana.requests, "en")
    assert matching.suggest(db, ["gone"], day=SATURDAY).ranking.ranked == []


def test_the_ready_requests_most_pressing_then_longest_waiting(db: Database) -> None:
    add_request(db, "R-old", created=dt.datetime(2026, 11, 1))
    add_request(db, "R-new", created=dt.datetime(2026, 11, 21))
    add_request(db, "R-urgent", urgency="within_24h", created=dt.datetime(2026, 11, 22))
    add_request(db, "R-assigned", status="assigned")
    ids = matching.ready_ids(db)
    rows = matching.ready_rows(db, ids, "es")
    assert [r.code for r in rows] == ["R-urgent", "R-old", "R-new"]
    assert rows[0].need == "Mandado / despensa" and rows[0].zone == "Norte" and rows[0].language == "es"
    assert matching.still_ready(db, [ids[0], "gone"]) == [ids[0]]
