"""Desks for exchange tests: real databases, edits made the way the app makes them (stamped
transactions, the intake service), real workbooks written to disk and merged back.

A `World` holds 2-5 desks in one temporary folder. Every local edit is recorded as an `Edit`
(record, field, stamp, value and the record's version vector right after it: what the edit had
seen), so tests can compute, without the merge code, what every desk must end up with."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import select, update

from aiddesk.domain.defaults import NEED_CATEGORIES
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.domain.merge import RecordState
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.exchange import conflicts as conflict_service
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import MergeReport, Proposals, merge_file
from aiddesk.services.intake.calls import save_call
from aiddesk.services.people.erasure import erase_person
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import (
    MODEL_BY_KIND,
    PERSONAL_FIELDS,
    SYNCED_MODELS,
    Desk,
    Person,
    Proposal,
    Request,
)
from aiddesk.store.repositories.canonical import record_state

NEED = [c.id_for("need_category") for c in NEED_CATEGORIES]
CREATED = dt.datetime(2026, 11, 2, 9, 30)
_IDS = uuid.UUID("6f1c1b40-4c3e-4a53-9a43-5d0e5c7f0000")


@dataclass(frozen=True)
class Edit:
    """One value written at one desk: a creation, a field edit, a delete, an erasure, a resolve."""

    kind: str
    record_id: str
    field: str
    stamp: tuple[str, int]
    value: Any
    seen: dict[str, int]  # what the edit had seen: the record's version vector (a hand edit: the workbook's)


@dataclass(frozen=True)
class Workbook:
    path: Path
    desk: int  # index of the desk that exported it
    order: int  # exports made before it, in the whole world


def desk_uuid(index: int) -> str:
    return f"00000000-0000-4000-8000-{index + 1:012d}"


class ExchangeDesk:
    """One desk: its database, its wall clock (offset by `skew_ms`) and what it did."""

    def __init__(self, world: World, index: int, db: Database, desk_id: str, code: str) -> None:
        self.world = world
        self.index = index
        self.db = db
        self.desk_id = desk_id
        self.code = code
        self.skew_ms = 0

    def __repr__(self) -> str:
        return f"<desk {self.index} {self.code}>"

    # -- clock ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def wall_clock(self) -> Iterator[None]:
        """This desk's wall clock for stamps and for the merge's clock checks."""
        if not self.skew_ms:
            yield
            return
        from aiddesk.store import stamping

        real = stamping.now_ms

        def skewed() -> int:
            return real() + self.skew_ms

        with (
            mock.patch("aiddesk.store.stamping.now_ms", skewed),
            mock.patch("aiddesk.services.exchange.merge.now_ms", skewed),
        ):
            yield

    # -- reading -----------------------------------------------------------------------------

    def state(self) -> dict[str, list[RecordState]]:
        return dump(self.db)

    def record(self, kind: str, record_id: str) -> RecordState | None:
        model = MODEL_BY_KIND[kind]
        table = model.__table__  # type: ignore[attr-defined]
        with self.db.session() as session:
            row = session.execute(select(table).where(table.c.id == record_id)).first()
            return record_state(model, row) if row is not None else None

    def shown(self) -> dict[str, list[tuple[Any, ...]]]:
        """What the lists show: every synced row's columns (the displayed value of each field)."""
        out: dict[str, list[tuple[Any, ...]]] = {}
        with self.db.session() as session:
            for model in SYNCED_MODELS:
                table = model.__table__  # type: ignore[attr-defined]
                columns = [table.c.id, *(table.c[name] for name in model.synced_fields())]
                out[model.kind] = [tuple(r) for r in session.execute(select(*columns).order_by(table.c.id))]
        return out

    def visible_ids(self, kind: str) -> list[str]:
        model = MODEL_BY_KIND[kind]
        with self.db.session() as session:
            return list(session.scalars(select(model.id).where(model.deleted.is_(False)).order_by(model.id)))

    def open_conflicts(self) -> set[tuple[str, str, str]]:
        """(kind, record id, field) of every conflict the Conflicts screen lists here."""
        return {(c.kind, c.record_id, c.field) for c in conflict_service.open_conflicts(self.db)}

    def counter(self) -> int:
        with self.db.session() as session:
            return int(session.scalars(select(Desk.counter)).one())

    # -- local edits -------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, who: str = "Ana") -> Iterator[Any]:
        with self.wall_clock(), self.db.transaction(who) as tx:
            yield tx

    def add_person(self, name: str, phone: str | None = None, **fields: Any) -> str:
        person_id = self.world.next_id()
        with self.transaction() as tx:
            code = f"{self.code}-{self.world.next_code():04d}"
            values = {"phone": phone, "phone_raw": phone or "", **fields}
            tx.session.add(Person(id=person_id, code=code, name=name, **values))
        self._note("person", person_id)
        return person_id

    def add_request(self, person_id: str, details: str = "", **fields: Any) -> str:
        request_id = self.world.next_id()
        values = {"category_id": NEED[0], "created_at": CREATED, "status": "new", **fields}
        with self.transaction() as tx:
            code = f"{self.code}-R{self.world.next_code():04d}"
            tx.session.add(Request(id=request_id, code=code, person_id=person_id, details=details, **values))
        self._note("request", request_id)
        return request_id

    def take_call(self, name: str, phone: str, details: str) -> tuple[str, list[str]]:
        """A new caller with one need, saved by the intake service (person, call, request, event)."""
        form = IntakeForm(
            phone=phone,
            name=name,
            language="es",
            consent=True,
            consent_version="aiddesk-1",
            needs=[NeedRow(NEED[1], "within_24h", "once", details)],
        )
        with self.wall_clock():
            saved = save_call(self.db, "Ana", form, "US", allow_duplicate=True, now=CREATED)
        self._note("person", saved.person_id)
        self._note("call", saved.call_id)
        for request_id in saved.request_ids:
            self._note("request", request_id)
        return saved.person_id, saved.request_ids

    def edit(self, kind: str, record_id: str, **values: Any) -> None:
        """Change fields as a form would: a value equal to the one shown is no edit at all."""
        model = MODEL_BY_KIND[kind]
        before = self.counter()
        with self.transaction() as tx:
            row = tx.session.get(model, record_id)
            assert row is not None, f"{kind} {record_id} is not on {self}"
            for name, value in values.items():
                setattr(row, name, value)
        if self.counter() != before:
            self._note(kind, record_id)

    def delete(self, kind: str, record_id: str) -> None:
        self.edit(kind, record_id, deleted=True)

    def erase(self, person_id: str) -> None:
        """Erasure for privacy (the erasure service): personal fields emptied, the record deleted."""
        with self.wall_clock():
            erase_person(self.db, "Ana", person_id)
        self._note("person", person_id)

    def resolve(self, kind: str, record_id: str, values: dict[str, Any]) -> None:
        with self.wall_clock():
            conflict_service.resolve(self.db, "Ana", kind, record_id, values)
        self._note(kind, record_id)

    def _note(self, kind: str, record_id: str) -> None:
        """Record the fields the last local transaction wrote (those carrying its stamp)."""
        counter = self.counter()
        state = self.record(kind, record_id)
        assert state is not None
        for name, siblings in state["fields"].items():
            for desk, count, _clock, value in siblings:
                if desk == self.desk_id and count == counter:
                    self.world.edits.append(
                        Edit(kind, record_id, name, (desk, count), value, dict(state["vv"]))
                    )

    # -- exchange ----------------------------------------------------------------------------

    def export(self, **options: Any) -> Workbook:
        order = len(self.world.workbooks)
        path = self.world.root / f"{order:03d}-{self.code}.aiddesk.xlsx"
        with self.wall_clock():
            export_workbook(self.db, path, ExportOptions(language="en", **options))
        book = Workbook(path, self.index, order)
        self.world.workbooks.append(book)
        return book

    def merge(self, book: Workbook | Path, *, clean: bool = True, **options: Any) -> MergeReport:
        """Merge a workbook; `clean` asserts an untouched workbook reports no hand edit."""
        path = book.path if isinstance(book, Workbook) else book
        with self.wall_clock():
            report = merge_file(self.db, path, "Ana", **options)
        if clean:
            assert report.proposals == 0 and report.rejected == [], report.as_json()
        return report

    def accept_hand_edits(self, path: Path) -> MergeReport:
        """Merge a workbook edited by hand and accept its hand edits; each accepted edit is recorded
        as having seen what the workbook had seen of its record (not what this desk had)."""
        report = self.merge(path, clean=False, proposals=Proposals.ACCEPT)
        counter = self.counter()
        with self.db.session() as session:
            accepted = list(session.scalars(select(Proposal).where(Proposal.source == path.name)))
        for proposal in accepted:
            state = self.record(proposal.record_kind, proposal.record_id)
            assert state is not None
            seen = codec.decode_vv(proposal.context_vv)  # not even this desk's own earlier edits
            for name in json.loads(proposal.value):
                for desk, count, _clock, value in state["fields"][name]:
                    if (desk, count) == (self.desk_id, counter):
                        self.world.edits.append(
                            Edit(proposal.record_kind, proposal.record_id, name, (desk, count), value, seen)
                        )
        return report


def hand_edited(book: Workbook | Path, target: Path, sheet: str, row: int, key: str, text: str) -> bool:
    """Copy `book` to `target` with one cell changed as someone would in a spreadsheet: the cell in
    data row `row` (modulo the rows there are) of column `key` on `sheet`. False when the sheet has
    no record row."""
    import openpyxl

    source = book.path if isinstance(book, Workbook) else book
    workbook = openpyxl.load_workbook(source)
    worksheet = workbook[sheet]
    keys = [cell.value for cell in worksheet[2]]
    if worksheet.max_row < 3 or key not in keys:
        return False
    worksheet.cell(3 + row % (worksheet.max_row - 2), keys.index(key) + 1).value = text
    workbook.save(target)
    return True


class World:
    """Desks in one temporary folder, the edits they made and the workbooks they wrote."""

    def __init__(self, root: Path, template: Path) -> None:
        self.root = root
        self.template = template
        self.desks: list[ExchangeDesk] = []
        self.edits: list[Edit] = []
        self.workbooks: list[Workbook] = []
        self._ids = itertools.count(1)
        self._codes = itertools.count(1)

    def next_id(self) -> str:
        return str(uuid.UUID(int=_IDS.int + next(self._ids)))

    def next_code(self) -> int:
        return next(self._codes)

    def add_desk(self, code: str | None = None) -> ExchangeDesk:
        """A new desk: a fresh migrated database and its own desk id (the same id for the same index)."""
        index = len(self.desks)
        code = code or f"D{index + 1}"
        folder = self.root / f"desk{index + 1}"
        folder.mkdir(parents=True)
        shutil.copyfile(self.template, folder / "aiddesk.db")
        db = open_database(folder / "aiddesk.db")
        desk_service.create_desk(db, name=f"Desk {code}", code=code, language="en", region="US")
        desk_id = desk_uuid(index)
        with db.write_session() as session:
            session.execute(update(Desk).values(desk_id=desk_id))
        desk = ExchangeDesk(self, index, db, desk_id, code)
        self.desks.append(desk)
        return desk

    def close(self) -> None:
        for desk in self.desks:
            desk.db.close()

    def everyone_to_everyone(self) -> None:
        """Each desk exports, then each desk merges every other desk's workbook."""
        books = [desk.export() for desk in self.desks]
        for desk in self.desks:
            for book in books:
                if book.desk != desk.index:
                    desk.merge(book)


_TEMPLATE: dict[str, Path] = {}


def migrated_template(folder: Path) -> Path:
    """An empty database migrated to head, made once per test run in `folder`."""
    if "path" not in _TEMPLATE:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "template.db"
        open_database(path).close()
        _TEMPLATE["path"] = path
    return _TEMPLATE["path"]


def _fast_folder() -> str | None:
    """A memory-backed folder where there is one: every commit, backup and export here calls
    fsync, which these tests do not need to wait for."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@contextlib.contextmanager
def world(template: Path, desks: int = 0, tmp: Path | None = None) -> Iterator[World]:
    """A world of `desks` fresh desks in a temporary folder, closed and removed afterwards."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="aiddesk-world-", dir=tmp or _fast_folder()) as folder:
        made = World(Path(folder), template)
        try:
            for _ in range(desks):
                made.add_desk()
            yield made
        finally:
            made.close()


# ---- what the recorded edits say every desk must hold ----------------------------------------


def covered(edit: Edit, by: Edit) -> bool:
    """`by` was made after seeing `edit`."""
    return by.stamp != edit.stamp and by.seen.get(edit.stamp[0], -1) >= edit.stamp[1]


def field_edits(edits: list[Edit]) -> dict[tuple[str, str, str], list[Edit]]:
    out: dict[tuple[str, str, str], list[Edit]] = {}
    for edit in edits:
        out.setdefault((edit.kind, edit.record_id, edit.field), []).append(edit)
    return out


def latest_edits(edits: list[Edit]) -> dict[tuple[str, str, str], list[Edit]]:
    """Per (kind, record, field): the edits no other edit of that field had seen (concurrent heads)."""
    return {
        key: [e for e in group if not any(covered(e, other) for other in group)]
        for key, group in field_edits(edits).items()
    }


def erased_ids(edits: list[Edit]) -> set[str]:
    """People some desk erased (erasure wins over everything else)."""
    return {e.record_id for e in edits if e.kind == "person" and e.field == "erased" and e.value is True}


def lost_edits(edits: list[Edit], state: dict[str, list[RecordState]]) -> list[Edit]:
    """Edits neither present in `state` nor covered by a present edit of the same field
    (personal fields of erased people excepted: erasure wins)."""
    records = {(kind, r["id"]): r for kind, rows in state.items() for r in rows}
    by_stamp = {(e.kind, e.record_id, e.field, e.stamp): e for e in edits}
    erased = erased_ids(edits)
    lost = []
    for edit in edits:
        if edit.kind == "person" and edit.record_id in erased and edit.field in PERSONAL_FIELDS:
            continue
        record = records.get((edit.kind, edit.record_id))
        siblings = record["fields"][edit.field] if record is not None else []
        present = [s for s in siblings if (s[0], s[1]) == edit.stamp and s[3] == edit.value]
        covering = [
            by_stamp[key]
            for s in siblings
            if (key := (edit.kind, edit.record_id, edit.field, (s[0], s[1]))) in by_stamp
            and covered(edit, by_stamp[key])
        ]
        if not present and not covering:
            lost.append(edit)
    return lost


def edited_after_delete(edits: list[Edit]) -> set[tuple[str, str]]:
    """Records deleted somewhere but edited where the deletes had not seen it: they stay shown."""
    heads = latest_edits(edits)
    erased = erased_ids(edits)
    out = set()
    for (kind, record_id, name), group in heads.items():
        if name != "deleted" or record_id in erased or not all(e.value is True for e in group):
            continue
        context: dict[str, int] = {}
        for delete in (
            e for e in edits if (e.kind, e.record_id, e.field) == (kind, record_id, name) and e.value
        ):
            for desk, counter in delete.seen.items():
                context[desk] = max(context.get(desk, -1), counter)
        unseen = [
            e
            for (k, r, other), latest in heads.items()
            if (k, r) == (kind, record_id) and other != "deleted"
            for e in latest
            if context.get(e.stamp[0], -1) < e.stamp[1]
        ]
        if unseen:
            out.add((kind, record_id))
    return out


def hidden_ids(edits: list[Edit]) -> set[tuple[str, str]]:
    """Records out of every list: erased, or deleted by edits that had seen every other edit."""
    kept = edited_after_delete(edits)
    erased = erased_ids(edits)
    return {
        (kind, record_id)
        for (kind, record_id, name), group in latest_edits(edits).items()
        if name == "deleted"
        and all(e.value is True for e in group)
        and (record_id in erased or (kind, record_id) not in kept)
    }


def expected_conflicts(edits: list[Edit]) -> set[tuple[str, str, str]]:
    """What every desk's Conflicts screen must list, worked out from the edits alone:
    (kind, record, field) where the latest edits are concurrent and differ, on records still
    shown (a raw phone counts with its number), and (kind, record, "deleted") for a record
    edited where its delete had not seen it."""
    hidden = hidden_ids(edits)
    differing = {
        key
        for key, heads in latest_edits(edits).items()
        if key[2] != "deleted" and key[:2] not in hidden and len({repr(e.value) for e in heads}) > 1
    }
    fields = {
        (kind, record_id, name)
        for kind, record_id, name in differing
        if not (name.endswith("_raw") and (kind, record_id, name[: -len("_raw")]) in differing)
    }
    return fields | {(kind, record_id, "deleted") for kind, record_id in edited_after_delete(edits)}


def state_diff(a: dict[str, list[RecordState]], b: dict[str, list[RecordState]]) -> list[str]:
    """What differs between two dumps, field by field (for failure messages)."""
    out = []
    for kind in sorted(set(a) | set(b)):
        ours = {r["id"]: r for r in a.get(kind, [])}
        theirs = {r["id"]: r for r in b.get(kind, [])}
        for rid in sorted(set(ours) | set(theirs)):
            x, y = ours.get(rid), theirs.get(rid)
            if x == y:
                continue
            if x is None or y is None:
                out.append(f"{kind} {rid}: only on {'the second' if x is None else 'the first'}")
                continue
            for key in ("vv", "del_ctx"):
                if x[key] != y[key]:
                    out.append(f"{kind} {rid} {key}: {x[key]} != {y[key]}")
            for name in sorted(set(x["fields"]) | set(y["fields"])):
                if x["fields"].get(name) != y["fields"].get(name):
                    out.append(f"{kind} {rid} {name}: {x['fields'].get(name)} != {y['fields'].get(name)}")
    return out


def without_clocks(state: dict[str, list[RecordState]]) -> dict[str, list[RecordState]]:
    """A state with every sibling's clock left out: what clock skew may not change."""
    return {
        kind: [
            {**r, "fields": {n: sorted([s[0], s[1], s[3]] for s in sibs) for n, sibs in r["fields"].items()}}
            for r in rows
        ]
        for kind, rows in state.items()
    }
