"""A weekly request, once delivered, opens next week's request: once, by the desk that records it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from aiddesk.domain.defaults import NEED_CATEGORIES
from aiddesk.domain.validation import Invalid
from aiddesk.services.deliveries import dispatch
from aiddesk.store.database import Database
from aiddesk.store.models import Event, Person, Request, Stop, Volunteer

DAY = dt.date(2026, 11, 23)
MEALS = NEED_CATEGORIES[5].id_for("need_category")


def setup_run(db: Database, recurring: str) -> tuple[str, str, str]:
    """A started run with one stop for a request of Rosa's; (run, stop, request) ids."""
    with db.transaction("Ana") as tx:
        person = Person(id=tx.new_id(), code="P-1", name="Rosa Díaz", address="12 Elm St")
        request = Request(
            id=tx.new_id(),
            code="OLD-0001",
            person_id=person.id,
            category_id=MEALS,
            details="Two hot meals, no pork",
            urgency="within_24h",
            recurring=recurring,
            status="ready",
            created_at=dt.datetime(2026, 11, 1),
        )
        volunteer = Volunteer(id=tx.new_id(), code="V-1", name="Luis Ortega")
        tx.session.add_all([person, request, volunteer])
    run_id = dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=volunteer.id,
        date=DAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[request.id],
    )
    dispatch.start_run(db, "Marta", run_id)
    with db.session() as s:
        stop_id = s.scalars(select(Stop.id).where(Stop.delivery_id == run_id)).one()
    return run_id, stop_id, request.id


def requests_of_rosa(db: Database) -> list[Request]:
    with db.session() as s:
        return list(s.scalars(select(Request).order_by(Request.code)))


def test_a_delivered_weekly_request_opens_next_weeks_request(db: Database) -> None:
    _run, stop_id, first_id = setup_run(db, "weekly")
    done = dispatch.record_stop(db, "Marta", stop_id, "delivered")
    first, following = requests_of_rosa(db)
    assert done.next_request_code == following.code == "TST-R0001"
    assert first.status == "delivered"
    assert following.status == "ready"
    assert (following.person_id, following.category_id, following.details, following.urgency) == (
        first.person_id,
        first.category_id,
        first.details,
        first.urgency,
    )
    assert following.recurring == "weekly"
    assert following.follow_up == DAY + dt.timedelta(days=7)
    with db.session() as s:
        events = {
            (e.record_id, e.what): json.loads(e.detail)
            for e in s.scalars(select(Event).where(Event.what.in_(("next_request", "previous_request"))))
        }
    assert events == {
        (first_id, "next_request"): {"request": following.id, "code": "TST-R0001"},
        (following.id, "previous_request"): {"request": first_id, "code": "OLD-0001", "status": "ready"},
    }


def test_left_at_the_door_counts_as_delivered(db: Database) -> None:
    _run, stop_id, _first = setup_run(db, "weekly")
    dispatch.record_stop(db, "Marta", stop_id, "left_at_door")
    assert [r.status for r in requests_of_rosa(db)] == ["delivered", "ready"]


def test_next_weeks_request_opens_exactly_once(db: Database) -> None:
    _run, stop_id, _first = setup_run(db, "weekly")
    dispatch.record_stop(db, "Marta", stop_id, "delivered")
    with pytest.raises(Invalid):  # the stop is recorded already
        dispatch.record_stop(db, "Marta", stop_id, "delivered")
    assert len(requests_of_rosa(db)) == 2


def test_a_one_off_request_opens_nothing(db: Database) -> None:
    _run, stop_id, _first = setup_run(db, "once")
    assert dispatch.record_stop(db, "Marta", stop_id, "delivered").next_request_code is None
    assert [r.status for r in requests_of_rosa(db)] == ["delivered"]


def test_a_failed_weekly_delivery_opens_nothing(db: Database) -> None:
    _run, stop_id, _first = setup_run(db, "weekly")
    dispatch.record_stop(db, "Marta", stop_id, "failed", failure_reason="refused")
    assert [r.status for r in requests_of_rosa(db)] == ["ready"]
