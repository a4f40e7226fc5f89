"""Records for tests, written the way the app writes them: through stamped transactions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiddesk.domain.defaults import NEED_CATEGORIES, ZONES
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person, Request

NOW = dt.datetime(2026, 11, 23, 15, 0)  # naive UTC
TODAY = dt.date(2026, 11, 23)
NEED = {c.key: c.id_for("need_category") for c in NEED_CATEGORIES}
ZONE = {z.key: z.id_for("zone") for z in ZONES}


def add_person(db: Database, code: str, name: str, **fields: Any) -> str:
    with db.transaction("Ana") as tx:
        person = Person(id=tx.new_id(), code=code, name=name, **fields)
        tx.session.add(person)
    return person.id


def add_request(db: Database, person_id: str, code: str, status: str = "new", **fields: Any) -> str:
    values: dict[str, Any] = {"category_id": NEED["groceries"], "created_at": NOW - dt.timedelta(days=1)}
    values.update(fields)
    with db.transaction("Ana") as tx:
        request = Request(id=tx.new_id(), code=code, person_id=person_id, status=status, **values)
        tx.session.add(request)
    return request.id


def add_call(db: Database, person_id: str, code: str, taken_at: dt.datetime, **fields: Any) -> str:
    with db.transaction("Ana") as tx:
        call = Call(id=tx.new_id(), code=code, person_id=person_id, taken_at=taken_at, **fields)
        tx.session.add(call)
    return call.id
