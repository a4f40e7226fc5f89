"""A merge too big to keep its whole plan in memory (a desk joining a big network) writes the
part it kept, reads `_state` a second time for the rest, and ends exactly where a merge that
kept its plan ends; a workbook replaced on disk between its reading and its writing is refused,
and nothing is written."""

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
from aiddesk.services.exchange import merge_pass, row_packs
from aiddesk.services.exchange.conflicts import open_conflicts
from aiddesk.services.exchange.proposals import pending
from aiddesk.services.people.erasure import erase_person
from aiddesk.store.stamping import now_ms


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


# What a plan may hold: nothing (every record written is read again), or all but its last record.
ROOM = {"nothing kept": False, "all but the last kept": True}


ALL = 2**62  # room for any plan


def _room(monkeypatch: pytest.MonkeyPatch, desk: Desk, path: Path, most: bool) -> int:
    """Room for the plan of merging `path` into `desk`: for all its records but the last, or none."""
    if not most:
        return 0
    monkeypatch.setattr(merge_pass, "PLAN_BYTES", ALL)
    with desk.db.session() as session, session.begin():
        planned = merge_pass.plan_workbook(session, merge_service.read(path), now_ms())
    assert not planned.spilled
    return planned.plan_bytes - 1


def _spilled(monkeypatch: pytest.MonkeyPatch, room: int = 0) -> list[bool]:
    """Plans hold at most `room` bytes, with no packs; says whether each merge's plan stopped
    growing (with some room, also that it kept some records and left some to read again)."""
    monkeypatch.setattr(merge_pass, "PLAN_BYTES", room)
    monkeypatch.setattr(row_packs, "PACK_BYTES", 0)
    seen: list[bool] = []
    real = merge_pass.MergePass.apply

    def apply(self: merge_pass.MergePass, session: Any, **options: Any) -> int:
        kept = sum(len(records) for records in self.plan.values())
        seen.append(self.spilled and (kept > 0) == (room > 0) and len(self.positions) > 0)
        return real(self, session, **options)

    monkeypatch.setattr(merge_pass.MergePass, "apply", apply)
    return seen


@pytest.mark.parametrize("most", ROOM.values(), ids=ROOM.keys())
def test_a_plan_too_big_to_keep_writes_what_a_kept_plan_writes(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch, most: bool
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

    room = _room(monkeypatch, west, second, most)
    kept = south.merge(second)
    spilled = _spilled(monkeypatch, room)
    dropped = west.merge(second)

    assert spilled == [True]
    assert kept.counts() == dropped.counts()
    assert dropped.new >= 20 and dropped.updated >= 2  # the new callers (and events), two people changed
    theirs = _shown(west)
    assert _shown(south) == theirs  # only the local edit's stamp names another desk
    names = {i: p["name"] for i, p in theirs["person"].items()}
    assert names[people[1]] == "Renamed at north" and names[people[2]] == ""
    assert len(names) == 32


def _packed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bool, int]]:
    """Plans keep nothing as objects: new records' rows go into packs (the records the desk
    holds are read again). Says, for each merge, whether its plan stopped growing, and how many
    rows its packs held."""
    monkeypatch.setattr(merge_pass, "PLAN_BYTES", 0)
    seen: list[tuple[bool, int]] = []
    real = merge_pass.MergePass.apply

    def apply(self: merge_pass.MergePass, session: Any, **options: Any) -> int:
        seen.append((self.full, self.packs.kept()))
        return real(self, session, **options)

    monkeypatch.setattr(merge_pass.MergePass, "apply", apply)
    return seen


def test_new_records_packed_past_the_plan_are_written_as_a_kept_plan_writes(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south, west = desks
    people = [p["id"] for p in records.dump(north.db)["person"]]
    for n in range(20):
        add_person(north.db, f"NOR-{600 + n:04d}", f"Packed caller {n}")
    rename_person(north.db, people[1], "Renamed at north")
    erase_person(north.db, "Ana", people[2])
    rename_person(south.db, people[3], "Renamed at south")
    rename_person(west.db, people[3], "Renamed at south")
    second = north.export()

    kept = south.merge(second)
    seen = _packed(monkeypatch)
    packed = west.merge(second)

    assert seen[0][0] and seen[0][1] >= 20  # the new callers (and their events) waited packed
    assert kept.counts() == packed.counts()
    assert _shown(south) == _shown(west)
    assert len(_records(west)["person"]) == 32


def test_a_packed_new_record_the_desk_got_meanwhile_is_merged_not_inserted_twice(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch
) -> None:
    north, south, _west = desks
    for n in range(5):
        add_person(north.db, f"NOR-{700 + n:04d}", f"Caller packed twice {n}")
    path = north.export()
    book = merge_service.read(path)
    seen = _packed(monkeypatch)

    def another_merge_first() -> None:  # between the reading and the writing
        assert south.merge(path).new >= 5

    report = merge_service.merge(south.db, book, "Luis", backup=another_merge_first)

    assert seen[0][1] >= 5  # the first merge had packed them
    assert (report.new, report.updated, report.conflicts) == (0, 0, 0)  # counted again: unchanged
    assert report.applied
    assert (
        len(
            [
                p
                for p in _records(south)["person"].values()
                if p["fields"]["name"][0][3].startswith("Caller packed")
            ]
        )
        == 5
    )


@pytest.mark.parametrize("most", ROOM.values(), ids=ROOM.keys())
def test_a_record_saved_while_a_big_merge_reads_keeps_both_edits(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch, most: bool
) -> None:
    north, south, _west = desks
    person = records.dump(north.db)["person"][0]["id"]
    for n in range(5):
        add_person(north.db, f"NOR-{200 + n:04d}", f"Another caller {n}")
    rename_person(north.db, person, "Name from north")
    path = north.export()
    book = merge_service.read(path)
    spilled = _spilled(monkeypatch, _room(monkeypatch, south, path, most))
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


@pytest.mark.parametrize("most", [False, True], ids=["whole plan kept", "all but the last kept"])
def test_a_new_record_another_merge_brings_before_the_write_is_merged_not_inserted_twice(
    desks: tuple[Desk, Desk, Desk], monkeypatch: pytest.MonkeyPatch, most: bool
) -> None:
    """A caller new to the desk when the merge read the file, brought meanwhile by another merge
    (edited there since): the kept plan had only the row to insert; the file's row is read again
    and merged with what the desk now holds, so the later edit stays and the caller is there once."""
    north, south, west = desks
    caller = add_person(north.db, "NOR-0700", "Caller new to south")
    first = north.export()
    west.merge(first)
    rename_person(west.db, caller, "Renamed at west")
    later = west.export()
    book = merge_service.read(first)
    room = _room(monkeypatch, south, first, most) if most else ALL
    monkeypatch.setattr(merge_pass, "PLAN_BYTES", room)
    meanwhile: list[int] = []

    report = merge_service.merge(
        south.db, book, "Luis", backup=lambda: meanwhile.append(south.merge(later).new)
    )

    assert meanwhile and meanwhile[0] >= 1  # the other merge brought the caller first
    assert report.new == 0 and report.unchanged >= 1
    people = {p["id"]: p for p in records.dump(south.db)["person"]}
    assert displayed(people[caller]["fields"]["name"]) == "Renamed at west"
    assert _shown(south)["person"] == _shown(west)["person"]
