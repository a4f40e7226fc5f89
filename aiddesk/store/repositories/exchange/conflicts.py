"""Records with a field in conflict (or kept after a concurrent delete): found through the
partial index on `siblings IS NOT NULL`, never by scanning every row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.store.models import SYNCED_MODELS, Synced
from aiddesk.store.repositories.canonical import record_state


def records_in_conflict(session: Session) -> Iterator[tuple[type[Synced], Any, dict[str, Any]]]:
    """(model, row, state) of every record holding siblings."""
    for model in SYNCED_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        query = select(table).where(table.c.siblings.is_not(None)).order_by(table.c.edited_clock.desc())
        for row in session.execute(query):
            yield model, row, record_state(model, row)
