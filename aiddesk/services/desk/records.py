"""Whole-database views: the canonical dump and the health check."""

from __future__ import annotations

from typing import Any

from aiddesk.store.database import Database
from aiddesk.store.repositories.canonical import canonical_state
from aiddesk.store.repositories.health import integrity_problems


def dump(db: Database) -> dict[str, Any]:
    with db.session() as session:
        return canonical_state(session)


def check(db: Database) -> list[str]:
    with db.session() as session:
        return integrity_problems(session)
