"""What waits for a person at this desk: open conflicts and hand edits not yet accepted or
rejected. The sidebar shows the number ("Conflicts (3)"); the Conflicts screen lists them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiddesk.domain.merge import hidden, in_conflict, visibility
from aiddesk.services.exchange.conflicts import OpenConflict, field_label, open_conflicts
from aiddesk.services.exchange.proposals import PendingEdit, pending
from aiddesk.store.database import Database
from aiddesk.store.repositories.exchange import conflicts as conflicts_repo
from aiddesk.store.repositories.exchange import proposals as proposals_repo
from aiddesk.store.repositories.exchange.record_labels import labels_of


def open_conflict_count(db: Database) -> int:
    """How many conflicts the Conflicts screen lists: fields in conflict, and records edited
    after their delete (counted without reading any label)."""
    total = 0
    with db.session() as session:
        for _model, _row, state in conflicts_repo.records_in_conflict(session):
            if hidden(state):
                continue
            total += sum(1 for name, s in state["fields"].items() if name != "deleted" and in_conflict(s))
            total += 1 if visibility(state).edited_after_delete else 0
    return total


def waiting_count(db: Database) -> int:
    """Open conflicts plus pending hand edits."""
    with db.session() as session:
        proposals = proposals_repo.pending_count(session)
    return open_conflict_count(db) + proposals


@dataclass(frozen=True)
class PendingRow:
    """A pending hand edit as the Conflicts screen lists it."""

    edit: PendingEdit
    record: str  # code and name of the record the cell belongs to
    column: str  # the column's header in the UI language


def pending_rows(db: Database) -> list[PendingRow]:
    edits = pending(db)
    labels = _labels(db, [(e.kind, e.record_id) for e in edits])
    return [
        PendingRow(
            edit,
            labels.get((edit.kind, edit.record_id), edit.record_id[:8]),
            field_label(edit.kind, edit.column),
        )
        for edit in edits
    ]


def _labels(db: Database, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in wanted:
        by_kind.setdefault(kind, set()).add(record_id)
    with db.session() as session:
        return {
            (kind, record_id): label
            for kind, ids in by_kind.items()
            for record_id, label in labels_of(session, kind, ids).items()
        }


def conflicts_to_settle(db: Database) -> list[OpenConflict]:
    """The open conflicts, each record named by its code and name ("NOR-0001 María García")."""
    found = open_conflicts(db)
    labels = _labels(db, [(c.kind, c.record_id) for c in found])
    return [replace(c, record=labels.get((c.kind, c.record_id), c.record)) for c in found]
