"""Status moves: allowed ones are saved with their history; refused ones say why and change nothing."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from aiddesk.domain.defaults import NEED_CATEGORIES
from aiddesk.domain.enums import RequestStatus
from aiddesk.services.desk.records import dump
from aiddesk.services.requests.status import move_status
from aiddesk.store.database import Database
from aiddesk.store.models import Event, Person, Request


def add_request(db: Database, code: str, status: str) -> str:
    with db.transaction("Ana") as tx:
        person = Person(id=tx.new_id(), code=f"P-{code}", name="Rosa Díaz")
        request = Request(
            id=tx.new_id(),
            code=code,
            person_id=person.id,
            status=status,
            category_id=NEED_CATEGORIES[0].id_for("need_category"),
            created_at=dt.datetime(2026, 11, 1),
        )
        tx.session.add_all([person, request])
    return request.id


def test_an_allowed_move_is_saved_with_who_and_why_in_the_history(db: Database) -> None:
    rid = add_request(db, "TST-0001", "ready")
    result = move_status(db, "Luis", [rid], RequestStatus.ASSIGNED)
    assert result.moved == ["TST-0001"] and result.refused == []
    with db.session() as s:
        assert s.get(Request, rid).status == "assigned"
        [event] = s.scalars(select(Event).where(Event.record_id == rid)).all()
    assert event.who == "Luis" and event.what == "status"
    assert json.loads(event.detail) == {"from": "ready", "to": "assigned", "reason": ""}


def test_a_refused_move_says_why_and_changes_nothing(db: Database) -> None:
    rid = add_request(db, "TST-0002", "new")
    before = dump(db)
    result = move_status(db, "Luis", [rid], RequestStatus.DELIVERED)
    assert result.moved == []
    [(code, why)] = result.refused
    assert code == "TST-0002"
    assert why.message(lambda s: s) == "A request cannot go from “New” to “Delivered”."
    assert dump(db) == before


def test_closing_needs_a_reason(db: Database) -> None:
    rid = add_request(db, "TST-0003", "new")
    assert move_status(db, "Luis", [rid], RequestStatus.WITHDRAWN).refused
    assert move_status(db, "Luis", [rid], RequestStatus.WITHDRAWN, "Her sister is helping").moved == [
        "TST-0003"
    ]


def test_a_bulk_move_applies_to_the_allowed_ones_and_lists_the_others(db: Database) -> None:
    ready = [add_request(db, f"TST-01{n}", "ready") for n in range(3)]
    delivered = add_request(db, "TST-0199", "delivered")
    result = move_status(db, "Luis", [*ready, delivered], RequestStatus.NEEDS_INFO)
    assert sorted(result.moved) == ["TST-010", "TST-011", "TST-012"]
    assert [code for code, _why in result.refused] == ["TST-0199"]
