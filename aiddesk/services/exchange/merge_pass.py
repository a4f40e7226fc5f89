"""One pass of a workbook through a desk's database: read and compare, then apply.

`run()` reads only (in a read transaction, so the desk's writers never wait for
it): it reads `_state` once, a thousand rows at a time, checks every row, merges
it with this desk's state of the record, and keeps what would change as the
plan; then it compares the visible sheets' rows that may hold a hand edit with
what `_state` says they showed. Anything wrong with the file as a whole raises
WorkbookRejected before anything is written.

A plan keeps at most about PLAN_BYTES in memory: a new record keeps only the row
to insert, a changed one its states and its `_state` row. A plan that would
outgrow it (a desk joining a big network) keeps what it holds; from there on the
rows of new records wait packed and compressed (row_packs.py, at most PACK_BYTES),
and of the others only the positions of the rows it would write are kept:
`apply()` writes the part kept and the packs, then reads `_state` again for those
positions and merges each of those rows with what the desk holds, in the write
transaction. Memory stays bounded however big the file, and a file within the
bounds is read and checked once.

`apply()` runs in the write transaction. A record of the plan that changed on
this desk since `run()` read it (a save at the desk, another merge: its edited
clock moved, or it appeared) is merged again with what the desk holds now; the
others are written as planned. Records the workbook had nothing new for stay
unchanged whatever happened meanwhile: the desk's state only grows (every write
is a local edit on top of it or a merge into it), so what it covered it still
covers. A failure rolls the transaction back: all or nothing."""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterator
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
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.hand_edits import HandEdit, SheetRecords, Shown, find_hand_edits
from aiddesk.exchange.workbook.reader import YEAR_MS, ExchangeWorkbook, Rejected, refuse
from aiddesk.exchange.workbook.state_text import (
    Checksum,
    PlainRecord,
    StateProblem,
    read_plain,
    read_state,
    read_state_row,
)
from aiddesk.i18n import _
from aiddesk.services.exchange.held_rows import row_state_cells, vv_cell
from aiddesk.services.exchange.row_packs import RowPacks
from aiddesk.store.models import MODEL_BY_KIND, PERSONAL_FIELDS, SYNCED_MODELS, Person, Synced
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
from aiddesk.store.state_rows import CompactRow, compact_row, plain_row

CHUNK = 1000
# What a plan may hold in memory (a merge of 100,000 people stays under 400 MB with it); what
# would go past it is written by reading `_state` again. Each record is reckoned at what it
# takes kept (measured at 10,000 people): a new one its row, about 1 KB for 1,400 characters of
# `_state`; a changed one its two states and its `_state` row, about 8 times its text.
PLAN_BYTES = 64 * 2**20
_KEPT_OVERHEAD = 300  # a kept record's entry, its dict slot, its id
# Which kinds each visible sheet's linked columns show.
_REF_KINDS = {
    "call": ("person",),
    "request": ("person",),
    "delivery": ("volunteer",),
    "stop": ("delivery", "request"),
}
_LINKED_KINDS = frozenset(k for kinds in _REF_KINDS.values() for k in kinds)


@dataclass(slots=True)
class Planned:
    """A record the pass would write: where its `_state` row is and, for a record this desk holds,
    its cells (merged again if the desk changes the record before the write; a new record's are
    read again from the file in that rare case), what this desk held when the pass read it
    (None: nothing) and its edited clock then, the merge of the two — for a new record only the
    row to insert (smaller: a big workbook's new records wait in memory) — and the conflicts it
    counted in the report."""

    position: int
    cells: list[str] | None
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
    fields = after["fields"]
    if sum(map(len, fields.values())) > len(fields):  # some field holds siblings (rare)
        for name, siblings in fields.items():
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
    """Live records and tombstones of one kind as the workbook holds them, and (for a kind with
    a visible sheet) what its rows should show."""

    revision: str  # the workbook's database revision, to read a row again
    records: SheetRecords | None
    live: int = 0
    tombstones: int = 0

    def add(self, record_id: str, is_hidden: bool, load: Callable[[], RecordState]) -> None:
        if is_hidden:
            self.tombstones += 1
            return
        self.live += 1
        if self.records is not None:
            self.records.add(record_id, load)

    def add_held(self, model: type[Synced], row: Any, cells: list[str]) -> None:
        """add() for a record the workbook holds exactly as this desk does (its Core row). Its
        `deleted` column says whether it is hidden (state_rows writes it so); only a record with
        siblings needs its state for that."""
        is_hidden = hidden(record_state(model, row)) if row.siblings else bool(row.deleted)
        self.add(row.id, is_hidden, functools.partial(_state_of, cells, self.revision))


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
        self.plan_bytes = 0  # what the plan holds, reckoned (PLAN_BYTES)
        self.full = False  # the plan stopped growing: new records' rows go into packs
        self.packs = RowPacks()
        self.spilled = False  # records past the plan and the packs: apply() reads `_state` again
        self.spilled_counts = [0, 0, 0]  # new, updated, conflicts counted past that point
        self.language = book.meta["language"] or "en"
        # the texts of the visible sheets' kept rows: a record this pass brings whose code is
        # among them may be what one of those rows links to (its code is kept for the comparison)
        self.texts = {
            v
            for sheet in book.visible.values()
            for row in sheet.rows.values()
            for v in row
            if isinstance(v, str)
        }
        self.labels: dict[str, str] = {}
        self.positions = array("L")  # the `_state` rows of the records written past the plan
        self.erased: list[str] = []  # people the part written past the plan erased here
        self.changed: dict[str, set[str]] | None = None  # what the part past the plan changed, if asked

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
        position: int,
        cells: list[str],
        before: RecordState | None,
        clock: int | None,
        merged: RecordState,
        conflicts: int,
    ) -> Planned:
        if before is None:
            return Planned(position, None, None, None, None, compact_row(model, merged), conflicts)
        return Planned(position, cells, before, clock, merged, None, conflicts)

    def _label(self, kind: str, record_id: str, shown: Callable[[str], Any]) -> None:
        """Keep what the visible sheets would show for a record this pass brings or changes
        (`shown`: the value a field of it will show, None for a field it lacks)."""
        if kind in ("need_category", "zone"):
            english = shown("label_en") or ""
            spanish = shown("label_es") or ""
            self.labels[record_id] = (spanish if self.language == "es" else "") or english
        elif kind in _LINKED_KINDS:
            code = shown("code")
            if code is not None and code in self.texts:
                self.labels[record_id] = code

    def _plan_new(self, model: type[Synced], excel_row: int, cells: list[str], plain: PlainRecord) -> None:
        """Plan a record new to this desk that its `_state` row holds plainly (read_plain): its
        row made straight from its values. Counted as _count() counts a new record with no
        conflict; the report and the plan are the same as for a record read the long way."""
        result = self.result
        result.new += 1
        if plain.clock > result.highest_clock:
            result.highest_clock = plain.clock
        self._label(model.kind, plain.id, plain.values.get)
        if self._rows_wanted():
            row = plain_row(model, plain.id, plain.vv, (plain.desk, plain.counter, plain.clock), plain.values)
            planned = Planned(excel_row, None, None, None, None, row, 0)
            spilled = self._keep(model.kind, plain.id, planned, sum(map(len, cells)))
        else:
            spilled = self._spill(excel_row)
        if spilled:  # counted again when it is written
            self.spilled_counts[0] += 1

    def _rows_wanted(self) -> bool:
        """Whether a new record's row is kept (in the plan, or in a pack)."""
        return not self.full or not self.packs.full

    def _keep(self, kind: str, record_id: str, planned: Planned, text: int) -> bool:
        """Keep `planned` (its `_state` text is `text` characters long) while the plan has room;
        past that, a new record's row goes into a pack while the packs have room, and otherwise
        only the record's position is kept: then True (its counts are made again when it is
        written)."""
        if not self.full:
            size = _KEPT_OVERHEAD + (text // 2 if planned.before is None else 8 * text)
            if self.plan_bytes + size <= PLAN_BYTES:
                self.plan.setdefault(kind, {})[record_id] = planned
                self.plan_bytes += size
                return False
            self.full = True
        if planned.row is not None and self.packs.add(kind, planned.position, planned.conflicts, planned.row):
            return False
        return self._spill(planned.position)

    def _spill(self, position: int) -> bool:
        """Keep only the position of a record's `_state` row (apply() reads it again)."""
        self.spilled = True
        self.positions.append(position)
        return True

    def apply(self, session: Session, *, note_changed: bool = False) -> int:
        """Write the plan in the write transaction `session`; records that changed here since
        they were read are merged again first. Returns how many were merged again. With
        `note_changed`, `changed_ids()` then says which records it changed."""
        again = 0
        self.changed = {} if note_changed else None
        stale_by_kind: dict[str, list[str]] = {}
        now_by_kind: dict[str, dict[str, int | None]] = {}
        for model in SYNCED_MODELS:
            plan = self.plan.get(model.kind, {})
            now_clocks = now_by_kind[model.kind] = current_clocks(session, model, list(plan))
            stale_by_kind[model.kind] = [i for i, p in plan.items() if now_clocks.get(i) != p.clock]
        # A new record the desk got meanwhile (another merge brought it): its row, read again.
        cells_at = self._cells_at(
            {
                self.plan[k][i].position
                for k, ids in stale_by_kind.items()
                for i in ids
                if self.plan[k][i].cells is None
            }
        )
        for model in SYNCED_MODELS:
            plan = self.plan.get(model.kind, {})
            now_clocks, stale = now_by_kind[model.kind], stale_by_kind[model.kind]
            if stale:
                again += len(stale)
                local, _clocks = local_states(session, model, stale)
                for record_id in stale:
                    old = plan[record_id]
                    self._uncount(old)
                    cells = old.cells if old.cells is not None else cells_at[old.position]
                    before = local.get(record_id)
                    merged = self._merge(model.kind, before, _state_of(cells, self.revision))
                    conflicts = self._count(before, merged)
                    plan[record_id] = self._planned(
                        model, old.position, cells, before, now_clocks.get(record_id), merged, conflicts
                    )
            insert_rows(session, model, [p.row for p in plan.values() if p.row is not None])
            changed = [
                p.merged
                for p in plan.values()
                if p.before is not None and p.merged is not None and p.merged != p.before
            ]
            update_states(session, model, changed, {i: c for i, c in now_clocks.items() if c is not None})
            again += self._write_packed(session, model)
        if self.spilled:
            self._apply_again(session)
        return again

    def _write_packed(self, session: Session, model: type[Synced]) -> int:
        """Insert the packed rows of `model`'s kind; a record the desk got meanwhile (another merge
        brought it) is merged again with what it holds, from its `_state` row read again. Returns
        how many were merged again."""
        again = 0
        for pack in self.packs.take(model.kind):
            ids = [row[1][row[0].index("id")] for _position, _conflicts, row in pack]
            now_clocks = current_clocks(session, model, ids)
            insert_rows(
                session,
                model,
                [row for (_p, _c, row), i in zip(pack, ids, strict=True) if now_clocks[i] is None],
            )
            if self.changed is not None:
                self.changed.setdefault(model.kind, set()).update(i for i in ids if now_clocks[i] is None)
            stale = [
                (p, c, i) for (p, c, _row), i in zip(pack, ids, strict=True) if now_clocks[i] is not None
            ]
            if stale:
                again += len(stale)
                self._merge_again(session, model, stale, now_clocks)
        return again

    def _merge_again(
        self,
        session: Session,
        model: type[Synced],
        stale: list[tuple[int, int, str]],
        now_clocks: dict[str, int | None],
    ) -> None:
        """Merge packed new records the desk got meanwhile ((position, conflicts, id) each) with
        what it holds now, their counts made again."""
        cells_at = self._cells_at({position for position, _conflicts, _id in stale})
        local, _clocks = local_states(session, model, [record_id for _p, _c, record_id in stale])
        updates: list[RecordState] = []
        for position, conflicts, record_id in stale:
            self.result.new -= 1
            self.result.conflicts -= conflicts
            before = local.get(record_id)
            merged = self._merge(model.kind, before, _state_of(cells_at[position], self.revision))
            self._count(before, merged)
            if merged != before:
                updates.append(merged)
                if self.changed is not None:
                    self.changed.setdefault(model.kind, set()).add(record_id)
                if (
                    model.kind == Person.kind
                    and before is not None
                    and is_erased(merged)
                    and not is_erased(before)
                ):
                    self.erased.append(record_id)
        update_states(session, model, updates, {i: c for i, c in now_clocks.items() if c is not None})

    def _cells_at(self, positions: set[int]) -> dict[int, list[str]]:
        """The `_state` rows at `positions`, read again (the file is checked to be the one read)."""
        found: dict[int, list[str]] = {}
        if positions:
            for excel_row, cells in self.book.state_cells():
                if excel_row in positions:
                    found[excel_row] = cells
                    if len(found) == len(positions):
                        break
        return found

    def _apply_again(self, session: Session) -> None:
        """apply() for the records past what the plan kept: read `_state` again and merge each of
        their rows with what the desk holds now (the write transaction), a chunk at a time; their
        part of the report is counted again as it is written. The rows must be the ones run()
        checked (same count, same checksum), else nothing is written."""
        result = self.result
        new, updated, conflicts = self.spilled_counts  # the unchanged rows stay unchanged
        result.new, result.updated, result.conflicts = (
            result.new - new,
            result.updated - updated,
            result.conflicts - conflicts,
        )
        checksum = Checksum()
        positions = iter(self.positions)
        at = next(positions, None)
        for kind, chunk in self._chunks(checksum):
            model = MODEL_BY_KIND.get(kind)
            rows = []
            for excel_row, cells in chunk:
                while at is not None and at < excel_row:
                    at = next(positions, None)
                if at == excel_row:
                    rows.append((excel_row, cells))
            if model is None or not rows:
                continue
            held = local_rows(session, model, [c[1] for _row, c in rows])
            inserts: list[CompactRow] = []
            updates: list[RecordState] = []
            clocks: dict[str, int] = {}
            for excel_row, cells in rows:
                record_id = cells[1]
                row = held.get(record_id)
                if row is None:
                    plain = _new_plain(cells)
                    if plain is not None:
                        result.new += 1
                        stamp = (plain.desk, plain.counter, plain.clock)
                        inserts.append(plain_row(model, plain.id, plain.vv, stamp, plain.values))
                        if self.changed is not None:
                            self.changed.setdefault(kind, set()).add(record_id)
                        continue
                elif cells[2] == vv_cell(row) and row_state_cells(model, row) == cells:
                    result.unchanged += 1
                    continue
                try:
                    _kind, state, _top = read_state(cells, self.revision)
                except StateProblem as problem:
                    raise self._damaged(excel_row, problem.message, problem.params) from None
                before = None if row is None else record_state(model, row)
                merged = self._merge(kind, before, state)
                self._count(before, merged)
                if before is None:
                    inserts.append(compact_row(model, merged))
                elif merged != before:
                    assert row is not None
                    updates.append(merged)
                    clocks[record_id] = row.edited_clock
                    if kind == Person.kind and is_erased(merged) and not is_erased(before):
                        self.erased.append(record_id)
                else:
                    continue
                if self.changed is not None:
                    self.changed.setdefault(kind, set()).add(record_id)
            insert_rows(session, model, inserts)
            update_states(session, model, updates, clocks)
        self._check_whole(checksum)

    def newly_erased(self) -> list[str]:
        """The people this merge erases here: held here not erased, erased in what it writes."""
        return self.erased + [
            person_id
            for person_id, planned in self.plan.get(Person.kind, {}).items()
            if planned.before is not None
            and planned.merged is not None
            and is_erased(planned.merged)
            and not is_erased(planned.before)
        ]

    def changed_ids(self) -> dict[str, set[str]]:
        """The records apply() changed (new or merged into), by kind (past the plan: when asked)."""
        changed = {kind: set(ids) for kind, ids in (self.changed or {}).items()}
        for kind, records in self.plan.items():
            changed.setdefault(kind, set()).update(
                i for i, p in records.items() if p.before is None or p.merged != p.before
            )
        return changed

    def run(self, now_ms: int) -> PassResult:
        checksum = Checksum()
        counts: dict[str, _KindCount] = {}
        seen = array("q")  # the hash of every id read
        problem: WorkbookRejected | None = None
        for kind, rows in self._chunks(checksum):
            model = MODEL_BY_KIND.get(kind)
            if model is None or problem is not None:
                continue  # a refused row: the rest is only checksummed (that refusal comes first)
            count = counts.get(kind)
            if count is None:
                count = counts[kind] = self._kind_count(kind)
            try:
                self._plan_chunk(model, rows, seen, count)
            except WorkbookRejected as refused:
                problem = refused
        self._check_whole(checksum)
        if problem is not None:
            raise problem
        self._check_once(seen)
        for model in SYNCED_MODELS:
            count = counts.get(model.kind) or self._kind_count(model.kind)
            self._check_counts(model.kind, count)
            sheet = self.book.visible.get(model.kind)
            if sheet is not None and count.records is not None:
                findings = find_hand_edits(
                    sheet,
                    count.records,
                    functools.partial(self._cell_text, model.kind),
                    self.book.meta["phone_region"],
                )
                self.result.edits += findings.edits
                self.result.rejected += findings.rejected
                self.result.blank_rows += findings.blank_rows
        self._check_clocks(now_ms)
        return self.result

    def _kind_count(self, kind: str) -> _KindCount:
        sheet = self.book.visible.get(kind)
        return _KindCount(self.revision, SheetRecords(sheet) if sheet is not None else None)

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

    # -- the whole file: rows, row count and checksum ------------------------------------------

    def _chunks(self, checksum: Checksum) -> Iterator[tuple[str, list[tuple[int, list[str]]]]]:
        """`_state`'s rows in order, checksummed, in runs of at most CHUNK rows of one kind."""
        self.rows_read = 0
        kind = ""
        chunk: list[tuple[int, list[str]]] = []
        for excel_row, cells in self.book.state_cells():
            try:
                checksum.add(cells)  # joins the cells: a TypeError when one is not text
            except TypeError:
                raise self._damaged(
                    excel_row, N_("a cell holds a number or a date instead of text")
                ) from None
            self.rows_read += 1
            if cells[0] != kind or len(chunk) >= CHUNK:
                if chunk:
                    yield kind, chunk
                kind, chunk = cells[0], []
            chunk.append((excel_row, cells))
        if chunk:
            yield kind, chunk

    def _check_whole(self, checksum: Checksum) -> None:
        meta = self.book.meta
        if self.rows_read != meta.count("state_rows") or checksum.hexdigest() != meta["checksum"]:
            raise refuse(
                N_(
                    "%(file)s has been changed where it must not be: its hidden records do not match "
                    "their checksum. Ask the desk %(desk)s for a fresh export."
                ),
                file=self.book.source,
                desk=meta["desk_code"],
            )

    def _check_counts(self, kind: str, count: _KindCount) -> None:
        meta = self.book.meta
        if (count.live, count.tombstones) != (meta.count(f"rows.{kind}"), meta.count(f"tombstones.{kind}")):
            raise refuse(
                N_(
                    "%(file)s has been changed where it must not be: its counts of %(kind)s records do not match."
                ),
                file=self.book.source,
                kind=kind,
            )

    def _damaged(
        self, excel_row: int, problem: str, params: dict[str, object] | None = None
    ) -> WorkbookRejected:
        detail = _(problem) % params if params else _(problem)
        return refuse(
            N_("%(file)s is damaged: row %(row)d of its hidden _state sheet: %(problem)s."),
            file=self.book.source,
            row=excel_row,
            problem=detail,
        )

    # -- one chunk of one kind -----------------------------------------------------------------

    def _plan_chunk(
        self, model: type[Synced], rows: list[tuple[int, list[str]]], seen: array[int], count: _KindCount
    ) -> None:
        kind = model.kind
        held = local_rows(self.session, model, [c[1] for _row, c in rows if isinstance(c[1], str)])
        for record_id, (excel_row, cells, state, top) in self._parse(model, rows, seen, held, count).items():
            if isinstance(state, PlainRecord):
                self._plan_new(model, excel_row, cells, state)
                continue
            row = held.get(record_id)
            before = None if row is None else record_state(model, row)
            merged = self._merge(kind, before, state)
            conflicts = self._count(before, merged)
            if before is None or merged != before:
                self._label(kind, record_id, functools.partial(_shown_value, merged))
                if not self.full or (before is None and self._rows_wanted()):
                    clock = None if row is None else row.edited_clock
                    planned = self._planned(model, excel_row, cells, before, clock, merged, conflicts)
                    spilled = self._keep(kind, record_id, planned, sum(map(len, cells)))
                else:
                    spilled = self._spill(excel_row)
                if spilled:  # this record's counts are made again when it is written
                    self.spilled_counts[0 if before is None else 1] += 1
                    self.spilled_counts[2] += conflicts
            if top > self.result.highest_clock:
                self.result.highest_clock = top

    def _parse(
        self,
        model: type[Synced],
        rows: list[tuple[int, list[str]]],
        seen: array[int],
        held: dict[str, Any],
        count: _KindCount,
    ) -> dict[str, tuple[int, list[str], RecordState | PlainRecord, int]]:
        """The rows of `rows` that differ from this desk's records (`held`: their rows), in order,
        with their states (a PlainRecord for a plain new record: read_plain) and highest clocks. A
        row whose text is exactly what this desk would write for the record is unchanged (and
        valid) without parsing it. `seen` gets the hash of each id."""
        out: dict[str, tuple[int, list[str], RecordState | PlainRecord, int]] = {}
        for excel_row, cells in rows:
            record_id = cells[1]
            row = held.get(record_id)
            if row is None:
                plain = _new_plain(cells)
                if plain is not None:
                    seen.append(hash(record_id))
                    out[record_id] = (excel_row, cells, plain, plain.clock)
                    count.add(record_id, False, functools.partial(_state_of, cells, self.revision))
                    continue
            elif cells[2] == vv_cell(row) and row_state_cells(model, row) == cells:
                seen.append(hash(record_id))
                self.result.unchanged += 1
                count.add_held(model, row, cells)
                continue
            try:
                _kind, state, top = read_state(cells, self.revision)
            except StateProblem as problem:
                raise self._damaged(excel_row, problem.message, problem.params) from None
            seen.append(hash(state["id"]))
            out[state["id"]] = (excel_row, cells, state, top)
            count.add(state["id"], hidden(state), functools.partial(_given, state))  # in `_state`'s order
        return out

    def _check_once(self, seen: array[int]) -> None:
        """Refuse the workbook when a record appears twice in `_state`. Only the ids' hashes were
        kept (a big workbook's ids are not held): a hash read twice is looked for again by id."""
        hashes = sorted(seen)
        twice = {a for a, b in zip(hashes, hashes[1:], strict=False) if a == b}
        del hashes
        if not twice:
            return
        rows: dict[str, int] = {}
        for excel_row, cells in self.book.state_cells():
            record_id = cells[1]
            if hash(record_id) in twice:
                if record_id in rows:
                    raise self._damaged(excel_row, N_("the record %(id)s appears twice"), {"id": record_id})
                rows[record_id] = excel_row

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
        language = self.language
        region = self.book.meta["phone_region"] or "US"
        if not shown:  # every row kept its digest: no cell is compared
            return CellText(language, region, lambda _name, _value: None)
        refs = exchange_refs.labels(self.session, language)
        # Only the records the sheet's rows link to (a delta's few rows link to few of them).
        linked = {v for s in shown for v in s.values.values() if isinstance(v, str) and len(v) == 36}
        for target in _REF_KINDS.get(kind, ()):
            refs.update(exchange_refs.codes(self.session, target, linked))
        refs.update(self.labels)  # what this pass brings or renames, not written yet
        return CellText(language, region, lambda _name, value: refs.get(value) if value else None)


def _new_plain(cells: list[str]) -> PlainRecord | None:
    """read_plain of the row of a record new to this desk, when its state is what the desk will
    hold as it is: not deleted (its visibility is worked out the long way) nor erased (settle)."""
    plain = read_plain(cells)
    if plain is None or plain.values.get("deleted") or plain.values.get("erased"):
        return None
    return plain


def _given(state: RecordState) -> RecordState:
    return state


def _shown_value(merged: RecordState, name: str) -> Any:
    """The value a merged record will show in field `name` (None when it has no such field)."""
    siblings = merged["fields"].get(name)
    return None if siblings is None else displayed(siblings)


def plan_workbook(session: Session, book: ExchangeWorkbook, now_ms: int) -> MergePass:
    """Read and compare (nothing written): the pass, with its plan and its result."""
    merge_pass = MergePass(session, book)
    merge_pass.run(now_ms)
    return merge_pass
