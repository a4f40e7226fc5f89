"""Intake drafts: the form as it is being typed (local only, never synced)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from aiddesk.store.models import Draft


def put_draft(session: Session, draft_id: str, who: str, updated_at: dt.datetime, data: str) -> None:
    row = session.get(Draft, draft_id)
    if row is None:
        session.add(Draft(id=draft_id, who=who, updated_at=updated_at, data=data))
    else:
        row.who, row.updated_at, row.data = who, updated_at, data


def list_drafts(session: Session) -> list[Draft]:
    """Newest first."""
    return list(session.scalars(select(Draft).order_by(Draft.updated_at.desc(), Draft.id)))


def get_draft(session: Session, draft_id: str) -> Draft | None:
    return session.get(Draft, draft_id)


def delete_draft(session: Session, draft_id: str) -> None:
    session.execute(delete(Draft).where(Draft.id == draft_id))


def forget_person(session: Session, person_id: str) -> None:
    """The drafts of calls for `person_id` (a known caller's form: their name, phones, notes)."""
    typed_for = case((func.json_valid(Draft.data), func.json_extract(Draft.data, "$.person_id")))
    session.execute(delete(Draft).where(typed_for == person_id).execution_options(synchronize_session=False))


def forget_typed_by(session: Session, names: list[str]) -> int:
    """The drafts typed by these accounts (by the name they were saved under); how many."""
    if not names:
        return 0
    gone = session.execute(
        delete(Draft).where(Draft.who.in_(names)).execution_options(synchronize_session=False)
    )
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]
