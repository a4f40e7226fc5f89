"""The other desks whose workbooks this desk merged: their codes and names, for messages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.domain.stamps import NIL_DESK
from aiddesk.store.models import Desk, KnownDesk


def remember(session: Session, desk_id: str, code: str, name: str, export_id: str, when: dt.datetime) -> None:
    row = session.get(KnownDesk, desk_id)
    if row is None:
        session.add(
            KnownDesk(desk_id=desk_id, code=code, name=name, last_export_id=export_id, last_merged_at=when)
        )
    else:
        row.code, row.name, row.last_export_id, row.last_merged_at = code, name, export_id, when


def names(session: Session) -> dict[str, str]:
    """desk id -> "CODE (name)" for this desk and every desk met."""
    out = {row.desk_id: f"{row.code} ({row.name})" for row in session.scalars(select(KnownDesk))}
    own = session.scalars(select(Desk)).first()
    if own is not None:
        out[own.desk_id] = f"{own.code} ({own.name})"
    return out


def desk_label(session: Session, desk_id: str) -> str:
    if desk_id == NIL_DESK:
        return "AidDesk"
    return names(session).get(desk_id, desk_id)
