"""The digest of each visible row (`_shown_<kind>`): rows as exported are not compared cell by cell,
an edited row still is, and a workbook without digests (as older AidDesks write them) finds the same
hand edits."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from record_makers import add_person
from two_desks import north_and_south

from aiddesk.exchange.workbook import hand_edits
from aiddesk.exchange.workbook.reading.workbook import OpenedWorkbook
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import merge_file
from aiddesk.services.exchange.proposals import pending
from aiddesk.store.database import Database


@pytest.fixture
def two(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Database, Database]]:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        yield north.db, south.db


def _column(sheet: Any, key: str) -> int:
    return [c.value for c in sheet[2]].index(key) + 1


def _people(a: Database) -> list[str]:
    return [
        add_person(
            a, f"AAA-{n:04d}", name, phone="+15551234567", phone_raw="555 123 4567", address=f"{n} Elm"
        )
        for n, name in enumerate(["Rosa Martínez", "Luis Peña", "Ana Gómez"], start=1)
    ]


def _row_of(sheet: Any, record_id: str) -> int:
    return next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == record_id)


@pytest.fixture
def looked_at(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the records whose rows the merge compared cell by cell."""
    ids: list[str] = []
    real = hand_edits.find_hand_edits

    def spying(sheet: Any, records: Any, cell_text: Any, region: str) -> Any:
        def text(shown: list[Any]) -> Any:
            ids.extend(r.record_id for r in shown)
            return cell_text(shown)

        return real(sheet, records, text, region)

    monkeypatch.setattr("aiddesk.services.exchange.merge_pass.find_hand_edits", spying)
    return ids


def test_an_export_holds_one_digest_per_visible_row(two: Any, tmp_path: Path) -> None:
    a, _b = two
    _people(a)
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    digests = book["_shown_person"]
    assert digests.sheet_state == "veryHidden"
    assert [c.value for c in digests["A"]][0] == "digest"
    assert len({c.value for c in digests["A"][1:]}) == 3 == book["People"].max_row - 2


def test_only_the_row_edited_by_hand_is_compared_and_its_edit_is_a_proposal(
    two: Any, tmp_path: Path, looked_at: list[str]
) -> None:
    a, b = two
    rosa, luis, ana = _people(a)
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    people = book["People"]
    people.cell(_row_of(people, luis), _column(people, "address")).value = "9 Oak"
    people.move_range("A3:Z5", rows=10)  # rows moved by hand (sorted, say) are still the same rows
    book.save(tmp_path / "edited.xlsx")

    report = merge_file(b, tmp_path / "edited.xlsx", "Luis")

    assert (report.new, report.proposals, report.rejected) == (3, 1, [])
    assert [(p.record_id, p.column, p.typed) for p in pending(b)] == [(luis, "address", "9 Oak")]
    assert set(looked_at) == {luis} and rosa not in looked_at and ana not in looked_at


def test_a_workbook_without_digests_finds_the_same_hand_edits(
    two: Any, tmp_path: Path, looked_at: list[str]
) -> None:
    a, b = two
    _rosa, luis, _ana = _people(a)
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    for title in [t for t in book.sheetnames if t.startswith("_shown_")]:
        del book[title]  # as AidDesk wrote workbooks before the digests
    people = book["People"]
    people.cell(_row_of(people, luis), _column(people, "address")).value = "9 Oak"
    book.save(tmp_path / "old.xlsx")

    report = merge_file(b, tmp_path / "old.xlsx", "Luis")

    assert (report.new, report.proposals, report.rejected) == (3, 1, [])
    assert [(p.record_id, p.column, p.typed) for p in pending(b)] == [(luis, "address", "9 Oak")]
    assert len(looked_at) == 3  # every row compared cell by cell


def test_a_digest_changed_by_hand_costs_only_time(two: Any, tmp_path: Path, looked_at: list[str]) -> None:
    a, b = two
    first, second, third = sorted(_people(a))  # `_state`'s order, so the digests' order
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    book = openpyxl.load_workbook(tmp_path / "a.xlsx")
    book["_shown_person"]["A2"].value = "0" * 20
    book["_shown_person"]["A3"].value = 7
    book.save(tmp_path / "odd.xlsx")

    report = merge_file(b, tmp_path / "odd.xlsx", "Luis")

    assert (report.new, report.proposals, report.rejected) == (3, 0, [])
    assert sorted(looked_at) == [first, second] and third not in looked_at


@pytest.fixture
def sheets_read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the sheets whose rows a merge unpacked and read."""
    titles: list[str] = []
    real = OpenedWorkbook.rows

    def spying(self: OpenedWorkbook, name: str) -> Any:
        titles.append(name)
        return real(self, name)

    monkeypatch.setattr(OpenedWorkbook, "rows", spying)
    return titles


def test_a_visible_sheet_nobody_saved_since_the_export_is_not_read(
    two: Any, tmp_path: Path, sheets_read: list[str]
) -> None:
    a, b = two
    _people(a)
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())

    report = merge_file(b, tmp_path / "a.xlsx", "Luis")

    assert (report.new, report.proposals, report.rejected) == (3, 0, [])
    assert "People" not in sheets_read and "Requests" not in sheets_read
    assert "_state" in sheets_read


def _rewritten(source: Path, target: Path, old: bytes, new: bytes) -> str:
    """`source` with `old` replaced by `new` in the one part that holds it, every other part's
    bytes kept (as a tool editing the XML in place would); the part's name."""
    changed = ""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if old in data:
                data, changed = data.replace(old, new), info.filename
            out.writestr(info, data)
    return changed


def test_an_edit_that_keeps_the_sheet_the_same_size_is_still_found(two: Any, tmp_path: Path) -> None:
    a, b = two
    _rosa, luis, _ana = _people(a)
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())

    part = _rewritten(tmp_path / "a.xlsx", tmp_path / "edited.xlsx", b"<t>2 Elm</t>", b"<t>9 Elm</t>")

    assert part.startswith("xl/worksheets/")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as before, zipfile.ZipFile(tmp_path / "edited.xlsx") as after:
        assert before.getinfo(part).file_size == after.getinfo(part).file_size
    report = merge_file(b, tmp_path / "edited.xlsx", "Luis")
    assert (report.new, report.proposals, report.rejected) == (3, 1, [])
    assert [(p.record_id, p.column, p.typed) for p in pending(b)] == [(luis, "address", "9 Elm")]
