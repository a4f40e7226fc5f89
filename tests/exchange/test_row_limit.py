"""No sheet passes Excel's row limit: `_state` runs on over `_state2`, … and a visible sheet stops
at the limit (the rest travels in `_state` only); such a workbook merges whole, with no row
reported as deleted by hand. The limit is lowered here so a few records reach it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from aiddesk.exchange.workbook import layout
from tests.two_desks import north_and_south

LIMIT = 6


def test_a_desk_past_the_row_limit_exports_and_merges_whole(
    tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layout, "MAX_ROWS", LIMIT)
    with north_and_south(tmp_path, migrated_template) as (north, south):
        for n in range(12):
            north.add_person(f"NOR-{n:04d}", f"Caller {n}")
        path = north.export()
        book = openpyxl.load_workbook(path, read_only=True)
        rows = {sheet.title: sum(1 for _row in sheet.iter_rows()) for sheet in book.worksheets}
        assert max(n for title, n in rows.items() if title not in ("README", "_meta")) <= LIMIT, rows
        assert rows["People"] == LIMIT
        state_sheets = [t for t in book.sheetnames if t.startswith("_state")]
        assert len(state_sheets) > 2 and state_sheets[:2] == ["_state", "_state2"]
        meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True) if len(r) > 1}
        assert meta["state_sheets"] == str(len(state_sheets))
        assert meta["cut.person"] == str(12 - (LIMIT - 2))  # shown: the first LIMIT - 2 people
        book.close()
        report = south.merge(path)
        assert report.rejected == [] and report.proposals == 0
        assert south.dump()["person"] == north.dump()["person"]


def test_state_runs_on_over_the_next_sheet_at_its_size_limit_and_merges_whole(
    tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big desk's `_state` (over a billion characters at 100,000 people) is cut by size too, so
    no part of the zip passes what a reader accepts; the limit is lowered so a few records reach it."""
    monkeypatch.setattr(layout, "MAX_STATE_CHARS", 2_000)
    with north_and_south(tmp_path, migrated_template) as (north, south):
        for n in range(12):
            north.add_person(f"NOR-{n:04d}", f"Caller {n}")
        path = north.export()
        book = openpyxl.load_workbook(path, read_only=True)
        state_sheets = [t for t in book.sheetnames if t.startswith("_state")]
        assert len(state_sheets) > 2 and state_sheets[:2] == ["_state", "_state2"]
        meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True) if len(r) > 1}
        assert meta["state_sheets"] == str(len(state_sheets))
        assert "cut.person" not in meta  # the visible sheets are whole
        book.close()
        report = south.merge(path)
        assert report.rejected == [] and report.proposals == 0
        assert south.dump()["person"] == north.dump()["person"]
