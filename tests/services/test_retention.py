"""Retention: closed requests lose their details and notes, people not heard from are erased,
after the months an administrator chose; the preview lists exactly what the run does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from record_makers import add_call, add_person, add_request
from sqlalchemy import select
from two_desks import Desk, exchange, north_and_south

from aiddesk.domain.access import Actor, NotAllowed, Role
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.domain.validation import Invalid
from aiddesk.services import retention
from aiddesk.services.reports.figures import period_report
from aiddesk.store.database import Database
from aiddesk.store.models import Audit, Event, Person, Request

TODAY = dt.date(2026, 11, 23)
LONG_AGO = dt.datetime(2023, 5, 4, 10, 0)  # three and a half years before TODAY
LAST_MONTH = dt.datetime(2026, 10, 20, 10, 0)
MOVED = "Moved in with her sister at 4 Oak St"
ADMIN = Actor("Alma", Role.ADMINISTRATOR)
POLICY = RetentionPolicy(request_months=12, people_months=24, enabled=True)


def _desk(db: Database) -> dict[str, str]:
    """Pablo, last heard from long ago; Rosa, who called last month but had an old closed
    request; Luis, quiet for long but with a request still open."""
    pablo = add_person(db, "P-0001", "Pablo Reyes", address="9 Elm St")
    add_call(db, pablo, "C-0001", LONG_AGO, notes="Called about groceries")
    add_request(db, pablo, "R-0001", "delivered", created_at=LONG_AGO, details="Leave by the blue door")
    rosa = add_person(db, "P-0002", "Rosa Díaz")
    withdrawn = add_request(
        db,
        rosa,
        "R-0002",
        "withdrawn",
        created_at=LONG_AGO,
        details="Diapers size 4, son Mateo",
        status_reason=MOVED,
    )
    with db.transaction("Ana") as tx:  # the move, made long ago, in the history that travels
        detail = {"from": "new", "to": "withdrawn", "reason": MOVED}
        tx.session.add(
            Event(
                id=tx.new_id(),
                record_kind="request",
                record_id=withdrawn,
                what="status",
                detail=json.dumps(detail),
                who="Ana",
                at=LONG_AGO + dt.timedelta(days=2),
            )
        )
    add_call(db, rosa, "C-0002", LAST_MONTH)
    add_request(db, rosa, "R-0003", "delivered", created_at=LAST_MONTH, details="Rice and beans")
    luis = add_person(db, "P-0003", "Luis Ortega")
    add_request(db, luis, "R-0004", "call_back", created_at=LONG_AGO, details="Call after 5")
    return {"pablo": pablo, "rosa": rosa, "luis": luis}


def _details(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {r.code: r.details for r in session.scalars(select(Request))}


def _said_about_moves(db: Database) -> list[str]:
    """The status reasons of the requests, and the reasons in their history."""
    with db.session() as session:
        reasons = [r.status_reason for r in session.scalars(select(Request)) if r.status_reason]
        history = [json.loads(e.detail).get("reason", "") for e in session.scalars(select(Event))]
    return reasons + [reason for reason in history if reason]


def test_the_preview_lists_what_the_run_forgets_and_the_run_does_exactly_that(db: Database) -> None:
    who = _desk(db)
    assert _said_about_moves(db) == [MOVED, MOVED]
    retention.save_policy(db, ADMIN, POLICY)

    plan = retention.preview(db, ADMIN, today=TODAY)
    assert plan.requests == ("R-0001", "R-0002")  # closed long ago; R-0003 closed last month
    assert plan.people == ("P-0001",)  # Rosa called last month, Luis still has an open request

    done = retention.run(db, ADMIN, today=TODAY)
    assert (done.requests, done.people) == (plan.requests, plan.people)
    assert _details(db) == {
        "R-0001": "",
        "R-0002": "",
        "R-0003": "Rice and beans",
        "R-0004": "Call after 5",
    }
    assert _said_about_moves(db) == []
    with db.session() as session:
        events = session.scalars(select(Event).where(Event.what == "status")).all()
        assert [(json.loads(e.detail)["to"], e.at) for e in events] == [
            ("withdrawn", LONG_AGO + dt.timedelta(days=2))
        ]
        pablo, rosa, luis = (session.get(Person, who[k]) for k in ("pablo", "rosa", "luis"))
        assert pablo is not None and pablo.erased and pablo.name == "" and pablo.address == ""
        assert rosa is not None and not rosa.erased and rosa.name == "Rosa Díaz"
        assert luis is not None and not luis.erased
        audit = session.scalars(select(Audit).where(Audit.action == "retention_run")).one()
        assert audit.who == "Alma"
        assert json.loads(audit.detail) | {} == {
            "requests": 2,
            "people": 1,
            "request_months": 12,
            "people_months": 24,
        }
    assert retention.preview(db, ADMIN, today=TODAY).empty  # nothing left to forget


def test_the_help_still_counts_in_the_reports_after_a_run(db: Database) -> None:
    _desk(db)
    first, last = dt.date(2023, 5, 1), dt.date(2023, 5, 31)
    before = period_report(db, first, last, language="en").figures()
    assert before["requests_opened"] == 3
    retention.save_policy(db, ADMIN, POLICY)
    retention.run(db, ADMIN, today=TODAY)
    assert period_report(db, first, last, language="en").figures() == before


def test_off_by_default_and_nothing_runs_until_confirmed(db: Database) -> None:
    _desk(db)
    assert retention.get_policy(db) == RetentionPolicy()
    with pytest.raises(retention.RetentionOff):
        retention.run(db, ADMIN, today=TODAY)
    retention.save_policy(db, ADMIN, RetentionPolicy(request_months=12, enabled=False))
    assert retention.run_if_due(db, TODAY) is None
    assert _details(db)["R-0001"] == "Leave by the blue door"
    # A preview of months not yet saved shows what they would do, and saves nothing.
    assert retention.preview(db, ADMIN, RetentionPolicy(people_months=24), today=TODAY).people == ("P-0001",)
    assert retention.get_policy(db).people_months is None


def test_the_daily_run_runs_once_a_day(db: Database) -> None:
    _desk(db)
    retention.save_policy(db, ADMIN, RetentionPolicy(request_months=12, enabled=True))
    first = retention.run_if_due(db, TODAY)
    assert first is not None and first.requests == ("R-0001", "R-0002") and first.people == ()
    assert retention.run_if_due(db, TODAY) is None  # already ran today
    later = retention.run_if_due(db, TODAY + dt.timedelta(days=1))
    assert later is not None and later.empty  # ran again, nothing new was due
    with db.session() as session:
        runs = session.scalars(select(Audit).where(Audit.action == "retention_run")).all()
    assert [r.who for r in runs] == [retention.SCHEDULE, retention.SCHEDULE]


@pytest.mark.parametrize("role", [Role.PHONE_VOLUNTEER, Role.COORDINATOR])
def test_only_an_administrator_changes_previews_or_runs_retention(db: Database, role: Role) -> None:
    _desk(db)
    who = Actor("Val", role)
    with pytest.raises(NotAllowed):
        retention.save_policy(db, who, POLICY)
    retention.save_policy(db, ADMIN, POLICY)
    with pytest.raises(NotAllowed):
        retention.preview(db, who, today=TODAY)
    with pytest.raises(NotAllowed):
        retention.run(db, who, today=TODAY)
    assert _details(db)["R-0001"] == "Leave by the blue door"


@pytest.mark.parametrize("months", [0, 5, 121])
def test_months_out_of_bounds_are_refused(db: Database, months: int) -> None:
    with pytest.raises(Invalid) as refused:
        retention.save_policy(db, ADMIN, RetentionPolicy(request_months=months, enabled=True))
    assert refused.value.problems[0].field == "request_months"
    assert retention.get_policy(db) == RetentionPolicy()


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def test_what_retention_forgets_on_one_desk_is_forgotten_on_the_other(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    who = _desk(north.db)
    exchange(north, south)
    assert south.person(who["pablo"]).name == "Pablo Reyes"
    assert _said_about_moves(south.db) == [MOVED, MOVED]

    retention.save_policy(north.db, ADMIN, POLICY)
    retention.run(north.db, ADMIN, today=TODAY)
    # Meanwhile at SUR someone corrects Pablo's address from an old paper note.
    south.edit("person", who["pablo"], address="11 Elm St")
    exchange(north, south)

    for desk in (north, south):
        pablo = desk.person(who["pablo"])
        assert pablo.erased and pablo.name == "" and pablo.address == ""
        assert _details(desk.db)["R-0001"] == ""
        assert _details(desk.db)["R-0003"] == "Rice and beans"
        assert _said_about_moves(desk.db) == []
        assert desk.person(who["rosa"]).name == "Rosa Díaz"
