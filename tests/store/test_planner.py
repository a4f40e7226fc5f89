"""Finding requests by id stays a primary-key lookup with the queue's indexes in place.

Without planner statistics (AidDesk runs no ANALYZE: it would slow the queue), SQLite walks
ix_request_queue for `id IN (...) AND deleted = 0` from about four ids on: 200 ms at 155,000
requests instead of 0.1 ms. The lookups by id must not put "deleted" in the condition."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from aiddesk.domain.defaults import NEED_CATEGORIES
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request
from aiddesk.store.repositories import deliveries
from aiddesk.store.repositories.request_updates import requests_for_update


def add_requests(db: Database, n: int) -> list[str]:
    with db.transaction("Ana") as tx:
        person = Person(id=tx.new_id(), code="TST-P", name="Rosa")
        tx.session.add(person)
        rows = [
            Request(
                id=tx.new_id(),
                code=f"TST-{i:04d}",
                person_id=person.id,
                created_at=dt.datetime(2026, 11, 1),
                category_id=NEED_CATEGORIES[0].id_for("need_category"),
            )
            for i in range(n)
        ]
        tx.session.add_all(rows)
    return [r.id for r in rows]


def plans_of(db: Database, lookup: Callable[[Session], Any]) -> list[str]:
    statements: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "request" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        with db.session() as session:
            lookup(session)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    with db.engine.connect() as conn:
        return [str(conn.exec_driver_sql("EXPLAIN QUERY PLAN " + s, p).fetchall()) for s, p in statements]


@pytest.mark.parametrize(
    "lookup",
    [
        lambda ids: lambda session: requests_for_update(session, ids),
        lambda ids: lambda session: deliveries.requests_by_id(session, ids),
    ],
    ids=["requests_for_update", "deliveries.requests_by_id"],
)
def test_looking_up_requests_by_id_uses_the_primary_key(db: Database, lookup: Callable[..., Any]) -> None:
    ids = add_requests(db, 20)
    plans = plans_of(db, lookup(ids))
    assert plans
    for plan in plans:
        assert "ix_request_queue" not in plan, plan
