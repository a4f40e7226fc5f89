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
from aiddesk.exchange.workbook.cells import CellProblem, CellText, parse_cell
from aiddesk.exchange.workbook.layout import SHEET_BY_KIND
from aiddesk.exchange.workbook.reader import Rejected, VisibleSheet
from aiddesk.exchange.workbook.shown_digest import row_digest
from aiddesk.i18n import _


class Shown:
    """What the workbook's `_state` says about a live record: its displayed values, vv and
    whether it was erased, read from its `_state` row when first asked for (a row that kept its
    digest never needs them, so a big workbook's records are not held twice), and the digest of
    its visible row as exported (None: unknown)."""

    __slots__ = ("_load", "_state", "_values", "digest", "record_id")

    def __init__(
        self,
        record_id: str,
        load: Callable[[], dict[str, Any]] | None,
        digest: str | None = None,
        *,
        state: dict[str, Any] | None = None,
    ) -> None:
        """`load` reads the state when first needed; or `state` is already known."""
        self.record_id, self.digest = record_id, digest
        self._load = load
        self._state = state
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


def _is_blank(row: list[Any]) -> bool:
    return all(v is None or v == "" for v in row)


def _untouched(sheet: VisibleSheet, shown: dict[str, Shown], marked: set[int]) -> set[int]:
    """The rows (0-based) whose cells still hash to the digest their record's row was exported
    with: nothing in them was edited by hand."""
    layout = SHEET_BY_KIND[sheet.kind]
    positions = [sheet.columns[c.key] for c in layout.columns if c.key in sheet.columns]
    id_col = sheet.columns["id"]
    out: set[int] = set()
    for index in range(2, len(sheet.rows)):
        row = sheet.rows[index]
        record = shown.get(row[id_col]) if id_col < len(row) and type(row[id_col]) is str else None
        if (
            record is not None
            and record.digest is not None
            and index not in marked
            and row_digest(row, positions) == record.digest
        ):
            out.add(index)
    return out


def find_hand_edits(
    sheet: VisibleSheet, shown: dict[str, Shown], cell_text: Callable[[list[Shown]], CellText], region: str
) -> SheetFindings:
    """`cell_text` gives how the records it is given show their cells (only those whose rows
    did not keep their digest are compared cell by cell)."""
    layout = SHEET_BY_KIND[sheet.kind]
    findings = SheetFindings([], [], 0)
    merged = _merged_cells(sheet)
    seen: set[str] = set()
    id_col = sheet.columns["id"]
    columns = [
        (column, sheet.columns[column.key])
        for column in layout.columns
        if column.key != "id" and column.key in sheet.columns
    ]
    marked = {r for r, _c in sheet.formulas} | {r for r, _c in merged}  # rows needing a closer look
    untouched = _untouched(sheet, shown, marked)
    looked_at = {
        row[id_col]
        for index, row in enumerate(sheet.rows)
        if index >= 2 and index not in untouched and id_col < len(row) and isinstance(row[id_col], str)
    }
    text = cell_text([record for record_id, record in shown.items() if record_id in looked_at])
    for index in range(2, len(sheet.rows)):
        row = sheet.rows[index]
        if _is_blank(row):
            findings.blank_rows += 1
            continue
        excel_row = index + 1
        width = len(row)
        record_id = row[id_col] if id_col < width else ""
        problem = _row_problem(record_id, seen, shown)
        if problem is not None:
            findings.rejected.append(Rejected(sheet.title, excel_row, "id", _(problem)))
            continue
        seen.add(record_id)
        if index in untouched:
            continue
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
    for record_id, record in shown.items():
        if record_id not in seen:
            code = record.values.get("code") or record_id
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


def _row_problem(record_id: Any, seen: set[str], shown: dict[str, Shown]) -> str | None:
    if not isinstance(record_id, str) or not record_id.strip():
        return N_(
            "This row has no record id: rows added in a workbook are not taken. Use “Import a spreadsheet” for new records."
        )
    if record_id in seen:
        return N_("This record id appears twice on the sheet; the second row is not read.")
    if record_id not in shown:
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
