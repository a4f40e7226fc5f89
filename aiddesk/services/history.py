"""The history that travels: append-only events written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from aiddesk.store import stamps_codec as codec
from aiddesk.store.models import Event, Synced
from aiddesk.store.stamping import Tx, utcnow


def record_event(tx: Tx, record: Synced, what: str, **detail: Any) -> Event:
    event = Event(
        id=tx.new_id(),
        record_kind=record.kind,
        record_id=record.id,
        what=what,
        detail=codec.dumps(detail),
        who=tx.who,
        at=utcnow(),
    )
    tx.session.add(event)
    return event
