"""A merge too big to keep its plan in memory (a desk joining a big network) reads `_state` a
second time to write, and ends exactly where a merge that kept its plan ends; a workbook replaced
on disk between its reading and its writing is refused, and nothing is written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from exchange_desks import rename_person
from record_makers import add_person, add_request
from two_desks import Desk, make_desk

from aiddesk.domain.merge import displayed
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.services.desk import records
from aiddesk.services.exchange import merge as merge_service
from aiddesk.services.exchange import merge_pass
from aiddesk.services.exchange.conflicts import open_conflicts
from aiddesk.services.exchange.proposals import pending
from aiddesk.services.people.erasure import erase_person


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk, Desk]]:
    """Desk NOR with people and requests; SUR and OES both hold its first export."""
    north, south, west = (make_desk(tmp_path, migrated_template, code) for code in ("NOR", "SUR", "OES"))
    try:
        first = [add_person(north.db, f"NOR-{n:04d}", f"Caller {n}") for n in range(12)]
        add_request(north.db, first[0], "NOR-R0001")
        path = north.export()
        south.merge(path)
        west.merge(path)
        yield north, south, west
    finally:
        for desk in (north, south, west):
            desk.db.close()


def _records(desk: Desk) -> dict[str, Any]:
    """Every record of the desk by kind and id, as it holds it (stamps and all)."""
    return {kind: {r["id"]: r for r in rows} for kind, rows in records.dump(desk.db).items()}


def _shown(desk: Desk) -> dict[str, Any]:
    """What every record of the desk shows, field by field."""
    return {
        kind: {i: {n: displayed(s) for n, s in r["fields"].items()} for i, r in rows.items()}
        for kind, rows in _records(desk).items()
    }


def _spilled(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Plans of more than one record are not kept; says whether each merge's plan was dropped."""
    monkeypatch.setattr(merge_pass, "PLAN_LIMIT", 1)
    seen: list[bool] = []
    real = merge_pass.MergePass.apply

    def apply(self: merge_pass.MergePass, session: Any, **options: Any) -> int:
        seen.append(self.spilled)
        return real(self, session, **options)

    monkeypatch.setattr(merge_pass.MergePass, "apply", apply)
    return seen


def test_a_plan_too_big_to_keep_writes_what_a_kept_plan_writes(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south, west = desks
    people = [p["id"] for p in records.dump(north.db)["person"]]
    for n in range(20):
        add_person(north.db, f"NOR-{100 + n:04d}", f"New caller {n}")
    rename_person(north.db, people[1], "Renamed at north")
    erase_person(north.db, "Ana", people[2])
    rename_person(south.db, people[3], "Renamed at south")  # the same local edit at both desks
    rename_person(west.db, people[3], "Renamed at south")
    second = north.export()

    kept = south.merge(second)
    spilled = _spilled(monkeypatch)
    dropped = west.merge(second)

    assert spilled == [True]
    assert kept.counts() == dropped.counts()
    assert dropped.new >= 20 and dropped.updated >= 2  # the new callers (and events), two people changed
    theirs = _shown(west)
    assert _shown(south) == theirs  # only the local edit's stamp names another desk
    names = {i: p["name"] for i, p in theirs["person"].items()}
    assert names[people[1]] == "Renamed at north" and names[people[2]] == ""
    assert len(names) == 32


def test_a_record_saved_while_a_big_merge_reads_keeps_both_edits(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south, _west = desks
    person = records.dump(north.db)["person"][0]["id"]
    for n in range(5):
        add_person(north.db, f"NOR-{200 + n:04d}", f"Another caller {n}")
    rename_person(north.db, person, "Name from north")
    book = merge_service.read(north.export())
    spilled = _spilled(monkeypatch)
    plan = merge_service.merge(south.db, book, "Luis", dry_run=True)  # what the desk is told first
    rename_person(south.db, person, "Name typed at south")  # saved before the merge writes

    report = merge_service.merge(south.db, book, "Luis", backup=False)

    assert spilled == [True]
    assert (plan.new, plan.conflicts) == (5, 0)
    assert (report.new, report.conflicts) == (5, 1)  # counted again as it was written
    conflicts = [c for c in open_conflicts(south.db) if c.record_id == person and c.field == "name"]
    assert {choice.value for choice in conflicts[0].choices} == {"Name from north", "Name typed at south"}


@pytest.mark.parametrize("spill", [False, True], ids=["plan kept", "plan not kept"])
def test_a_hand_edit_among_records_held_and_new_is_found(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch, spill: bool
) -> None:
    """The rows of records this desk holds as they are and of new ones mix in `_state`'s order:
    each row is still matched with its own record (a row as exported is not compared)."""
    import openpyxl

    north, _south, west = desks
    people = sorted(p["id"] for p in records.dump(north.db)["person"])
    for n in range(5):
        add_person(north.db, f"NOR-{300 + n:04d}", f"Caller from north {n}")
    path = north.export()
    book = openpyxl.load_workbook(path)
    sheet = book["People"]
    keys = [c.value for c in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == people[4])
    sheet.cell(row, keys.index("address") + 1).value = "12 Calle del Sol"
    edited = path.with_name("edited.xlsx")
    book.save(edited)
    spilled = _spilled(monkeypatch) if spill else [True]

    report = west.merge(edited)

    assert spilled == [True]
    assert (report.new, report.proposals, report.rejected) == (5, 1, [])
    assert [(p.record_id, p.column, p.typed) for p in pending(west.db)] == [
        (people[4], "address", "12 Calle del Sol")
    ]


def test_a_workbook_replaced_after_it_was_read_is_refused_and_nothing_written(
    desks: tuple[Desk, Desk, Desk], tmp_path: Path
) -> None:
    north, south, _west = desks
    for n in range(3):
        add_person(north.db, f"NOR-{400 + n:04d}", f"Late caller {n}")
    path = north.export()
    book = merge_service.read(path)  # the report shown, waiting for the volunteer to confirm
    before = _records(south)
    add_person(north.db, "NOR-0500", "One more caller")
    newer = north.export()
    shutil.copyfile(newer, path.with_name("incoming.tmp"))
    os.replace(path.with_name("incoming.tmp"), path)  # a sync tool brings a newer copy meanwhile

    with pytest.raises(WorkbookRejected) as refused:
        merge_service.merge(south.db, book, "Luis", backup=False)

    assert "changed while AidDesk was reading it" in refused.value.message
    assert path.name in refused.value.message
    assert _records(south) == before


@pytest.mark.parametrize("kept", [200, 0.5], ids=["its start only", "half of it"])
def test_a_workbook_rewritten_in_place_while_it_is_read_is_refused_as_changed(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch, kept: float
) -> None:
    """A copy written over the same file (not beside it and renamed) while the merge reads it:
    what is read is cut short or mixed; the volunteer is told it changed, not that it is damaged."""
    from aiddesk.exchange.workbook.reading import workbook as reading

    north, south, _west = desks
    add_person(north.db, "NOR-0600", "Caller read while copied over")
    path = north.export()
    book = merge_service.read(path)
    before = _records(south)
    real_rows = reading.OpenedWorkbook.rows

    def rows_while_copied_over(self: reading.OpenedWorkbook, name: str) -> Any:
        if name.startswith("_state"):
            with path.open("r+b") as file:  # the same file, half written again
                file.truncate(int(kept if kept > 1 else path.stat().st_size * kept))
        return real_rows(self, name)

    monkeypatch.setattr(reading.OpenedWorkbook, "rows", rows_while_copied_over)

    with pytest.raises(WorkbookRejected) as refused:
        merge_service.merge(south.db, book, "Luis", backup=False)

    assert "changed while AidDesk was reading it" in refused.value.message
    assert _records(south) == before
