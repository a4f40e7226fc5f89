"""Loading requests by id for a change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.store.models import Request


def requests_for_update(session: Session, ids: list[str]) -> list[Request]:
    # By primary key alone ("deleted" checked here): with it in the condition and no planner
    # statistics, SQLite may walk ix_request_queue through every live request instead.
    rows = {r.id: r for r in session.scalars(select(Request).where(Request.id.in_(ids))) if not r.deleted}
    return [rows[i] for i in ids if i in rows]
