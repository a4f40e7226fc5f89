"""One pass of a workbook through a desk's database: read and compare, then apply.

`run()` reads only (in a read transaction, so the desk's writers never wait for
it): for each kind (linked kinds first) it reads and checks every `_state` row,
merges it with this desk's state of the record, and keeps what would change as
the plan; then it compares the kind's visible sheet with what `_state` says it
showed (hand edits). Anything wrong with the file as a whole raises
WorkbookRejected before anything is written.

`apply()` runs in the write transaction. A record of the plan that changed on
this desk since `run()` read it (a save at the desk, another merge: its edited
clock moved, or it appeared) is merged again with what the desk holds now; the
others are written as planned. Records the workbook had nothing new for stay
unchanged whatever happened meanwhile: the desk's state only grows (every write
is a local edit on top of it or a merge into it), so what it covered it still
covers. A failure rolls the transaction back: all or nothing."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from aiddesk.domain import clock
from aiddesk.domain.markers import N_
from aiddesk.domain.merge import (
    RecordState,
    StampReused,
    displayed,
    hidden,
    in_conflict,
    is_erased,
    merge_record,
    settle_erasure,
    visibility,
)
from aiddesk.exchange.workbook.cells import CellText
from aiddesk.exchange.workbook.hand_edits import HandEdit, Shown, find_hand_edits
from aiddesk.exchange.workbook.reader import YEAR_MS, ExchangeWorkbook, Rejected, refuse
from aiddesk.exchange.workbook.state_text import Checksum, StateProblem, read_state, read_state_row
from aiddesk.i18n import _
from aiddesk.services.exchange.held_rows import row_state_cells, vv_cell
from aiddesk.store.models import PERSONAL_FIELDS, SYNCED_MODELS, Person, Synced
from aiddesk.store.repositories.canonical import record_state
from aiddesk.store.repositories.exchange import sheet_refs as exchange_refs
from aiddesk.store.repositories.exchange.known_desks import desk_label
from aiddesk.store.repositories.exchange.record_states import (
    current_clocks,
    insert_rows,
    local_rows,
    local_states,
    update_states,
)
from aiddesk.store.state_rows import CompactRow, compact_row

CHUNK = 1000
# Which kinds each visible sheet's linked columns show.
_REF_KINDS = {
    "call": ("person",),
    "request": ("person",),
    "delivery": ("volunteer",),
    "stop": ("delivery", "request"),
}


@dataclass
class Planned:
    """A record the pass would write: its `_state` row (read again if the desk changes the record
    before the write), what this desk held when the pass read it (None: nothing) and its edited
    clock then, the merge of the two — for a new record only the row to insert (smaller: a big
    workbook's new records wait in memory) — and the conflicts it counted in the report."""

    cells: list[str]
    before: RecordState | None
    clock: int | None
    merged: RecordState | None  # None for a new record
    row: CompactRow | None = None  # a new record's row
    conflicts: int = 0


@dataclass
class PassResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    blank_rows: int = 0
    highest_clock: int = 0
    clock_flagged: bool = False
    edits: list[HandEdit] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def settle(kind: str, state: RecordState) -> RecordState:
    return settle_erasure(state, PERSONAL_FIELDS) if kind == "person" else state


def _opened_conflicts(before: RecordState | None, after: RecordState) -> int:
    """Field conflicts this merge opens or changes (not those already open as they were)."""
    count = 0
    for name, siblings in after["fields"].items():
        if (
            len(siblings) > 1
            and in_conflict(siblings)
            and (before is None or before["fields"].get(name) != siblings)
        ):
            count += 1
    if visibility(after).edited_after_delete and not hidden(after):
        was = before is not None and visibility(before).edited_after_delete and not hidden(before)
        count += 0 if was else 1
    return count


@dataclass
class _KindCount:
    """Live records and tombstones of one kind as the workbook holds them, and what its visible
    sheet should show for each live one."""

    keep_shown: bool
    revision: str  # the workbook's database revision, to read a row again
    digests: list[Any] = field(default_factory=list)  # of the visible rows, in live order
    live: int = 0
    tombstones: int = 0
    shown: dict[str, Shown] = field(default_factory=dict)

    def add(self, record_id: str, state: RecordState, cells: list[str]) -> None:
        if hidden(state):
            self.tombstones += 1
            return
        if self.keep_shown and not self.digests:  # every row will be compared: keep the state
            self.shown[record_id] = Shown(record_id, None, state=state)
        elif self.keep_shown:
            digest = self.digests[self.live] if self.live < len(self.digests) else None
            self.shown[record_id] = Shown(
                record_id,
                functools.partial(_state_of, cells, self.revision),
                digest if type(digest) is str else None,
            )
        self.live += 1

    def add_held(self, model: type[Synced], row: Any, cells: list[str]) -> None:
        """add() for a record the workbook holds exactly as this desk does (its Core row). Its
        `deleted` column says whether it is hidden (state_rows writes it so); only a record with
        siblings, or a sheet compared cell by cell, needs its state."""
        if row.siblings or (self.keep_shown and not self.digests):
            self.add(row.id, record_state(model, row), cells)
        elif row.deleted:
            self.tombstones += 1
        else:
            self.add(row.id, _LIVE, cells)


_LIVE: RecordState = {"fields": {}}  # what add() needs of a live record it does not keep


def _state_of(cells: list[str], revision: str) -> RecordState:
    """The state a `_state` row holds (a row already read once: it is valid)."""
    return read_state_row(cells, revision)[1]


class MergePass:
    def __init__(self, session: Session, book: ExchangeWorkbook) -> None:
        self.session = session  # for reading; apply() gets the write transaction's
        self.book = book
        self.result = PassResult(rejected=list(book.rejected))
        self.revision = book.meta["schema_revision"]
        self.plan: dict[str, dict[str, Planned]] = {}  # kind -> id -> what to write

    def _count(self, before: RecordState | None, merged: RecordState) -> int:
        """Count a record's outcome in the report; returns the conflicts it opened."""
        if before is None:
            self.result.new += 1
        elif merged != before:
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        conflicts = _opened_conflicts(before, merged)
        self.result.conflicts += conflicts
        return conflicts

    def _uncount(self, planned: Planned) -> None:
        if planned.before is None:
            self.result.new -= 1
        elif planned.merged != planned.before:
            self.result.updated -= 1
        else:
            self.result.unchanged -= 1
        self.result.conflicts -= planned.conflicts

    @staticmethod
    def _planned(
        model: type[Synced],
        cells: list[str],
        before: RecordState | None,
        clock: int | None,
        merged: RecordState,
        conflicts: int,
    ) -> Planned:
        if before is None:
            return Planned(cells, None, None, None, compact_row(model, merged), conflicts)
        return Planned(cells, before, clock, merged, None, conflicts)

    def apply(self, session: Session) -> int:
        """Write the plan in the write transaction `session`; records that changed here since
        they were read are merged again first. Returns how many were merged again."""
        again = 0
        for model in SYNCED_MODELS:
            plan = self.plan.get(model.kind, {})
            ids = list(plan)
            now_clocks = current_clocks(session, model, ids)
            stale = [i for i in ids if now_clocks.get(i) != plan[i].clock]
            if stale:
                again += len(stale)
                local, _clocks = local_states(session, model, stale)
                for record_id in stale:
                    old = plan[record_id]
                    self._uncount(old)
                    before = local.get(record_id)
                    merged = self._merge(model.kind, before, _state_of(old.cells, self.revision))
                    conflicts = self._count(before, merged)
                    plan[record_id] = self._planned(
                        model, old.cells, before, now_clocks.get(record_id), merged, conflicts
                    )
            insert_rows(session, model, [p.row for p in plan.values() if p.row is not None])
            changed = [
                p.merged
                for p in plan.values()
                if p.before is not None and p.merged is not None and p.merged != p.before
            ]
            update_states(session, model, changed, {i: c for i, c in now_clocks.items() if c is not None})
        return again

    def newly_erased(self) -> list[str]:
        """The people this merge erases here: held here not erased, erased in what it writes."""
        return [
            person_id
            for person_id, planned in self.plan.get(Person.kind, {}).items()
            if planned.before is not None
            and planned.merged is not None
            and is_erased(planned.merged)
            and not is_erased(planned.before)
        ]

    def run(self, now_ms: int) -> PassResult:
        rows_by_kind = self._check_rows()
        for model in SYNCED_MODELS:
            shown = self._merge_kind(model, rows_by_kind.get(model.kind, []))
            sheet = self.book.visible.get(model.kind)
            if sheet is not None:
                findings = find_hand_edits(
                    sheet,
                    shown,
                    functools.partial(self._cell_text, model.kind),
                    self.book.meta["phone_region"],
                )
                self.result.edits += findings.edits
                if self.book.meta.count(f"cut.{model.kind}"):  # rows past Excel's limit are not shown
                    findings.rejected = [
                        r for r in findings.rejected if not (r.row is None and r.column == "id")
                    ]
                self.result.rejected += findings.rejected
                self.result.blank_rows += findings.blank_rows
        self._check_clocks(now_ms)
        return self.result

    def _check_clocks(self, now_ms: int) -> None:
        """An edit more than a year ahead rejects the workbook; more than a day ahead is flagged."""
        ahead = clock.wall_ms(self.result.highest_clock) - now_ms
        if ahead > YEAR_MS:
            raise refuse(
                N_(
                    "%(file)s holds edits dated more than a year in the future. The clock of the desk "
                    "%(desk)s is wrong; fix it there and export again."
                ),
                file=self.book.source,
                desk=self.book.meta["desk_code"],
            )
        self.result.clock_flagged = ahead > clock.DAY_MS

    # -- the whole file first: row count and checksum ----------------------------------------

    def _check_rows(self) -> dict[str, list[tuple[int, list[str]]]]:
        checksum = Checksum()
        by_kind: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
        count = 0
        for excel_row, cells in self.book.state_cells():
            if any(not isinstance(c, str) for c in cells):
                raise self._damaged(excel_row, N_("a cell holds a number or a date instead of text"))
            checksum.add(cells)
            by_kind[cells[0]].append((excel_row, cells))
            count += 1
        meta = self.book.meta
        if count != meta.count("state_rows") or checksum.hexdigest() != meta["checksum"]:
            raise refuse(
                N_(
                    "%(file)s has been changed where it must not be: its hidden records do not match "
                    "their checksum. Ask the desk %(desk)s for a fresh export."
                ),
                file=self.book.source,
                desk=meta["desk_code"],
            )
        return by_kind

    def _damaged(self, excel_row: int, problem: str, params: dict[str, object] | None = None) -> Exception:
        detail = _(problem) % params if params else _(problem)
        return refuse(
            N_("%(file)s is damaged: row %(row)d of its hidden _state sheet: %(problem)s."),
            file=self.book.source,
            row=excel_row,
            problem=detail,
        )

    # -- one kind ------------------------------------------------------------------------------

    def _merge_kind(self, model: type[Synced], rows: list[tuple[int, list[str]]]) -> dict[str, Shown]:
        kind = model.kind
        sheet = self.book.visible.get(kind)
        count = _KindCount(
            sheet is not None, self.revision, digests=sheet.digests if sheet is not None else []
        )
        seen: set[str] = set()
        plan = self.plan.setdefault(kind, {})
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            held = local_rows(self.session, model, [c[1] for _row, c in chunk if isinstance(c[1], str)])
            for record_id, (cells, state, top) in self._parse(model, chunk, seen, held, count).items():
                row = held.get(record_id)
                before = None if row is None else record_state(model, row)
                merged = self._merge(kind, before, state)
                conflicts = self._count(before, merged)
                if before is None or merged != before:
                    clock = None if row is None else row.edited_clock
                    plan[record_id] = self._planned(model, cells, before, clock, merged, conflicts)
                count.add(record_id, state, cells)
                if top > self.result.highest_clock:
                    self.result.highest_clock = top
        meta = self.book.meta
        if (count.live, count.tombstones) != (meta.count(f"rows.{kind}"), meta.count(f"tombstones.{kind}")):
            raise refuse(
                N_(
                    "%(file)s has been changed where it must not be: its counts of %(kind)s records do not match."
                ),
                file=self.book.source,
                kind=kind,
            )
        return count.shown

    def _parse(
        self,
        model: type[Synced],
        rows: list[tuple[int, list[str]]],
        seen: set[str],
        held: dict[str, Any],
        count: _KindCount,
    ) -> dict[str, tuple[list[str], RecordState, int]]:
        """The rows of `rows` that differ from this desk's records (`held`: their rows), with their
        states and highest clocks. A row whose text is exactly what this desk would write for the
        record is unchanged (and valid) without parsing it."""
        out: dict[str, tuple[list[str], RecordState, int]] = {}
        for excel_row, cells in rows:
            record_id = cells[1]
            row = held.get(record_id)
            if row is not None and cells[2] == vv_cell(row) and row_state_cells(model, row) == cells:
                if record_id in seen:
                    raise self._damaged(excel_row, N_("the record %(id)s appears twice"), {"id": record_id})
                seen.add(record_id)
                self.result.unchanged += 1
                count.add_held(model, row, cells)
                continue
            try:
                _kind, state, top = read_state(cells, self.revision)
            except StateProblem as problem:
                raise self._damaged(excel_row, problem.message, problem.params) from None
            if state["id"] in seen:
                raise self._damaged(excel_row, N_("the record %(id)s appears twice"), {"id": state["id"]})
            seen.add(state["id"])
            out[state["id"]] = (cells, state, top)
        return out

    def _merge(self, kind: str, local: RecordState | None, incoming: RecordState) -> RecordState:
        if local is None:
            return settle(kind, incoming)
        try:
            return settle(kind, merge_record(local, incoming))
        except StampReused as reused:
            raise refuse(
                N_(
                    "Nothing was merged: the desk %(desk)s used one edit stamp for two different values. "
                    "That desk was probably restored from a backup or copied. On that desk, open AidDesk "
                    "once so it takes a new desk identity, then export again."
                ),
                desk=desk_label(self.session, reused.desk),
            ) from None

    # -- what the visible sheets show for linked records -----------------------------------------

    def _cell_text(self, kind: str, shown: list[Shown]) -> CellText:
        language = self.book.meta["language"] or "en"
        region = self.book.meta["phone_region"] or "US"
        if not shown:  # every row kept its digest: no cell is compared
            return CellText(language, region, lambda _name, _value: None)
        refs = exchange_refs.labels(self.session, language)
        refs.update(self._planned_labels(language))
        targets = _REF_KINDS.get(kind, ())
        # Only the records the sheet's rows link to (a delta's few rows link to few of them).
        linked = {v for s in shown for v in s.values.values() if isinstance(v, str) and len(v) == 36}
        for target in targets:
            refs.update(exchange_refs.codes(self.session, target, linked))
            plan = self.plan.get(target, {})
            for record_id in linked & plan.keys():  # not written yet
                code = _planned_value(plan[record_id], "code")
                if code is not None:
                    refs[record_id] = code
        return CellText(language, region, lambda _name, value: refs.get(value) if value else None)

    def _planned_labels(self, language: str) -> dict[str, str]:
        """Need categories and zones this pass brings or renames, as the visible sheets show them."""
        out: dict[str, str] = {}
        for kind in ("need_category", "zone"):
            for record_id, planned in self.plan.get(kind, {}).items():
                english = _planned_value(planned, "label_en") or ""
                spanish = _planned_value(planned, "label_es") or ""
                out[record_id] = (spanish if language == "es" else "") or english
        return out


def _planned_value(planned: Planned, name: str) -> Any:
    """The value a planned record will show in field `name` (None when it has no such field)."""
    if planned.row is not None:
        names, values = planned.row
        return values[names.index(name)] if name in names else None
    assert planned.merged is not None
    siblings = planned.merged["fields"].get(name)
    return None if siblings is None else displayed(siblings)


def plan_workbook(session: Session, book: ExchangeWorkbook, now_ms: int) -> MergePass:
    """Read and compare (nothing written): the pass, with its plan and its result."""
    merge_pass = MergePass(session, book)
    merge_pass.run(now_ms)
    return merge_pass
