"""Cells changed by hand between export and merge: found by comparing each visible cell with
what the workbook's own `_state` says it showed. Pure: no database.

A changed cell becomes a proposal (its causal context is the workbook's version
vector of the record); a cell that cannot be used becomes a Rejected line with
sheet, row, column and reason. A row deleted by hand is reported, never taken as a
delete; a row added by hand is reported too (new records come through the import)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from aiddesk.domain.markers import N_
from aiddesk.domain.merge import displayed, is_erased
from aiddesk.exchange.workbook import layout as workbook_layout
from aiddesk.exchange.workbook.cells import CellProblem, CellText, parse_cell
from aiddesk.exchange.workbook.layout import SHEET_BY_KIND
from aiddesk.exchange.workbook.reader import Rejected
from aiddesk.exchange.workbook.visible_rows import VisibleSheet
from aiddesk.i18n import _


class Shown:
    """What the workbook's `_state` says about a live record whose row is compared: its displayed
    values, vv and whether it was erased, read from its `_state` row when first asked for."""

    __slots__ = ("_load", "_state", "_values", "record_id")

    def __init__(self, record_id: str, load: Callable[[], dict[str, Any]]) -> None:
        self.record_id = record_id
        self._load: Callable[[], dict[str, Any]] | None = load
        self._state: dict[str, Any] | None = None
        self._values: dict[str, Any] | None = None

    @property
    def state(self) -> dict[str, Any]:
        if self._state is None:
            assert self._load is not None
            self._state, self._load = self._load(), None
        return self._state

    @property
    def values(self) -> dict[str, Any]:
        if self._values is None:
            self._values = {"id": self.record_id} | {
                name: s[0][3] if len(s) == 1 else displayed(s) for name, s in self.state["fields"].items()
            }
        return self._values

    @property
    def vv(self) -> dict[str, int]:
        return self.state["vv"]

    @property
    def erased(self) -> bool:
        return is_erased(self.state)


@dataclass(frozen=True)
class HandEdit:
    kind: str
    record_id: str
    column: str  # the column's key
    values: dict[str, Any]  # field -> parsed value (a phone sets the number and what was typed)
    typed: str
    was: str
    context: dict[str, int]
    sheet: str
    row: int


@dataclass
class SheetFindings:
    edits: list[HandEdit]
    rejected: list[Rejected]
    blank_rows: int


def _reason(problem: CellProblem) -> str:
    return _(problem.message) % problem.params if problem.params else _(problem.message)


def _merged_cells(sheet: VisibleSheet) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    for first_row, first_col, last_row, last_col in sheet.merged:
        for row in range(max(first_row, 2), last_row + 1):
            cells.update((row, col) for col in range(first_col, last_col + 1))
    return cells


class SheetRecords:
    """What the merge keeps of a visible kind's live records while it reads `_state`, in order:
    the records whose rows were kept (they may hold a hand edit) and those whose rows are gone.
    A record whose row was seen as exported costs nothing."""

    def __init__(self, sheet: VisibleSheet) -> None:
        self.sheet = sheet
        id_col = sheet.columns["id"]
        self.wanted: dict[str, int] = {}  # record id -> its first kept row
        for index, row in sheet.rows.items():
            record_id = row[id_col] if id_col < len(row) else None
            if isinstance(record_id, str) and record_id.strip():
                self.wanted.setdefault(record_id, index)
        self.shown: dict[str, Shown] = {}
        # kept rows of a record whose row was also seen as exported above them (the seen row is
        # the record's first: it is read, they are refused)
        self.twice: set[str] = set()
        # rows seen as exported below a kept row of their record (0-based): refused as its copies
        self.copies: dict[int, str] = {}
        self.gone: list[Shown] = []
        self.live = 0

    def add(self, record_id: str, load: Callable[[], dict[str, Any]]) -> None:
        """The next live record of the kind in `_state`; `load` gives its state if it is needed."""
        index, self.live = self.live, self.live + 1
        seen = self.sheet.row_seen(index)
        first = self.wanted.get(record_id)
        if first is not None:
            if seen and seen < first:
                self.twice.add(record_id)
            else:
                self.shown[record_id] = Shown(record_id, load)
                if seen:
                    self.copies[seen] = record_id
        elif not seen and index < workbook_layout.MAX_ROWS - 2:  # rows past Excel's limit are not shown
            self.gone.append(Shown(record_id, load))


def find_hand_edits(
    sheet: VisibleSheet, records: SheetRecords, cell_text: Callable[[list[Shown]], CellText], region: str
) -> SheetFindings:
    """The hand edits and rejected cells of the rows `sheet` kept. `cell_text` gives how the
    records it is given show their cells."""
    layout = SHEET_BY_KIND[sheet.kind]
    findings = SheetFindings([], [], sheet.blank_rows)
    merged = _merged_cells(sheet)
    seen: set[str] = set()
    id_col = sheet.columns["id"]
    columns = [
        (column, sheet.columns[column.key])
        for column in layout.columns
        if column.key != "id" and column.key in sheet.columns
    ]
    marked = {r for r, _c in sheet.formulas} | {r for r, _c in merged}  # rows needing a closer look
    shown = records.shown
    text = cell_text(list(shown.values()))
    for index in sorted(sheet.rows.keys() | records.copies.keys()):
        excel_row = index + 1
        row = sheet.rows.get(index)
        if row is None:  # a row as exported below an edited row of its record
            findings.rejected.append(Rejected(sheet.title, excel_row, "id", _(TWICE)))
            continue
        width = len(row)
        record_id = row[id_col] if id_col < width else ""
        problem = _row_problem(record_id, seen, records)
        if problem is not None:
            findings.rejected.append(Rejected(sheet.title, excel_row, "id", _(problem)))
            continue
        seen.add(record_id)
        record = shown[record_id]
        quick = index not in marked
        for column, position in columns:
            cell = row[position] if position < width else ""
            if quick and type(cell) is str and cell == text(column, record.values):
                continue  # nearly every cell: as exported
            where = (index, position)
            for outcome in _cell(
                sheet, column, cell, where in sheet.formulas, where in merged, record, text, region
            ):
                if isinstance(outcome, HandEdit):
                    findings.edits.append(
                        HandEdit(
                            sheet.kind,
                            record_id,
                            column.key,
                            outcome.values,
                            outcome.typed,
                            outcome.was,
                            record.vv,
                            sheet.title,
                            excel_row,
                        )
                    )
                else:
                    findings.rejected.append(Rejected(sheet.title, excel_row, column.key, outcome))
    for record in records.gone:
        code = record.values.get("code") or record.record_id
        findings.rejected.append(
            Rejected(
                sheet.title,
                None,
                "id",
                _("The row of %(code)s was deleted in the workbook; nothing is deleted here.")
                % {"code": code},
            )
        )
    return findings


def _same_text(cell: str, expected: str) -> bool:
    """The cell shows what was exported; a spreadsheet that only wrote its line breaks another way
    (LibreOffice saves "\r\n" as "\n") changed nothing."""
    if cell == expected:
        return True
    return "\r" in expected and cell == expected.replace("\r\n", "\n").replace("\r", "\n")


TWICE = N_("This record id appears twice on the sheet; the second row is not read.")


def _row_problem(record_id: Any, seen: set[str], records: SheetRecords) -> str | None:
    if not isinstance(record_id, str) or not record_id.strip():
        return N_(
            "This row has no record id: rows added in a workbook are not taken. Use “Import a spreadsheet” for new records."
        )
    if record_id in seen or record_id in records.twice:
        return TWICE
    if record_id not in records.shown:
        return N_("This record id is not among the workbook's records; the row is not read.")
    return None


def _cell(
    sheet: VisibleSheet,
    column: Any,
    cell: Any,
    formula: bool,
    merged: bool,
    record: Shown,
    text: CellText,
    region: str,
) -> Iterator[HandEdit | str]:
    expected = text(column, record.values)
    if formula:
        yield _("This cell holds a formula; only typed values are taken.")
        return
    if merged:
        yield _("This cell was merged with others; unmerge it and type the value again.")
        return
    if isinstance(cell, str) and _same_text(cell, expected):
        return
    if cell is None and expected == "":
        return
    if not column.editable:
        yield _("AidDesk works this column out itself; change it in AidDesk, not in the workbook.")
        return
    try:
        values = parse_cell(sheet.kind, column, cell, region)
    except CellProblem as problem:
        yield _reason(problem)
        return
    compared = (
        {column.key: values[column.key]} if column.key in values and column.show.value == "phone" else values
    )
    if all(record.values.get(name) == value for name, value in compared.items()):
        return  # the same value written another way (a phone with other spacing)
    if record.erased:
        yield _("This person's data was erased for privacy; the change is not taken.")
        return
    yield HandEdit(sheet.kind, "", column.key, values, str(cell), expected, {}, sheet.title, 0)
