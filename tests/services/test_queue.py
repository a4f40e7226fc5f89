"""The request queue: each filter and their combinations, counts per status, the call-back-today view,
the selected request with its history, and status moves with a follow-up day."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from record_makers import NEED, NOW, TODAY, ZONE, add_call, add_person, add_request
from sqlalchemy import select

from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.enums import Urgency
from aiddesk.domain.validation import Invalid
from aiddesk.services.desk.records import dump
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import NO_ZONE, QueueQuery
from aiddesk.store.database import Database
from aiddesk.store.models import Event, Request


@pytest.fixture
def desk(db: Database) -> dict[str, str]:
    """Three people and seven requests; R7 is a deleted record that is never listed."""
    p1 = add_person(db, "TST-P1", "María García", zone_id=ZONE["north"], phone="+16175550134")
    p2 = add_person(db, "TST-P2", "José Núñez", zone_id=ZONE["south"])
    p3 = add_person(db, "TST-P3", "Ana Tran")
    ids = {
        "R1": add_request(
            db,
            p1,
            "TST-0001",
            "new",
            urgency="within_24h",
            details="Rice and beans",
            created_at=NOW - dt.timedelta(days=10),
        ),
        "R2": add_request(
            db,
            p1,
            "TST-0002",
            "call_back",
            category_id=NEED["prescriptions"],
            follow_up=TODAY - dt.timedelta(days=1),
            created_at=NOW - dt.timedelta(days=2),
        ),
        "R3": add_request(db, p2, "TST-0003", "needs_info", urgency="flexible", follow_up=TODAY),
        "R4": add_request(
            db,
            p2,
            "TST-0004",
            "needs_info",
            category_id=NEED["rides"],
            urgency="days_2_3",
            follow_up=TODAY + dt.timedelta(days=1),
        ),
        "R5": add_request(db, p3, "TST-0005", "delivered", created_at=NOW - dt.timedelta(days=30)),
        "R6": add_request(db, p3, "TST-0006", "call_back", category_id=NEED["rent"]),
        "R7": add_request(db, p1, "TST-0007", "ready", category_id=NEED["childcare"], deleted=True),
    }
    return {**ids, "P1": p1, "P2": p2, "P3": p3}


def listed(db: Database, desk: dict[str, str], query: QueueQuery, today: dt.date = TODAY) -> list[str]:
    """The requests the queue lists, by name (R1 ...), oldest first."""
    names = {v: k for k, v in desk.items()}
    rowids = queue.queue_order(db, query, sort="age", today=today, now=NOW)
    return [names[row.id] for row in queue.queue_rows(db, rowids)]


ANY_STATUS: frozenset[S] = frozenset()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (QueueQuery(), ["R1", "R2", "R3", "R4", "R6"]),  # open ones; never a deleted record
        (QueueQuery(statuses=ANY_STATUS), ["R5", "R1", "R2", "R3", "R4", "R6"]),
        (QueueQuery(statuses=frozenset({S.CALL_BACK})), ["R2", "R6"]),
        (QueueQuery(statuses=frozenset({S.CALL_BACK, S.DELIVERED})), ["R5", "R2", "R6"]),
        (QueueQuery(category_ids=frozenset({NEED["groceries"]})), ["R1", "R3"]),
        (QueueQuery(zone_ids=frozenset({ZONE["north"]})), ["R1", "R2"]),
        (QueueQuery(zone_ids=frozenset({NO_ZONE})), ["R6"]),
        (QueueQuery(zone_ids=frozenset({NO_ZONE, ZONE["south"]})), ["R3", "R4", "R6"]),
        (QueueQuery(urgencies=frozenset({Urgency.WITHIN_24H})), ["R1"]),
        (QueueQuery(older_than_days=5), ["R1"]),
        (QueueQuery(statuses=ANY_STATUS, older_than_days=5), ["R5", "R1"]),
        (QueueQuery(text="maria"), ["R1", "R2"]),  # accent-free name words
        (QueueQuery(text="NUNEZ jo"), ["R3", "R4"]),  # every word, as a prefix
        (QueueQuery(text="tst-0003"), ["R3"]),  # a code, any case
        (QueueQuery(text="0004"), ["R4"]),  # the number of a code
        (QueueQuery(text="beans"), ["R1"]),  # words of the details
        (QueueQuery(text="nobody"), []),
        (QueueQuery(zone_ids=frozenset({ZONE["north"]}), urgencies=frozenset({Urgency.THIS_WEEK})), ["R2"]),
        (QueueQuery(text="maria", statuses=frozenset({S.NEW})), ["R1"]),
        (
            QueueQuery(category_ids=frozenset({NEED["groceries"]}), zone_ids=frozenset({ZONE["south"]})),
            ["R3"],
        ),
    ],
)
def test_each_filter_and_combinations(
    db: Database, desk: dict[str, str], query: QueueQuery, expected: list[str]
) -> None:
    assert listed(db, desk, query) == expected


def test_a_code_of_the_series_of_requests_is_found_whole_or_by_its_end(
    db: Database, desk: dict[str, str]
) -> None:
    person = add_person(db, "TST-P0042", "Ana Tran")
    new = add_request(db, person, "TST-R0042", "new")
    other_desk = add_request(db, person, "NOR-R0042", "new")
    ids = {new: "new", other_desk: "other desk", desk["R4"]: "R4"}

    def found(text: str) -> list[str]:
        rows = queue.queue_rows(db, queue.queue_order(db, QueueQuery(text=text), today=TODAY, now=NOW))
        return sorted(ids[r.id] for r in rows if r.id in ids)

    assert found("tst-r0042") == ["new"]  # whole, any case
    assert found("R0042") == ["new", "other desk"]  # the letter and number, any desk
    assert found("r-0042") == ["new", "other desk"]
    assert found("0042") == ["new", "other desk"]  # the number read aloud
    assert found("P0042") == []  # the person's code is another series: it names no request
    assert found("0004") == ["R4"]  # codes made before the letters are found as before


def test_call_back_today_uses_the_desks_date(db: Database, desk: dict[str, str]) -> None:
    view = QueueQuery(call_back_today=True)
    # Needs info / call back with a follow-up today or earlier; not R4 (tomorrow) nor R6 (no date).
    assert listed(db, desk, view) == ["R2", "R3"]
    assert listed(db, desk, view, today=TODAY + dt.timedelta(days=1)) == ["R2", "R3", "R4"]
    assert listed(db, desk, view, today=TODAY - dt.timedelta(days=1)) == ["R2"]
    assert queue.queue_counts(db, QueueQuery(), today=TODAY, now=NOW).call_back_today == 2


def test_counts_per_status_follow_the_other_filters(db: Database, desk: dict[str, str]) -> None:
    counts = queue.queue_counts(db, QueueQuery(), today=TODAY, now=NOW)
    assert {s: n for s, n in counts.by_status.items() if n} == {
        S.NEW: 1,
        S.CALL_BACK: 2,
        S.NEEDS_INFO: 2,
        S.DELIVERED: 1,  # the status chips count every status, whichever are shown
    }
    assert counts.total(queue.OPEN_STATUSES) == 5
    north = queue.queue_counts(db, QueueQuery(zone_ids=frozenset({ZONE["north"]})), today=TODAY, now=NOW)
    assert {s: n for s, n in north.by_status.items() if n} == {S.NEW: 1, S.CALL_BACK: 1}
    assert north.call_back_today == 1
    text = queue.queue_counts(db, QueueQuery(text="núñez"), today=TODAY, now=NOW)
    assert {s: n for s, n in text.by_status.items() if n} == {S.NEEDS_INFO: 2}


def test_a_request_in_full_with_its_history_in_time_order(db: Database, desk: dict[str, str]) -> None:
    add_call(db, desk["P1"], "TST-C1", NOW - dt.timedelta(days=3), taken_by="Rosa", notes="Needs rice")
    add_call(
        db,
        desk["P1"],
        "TST-C2",
        dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1),
        taken_by="Luis",
        outcome="will_call_back",
    )
    add_call(db, desk["P2"], "TST-C3", NOW, taken_by="Rosa")  # someone else's call
    queue.move_requests(
        db, "Luis", [desk["R1"]], S.CALL_BACK, "No answer", TODAY + dt.timedelta(days=2), today=TODAY
    )
    detail = queue.request_detail(db, desk["R1"])
    assert detail is not None
    assert (detail.request.code, detail.request.status, detail.request.need) == (
        "TST-0001",
        "call_back",
        "Groceries",
    )
    assert detail.request.follow_up == TODAY + dt.timedelta(days=2)
    assert (detail.person.name, detail.person.zone) == ("María García", "North")
    assert [(h.kind, h.who) for h in detail.history] == [
        ("call", "Rosa"),
        ("status", "Luis"),
        ("call", "Luis"),
    ]
    status = detail.history[1]
    assert status.detail == {
        "from": "new",
        "to": "call_back",
        "reason": "No answer",
        "follow_up": "2026-11-25",
    }
    assert detail.history[0].call is not None and detail.history[0].call.notes == "Needs rice"
    assert detail.allowed == [S.NEEDS_INFO, S.READY, *queue.CLOSED_STATUSES[1:]]  # not back to call back
    assert queue.request_detail(db, desk["R7"]) is None  # deleted


def test_a_day_to_call_back_that_has_passed_is_refused_and_nothing_moves(
    db: Database, desk: dict[str, str]
) -> None:
    before = dump(db)
    with pytest.raises(Invalid) as refused:
        queue.move_requests(
            db, "Luis", [desk["R1"], desk["R3"]], S.CALL_BACK, "", TODAY - dt.timedelta(days=1), today=TODAY
        )
    assert [(p.field, p.message) for p in refused.value.problems] == [
        ("follow_up", "The day to call back has passed; choose today or a later day.")
    ]
    assert dump(db) == before
    assert queue.move_requests(db, "Luis", [desk["R1"]], S.CALL_BACK, "", TODAY, today=TODAY).moved == [
        "TST-0001"
    ]


def test_a_follow_up_day_is_kept_only_for_moves_that_wait_for_a_call(
    db: Database, desk: dict[str, str]
) -> None:
    result = queue.move_requests(db, "Luis", [desk["R3"]], S.READY, follow_up=TODAY + dt.timedelta(days=9))
    assert result.moved == ["TST-0003"]
    with db.session() as s:
        request = s.get(Request, desk["R3"])
        assert request is not None and request.follow_up is None  # ready: no call to wait for any more
        [event] = s.scalars(select(Event).where(Event.record_id == desk["R3"])).all()
    assert json.loads(event.detail) == {"from": "needs_info", "to": "ready", "reason": ""}
    detail = queue.request_detail(db, desk["R3"])
    assert detail is not None and detail.request.follow_up is None
    # From needs info to call back the call is still awaited: the day stays unless a new one is given.
    queue.move_requests(db, "Luis", [desk["R4"]], S.CALL_BACK, today=TODAY)
    with db.session() as s:
        assert s.get(Request, desk["R4"]).follow_up == TODAY + dt.timedelta(days=1)


def test_allowed_targets_of_a_selection_are_every_move_allowed_for_one_of_them() -> None:
    assert queue.allowed_targets(["new"]) == [S.NEEDS_INFO, S.CALL_BACK, S.READY, *queue.CLOSED_STATUSES[1:]]
    assert queue.allowed_targets(["delivered"]) == []
    both = queue.allowed_targets(["out_for_delivery", "failed"])
    assert both == [S.READY, S.DELIVERED, S.FAILED, *queue.CLOSED_STATUSES[1:]]
    assert queue.allowed_targets(["from_a_newer_desk"]) == []


@pytest.mark.parametrize(
    "query",
    [
        QueueQuery(),
        QueueQuery(text="maria"),  # read in one pass: order and counts together
        QueueQuery(zone_ids=frozenset({ZONE["north"], NO_ZONE}), statuses=frozenset({S.CALL_BACK, S.NEW})),
        QueueQuery(zone_ids=frozenset({ZONE["south"]}), call_back_today=True),
        QueueQuery(text="nunez", statuses=ANY_STATUS, older_than_days=0),
    ],
)
@pytest.mark.parametrize("sort", ["person", "follow_up"])
def test_a_snapshot_is_the_order_and_the_counts_read_apart(
    db: Database, desk: dict[str, str], query: QueueQuery, sort: str
) -> None:
    for descending in (False, True):
        snapshot = queue.queue_snapshot(db, query, sort=sort, descending=descending, today=TODAY, now=NOW)
        assert snapshot.rowids == queue.queue_order(
            db, query, sort=sort, descending=descending, today=TODAY, now=NOW
        )
        assert snapshot.counts == queue.queue_counts(db, query, today=TODAY, now=NOW)


def test_a_status_from_a_newer_desk_is_refused_not_a_crash(db: Database, desk: dict[str, str]) -> None:
    newer = add_request(db, desk["P3"], "TST-0008", "on_hold")  # a status this version does not know
    result = queue.move_requests(db, "Luis", [desk["R1"], newer], S.READY)
    assert result.moved == ["TST-0001"]
    [(code, why)] = result.refused
    assert code == "TST-0008"
    assert why.message(lambda s: s) == "This request has a status this version of AidDesk does not know."
