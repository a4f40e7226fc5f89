"""The workbook writer makes each row's XML itself (fast, no cell object per value): what it packs
must be what openpyxl's own streaming writer packs for the same cells, byte for byte, so every
spreadsheet reads the workbook as before; and every value reads back exactly."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import IllegalCharacterError
from python_calamine import CalamineWorkbook

from aiddesk.exchange.workbook.writer import WorkbookWriter, cell_text

TRICKY = [
    "plain",
    "",
    None,
    "  leading blanks",
    "trailing blank ",
    "   ",
    "\n",
    "a & b <c> d",
    '=HYPERLINK("http://x")',
    "+1 555 0100",
    "-5 Main St",
    "@home",
    "_x0041_ is not an A",
    "line\r\nbreak",
    "ñandú ☃ 𝄞",
    "\u00a0",
    " \u00a0x",
    "tab\tinside",
    "x" * 40_000,  # longer than a cell: cut at 32,767 as openpyxl cuts it
]
HEADER = ["Name", "=looks like a formula", "Phone"]


def _openpyxl_book(out: io.BytesIO) -> None:
    """The same sheet through openpyxl's streaming writer, a cell object per value (as the
    writer did before)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("People")
    sheet.column_dimensions["A"].width = 30
    sheet.row_dimensions[2].hidden = True
    header = []
    for index, value in enumerate(HEADER):
        cell = WriteOnlyCell(sheet, cell_text(value))
        cell.data_type = "s"
        cell.font = Font(bold=True, color="FF595959" if index == 1 else None)
        if index == 1:
            cell.fill = PatternFill("solid", fgColor="FFD9D9D9")
        header.append(cell)
    sheet.append(header)

    def cell_of(value: str | None) -> object:
        if not value:
            return None
        value = cell_text(value)
        if value.startswith(("=", "+", "-", "@")):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
        return value

    for _ in range(3):
        sheet.append([cell_of(v) for v in TRICKY])
    book.save(out)


def _our_book(out: io.BytesIO, *, direct: bool = False) -> None:
    """`direct`: the sheet goes straight into the workbook as its rows come (as `_state` does)."""
    book = WorkbookWriter(out) if direct else WorkbookWriter()
    sheet = book.sheet("People", widths=[30], hidden_rows=[2], direct=direct)
    sheet.append_header(HEADER, [1])
    for _ in range(3):
        sheet.append(TRICKY)
    book.save() if direct else book.save(out)


@pytest.mark.parametrize("direct", [False, True], ids=["held-in-memory", "written-directly"])
def test_rows_are_packed_as_openpyxl_packs_them_byte_for_byte(direct: bool) -> None:
    theirs, ours = io.BytesIO(), io.BytesIO()
    _openpyxl_book(theirs)
    _our_book(ours, direct=direct)
    with zipfile.ZipFile(theirs) as a, zipfile.ZipFile(ours) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            if name != "docProps/core.xml":  # the time it was made
                assert a.read(name) == b.read(name), name


def test_every_value_reads_back_as_written() -> None:
    ours = io.BytesIO()
    _our_book(ours)
    ours.seek(0)
    rows = CalamineWorkbook.from_filelike(ours).get_sheet_by_name("People").to_python(skip_empty_area=False)
    assert rows[0] == HEADER + [""] * (len(TRICKY) - len(HEADER))
    for row in rows[1:]:
        assert row == [(v or "")[:32_767] for v in TRICKY]


def test_text_that_looks_like_an_error_code_stays_text() -> None:
    """openpyxl's own writer wrote "#N/A" as an error cell; it is a person's text."""
    ours = io.BytesIO()
    book = WorkbookWriter()
    book.sheet("Notes").append(["#N/A", "#DIV/0!"])
    book.save(ours)
    ours.seek(0)
    assert CalamineWorkbook.from_filelike(ours).get_sheet_by_name("Notes").to_python() == [
        ["#N/A", "#DIV/0!"]
    ]


def test_sheets_written_directly_one_after_another_and_held_ones_all_read_back() -> None:
    """Making the next direct sheet ends the one before (one part of a zip is written at a time),
    while held sheets fill in any order."""
    out = io.BytesIO()
    book = WorkbookWriter(out)
    held = book.sheet("Held")
    first = book.sheet("_state", direct=True)
    first.append(["one"])
    held.append(["a"])
    second = book.sheet("_state2", direct=True)
    second.append(["two"])
    held.append(["b"])
    book.save()
    out.seek(0)
    read = CalamineWorkbook.from_filelike(out)
    assert read.sheet_names == ["Held", "_state", "_state2"]
    assert [read.get_sheet_by_name(n).to_python() for n in read.sheet_names] == [
        [["a"], ["b"]],
        [["one"]],
        [["two"]],
    ]


def test_a_control_character_is_refused_not_written() -> None:
    sheet = WorkbookWriter().sheet("Notes")
    with pytest.raises(IllegalCharacterError):
        sheet.append(["fine", "bell\x07"])
