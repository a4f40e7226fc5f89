"""The audit trail: checking its chain of seals (aiddesk/store/audit_chain.py)."""

from __future__ import annotations

from collections.abc import Callable

from aiddesk.store import audit_chain
from aiddesk.store.database import Database


def check_trail(db: Database) -> audit_chain.Verdict:
    """Every entry's seal, then the head kept beside the wrapped keys (or the plain desk's file)."""
    with db.session() as session:
        return audit_chain.verify(session.connection(), db.path, db.key)


def verdict_text(verdict: audit_chain.Verdict, translate: Callable[[str], str]) -> str:
    """One line saying what is wrong with the trail ("" when nothing is)."""
    _ = translate
    if verdict.problem == "edited":
        return _("The audit trail was changed: entry %(id)d does not match its seal.") % {
            "id": verdict.bad_id
        }
    if verdict.problem == "unsealed":
        return _("The audit trail was changed: entry %(id)d lost its seal.") % {"id": verdict.bad_id}
    if verdict.problem == "missing_last":
        return _("The audit trail is missing its last %(count)d entries.") % {"count": verdict.missing}
    if verdict.problem == "head_missing":
        return _("The audit trail's record of its last entry is missing from the key file.")
    if verdict.problem == "key_missing":
        return _("The audit trail cannot be checked: its key file beside the database is missing.")
    return ""
