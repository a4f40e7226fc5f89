"""The audit trail: checking its chain of seals (aiddesk/store/audit_chain.py), reading it for the
coordinators' screen, saving it as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiddesk.domain.access import ROLE_LABELS, Right, Role, require
from aiddesk.domain.audit import DETAIL_LABELS, DETAIL_WORDS, action_label
from aiddesk.domain.enums import RequestStatus, StopOutcome
from aiddesk.store import audit_chain
from aiddesk.store.database import Database
from aiddesk.store.repositories import audit as audit_repo


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


# ---- reading the trail ---------------------------------------------------------------------------

LIMIT = 1000  # the screen shows the newest entries that pass the filter, at most this many


@dataclass(frozen=True)
class TrailFilter:
    """What the screen filters by: an account, an action, local days (both included), a person's code."""

    who: str = ""
    action: str = ""
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    person_code: str = ""

    def for_store(self) -> audit_repo.AuditFilter:
        return audit_repo.AuditFilter(
            who=self.who,
            action=self.action,
            start=_utc_start(self.first_day) if self.first_day else None,
            end=_utc_start(self.last_day + dt.timedelta(days=1)) if self.last_day else None,
            person_code=self.person_code.strip(),
        )


@dataclass(frozen=True)
class TrailEntry:
    id: int
    at: dt.datetime  # local time
    who: str
    action: str
    record: str  # the record's code ("" when none)
    detail: dict[str, Any]
    kind: str = ""  # the record's kind ("" when none)


@dataclass(frozen=True)
class Trail:
    entries: list[TrailEntry]
    total: int  # entries that pass the filter (more than shown when over LIMIT)
    accounts: list[str]
    actions: list[str]


def _utc_start(day: dt.date) -> dt.datetime:
    """Local midnight of `day` as the naive UTC moment the trail stores."""
    return dt.datetime.combine(day, dt.time()).astimezone(dt.UTC).replace(tzinfo=None)


def _local(at: dt.datetime) -> dt.datetime:
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _detail(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def read_trail(db: Database, who: str, chosen: TrailFilter, *, limit: int = LIMIT) -> Trail:
    """The newest entries that pass `chosen`, newest first (NotAllowed unless `who` may read it)."""
    require(who, Right.AUDIT)
    store_filter = chosen.for_store()
    with db.session() as session:
        rows = audit_repo.newest(session, store_filter, limit)
        total = len(rows) if len(rows) < limit else audit_repo.count(session, store_filter)
        return Trail(
            [
                TrailEntry(
                    r.id, _local(r.at), r.who, r.action, r.record_code, _detail(r.detail), r.record_kind
                )
                for r in rows
            ],
            total,
            audit_repo.accounts(session),
            audit_repo.actions(session),
        )


def action_text(action: str, translate: Callable[[str], str]) -> str:
    return translate(action_label(action))


def detail_text(detail: dict[str, Any], translate: Callable[[str], str], kind: str = "") -> str:
    """The detail as "what: value" pairs in the reader's language (codes, counts and options:
    never personal data). `kind`: the entry's record kind, which names its fields. A key or a
    word this version does not know (an entry from a newer desk) is shown as it is."""
    pairs = [
        (translate(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key, _value(key, value, translate, kind))
        for key, value in detail.items()
        if value not in ("", None, [])
    ]
    return ", ".join(f"{label}: {value}" for label, value in sorted(pairs))


def _value(key: str, value: Any, translate: Callable[[str], str], kind: str) -> str:
    _ = translate
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key == "fields" and isinstance(value, list):
        return ", ".join(_field(kind, str(name), translate) for name in value)
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    text = str(value)
    if key == "role" and text in set(Role):
        return translate(ROLE_LABELS[Role(text)])
    if key == "to" and text in set(RequestStatus):
        return translate(RequestStatus(text).label)
    if key == "outcome" and text in set(StopOutcome):
        return translate(StopOutcome(text).label)
    if text in DETAIL_WORDS and key in ("by", "language"):
        return translate(DETAIL_WORDS[text])
    return text


def _field(kind: str, name: str, translate: Callable[[str], str]) -> str:
    """A field's name as the lists and workbooks show it (the workbook's header for that kind)."""
    from aiddesk.services.exchange.conflicts import field_label  # the sheets' layout: only when shown

    return field_label(kind, name, translate)


def save_trail_csv(
    db: Database, who: str, chosen: TrailFilter, path: Path, translate: Callable[[str], str]
) -> int:
    """Every entry that passes `chosen` (not only the shown ones) as a CSV file saved owner-only;
    the number of entries written."""
    from aiddesk.services.desk.documents import save_document  # the workbook saver: not at start

    require(who, Right.AUDIT)
    _ = translate
    trail = read_trail(db, who, chosen, limit=10**9)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Entry"), _("When"), _("Account"), _("Action"), _("Record code"), _("Detail")])
    for entry in trail.entries:
        writer.writerow(
            [
                entry.id,
                entry.at.isoformat(sep=" ", timespec="seconds"),
                entry.who,
                action_text(entry.action, translate),
                entry.record,
                detail_text(entry.detail, translate, entry.kind),
            ]
        )
    save_document(("\ufeff" + out.getvalue()).encode("utf-8"), path, db.path.parent)
    return len(trail.entries)
