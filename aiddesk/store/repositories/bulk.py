"""Bulk inserts of synced records through Core executemany, stamps computed in Python."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from aiddesk.domain.stamps import Stamp
from aiddesk.store import stamps_codec as codec
from aiddesk.store.derived import derived_values
from aiddesk.store.models import Synced


def insert_synced(session: Session, model: type[Synced], rows: Iterable[dict[str, Any]], stamp: Stamp) -> int:
    """Insert new records all written by the transaction `stamp` (one version vector, one base stamp)."""
    bookkeeping = {
        "vv": codec.encode_vv({stamp.desk: stamp.counter}),
        "stamps": codec.encode_base(stamp),
        "siblings": None,
        "del_ctx": None,
        "edited_clock": stamp.clock,
    }
    batch = [{"deleted": False, **row, **derived_values(model, row), **bookkeeping} for row in rows]
    if batch:
        session.execute(insert(model.__table__), batch)  # type: ignore[attr-defined]
    return len(batch)
