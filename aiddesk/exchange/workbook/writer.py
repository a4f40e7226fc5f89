"""Writing `.xlsx` workbooks with openpyxl's streaming writer, every value as a text cell.

A value that starts with `=`, `+`, `-` or `@` stays text (never a formula), also when someone
edits the cell in Excel or LibreOffice: its style carries the quote prefix. The value itself is
written exactly as it is: no apostrophe in front of a phone number.

openpyxl's streaming sheets would each spool their XML to a file in the system's temporary
folder, where a killed export leaves the personal data it held. Here each sheet's XML is held
deflated in memory instead (about the size of the finished workbook) and packed from there."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

SPOOL_LEVEL = 1  # zlib level of the in-memory sheets: quick; the workbook itself is packed at level 6
UNPACK_STEP = 1024 * 1024

# A spreadsheet evaluates text starting so when the cell is edited (F2, Enter): such cells carry
# Excel's quote prefix (a cell style, not a character of the value), so they stay text.
_FORMULA_START = ("=", "+", "-", "@")
_GREY = PatternFill("solid", fgColor="FFD9D9D9")


_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_BLANKS = (" ", "\t", "\n")
_SPECIAL_START = frozenset((*_FORMULA_START, " ", "\t", "\n"))  # a formula look-alike, or maybe all blanks


def cell_text(value: str) -> str:
    """`value` as a cell's XML text that spreadsheet readers (calamine, Excel, LibreOffice) read
    back exactly. OOXML reads `_xHHHH_` as the character HHHH, so a literal one is escaped
    (`_x005F_` is "_"); XML reads a carriage return as a line feed, and readers drop text made
    only of spaces and line breaks, so those are written as `_xHHHH_` too."""
    if "_x" in value:
        value = _OOXML_ESCAPE.sub("_x005F_", value)
    if "\r" in value:
        value = value.replace("\r", "_x000D_")
    if value[:1] in _BLANKS and not value.strip(" \t\n"):
        value = "".join(f"_x{ord(ch):04X}_" for ch in value)
    return value


class SheetWriter:
    """Rows appended to one sheet, each cell text (or empty)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet

    def append(self, values: Sequence[Any]) -> None:
        # Most cells are plain text that needs nothing: only the others go through _cell().
        self._sheet.append(
            [
                v
                if v and v.__class__ is str and v[0] not in _SPECIAL_START and "_x" not in v and "\r" not in v
                else self._cell(v)
                for v in values
            ]
        )

    def append_header(self, values: Sequence[str], muted: Iterable[int] = ()) -> None:
        """A bold header row; `muted` columns (worked out by AidDesk, not to be edited) are grey."""
        grey = set(muted)
        cells = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(self._sheet, cell_text(value))
            cell.data_type = "s"
            cell.font = Font(bold=True, color="FF595959" if index in grey else None)
            if index in grey:
                cell.fill = _GREY
            cells.append(cell)
        self._sheet.append(cells)

    def _cell(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            value = cell_text(value)
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            cell = WriteOnlyCell(self._sheet, value)
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True  # and still text after an edit in Excel or LibreOffice
            return cell
        return value


class WorkbookWriter:
    """A streaming workbook: sheets are created in order and filled in any order."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        *,
        state: str = "visible",
        widths: Iterable[int] = (),
        hidden_rows: Iterable[int] = (),
    ) -> SheetWriter:
        sheet = self._book.create_sheet(title)
        sheet.sheet_state = state
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for row in hidden_rows:
            sheet.row_dimensions[row].hidden = True
        # openpyxl would make this writer at the first row, spooling to a temporary file
        sheet._writer = WorksheetWriter(sheet, out=_Spool())
        sheet._writer.write_top()
        return SheetWriter(sheet)

    def save(self, out: BinaryIO) -> None:
        """Pack the workbook into `out` (a file open for writing, or memory)."""
        self._book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        with ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True) as archive:
            _PackingFromMemory(self._book, archive).save()


class _Spool(io.BufferedIOBase):
    """Bytes written to it kept deflated in memory, to be read back once with `unpacked()`."""

    def __init__(self) -> None:
        super().__init__()
        self._packer = zlib.compressobj(SPOOL_LEVEL)
        self._packed: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        piece = self._packer.compress(data)
        if piece:
            self._packed.append(piece)
        return len(data)

    def unpacked(self) -> Iterator[bytes]:
        """The bytes written, in steps; the memory is given back as they are read."""
        self._packed.append(self._packer.flush())
        packed, self._packed = self._packed, []
        unpacker = zlib.decompressobj()
        packed.reverse()
        while packed:
            piece = packed.pop()
            while piece:
                yield unpacker.decompress(piece, UNPACK_STEP)
                piece = unpacker.unconsumed_tail
        yield unpacker.flush()


class _PackingFromMemory(ExcelWriter):
    """openpyxl's workbook packer, taking each streamed sheet from its in-memory spool."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        with self._archive.open(ws.path[1:], "w", force_zip64=True) as part:
            for piece in writer.out.unpacked():
                part.write(piece)
        self.manifest.append(ws)
