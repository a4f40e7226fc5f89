"""Writing `.xlsx` workbooks, every value as a text cell: openpyxl makes the workbook's parts
and each sheet's frame; the rows' XML is made here, byte for byte as openpyxl's streaming writer
makes it (tests/exchange/test_sheet_xml.py), without openpyxl's cell object per value (most of
an export's time went there).

A value that starts with `=`, `+`, `-` or `@` stays text (never a formula), also when someone
edits the cell in Excel or LibreOffice: its style carries the quote prefix. The value itself is
written exactly as it is: no apostrophe in front of a phone number.

openpyxl's streaming sheets would each spool their XML to a file in the system's temporary
folder, where a killed export leaves the personal data it held. Here each sheet's XML is held
deflated in memory instead and packed from there, except a sheet made `direct` (`_state`, most
of a workbook), which goes straight into the workbook as its rows come."""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO, cast
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from aiddesk.exchange.workbook.layout import part_fingerprint

SPOOL_LEVEL = 1  # zlib level of the in-memory sheets: quick; the workbook itself is packed at level 6
UNPACK_STEP = 1024 * 1024

# A spreadsheet evaluates text starting so when the cell is edited (F2, Enter): such cells carry
# Excel's quote prefix (a cell style, not a character of the value), so they stay text.
_FORMULA_START = ("=", "+", "-", "@")
_GREY = PatternFill("solid", fgColor="FFD9D9D9")
MAX_CELL = 32_767  # Excel's limit: openpyxl cuts longer text there
_COLUMNS = [get_column_letter(index) for index in range(1, 16_385)]
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # openpyxl's ILLEGAL_CHARACTERS_RE, one class
_FLUSH_AT = 256 * 1024  # characters of row XML gathered before they are deflated


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
    """Rows appended to one sheet, each cell text (or empty).

    The rows' XML is made here, as openpyxl's streaming writer makes it (inline strings, the same
    attributes in the same order), without a cell object per value: openpyxl still makes the
    sheet's frame (properties, views, column widths, margins) and the workbook's other parts."""

    def __init__(
        self, sheet: WriteOnlyWorksheet, hidden_rows: Iterable[int] = (), out: BinaryIO | None = None
    ) -> None:
        self._sheet = sheet
        frame = WorksheetWriter(sheet, out=io.BytesIO())  # also sets what the packer reads
        frame.write_top()
        xf = frame.xf.send(True)
        with xf.element("sheetData"):
            pass
        frame.xf.send(None)
        frame.write_tail()
        frame.close()
        self.rels = frame._rels
        self._head, self._tail = frame.out.getvalue().split(b"<sheetData></sheetData>")
        self.direct = out is not None  # straight into its part of the workbook, not spooled
        self.out: Any = _Spool() if out is None else out
        self.crc = 0  # CRC-32 and size of the sheet's XML, as its part's zip entry records them
        self.size = 0
        self._write(self._head + b"<sheetData>")
        self._closed = False
        self._row = 0
        self._hidden = {
            row: "".join(f' {k}="{v}"' for k, v in sheet.row_dimensions[row]) for row in hidden_rows
        }
        self._quoted: int | None = None  # the style id of a quote-prefixed cell, made when needed
        self._pending: list[str] = []
        self._pending_size = 0

    def append(self, values: Sequence[Any]) -> None:
        self._row += 1
        self._add_row(values, None)

    def append_header(self, values: Sequence[str], muted: Iterable[int] = ()) -> None:
        """A bold header row; `muted` columns (worked out by AidDesk, not to be edited) are grey."""
        grey = set(muted)
        styles = []
        for index in range(len(values)):
            cell = WriteOnlyCell(self._sheet)
            cell.font = Font(bold=True, color="FF595959" if index in grey else None)
            if index in grey:
                cell.fill = _GREY
            styles.append(cell.style_id)
        self._row += 1
        self._add_row(values, styles)

    def _add_row(self, values: Sequence[Any], styles: list[int] | None) -> None:
        row = self._row
        parts = [f'<row r="{row}"{self._hidden.get(row, "")}>']
        for index, value in enumerate(values):
            style = "" if styles is None else f' s="{styles[index]}"'
            if value is None or value == "":
                if styles is not None:  # a styled empty cell is still written
                    parts.append(f'<c r="{_COLUMNS[index]}{row}"{style} t="inlineStr" />')
                continue
            if value.__class__ is not str:
                raise TypeError(f"a workbook cell holds text, not {type(value).__name__}")
            if len(value) > MAX_CELL:
                value = value[:MAX_CELL]
            if not value.isprintable() and _ILLEGAL.search(value) is not None:  # as openpyxl refuses them
                raise IllegalCharacterError(f"row {row} of {self._sheet.title} holds a control character")
            if value[0] in _SPECIAL_START or "_x" in value or "\r" in value:
                value = cell_text(value)
                if styles is None and value.startswith(_FORMULA_START):
                    style = f' s="{self._quote_style()}"'
            # as openpyxl: text with blanks around it (not only blanks) keeps them
            space = (
                ' xml:space="preserve"'
                if (value[0].isspace() or value[-1].isspace()) and value.strip()
                else ""
            )
            if "&" in value or "<" in value or ">" in value:
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(
                f'<c r="{_COLUMNS[index]}{row}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>'
            )
        parts.append("</row>")
        text = "".join(parts)
        self._pending.append(text)
        self._pending_size += len(text)
        if self._pending_size > _FLUSH_AT:
            self._flush()

    def _quote_style(self) -> int:
        if self._quoted is None:
            cell = WriteOnlyCell(self._sheet)
            cell.quotePrefix = True  # text, and still text after an edit in Excel or LibreOffice
            self._quoted = cell.style_id
        return self._quoted

    def _flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending).encode("utf-8", "xmlcharrefreplace"))
            self._pending = []
            self._pending_size = 0

    def close(self) -> None:
        """The end of the sheet (the packer calls it; a sheet written directly is closed before
        the next one starts)."""
        if self._closed:
            return
        self._closed = True
        self._flush()
        self._write(b"</sheetData>" + self._tail)
        if self.direct:
            self.out.close()

    def _write(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.out.write(data)

    def fingerprint(self) -> str:
        """The finished sheet's part as the workbook's zip directory will describe it: CRC-32 and
        size of its XML (`exchange/workbook/layout.py` part_fingerprint). Closes the sheet."""
        self.close()
        return part_fingerprint(self.crc, self.size)


class WorkbookWriter:
    """A streaming workbook: sheets are created in order and filled in any order. Given `out`
    at the start, a sheet made `direct` is written straight into its part of the workbook as its
    rows come (one such sheet at a time: making the next one ends it) instead of being held in
    memory until the workbook is packed: for the biggest sheets, that is most of the memory."""

    def __init__(self, out: BinaryIO | None = None) -> None:
        self._book = Workbook(write_only=True)
        self._sheets: dict[WriteOnlyWorksheet, SheetWriter] = {}
        self._archive = None if out is None else ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
        self._direct: SheetWriter | None = None

    def sheet(
        self,
        title: str,
        *,
        state: str = "visible",
        widths: Iterable[int] = (),
        hidden_rows: Iterable[int] = (),
        direct: bool = False,
    ) -> SheetWriter:
        sheet = self._book.create_sheet(title)
        sheet._id = len(self._book.worksheets)  # as the packer numbers it: its part's name
        sheet.sheet_state = state
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        hidden = list(hidden_rows)
        for row in hidden:
            sheet.row_dimensions[row].hidden = True
        if direct and self._archive is not None:
            if self._direct is not None:
                self._direct.close()
            part = self._archive.open(sheet.path[1:], "w", force_zip64=True)
            writer = self._direct = SheetWriter(sheet, hidden, out=cast(BinaryIO, part))
        else:
            writer = SheetWriter(sheet, hidden)
        self._sheets[sheet] = writer
        return writer

    def save(self, out: BinaryIO | None = None) -> None:
        """Pack the workbook into `out` (a file open for writing, or memory), or into the `out`
        it was made with."""
        self._book.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        if self._direct is not None:
            self._direct.close()
        archive = self._archive
        if archive is None:
            if out is None:
                raise ValueError("a workbook made without a file is saved into one")
            archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True)
        with archive:
            _PackingFromMemory(self._book, archive, self._sheets).save()


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
    """openpyxl's workbook packer, taking each sheet from its SheetWriter's in-memory spool."""

    def __init__(
        self, book: Workbook, archive: ZipFile, sheets: dict[WriteOnlyWorksheet, SheetWriter]
    ) -> None:
        super().__init__(book, archive)
        self._sheets = sheets

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = self._sheets.pop(ws)
        writer.close()
        ws._rels = writer.rels
        if not writer.direct:  # a direct sheet is in the workbook already
            with self._archive.open(ws.path[1:], "w", force_zip64=True) as part:
                for piece in writer.out.unpacked():
                    part.write(piece)
        self.manifest.append(ws)
