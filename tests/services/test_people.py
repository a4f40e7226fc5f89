"""A person's page data, and merging two records of one person (tombstone with replaced_by)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from aiddesk.domain.validation import Invalid
from aiddesk.services.desk.records import dump
from aiddesk.services.intake import lookup
from aiddesk.services.people import person as people
from aiddesk.store.database import Database
from aiddesk.store.models import Audit, Call, Delivery, Event, Person, Request, Stop, Volunteer

from .test_queue import NOW, ZONE, add_call, add_person, add_request


def add_run(db: Database, request_id: str, code: str, day: dt.date, outcome: str = "delivered") -> str:
    with db.transaction("Ana") as tx:
        volunteer = Volunteer(id=tx.new_id(), code=f"V-{code}", name="Luis Ortega")
        run = Delivery(
            id=tx.new_id(),
            code=code,
            volunteer_id=volunteer.id,
            date=day,
            window_start="10:00",
            window_end="12:00",
        )
        stop = Stop(id=tx.new_id(), delivery_id=run.id, request_id=request_id, outcome=outcome)
        tx.session.add_all([volunteer, run, stop])
    return run.id


def test_the_page_lists_every_call_request_and_delivery(db: Database) -> None:
    rosa = add_person(db, "TST-P1", "Rosa Díaz", address="12 Elm St", zone_id=ZONE["east"])
    other = add_person(db, "TST-P2", "Someone Else")
    first = add_request(db, rosa, "TST-0001", "delivered", created_at=NOW - dt.timedelta(days=9))
    add_request(db, rosa, "TST-0002", "call_back", details="Bus pass", created_at=NOW - dt.timedelta(days=1))
    add_request(db, other, "TST-0003")
    add_call(db, rosa, "TST-C1", NOW - dt.timedelta(days=9), taken_by="Ana", notes="First call")
    add_call(db, rosa, "TST-C2", NOW - dt.timedelta(days=1), taken_by="Luis")
    add_call(db, other, "TST-C3", NOW)
    add_run(db, first, "TST-D1", dt.date(2026, 11, 15))

    page = people.person_page(db, rosa)
    assert page is not None
    assert (page.person.name, page.person.zone, page.person.address) == ("Rosa Díaz", "East", "12 Elm St")
    assert [c.code for c in page.calls] == ["TST-C1", "TST-C2"]  # oldest first
    assert [(r.code, r.status) for r in page.requests] == [
        ("TST-0002", "call_back"),
        ("TST-0001", "delivered"),
    ]
    [run] = page.deliveries
    assert (run.delivery_code, run.request_code, run.volunteer_name, run.stop_outcome) == (
        "TST-D1",
        "TST-0001",
        "Luis Ortega",
        "delivered",
    )
    assert page.replaced_by is None and page.events == []
    assert people.person_page(db, "no-such-person") is None


@pytest.fixture
def twins(db: Database) -> dict[str, str]:
    """One woman entered twice: once by phone with a zone, once with an e-mail and another number."""
    keep = add_person(
        db, "TST-P1", "María López", phone="+16175550134", phone_raw="617-555-0134", zone_id=ZONE["north"]
    )
    other = add_person(
        db,
        "TST-P2",
        "Maria Lopez",
        phone="+16175550199",
        phone_raw="(617) 555-0199",
        phone2="+16175550134",
        phone2_raw="6175550134",
        email="maria@example.org",
        address="4 Oak St",
        zone_id=ZONE["south"],
        delivery_notes="Blue door",
    )
    return {
        "keep": keep,
        "other": other,
        "R1": add_request(db, keep, "TST-0001"),
        "R2": add_request(db, other, "TST-0002", "ready"),
        "R3": add_request(db, other, "TST-0003", "delivered"),
        "C1": add_call(db, other, "TST-C1", NOW, taken_by="Ana"),
    }


def test_merge_moves_requests_and_calls_and_tombstones_the_other(db: Database, twins: dict[str, str]) -> None:
    before = dump(db)
    result = people.merge_people(db, "Luis", twins["keep"], twins["other"])
    assert result.requests == ["TST-0002", "TST-0003"] and result.calls == 1
    # Empty fields of the one kept are filled; its own zone stays; the new number fills its free slot.
    assert result.filled == ["address", "delivery_notes", "email", "phone2", "phone2_raw"]
    with db.session() as s:
        keep, other = s.get(Person, twins["keep"]), s.get(Person, twins["other"])
        assert keep is not None and other is not None
        assert (keep.email, keep.address, keep.delivery_notes) == (
            "maria@example.org",
            "4 Oak St",
            "Blue door",
        )
        assert (keep.phone, keep.phone2, keep.phone2_raw) == (
            "+16175550134",
            "+16175550199",
            "(617) 555-0199",
        )
        assert keep.zone_id == ZONE["north"] and not keep.deleted
        assert other.deleted and other.replaced_by == keep.id
        moved = s.scalars(select(Request.person_id).where(Request.code.in_(["TST-0002", "TST-0003"]))).all()
        assert set(moved) == {keep.id}
        assert s.get(Call, twins["C1"]).person_id == keep.id  # type: ignore[union-attr]
        events = s.scalars(select(Event).where(Event.what == "merged").order_by(Event.record_id)).all()
        assert {e.record_id for e in events} == {keep.id, other.id}
        assert {e.who for e in events} == {"Luis"}
        assert json.loads(events[0].detail)["requests"] == ["TST-0002", "TST-0003"]
        assert s.scalar(select(Audit.action).where(Audit.action == "merged")) == "merged"
    after = dump(db)
    # The moves are ordinary stamped edits: the request's person_id carries the merge's new stamp.
    [r2_before] = [r for r in before["request"] if r["id"] == twins["R2"]]
    [r2_after] = [r for r in after["request"] if r["id"] == twins["R2"]]
    assert r2_after["fields"]["person_id"][0][3] == twins["keep"]
    assert r2_after["fields"]["person_id"][0][1] > r2_before["fields"]["person_id"][0][1]
    assert max(r2_after["vv"].values()) > max(r2_before["vv"].values())
    # Name search no longer finds the merged record; the one kept is found.
    found = {m.id for m in lookup.find_callers(db, "maria lop", "US")}
    assert found == {twins["keep"]}
    # The other's number now reaches the one kept (it filled its free phone slot).
    assert {m.id for m in lookup.find_callers(db, "617-555-0199", "US")} == {twins["keep"]}


def test_the_page_of_a_merged_record_names_the_one_kept(db: Database, twins: dict[str, str]) -> None:
    people.merge_people(db, "Luis", twins["keep"], twins["other"])
    page = people.person_page(db, twins["other"])
    assert page is not None and page.person.deleted
    assert page.replaced_by is not None and page.replaced_by.code == "TST-P1"
    kept = people.person_page(db, twins["keep"])
    assert kept is not None
    assert [r.code for r in kept.requests] == ["TST-0003", "TST-0002", "TST-0001"]
    assert [e.who for e in kept.events] == ["Luis"]


def test_the_plan_shows_what_a_merge_would_do(db: Database, twins: dict[str, str]) -> None:
    plan = people.plan_merge(db, twins["keep"], twins["other"])
    assert plan.requests == (1, 2) and plan.calls == (0, 1)
    assert sorted(plan.filled) == ["address", "delivery_notes", "email", "phone2", "phone2_raw"]
    reverse = people.plan_merge(db, twins["other"], twins["keep"])
    assert reverse.filled == {}  # the other record has every field the first one has


@pytest.mark.parametrize("case", ["itself", "deleted", "missing"])
def test_refused_merges_change_nothing(db: Database, twins: dict[str, str], case: str) -> None:
    gone = add_person(db, "TST-P9", "Gone", deleted=True)
    pairs = {
        "itself": (twins["keep"], twins["keep"]),
        "deleted": (twins["keep"], gone),
        "missing": (twins["keep"], "no-such-person"),
    }
    messages = {
        "itself": "A person cannot be merged with the same record.",
        "deleted": "%(name)s (%(code)s) was already merged or deleted; choose a current record.",
        "missing": "This person is no longer in the records.",
    }
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        people.merge_people(db, "Luis", *pairs[case])
    assert refused.value.problems[0].message == messages[case]
    with pytest.raises(Invalid):
        people.plan_merge(db, *pairs[case])
    assert dump(db) == before


def test_a_merged_record_cannot_be_merged_again(db: Database, twins: dict[str, str]) -> None:
    people.merge_people(db, "Luis", twins["keep"], twins["other"])
    third = add_person(db, "TST-P3", "María L.")
    with pytest.raises(Invalid) as refused:
        people.merge_people(db, "Luis", third, twins["other"])
    assert refused.value.problems[0].params == {"name": "Maria Lopez", "code": "TST-P2"}
