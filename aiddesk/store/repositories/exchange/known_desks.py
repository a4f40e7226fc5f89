"""The other desks whose workbooks this desk merged: their codes and names, for messages."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.domain.stamps import NIL_DESK
from aiddesk.store.models import Audit, Desk, KnownDesk


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


def sharing_our_code(session: Session) -> list[KnownDesk]:
    """Other desks met in merged workbooks that use this desk's code: two laptops set up with the
    same code give their records the same codes (two callers both CC1-P0001). This desk's own
    former ids (a restore, a database moved: the audit's new_desk_identity entries) are not others."""
    own = session.scalars(select(Desk)).first()
    if own is None:
        return []
    former = set()
    for detail in session.scalars(select(Audit.detail).where(Audit.action == "new_desk_identity")):
        try:
            former.add(str(json.loads(detail).get("old", "")))
        except (ValueError, AttributeError):
            continue
    found = session.scalars(select(KnownDesk).where(KnownDesk.code == own.code).order_by(KnownDesk.desk_id))
    return [row for row in found if row.desk_id != own.desk_id and row.desk_id not in former]
