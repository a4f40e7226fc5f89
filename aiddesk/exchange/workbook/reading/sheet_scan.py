"""Step 5 of reading a workbook: each sheet's XML bytes scanned as they are unpacked, for how far
its cells reach (calamine would allocate that whole rectangle, so a sheet too large is refused
before calamine reads it) and for the formulas and merged cells that calamine's values do not show.

The first pass bounds the sheet's extent with one regex that skips every ordinary `<c r="B7"` tag
inside the bound found so far. A second pass finds formulas, merged cells and DTDs while calamine
parses the sheet in another thread (step 6). Sheets written in an unusual form (prefixed tags,
cells without `r`, odd attribute order) take a slower exact pass that follows calamine's own rules
for placing cells."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from aiddesk.exchange.workbook.reading.cell_refs import (
    EXCEL_ROWS,
    attributes,
    cell_range,
    column_number,
    decimal_at_most,
    letters_at_most,
    position,
    row_position,
)
from aiddesk.exchange.workbook.reading.refusals import (
    column_letters,
    damaged_sheet,
    sheet_too_large,
    too_many_formulas,
)
from aiddesk.exchange.workbook.reading.structure import Sheet
from aiddesk.exchange.workbook.reading.zip_guard import ZipPackage, xml_windows

MAX_SHEET_CELLS = 10_000_000  # rows x columns calamine may allocate for one sheet
MAX_FORMULA_CELLS = 1_000_000
MAX_XML_DEPTH = 256

PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
ATTRS = rb"((?:[^>\"']|\"[^\"]*\"|'[^']*')*)"
FORMULA_TAG = re.compile(rb"<" + PREFIX + rb"f(?=[\s/>])" + ATTRS + rb">")
MERGE_TAG = re.compile(rb"<" + PREFIX + rb"mergeCell(?=[\s/>])" + ATTRS + rb">")
ANY_TAG = re.compile(
    rb"<(/?)" + PREFIX + rb"([A-Za-z_][\w.-]*)" + ATTRS + rb">|<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S
)
PREFIXED_CELL = re.compile(rb":c[\s/>]")
PREFIXED_FORMULA = re.compile(rb":f[\s/>]")
FORMULA_START = re.compile(rb"<f[\s/>]")  # sre's literal-prefix search beats bytes.find for "<f" here
CANONICAL_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
TAG_REST = re.compile(ATTRS + rb">")
CELL_TAG_FOLLOW = (b" ", b"\t", b"\r", b"\n", b"/", b">")


@dataclass
class SheetScan:
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@functools.lru_cache(maxsize=512)
def _outside_box(rows: int, columns: int) -> re.Pattern[bytes]:
    """Matches `<c` unless it starts an ordinary cell tag within `rows` x `columns`."""
    inside = letters_at_most(column_letters(columns)) + decimal_at_most(rows)
    return re.compile(b'<c(?! r="' + inside.encode() + b'")')


def _rounded_up(number: int) -> int:
    step = 10 ** max(len(str(number)) - 2, 0)
    return -(-number // step) * step


class CellBox:
    """An upper bound of the rows and columns calamine will allocate for a sheet, kept by one regex
    search per window that passes over every ordinary cell tag inside the bound. Any other cell tag
    (prefixed, without `r` first, lower case, ...) makes the sheet exotic: it needs the exact pass."""

    def __init__(self) -> None:
        self.rows = 9
        self.columns = 26
        self.exotic = False
        self._pattern = _outside_box(self.rows, self.columns)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def feed(self, window: bytes) -> None:
        if PREFIXED_CELL.search(window):
            self.exotic = True
        at = 0
        while not self.exotic and (match := self._pattern.search(window, at)):
            at = match.end()
            self._look_at(window, match.start())

    def _look_at(self, window: bytes, start: int) -> None:
        follow = window[start + 2 : start + 3]
        if follow and follow not in CELL_TAG_FOLLOW:
            return  # <col>, <cols>, <cfRule> ...: not a cell
        cell = CANONICAL_CELL.match(window, start)
        rest = TAG_REST.match(window, cell.end()) if cell else None
        if cell is None or rest is None:
            self.exotic = True
        elif not rest[1].endswith(b"/"):  # an empty <c .../> holds no value: not part of the extent
            self._grow(int(cell[2]), column_number(cell[1]))

    def _grow(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows = _rounded_up(row + row // 10)
        self.columns = max(self.columns, column)
        self._pattern = _outside_box(self.rows, self.columns)


def measure(package: ZipPackage, sheet: Sheet) -> CellBox:
    box = CellBox()
    for window in xml_windows(package, sheet.path, dtd=False):
        box.feed(window)
        if box.exotic or box.cells > MAX_SHEET_CELLS:
            break
    return box


class _Formulas:
    """The cells holding a formula; an array or data-table formula covers its whole range."""

    def __init__(self, label: str, sheet: str) -> None:
        self.label = label
        self.sheet = sheet
        self.cells: set[tuple[int, int]] = set()

    def add(self, attrs: bytes, row: int, column: int) -> None:
        values = attributes(attrs)
        ref = values.get(b"ref")
        if ref and values.get(b"t") in (b"array", b"dataTable"):
            top, left, bottom, right = cell_range(ref, self.label, self.sheet)
            if (bottom - top + 1) * (right - left + 1) + len(self.cells) > MAX_FORMULA_CELLS:
                raise too_many_formulas(self.label, self.sheet)
            self.cells.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
            return
        self.cells.add((row, column))
        if len(self.cells) > MAX_FORMULA_CELLS:
            raise too_many_formulas(self.label, self.sheet)


class FastScan:
    """Formulas and merged cells of a sheet whose cell tags are all `<c r="B7" ...>`: a formula
    tag (`<f>`, or prefixed as `<x:f>`) belongs to the cell tag before it unless a `</c>` came
    between: then it is outside any cell, as Excel's `<xm:f>` in the extension lists of data
    validations after the cells. Windows without a formula or `mergeCell` cost three searches."""

    def __init__(self, label: str, sheet: str, *, measure: bool) -> None:
        self.label = label
        self.sheet = sheet
        self.formulas = _Formulas(label, sheet)
        self.merged: list[tuple[int, int, int, int]] = []
        self.box = CellBox() if measure else None
        self.open_cell: bytes | None = None  # the ref of a cell still open where the last window ended

    def feed(self, window: bytes) -> None:
        if self.box is not None:
            self.box.feed(window)
        if FORMULA_START.search(window) or PREFIXED_FORMULA.search(window):
            for match in FORMULA_TAG.finditer(window):
                ref = self._cell_around(window, match.start())
                if ref is not None:
                    self.formulas.add(match[1], *position(ref, self.label, self.sheet))
        if b"mergeCell" in window:
            self.merged.extend(
                cell_range(_merge_ref(m[1]), self.label, self.sheet) for m in MERGE_TAG.finditer(window)
            )
        self.open_cell = self._cell_around(window, len(window))

    def _cell_around(self, window: bytes, at: int) -> bytes | None:
        start = window.rfind(b'<c r="', 0, at)
        if window.rfind(b"</c>", 0, at) > start:
            return None
        return _quoted(window, start + 6) if start >= 0 else self.open_cell


def _quoted(window: bytes, start: int) -> bytes:
    return window[start : window.find(b'"', start)]


def _merge_ref(attrs: bytes) -> bytes:
    return attributes(attrs).get(b"ref", b"")


def fast_scan(package: ZipPackage, sheet: Sheet, *, measure: bool) -> FastScan:
    scan = FastScan(package.label, sheet.name, measure=measure)
    for window in xml_windows(package, sheet.path):
        scan.feed(window)
    return scan


class ExactScan:
    """Every tag of a sheet in order, placing cells by calamine's rules: a cell's `r` gives its
    position; without one it goes after the previous cell; `</row>` moves to the next row unless
    a row's `r` says otherwise; an empty `<c/>` or `<row/>` is opened and closed like any other
    (calamine expands empty elements). Tags must nest properly, so calamine and this scan cannot
    disagree about where a cell ends."""

    def __init__(self, label: str, sheet: str) -> None:
        self.label = label
        self.sheet = sheet
        self.formulas = _Formulas(label, sheet)
        self.merged: list[tuple[int, int, int, int]] = []
        self.stack: list[bytes] = []
        self.row = self.column = 0
        self.cell: tuple[int, int] | None = None
        self.last_row = self.last_column = -1
        self.in_data = self.data_done = False

    def feed(self, window: bytes) -> None:
        for closing, name, attrs in ANY_TAG.findall(window):
            if not name:
                continue  # a comment, CDATA or processing instruction
            if closing:
                self._close(name)
                continue
            empty = attrs.endswith(b"/")
            self._open(name, attrs, valued=not empty)
            if empty:
                self._close(name)

    def _open(self, name: bytes, attrs: bytes, *, valued: bool) -> None:
        self.stack.append(name)
        if len(self.stack) > MAX_XML_DEPTH:
            raise damaged_sheet(self.label, self.sheet)
        if name == b"sheetData":
            self.in_data = True
        elif self.cell is not None or not self.in_data or self.data_done:
            self._other(name, attrs)
        elif name == b"row":
            ref = attributes(attrs).get(b"r")
            if ref is not None:
                self.row = row_position(ref, self.label, self.sheet)
        elif name == b"c":
            self._open_cell(attrs, valued=valued)

    def _other(self, name: bytes, attrs: bytes) -> None:
        if name == b"mergeCell":
            self.merged.append(cell_range(_merge_ref(attrs), self.label, self.sheet))
        elif self.cell is None:
            return
        elif name in (b"c", b"row"):
            raise damaged_sheet(self.label, self.sheet)
        elif name == b"f":
            self.formulas.add(attrs, *self.cell)

    def _open_cell(self, attrs: bytes, *, valued: bool) -> None:
        """A cell; one that cannot hold a value (`<c .../>`) is left out of the extent, as calamine
        leaves out every empty cell."""
        ref = attributes(attrs).get(b"r")
        if ref is not None:
            row, self.column = position(ref, self.label, self.sheet)
            self.cell = (row, self.column)
        else:
            self.cell = (self.row, self.column)
        if valued:
            self.last_row = max(self.last_row, self.cell[0])
            self.last_column = max(self.last_column, self.cell[1])

    def _close(self, name: bytes) -> None:
        if not self.stack or self.stack.pop() != name:
            raise damaged_sheet(self.label, self.sheet)
        if name == b"c" and self.cell is not None:
            self.cell = None
            self.column += 1
        elif name == b"row" and self.in_data and not self.data_done:
            self.row += 1
            self.column = 0
        elif name == b"sheetData":
            self.data_done = True


def exact_scan(package: ZipPackage, sheet: Sheet, *, enforce_size: bool) -> SheetScan:
    scan = ExactScan(package.label, sheet.name)
    for window in xml_windows(package, sheet.path):
        scan.feed(window)
    rows, columns = scan.last_row + 1, scan.last_column + 1
    if enforce_size and (rows > EXCEL_ROWS or rows * columns > MAX_SHEET_CELLS):
        raise sheet_too_large(package.label, sheet.name, rows, columns)
    return SheetScan(scan.formulas.cells, scan.merged)


def scan_unread_sheet(package: ZipPackage, sheet: Sheet) -> SheetScan:
    fast = fast_scan(package, sheet, measure=True)
    if fast.box and fast.box.exotic:
        return exact_scan(package, sheet, enforce_size=False)
    return SheetScan(fast.formulas.cells, fast.merged)
