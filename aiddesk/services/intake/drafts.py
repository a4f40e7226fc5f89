"""Drafts of calls being typed: saved as they are typed, offered back after a crash.

A draft is local to this desk (the `draft` table is not synced, so no stamp);
each write is one small committed row, so a kill -9 or a power cut loses at
most the last moments of typing."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass

from aiddesk.domain.access import role_of
from aiddesk.domain.intake import IntakeForm
from aiddesk.store.database import Database
from aiddesk.store.repositories import drafts as repo
from aiddesk.store.stamping import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SavedDraft:
    id: str
    who: str
    updated_at: dt.datetime  # UTC, naive
    form: IntakeForm


def new_draft_id() -> str:
    return str(uuid.uuid4())


def save_draft(db: Database, draft_id: str, who: str, form: IntakeForm) -> None:
    """Write (or overwrite) the draft `draft_id` with the whole form."""
    data = json.dumps(form.to_dict(), ensure_ascii=False, separators=(",", ":"))
    with db.write_session() as session:
        repo.put_draft(session, draft_id, who, utcnow(), data)


def _read(row_id: str, who: str, updated_at: dt.datetime, data: str) -> SavedDraft | None:
    try:
        loaded = json.loads(data)
        if not isinstance(loaded, dict):
            raise ValueError("not an object")
        return SavedDraft(row_id, who, updated_at, IntakeForm.from_dict(loaded))
    except ValueError as exc:
        log.warning("draft %s cannot be read (%s); it is left as it is", row_id, exc)
        return None


def list_drafts(db: Database, who: str) -> list[SavedDraft]:
    """The readable drafts `who` may take up, newest first. On a desk with accounts a draft is
    offered back only to the account that typed it: a coordinator's half-typed call may hold a
    safety note that a phone volunteer signing in next must not see. On a desk without accounts
    anyone at the desk takes up a call left half-typed (the caller may still be waiting)."""
    with db.session() as session:
        rows = [(r.id, r.who, r.updated_at, r.data) for r in repo.list_drafts(session)]
    if role_of(who) is not None:
        rows = [row for row in rows if row[1] == str(who)]
    return [d for d in (_read(*row) for row in rows) if d is not None]


def get_draft(db: Database, draft_id: str) -> SavedDraft | None:
    with db.session() as session:
        row = repo.get_draft(session, draft_id)
        values = (row.id, row.who, row.updated_at, row.data) if row is not None else None
    return _read(*values) if values is not None else None


def discard_draft(db: Database, draft_id: str) -> None:
    with db.write_session() as session:
        repo.delete_draft(session, draft_id)
