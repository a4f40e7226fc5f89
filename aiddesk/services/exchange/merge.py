"""Merging an exchange workbook: dry run -> report -> confirm -> one transaction after a backup.

The pass reads and compares in a read transaction (the desk's writers never wait
for it), then takes the write lock only to apply what changes: a save at the
desk waits for that short part, not for the reading of the whole workbook. The
dry run is the same reading and comparing, so its report is exactly what the
merge would do (unless the desk changes those records meanwhile). Conflicts
never block a merge (both values are kept); hand edits become proposals that
wait for a decision unless the caller accepts or rejects them all. A cancel or
a crash in the middle of the transaction leaves the database as it was."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiddesk.domain import backup_rotation as rotation
from aiddesk.domain import clock
from aiddesk.domain.access import Right, require
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reader import ExchangeWorkbook, Rejected, open_exchange
from aiddesk.services.exchange.collection_pause import collection_paused
from aiddesk.services.exchange.merge_pass import MergePass, PassResult, plan_workbook
from aiddesk.services.exchange.proposals import apply_accepted
from aiddesk.services.people import person as people
from aiddesk.store import backup
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.store.repositories import drafts as drafts_repo
from aiddesk.store.repositories.exchange import folder_state, known_desks
from aiddesk.store.repositories.exchange import proposals as proposals_repo
from aiddesk.store.repositories.people import search as search_repo
from aiddesk.store.stamping import Tx, now_ms, utcnow


class Proposals(StrEnum):
    KEEP = "keep"  # wait for a decision on the Conflicts screen
    ACCEPT = "accept"
    REJECT = "reject"


@dataclass
class MergeReport:
    source: str
    desk_code: str
    desk_name: str
    exported_at: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    proposals: int = 0
    blank_rows: int = 0
    clock_flagged: bool = False
    applied: bool = False
    rejected: list[Rejected] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """What the report counts, rejected cells included (how many)."""
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "proposals": self.proposals,
            "rejected": len(self.rejected),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            **self.counts(),
            "rejected": [r.as_json() for r in self.rejected],
            "blank_rows": self.blank_rows,
            "clock_flagged": self.clock_flagged,
            "applied": self.applied,
            "from_desk": self.desk_code,
        }


def read(path: Path, password: str | None = None) -> ExchangeWorkbook:
    """Open and check a workbook (WorkbookRejected when it cannot be merged at all)."""
    with collection_paused():
        return open_exchange(path, password)


def merge(
    db: Database,
    book: ExchangeWorkbook,
    who: str,
    *,
    dry_run: bool = False,
    proposals: Proposals = Proposals.KEEP,
    backup: bool | Callable[[], None] = True,
    pass_on: bool = True,
) -> MergeReport:
    """Merge `book`. `backup`: False when the caller took one, or what to call instead (only when
    the merge writes something). `pass_on`: the records it changes go into this desk's next file
    in the exchange folder (what came from outside the folder travels on; a merge of the folder's
    own files passes False: every desk there reads those files itself)."""
    require(who, Right.MERGE)
    report = MergeReport(
        book.source, book.meta["desk_code"], book.meta["desk_name"], book.meta["exported_at"]
    )
    report.clock_flagged = book.clock_flagged
    # The backup is of the desk as it is before anything is written: made beside the reading
    # (on a thread of its own, mostly in SQLite: the other processor core), kept once the
    # workbook is found mergeable, before the write.
    early = _EarlyBackup(db) if backup is True and not dry_run else None
    try:
        with collection_paused(), db.session() as session, session.begin():  # reading only: a snapshot
            merge_pass = plan_workbook(session, book, now_ms())
    except BaseException:
        if early is not None:
            early.discard()  # nothing is merged: no backup for it
        raise
    result = merge_pass.result
    report.clock_flagged = report.clock_flagged or result.clock_flagged
    _fill(report, result)
    if dry_run:
        return report
    if callable(backup):
        if result.new or result.updated or result.edits:
            backup()
    elif early is not None:
        early.keep()
    with collection_paused(), db.transaction(who) as tx:
        tx.session.info["merging"] = True  # merged rows carry the stamps they came with
        relaying = pass_on and folder_state.relaying(tx.session)
        merge_pass.apply(tx.session, note_changed=relaying)
        _fill(report, result)  # records changed here meanwhile were merged again
        _forget_erased(tx, merge_pass.newly_erased())
        _keep(tx, book, result, proposals)
        if relaying:
            _pass_on(tx, merge_pass)
        tx.audit("merge", None, source=book.source, desk=book.meta["desk_id"], **report.counts())
    report.applied = True
    # What another desk took for a person merged here (it had not heard of the merge) goes to the
    # person kept: an edit of this desk, so in a transaction of its own, after the merge's.
    people.follow_merges(db, who)
    return report


def _forget_erased(tx: Tx, person_ids: list[str]) -> None:
    """An erasure that came with the merge leaves nothing of the person here either: the calls
    half-typed for them, their hand edits, the words of their name in the search index (as
    services/people/erasure.py does for an erasure made at this desk)."""
    if not person_ids:
        return
    for person_id in person_ids:
        drafts_repo.forget_person(tx.session, person_id)
        proposals_repo.forget_record(tx.session, Person.kind, person_id)
    search_repo.forget_removed_words(tx.session)


def _pass_on(tx: Tx, merge_pass: MergePass) -> None:
    """Note the records this merge changed for the desk's next file in the exchange folder."""
    changed = merge_pass.changed_ids()
    if any(changed.values()):
        folder_state.add_relay(tx.session, changed)


def _fill(report: MergeReport, result: PassResult) -> None:
    report.new, report.updated, report.unchanged = result.new, result.updated, result.unchanged
    report.conflicts, report.proposals, report.blank_rows = (
        result.conflicts,
        len(result.edits),
        result.blank_rows,
    )
    report.rejected = result.rejected


def _keep(tx: Tx, book: ExchangeWorkbook, result: PassResult, proposals: Proposals) -> None:
    session = tx.session
    desk = tx.desk
    new_clock, _flagged = clock.receive(
        desk.clock, max(result.highest_clock, int(book.meta["export_clock"])), now_ms()
    )
    if not (book.clock_flagged or result.clock_flagged):
        desk.clock = new_clock
    when = utcnow()
    known_desks.remember(
        session,
        book.meta["desk_id"],
        book.meta["desk_code"][:6],
        book.meta["desk_name"][:120],
        book.meta["export_id"],
        when,
    )
    rows = [
        {
            "export_id": book.meta["export_id"],
            "source": book.source[:260],
            "record_kind": edit.kind,
            "record_id": edit.record_id,
            "field": edit.column,
            "value": codec.dumps(edit.values),
            "typed": edit.typed,
            "was": edit.was,
            "context_vv": codec.encode_vv(edit.context),
            "sheet": edit.sheet[:60],
            "row": edit.row,
            "column": edit.column,
            "status": proposals_repo.PENDING,
            "found_at": when,
            "decided_by": "",
        }
        for edit in result.edits
    ]
    ids = proposals_repo.add(session, rows)
    chosen = [p for p in proposals_repo.by_ids(session, ids) if p.status == proposals_repo.PENDING]
    if proposals is Proposals.ACCEPT:
        apply_accepted(tx, chosen)
    elif proposals is Proposals.REJECT:
        for proposal in chosen:
            proposals_repo.decide(proposal, proposals_repo.REJECTED, tx.who, when)


def take_backup(db: Database) -> None:
    """A verified backup before the merge (rotation keeps the last few merge backups)."""
    backup.take(db.path, db.path.parent / "backups", rotation.MERGE, key=db.key)


class _EarlyBackup:
    """take_backup begun on a thread of its own, its rotation left for `keep()`: `discard()`
    removes it when the merge does not happen (a refused workbook), so it pushes no older merge
    backup out of the rotation."""

    def __init__(self, db: Database) -> None:
        self._folder = db.path.parent / "backups"
        self._made: backup.BackupFile | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._take, args=(db,), name="aiddesk-merge-backup", daemon=True
        )
        self._thread.start()

    def _take(self, db: Database) -> None:
        try:
            self._made = backup.take(db.path, self._folder, rotation.MERGE, key=db.key, rotate_after=False)
        except BaseException as exc:  # raised by keep(), on the merge's own thread
            self._error = exc

    def keep(self) -> None:
        """Wait for the backup; its failure is raised (nothing is merged without it)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        backup.rotate(self._folder)

    def discard(self) -> None:
        self._thread.join()
        if self._made is not None:
            backup.discard(self._made.path)


def merge_file(
    db: Database,
    path: Path,
    who: str,
    *,
    password: str | None = None,
    dry_run: bool = False,
    proposals: Proposals = Proposals.KEEP,
) -> MergeReport:
    return merge(db, read(path, password), who, dry_run=dry_run, proposals=proposals)


__all__ = ["MergeReport", "Proposals", "WorkbookRejected", "merge", "merge_file", "read"]
