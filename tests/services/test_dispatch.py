"""Delivery runs as a coordinator meets them: plan, reorder, start, record each stop, cancel."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select

from aiddesk.domain.defaults import NEED_CATEGORIES
from aiddesk.domain.validation import Invalid
from aiddesk.services.deliveries import dispatch
from aiddesk.services.desk.records import dump
from aiddesk.store.database import Database
from aiddesk.store.models import Delivery, Event, Person, Request, Stop, Volunteer

DAY = dt.date(2026, 11, 23)
GROCERIES = NEED_CATEGORIES[0].id_for("need_category")


def add_volunteer(db: Database, name: str = "Luis Ortega", *, active: bool = True) -> str:
    with db.transaction("Ana") as tx:
        volunteer = Volunteer(id=tx.new_id(), code=f"V-{name[:3]}", name=name, active=active)
        tx.session.add(volunteer)
    return volunteer.id


def add_request(db: Database, code: str, status: str = "ready", recurring: str = "once") -> str:
    with db.transaction("Ana") as tx:
        person = Person(id=tx.new_id(), code=f"P-{code}", name="Rosa Díaz", address="12 Elm St")
        request = Request(
            id=tx.new_id(),
            code=code,
            person_id=person.id,
            category_id=GROCERIES,
            details="Rice and beans",
            urgency="days_2_3",
            recurring=recurring,
            status=status,
            created_at=dt.datetime(2026, 11, 1),
        )
        tx.session.add_all([person, request])
    return request.id


def plan(db: Database, volunteer: str, ids: list[str], **changes: Any) -> str:
    options: dict[str, Any] = {
        "volunteer_id": volunteer,
        "date": DAY,
        "window_start": "09:00",
        "window_end": "12:00",
        "request_ids": ids,
    }
    options.update(changes)
    return dispatch.plan_run(db, "Marta", **options)


def statuses(db: Database, ids: list[str]) -> list[str]:
    with db.session() as s:
        return [s.get(Request, i).status for i in ids]


def stops(db: Database, run_id: str) -> list[Stop]:
    with db.session() as s:
        query = (
            select(Stop).where(Stop.delivery_id == run_id, Stop.deleted.is_(False)).order_by(Stop.position)
        )
        return list(s.scalars(query))


def run_status(db: Database, run_id: str) -> str:
    with db.session() as s:
        return s.get(Delivery, run_id).status


def status_events(db: Database, request_id: str) -> list[dict[str, Any]]:
    with db.session() as s:
        query = select(Event).where(Event.record_id == request_id, Event.what == "status").order_by(Event.at)
        return [json.loads(e.detail) | {"who": e.who} for e in s.scalars(query)]


def test_planning_makes_a_coded_run_with_stops_in_order_and_assigns_the_requests(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, f"TST-000{n}") for n in (1, 2, 3)]
    run_id = plan(db, luis, [ids[2], ids[0], ids[1]])
    with db.session() as s:
        run = s.get(Delivery, run_id)
        assert (run.code, run.status, run.date, run.window_start, run.window_end) == (
            "TST-D0001",
            "planned",
            DAY,
            "09:00",
            "12:00",
        )
    assert [(s.request_id, s.position, s.outcome) for s in stops(db, run_id)] == [
        (ids[2], 1, "pending"),
        (ids[0], 2, "pending"),
        (ids[1], 3, "pending"),
    ]
    assert statuses(db, ids) == ["assigned"] * 3
    assert status_events(db, ids[0]) == [{"from": "ready", "to": "assigned", "reason": "", "who": "Marta"}]
    second = plan(db, luis, [add_request(db, "TST-0004")])
    with db.session() as s:
        assert s.get(Delivery, second).code == "TST-D0002"


def test_a_request_put_on_a_run_keeps_no_day_to_call_back(db: Database) -> None:
    luis = add_volunteer(db)
    request_id = add_request(db, "TST-0001")
    with db.transaction("Ana") as tx:
        tx.session.get(Request, request_id).follow_up = DAY + dt.timedelta(days=3)
    plan(db, luis, [request_id])
    with db.session() as s:
        request = s.get(Request, request_id)
        assert (request.status, request.follow_up) == ("assigned", None)


def test_a_volunteer_already_out_at_that_time_is_found(db: Database) -> None:
    luis, zoe = add_volunteer(db), add_volunteer(db, "Zoe Hill")
    morning = plan(db, luis, [add_request(db, "TST-0001")])  # 09:00-12:00
    found = dispatch.clashing_runs(db, luis, DAY, "11:00", "13:00")
    assert [(c.code, c.window_start, c.window_end) for c in found] == [("TST-D0001", "09:00", "12:00")]
    assert dispatch.clashing_runs(db, luis, DAY, "12:00", "14:00") == []  # right after: no clash
    assert dispatch.clashing_runs(db, luis, DAY, "07:00", "09:00") == []  # right before
    assert dispatch.clashing_runs(db, luis, DAY + dt.timedelta(days=1), "09:00", "12:00") == []
    assert dispatch.clashing_runs(db, zoe, DAY, "09:00", "12:00") == []
    assert dispatch.clashing_runs(db, luis, DAY, "10:00", "11:00", except_run=morning) == []
    dispatch.cancel_run(db, "Marta", morning, "rain")
    assert dispatch.clashing_runs(db, luis, DAY, "11:00", "13:00") == []  # a cancelled run is no clash


def test_a_request_that_is_not_ready_is_named_and_nothing_is_stored(db: Database) -> None:
    luis = add_volunteer(db)
    ready = add_request(db, "TST-0001")
    new = add_request(db, "TST-0002", status="new")
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        plan(db, luis, [ready, new])
    [problem] = refused.value.problems
    assert problem.params["code"] == "TST-0002"
    assert "New" in str(problem.params["why"]) and "Assigned" in str(problem.params["why"])
    assert dump(db) == before
    assert statuses(db, [ready, new]) == ["ready", "new"]


def test_a_request_already_on_a_run_cannot_go_on_another(db: Database) -> None:
    luis = add_volunteer(db)
    rid = add_request(db, "TST-0001")
    plan(db, luis, [rid])
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        plan(db, add_volunteer(db, "Eva Ruiz"), [rid])
    assert refused.value.problems[0].params["code"] == "TST-0001"
    after = dump(db)
    assert after["delivery"] == before["delivery"] and after["stop"] == before["stop"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"window_start": "9am"}, "window_start"),
        ({"window_start": "12:00", "window_end": "09:00"}, "window_end"),
        ({"request_ids": []}, "requests"),
        ({"volunteer_id": "no-such-volunteer"}, "volunteer"),
    ],
)
def test_bad_plans_name_the_field(db: Database, changes: dict[str, Any], field: str) -> None:
    luis = add_volunteer(db)
    rid = add_request(db, "TST-0001")
    with pytest.raises(Invalid) as refused:
        plan(db, luis, [rid], **changes)
    assert refused.value.problems[0].field == field
    assert statuses(db, [rid]) == ["ready"]


def test_an_inactive_volunteer_cannot_take_a_run(db: Database) -> None:
    gone = add_volunteer(db, "Old Timer", active=False)
    rid = add_request(db, "TST-0001")
    with pytest.raises(Invalid) as refused:
        plan(db, gone, [rid])
    assert refused.value.problems[0].params == {"name": "Old Timer"}
    assert statuses(db, [rid]) == ["ready"]


def test_reorder_puts_the_stops_in_the_new_order(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, f"TST-000{n}") for n in (1, 2, 3)]
    run_id = plan(db, luis, ids)
    first, second, third = (s.id for s in stops(db, run_id))
    dispatch.reorder_stops(db, "Marta", run_id, [third, first, second])
    assert [s.request_id for s in stops(db, run_id)] == [ids[2], ids[0], ids[1]]
    with pytest.raises(Invalid):
        dispatch.reorder_stops(db, "Marta", run_id, [third, first])
    assert [s.position for s in stops(db, run_id)] == [1, 2, 3]


def test_starting_a_run_sends_its_requests_out_for_delivery(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, "TST-0001"), add_request(db, "TST-0002")]
    run_id = plan(db, luis, ids)
    dispatch.start_run(db, "Marta", run_id)
    assert run_status(db, run_id) == "out"
    assert statuses(db, ids) == ["out_for_delivery"] * 2
    with pytest.raises(Invalid):
        dispatch.start_run(db, "Marta", run_id)


def test_a_failed_stop_sends_its_request_back_to_ready_with_the_reason(db: Database) -> None:
    luis = add_volunteer(db)
    rid = add_request(db, "TST-0001")
    run_id = plan(db, luis, [rid, add_request(db, "TST-0002")])
    dispatch.start_run(db, "Marta", run_id)
    stop = stops(db, run_id)[0]
    done = dispatch.record_stop(
        db, "Marta", stop.id, "failed", failure_reason="not_home", note="Left a note on the door"
    )
    assert (done.request_code, done.request_status, done.run_done) == ("TST-0001", "ready", False)
    recorded = stops(db, run_id)[0]
    assert (recorded.outcome, recorded.failure_reason, recorded.note) == (
        "failed",
        "not_home",
        "Left a note on the door",
    )
    with db.session() as s:
        request = s.get(Request, rid)
        assert request.status == "ready"
        assert request.status_reason == "Not home — Left a note on the door"
    assert status_events(db, rid)[-2:] == [
        {
            "from": "out_for_delivery",
            "to": "failed",
            "reason": "Not home — Left a note on the door",
            "who": "Marta",
        },
        {"from": "failed", "to": "ready", "reason": "Not home — Left a note on the door", "who": "Marta"},
    ]
    assert run_status(db, run_id) == "out"


def test_a_failed_stop_needs_a_reason(db: Database) -> None:
    luis = add_volunteer(db)
    rid = add_request(db, "TST-0001")
    run_id = plan(db, luis, [rid])
    dispatch.start_run(db, "Marta", run_id)
    with pytest.raises(Invalid) as refused:
        dispatch.record_stop(db, "Marta", stops(db, run_id)[0].id, "failed")
    assert refused.value.problems[0].field == "failure_reason"
    assert statuses(db, [rid]) == ["out_for_delivery"]


def test_delivered_stops_close_their_requests_and_the_last_one_finishes_the_run(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, "TST-0001"), add_request(db, "TST-0002")]
    run_id = plan(db, luis, ids)
    dispatch.start_run(db, "Marta", run_id)
    first, second = stops(db, run_id)
    when = dt.datetime(2026, 11, 23, 15, 30)
    assert not dispatch.record_stop(db, "Marta", first.id, "delivered", when=when).run_done
    last = dispatch.record_stop(db, "Marta", second.id, "left_at_door", note="Porch, behind the bench")
    assert last.run_done and last.request_status == "delivered"
    assert statuses(db, ids) == ["delivered", "delivered"]
    assert run_status(db, run_id) == "done"
    assert stops(db, run_id)[0].delivered_at == when
    with pytest.raises(Invalid):  # a stop is recorded once
        dispatch.record_stop(db, "Marta", first.id, "failed", failure_reason="refused")


def test_stops_cannot_be_recorded_before_the_run_starts(db: Database) -> None:
    luis = add_volunteer(db)
    rid = add_request(db, "TST-0001")
    run_id = plan(db, luis, [rid])
    with pytest.raises(Invalid) as refused:
        dispatch.record_stop(db, "Marta", stops(db, run_id)[0].id, "delivered")
    assert refused.value.problems[0].field == "delivery"
    assert statuses(db, [rid]) == ["assigned"]


def test_a_removed_stop_sends_its_request_back_and_the_others_close_up(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, f"TST-000{n}") for n in (1, 2, 3)]
    run_id = plan(db, luis, ids)
    dispatch.remove_stop(db, "Marta", stops(db, run_id)[0].id)
    assert [(s.request_id, s.position) for s in stops(db, run_id)] == [(ids[1], 1), (ids[2], 2)]
    assert statuses(db, ids) == ["ready", "assigned", "assigned"]
    dispatch.add_stops(db, "Marta", run_id, [ids[0]])
    assert [(s.request_id, s.position) for s in stops(db, run_id)] == [(ids[1], 1), (ids[2], 2), (ids[0], 3)]


def test_cancelling_a_started_run_sends_the_pending_requests_back_to_ready(db: Database) -> None:
    luis = add_volunteer(db)
    ids = [add_request(db, "TST-0001"), add_request(db, "TST-0002")]
    run_id = plan(db, luis, ids)
    dispatch.start_run(db, "Marta", run_id)
    dispatch.record_stop(db, "Marta", stops(db, run_id)[0].id, "delivered")
    with pytest.raises(Invalid):
        dispatch.cancel_run(db, "Marta", run_id, "  ")
    dispatch.cancel_run(db, "Marta", run_id, "Car broke down")
    assert run_status(db, run_id) == "cancelled"
    assert statuses(db, ids) == ["delivered", "ready"]
    assert status_events(db, ids[1])[-1]["reason"] == "Car broke down"
