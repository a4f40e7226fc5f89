"""Reading a workbook file safely into plain rows, and writing files so no reader sees half of one.

`read_workbook` refuses, with a message a volunteer understands, anything wrong with the file as
a whole (docs/exchange-format.md, "Refusal cases"): not a workbook, cut short, locked, a zip bomb,
XML entity tricks, macros, links to other files, missing parts, sheets too large to hold. Only
then does python-calamine read the cell values. Formulas and merged cells, which calamine's
values do not show, are found by scanning each sheet's XML bytes as they are unpacked.

Cost: each sheet's XML is unpacked twice. A first pass bounds how far its cells reach (calamine
would allocate that whole rectangle), with one regex that skips every ordinary `<c r="B7"` tag
inside the bound found so far. A second pass looks for formulas, merged cells and DTDs while
calamine parses the sheet in another thread (calamine releases the GIL). Sheets written in an
unusual form (prefixed tags, cells without `r`, odd attribute order) take a slower exact pass
that follows calamine's own rules for placing cells."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import posixpath
import re
import tempfile
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import python_calamine
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from aiddesk.exchange.workbook import crypto
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.zip_guard import (
    MIB,
    ZipPackage,
    damaged,
    not_a_workbook,
    open_package,
    refuse_foreign,
    sniff,
    unusual,
    xml_tricks,
    xml_windows,
)
from aiddesk.i18n import _

__all__ = ["RawWorkbook", "SheetData", "encrypt_file", "is_encrypted", "read_workbook", "write_atomically"]

encrypt_file = crypto.encrypt_file
is_encrypted = crypto.is_encrypted

MAX_FILE_BYTES = 256 * MIB
MAX_SMALL_XML_BYTES = 32 * MIB  # parts parsed whole with defusedxml: content types, rels, workbook
MAX_SHEET_CELLS = 10_000_000  # rows x columns calamine may allocate for one sheet
MAX_FORMULA_CELLS = 1_000_000
MAX_XML_DEPTH = 256
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
SNIFF_BYTES = 8192

WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
SHEET_STATES = ("visible", "hidden", "veryHidden")
SHEET_KINDS = {"worksheets": "worksheet", "chartsheets": "chartsheet", "dialogsheets": "dialogsheet"}
XML_SUFFIXES = (".xml", ".rels", ".vml")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MACRO_MARKERS = ("vbaproject", "macroenabled", "macrosheet", "dialogsheet", "activex")
EXTERNAL_MARKERS = ("externallink", "connections", "querytable")
EXTERNAL_PART_MARKERS = ("externallink", "querytables/", "/connections.xml")
HYPERLINK_TYPE_END = "/hyperlink"

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
CELL_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,9})")
ROW_REF = re.compile(rb"[A-Za-z]{0,3}([0-9]{1,9})")
ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
CELL_TAG_FOLLOW = (b" ", b"\t", b"\r", b"\n", b"/", b">")


@dataclass
class SheetData:
    name: str
    state: str  # "visible" | "hidden" | "veryHidden"
    rows: list[list[Any]]  # calamine's values; rows[0] is Excel row 1, rows[r][0] is column A
    formulas: set[tuple[int, int]]  # 0-based (row, col) of every cell holding a formula
    merged: list[tuple[int, int, int, int]]  # 0-based inclusive (first_row, first_col, last_row, last_col)


@dataclass
class RawWorkbook:
    sheets: dict[str, SheetData]  # in workbook order
    date1904: bool


@dataclass(frozen=True)
class _Sheet:
    name: str
    state: str
    path: str
    kind: str  # "worksheet" | "chartsheet"


@dataclass
class _Structure:
    sheets: list[_Sheet]
    date1904: bool
    parsed_parts: set[str]


@dataclass
class _SheetScan:
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


# ---------------------------------------------------------------- messages


def _macros(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s contains macros (small programs that run inside Excel). For safety, "
            "AidDesk does not open workbooks with macros. Save it as a plain Excel workbook (.xlsx) "
            "and try again."
        )
        % {"file": label}
    )


def _external_links(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is linked to other files or to data on the internet. For safety, "
            "AidDesk does not open linked workbooks. In Excel choose Data, Edit Links, Break Link "
            "(and remove any data connections), save, and try again."
        )
        % {"file": label}
    )


def _missing_sheet_list(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s has lost its list of sheets, so it is damaged. Ask the sender to "
            "export it again."
        )
        % {"file": label}
    )


def _missing_sheet(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s lists a sheet called %(sheet)s, but the sheet itself is missing "
            "from the file. The file is damaged; ask the sender to export it again."
        )
        % {"file": label, "sheet": sheet}
    )


def _damaged_sheet(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s is damaged and cannot be read. Ask the "
            "sender to export the workbook again."
        )
        % {"file": label, "sheet": sheet}
    )


def _sheet_too_large(label: str, sheet: str, rows: int, columns: int) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s is too large to read: it reaches row "
            "%(rows)s and column %(column)s. Delete the empty rows and columns far below or to the "
            "right of the data, save, and try again."
        )
        % {"file": label, "sheet": sheet, "rows": rows, "column": _column_letters(columns)}
    )


def _too_many_formulas(label: str, sheet: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The sheet %(sheet)s in the workbook %(file)s holds more formulas than this desk can "
            "check. Ask the sender to export the workbook again from AidDesk."
        )
        % {"file": label, "sheet": sheet}
    )


def _out_of_memory(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "This computer ran out of memory while reading the workbook %(file)s. Close other "
            "programs and try again, or ask the sender for a smaller workbook."
        )
        % {"file": label}
    )


def _file_too_large(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is far too large to be a workbook exported from AidDesk. Check that "
            "you chose the right file."
        )
        % {"file": label}
    )


def _ods(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s is an OpenDocument spreadsheet (.ods), not an Excel workbook (.xlsx). "
            "Open it in LibreOffice and save it as an Excel workbook (.xlsx)."
        )
        % {"file": label}
    )


# ---------------------------------------------------------------- reading


def read_workbook(
    path: Path, password: str | None = None, *, sheets: Collection[str] | None = None
) -> RawWorkbook:
    """Every sheet of the workbook at `path` with its state, formulas and merged cells, and the
    values of the sheets named in `sheets` (all when None; the others come with `rows=[]`)."""
    path = Path(path)
    label = path.name
    package = open_package(_package_bytes(path, password, label), label)
    structure = _read_structure(package)
    _check_other_parts(package, structure)
    wanted = None if sheets is None else set(sheets)
    return RawWorkbook(sheets=_read_sheets(package, structure, wanted), date1904=structure.date1904)


def _package_bytes(path: Path, password: str | None, label: str) -> bytes:
    """The file's zip package, read once into memory (so nothing can swap it between the checks and
    calamine), after unlocking it if it is password-locked."""
    data = _read_file(path, label)
    kind = sniff(data[:SNIFF_BYTES])
    if kind == "zip":
        return data
    if kind == "ole":
        return crypto.unlock(data, password, label)
    raise refuse_foreign(kind, label)


def _read_file(path: Path, label: str) -> bytes:
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > MAX_FILE_BYTES:
                raise _file_too_large(label)
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise crypto.cannot_open(label) from exc
    if len(data) > MAX_FILE_BYTES:
        raise _file_too_large(label)
    return data


# ------------------------------------------------ package structure


def _read_structure(package: ZipPackage) -> _Structure:
    _check_is_workbook(package)
    _refuse_active_part_names(package)
    _check_content_types(package, _parse_xml(package, CONTENT_TYPES))
    workbook_rels = _check_all_relationships(package)
    workbook = _parse_xml(package, WORKBOOK_PART)
    sheets = [_sheet_entry(package, element, workbook_rels) for element in _elements(workbook, "sheet")]
    _check_sheet_names(package.label, sheets)
    parsed = {CONTENT_TYPES, WORKBOOK_PART} | {name for name in package.parts if _is_rels(name)}
    return _Structure(sheets=sheets, date1904=_date1904(workbook), parsed_parts=parsed)


def _check_is_workbook(package: ZipPackage) -> None:
    parts = package.parts
    if _is_ods(package):
        raise _ods(package.label)
    if WORKBOOK_PART not in parts:
        if "xl/workbook.bin" not in parts and any(name.startswith("xl/") for name in parts):
            raise _missing_sheet_list(package.label)
        raise not_a_workbook(package.label)
    if CONTENT_TYPES not in parts or WORKBOOK_RELS not in parts:
        raise damaged(package.label)


def _is_ods(package: ZipPackage) -> bool:
    mimetype = package.parts.get("mimetype")
    return (
        mimetype is not None and mimetype.file_size < 256 and package.read("mimetype").strip() == ODS_MIMETYPE
    )


def _refuse_active_part_names(package: ZipPackage) -> None:
    for name in package.parts:
        lowered = name.lower()
        if "vbaproject" in posixpath.basename(lowered) or "/activex/" in f"/{lowered}":
            raise _macros(package.label)
    for name in package.parts:
        if any(marker in f"/{name.lower()}" for marker in EXTERNAL_PART_MARKERS):
            raise _external_links(package.label)


def _parse_xml(package: ZipPackage, name: str) -> Element:
    """A small XML part parsed by defusedxml, which refuses any DTD, entity or external reference."""
    if package.parts[name].file_size > MAX_SMALL_XML_BYTES:
        raise unusual(package.label)
    data = package.read(name)
    try:
        return SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise xml_tricks(package.label) from exc
    except SafeElementTree.ParseError as exc:
        raise damaged(package.label) from exc


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _elements(root: Element, local_name: str) -> Iterator[Element]:
    return (element for element in root.iter() if _local(element.tag) == local_name)


def _check_content_types(package: ZipPackage, types: Element) -> None:
    for element in types.iter():
        content_type = (element.get("ContentType") or "").lower()
        if any(marker in content_type for marker in MACRO_MARKERS):
            raise _macros(package.label)
        if any(marker in content_type for marker in EXTERNAL_MARKERS):
            raise _external_links(package.label)


def _is_rels(name: str) -> bool:
    return name.lower().endswith(".rels")


def _check_all_relationships(package: ZipPackage) -> dict[str, str]:
    """Refuse macro and external relationships in every .rels part; the workbook's id -> target."""
    workbook_rels: dict[str, str] = {}
    for name in filter(_is_rels, package.parts):
        for relationship in _elements(_parse_xml(package, name), "Relationship"):
            _check_relationship(package.label, relationship)
            if name == WORKBOOK_RELS:
                workbook_rels[relationship.get("Id", "")] = relationship.get("Target", "")
    return workbook_rels


def _check_relationship(label: str, relationship: Element) -> None:
    kind = (relationship.get("Type") or "").lower()
    if any(marker in kind for marker in MACRO_MARKERS):
        raise _macros(label)
    external = (relationship.get("TargetMode") or "").lower() == "external"
    if any(marker in kind for marker in EXTERNAL_MARKERS) or (
        external and not kind.endswith(HYPERLINK_TYPE_END)
    ):
        raise _external_links(label)


def _sheet_entry(package: ZipPackage, element: Element, workbook_rels: dict[str, str]) -> _Sheet:
    name = element.get("name")
    state = element.get("state") or "visible"
    target = workbook_rels.get(_relationship_id(element) or "")
    if not name or state not in SHEET_STATES or target is None:
        raise damaged(package.label)
    path = _sheet_path(target)
    folders = path.split("/")
    kind = SHEET_KINDS.get(folders[1]) if len(folders) > 2 else None
    if kind == "dialogsheet":
        raise _macros(package.label)
    if kind is None:
        raise damaged(package.label)
    if path not in package.parts:
        raise _missing_sheet(package.label, name)
    return _Sheet(name=name, state=state, path=path, kind=kind)


def _relationship_id(element: Element) -> str | None:
    for key, value in element.attrib.items():
        namespace, _brace, local = key[1:].partition("}") if key.startswith("{") else ("", "", key)
        if local == "id" and namespace.endswith("relationships"):
            return value
    return None


def _sheet_path(target: str) -> str:
    """The zip path calamine reads for a workbook relationship target (the same rule, so the part
    checked here is the part calamine parses)."""
    if target.startswith("/xl/"):
        return target[1:]
    return target if target.startswith("xl/") else f"xl/{target}"


def _check_sheet_names(label: str, sheets: list[_Sheet]) -> None:
    if len({sheet.name for sheet in sheets}) != len(sheets) or len({s.path for s in sheets}) != len(sheets):
        raise damaged(label)


def _date1904(workbook: Element) -> bool:
    return any(
        (element.get("date1904") or "").lower() in ("1", "true")
        for element in _elements(workbook, "workbookPr")
    )


def _check_other_parts(package: ZipPackage, structure: _Structure) -> None:
    """Unpack every part not parsed above and not a worksheet: real sizes, checksums and no DTD.
    calamine reads some of them (shared strings, styles) as soon as it opens the workbook."""
    worksheets = {sheet.path for sheet in structure.sheets if sheet.kind == "worksheet"}
    charts = {sheet.path for sheet in structure.sheets if sheet.kind == "chartsheet"}
    for name in package.parts:
        if name not in structure.parsed_parts and name not in worksheets:
            package.check_part(name, xml=name.lower().endswith(XML_SUFFIXES) or name in charts)


# ------------------------------------------------ sheets


def _read_sheets(package: ZipPackage, structure: _Structure, wanted: set[str] | None) -> dict[str, SheetData]:
    result: dict[str, SheetData] = {}
    with _calamine_workbook(package, structure) as workbook, ThreadPoolExecutor(max_workers=1) as pool:
        for sheet in structure.sheets:
            rows: list[list[Any]] = []
            if sheet.kind != "worksheet":
                scan = _SheetScan()
            elif wanted is None or sheet.name in wanted:
                rows, scan = _read_sheet(package, workbook, sheet, pool)
            else:
                scan = _scan_unread_sheet(package, sheet)
            result[sheet.name] = SheetData(sheet.name, sheet.state, rows, scan.formulas, scan.merged)
    return result


@contextlib.contextmanager
def _calamine_workbook(
    package: ZipPackage, structure: _Structure
) -> Iterator[python_calamine.CalamineWorkbook]:
    with _calamine_failures(package.label, None):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        names = list(workbook.sheet_names)
        kinds = [meta.typ for meta in workbook.sheets_metadata]
    if any(
        kind in (python_calamine.SheetTypeEnum.MacroSheet, python_calamine.SheetTypeEnum.Vba)
        for kind in kinds
    ):
        raise _macros(package.label)
    if names != [sheet.name for sheet in structure.sheets]:
        raise damaged(package.label)
    try:
        yield workbook
    finally:
        workbook.close()


@contextlib.contextmanager
def _calamine_failures(label: str, sheet: str | None) -> Iterator[None]:
    """Whatever calamine raises (its own errors, a Rust panic, MemoryError) becomes a rejection."""
    try:
        yield
    except (WorkbookRejected, KeyboardInterrupt, SystemExit):
        raise
    except MemoryError as exc:
        raise _out_of_memory(label) from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        raise (damaged(label) if sheet is None else _damaged_sheet(label, sheet)) from exc


def _read_sheet(
    package: ZipPackage, workbook: python_calamine.CalamineWorkbook, sheet: _Sheet, pool: ThreadPoolExecutor
) -> tuple[list[list[Any]], _SheetScan]:
    """The sheet's values and scan. Its extent is bounded before calamine allocates it; the scan
    runs beside calamine's parse, and its rejection (a DTD, a damaged part) takes precedence."""
    box = _measure(package, sheet)
    if box.exotic or box.cells > MAX_SHEET_CELLS:
        scan = _exact_scan(package, sheet, enforce_size=True)
        return _sheet_rows(package.label, workbook, sheet), scan
    future = pool.submit(_fast_scan, package, sheet, measure=False)
    try:
        rows = _sheet_rows(package.label, workbook, sheet)
    except WorkbookRejected:
        future.result()
        raise
    return rows, _scan_result(future)


def _scan_result(future: Future[_FastScan]) -> _SheetScan:
    scan = future.result()
    return _SheetScan(scan.formulas.cells, scan.merged)


def _sheet_rows(label: str, workbook: python_calamine.CalamineWorkbook, sheet: _Sheet) -> list[list[Any]]:
    with _calamine_failures(label, sheet.name):
        rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    return [] if rows == [[]] else rows


def _scan_unread_sheet(package: ZipPackage, sheet: _Sheet) -> _SheetScan:
    fast = _fast_scan(package, sheet, measure=True)
    if fast.box and fast.box.exotic:
        return _exact_scan(package, sheet, enforce_size=False)
    return _SheetScan(fast.formulas.cells, fast.merged)


# ------------------------------------------------ cell references


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _position(ref: bytes, label: str, sheet: str) -> tuple[int, int]:
    """0-based (row, column) of a cell reference as calamine reads it; refused outside Excel's grid."""
    match = CELL_REF.fullmatch(ref)
    if not match:
        raise _damaged_sheet(label, sheet)
    row, column = int(match[2]), _column_number(match[1])
    if not (1 <= row <= EXCEL_ROWS and 1 <= column <= EXCEL_COLUMNS):
        raise _damaged_sheet(label, sheet)
    return row - 1, column - 1


def _row_position(ref: bytes, label: str, sheet: str) -> int:
    match = ROW_REF.fullmatch(ref)
    if not match or not 1 <= int(match[1]) <= EXCEL_ROWS:
        raise _damaged_sheet(label, sheet)
    return int(match[1]) - 1


def _range(ref: bytes, label: str, sheet: str) -> tuple[int, int, int, int]:
    first, _colon, last = ref.partition(b":")
    top, left = _position(first, label, sheet)
    bottom, right = _position(last or first, label, sheet)
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    values: dict[bytes, bytes] = {}
    for name, double, single in ATTRIBUTE.findall(raw):
        values.setdefault(name, double or single)
    return values


def _decimal_at_most(limit: int) -> str:
    """A regex for the whole numbers 1..limit written without leading zeros."""
    digits = str(limit)
    choices = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for index, digit in enumerate(digits):
        lowest = 1 if index == 0 else 0
        if int(digit) > lowest:
            choices.append(
                f"{digits[:index]}[{lowest}-{int(digit) - 1}]" + _repeat("[0-9]", len(digits) - index - 1)
            )
    return "(?:" + "|".join([*choices, digits]) + ")"


def _letters_at_most(limit: str) -> str:
    """A regex for the column names A..limit in upper case."""
    choices = [f"[A-Z]{{1,{len(limit) - 1}}}"] if len(limit) > 1 else []
    for index, letter in enumerate(limit):
        if letter > "A":
            choices.append(
                f"{limit[:index]}[A-{chr(ord(letter) - 1)}]" + _repeat("[A-Z]", len(limit) - index - 1)
            )
    return "(?:" + "|".join([*choices, limit]) + ")"


def _repeat(pattern: str, times: int) -> str:
    return f"{pattern}{{{times}}}" if times else ""


@functools.lru_cache(maxsize=512)
def _outside_box(rows: int, columns: int) -> re.Pattern[bytes]:
    """Matches `<c` unless it starts an ordinary cell tag within `rows` x `columns`."""
    inside = _letters_at_most(_column_letters(columns)) + _decimal_at_most(rows)
    return re.compile(b'<c(?! r="' + inside.encode() + b'")')


def _rounded_up(number: int) -> int:
    step = 10 ** max(len(str(number)) - 2, 0)
    return -(-number // step) * step


class _CellBox:
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
            self._grow(int(cell[2]), _column_number(cell[1]))

    def _grow(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows = _rounded_up(row + row // 10)
        self.columns = max(self.columns, column)
        self._pattern = _outside_box(self.rows, self.columns)


def _measure(package: ZipPackage, sheet: _Sheet) -> _CellBox:
    box = _CellBox()
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
        values = _attributes(attrs)
        ref = values.get(b"ref")
        if ref and values.get(b"t") in (b"array", b"dataTable"):
            top, left, bottom, right = _range(ref, self.label, self.sheet)
            if (bottom - top + 1) * (right - left + 1) + len(self.cells) > MAX_FORMULA_CELLS:
                raise _too_many_formulas(self.label, self.sheet)
            self.cells.update((r, c) for r in range(top, bottom + 1) for c in range(left, right + 1))
            return
        self.cells.add((row, column))
        if len(self.cells) > MAX_FORMULA_CELLS:
            raise _too_many_formulas(self.label, self.sheet)


class _FastScan:
    """Formulas and merged cells of a sheet whose cell tags are all `<c r="B7" ...>`: a formula
    tag (`<f>`, or prefixed as `<x:f>`) belongs to the cell tag before it unless a `</c>` came
    between: then it is outside any cell, as Excel's `<xm:f>` in the extension lists of data
    validations after the cells. Windows without a formula or `mergeCell` cost three searches."""

    def __init__(self, label: str, sheet: str, *, measure: bool) -> None:
        self.label = label
        self.sheet = sheet
        self.formulas = _Formulas(label, sheet)
        self.merged: list[tuple[int, int, int, int]] = []
        self.box = _CellBox() if measure else None
        self.open_cell: bytes | None = None  # the ref of a cell still open where the last window ended

    def feed(self, window: bytes) -> None:
        if self.box is not None:
            self.box.feed(window)
        if FORMULA_START.search(window) or PREFIXED_FORMULA.search(window):
            for match in FORMULA_TAG.finditer(window):
                ref = self._cell_around(window, match.start())
                if ref is not None:
                    self.formulas.add(match[1], *_position(ref, self.label, self.sheet))
        if b"mergeCell" in window:
            self.merged.extend(
                _range(_merge_ref(m[1]), self.label, self.sheet) for m in MERGE_TAG.finditer(window)
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
    return _attributes(attrs).get(b"ref", b"")


def _fast_scan(package: ZipPackage, sheet: _Sheet, *, measure: bool) -> _FastScan:
    scan = _FastScan(package.label, sheet.name, measure=measure)
    for window in xml_windows(package, sheet.path):
        scan.feed(window)
    return scan


class _ExactScan:
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
            raise _damaged_sheet(self.label, self.sheet)
        if name == b"sheetData":
            self.in_data = True
        elif self.cell is not None or not self.in_data or self.data_done:
            self._other(name, attrs)
        elif name == b"row":
            ref = _attributes(attrs).get(b"r")
            if ref is not None:
                self.row = _row_position(ref, self.label, self.sheet)
        elif name == b"c":
            self._open_cell(attrs, valued=valued)

    def _other(self, name: bytes, attrs: bytes) -> None:
        if name == b"mergeCell":
            self.merged.append(_range(_merge_ref(attrs), self.label, self.sheet))
        elif self.cell is None:
            return
        elif name in (b"c", b"row"):
            raise _damaged_sheet(self.label, self.sheet)
        elif name == b"f":
            self.formulas.add(attrs, *self.cell)

    def _open_cell(self, attrs: bytes, *, valued: bool) -> None:
        """A cell; one that cannot hold a value (`<c .../>`) is left out of the extent, as calamine
        leaves out every empty cell."""
        ref = _attributes(attrs).get(b"r")
        if ref is not None:
            row, self.column = _position(ref, self.label, self.sheet)
            self.cell = (row, self.column)
        else:
            self.cell = (self.row, self.column)
        if valued:
            self.last_row = max(self.last_row, self.cell[0])
            self.last_column = max(self.last_column, self.cell[1])

    def _close(self, name: bytes) -> None:
        if not self.stack or self.stack.pop() != name:
            raise _damaged_sheet(self.label, self.sheet)
        if name == b"c" and self.cell is not None:
            self.cell = None
            self.column += 1
        elif name == b"row" and self.in_data and not self.data_done:
            self.row += 1
            self.column = 0
        elif name == b"sheetData":
            self.data_done = True


def _exact_scan(package: ZipPackage, sheet: _Sheet, *, enforce_size: bool) -> _SheetScan:
    scan = _ExactScan(package.label, sheet.name)
    for window in xml_windows(package, sheet.path):
        scan.feed(window)
    rows, columns = scan.last_row + 1, scan.last_column + 1
    if enforce_size and (rows > EXCEL_ROWS or rows * columns > MAX_SHEET_CELLS):
        raise _sheet_too_large(package.label, sheet.name, rows, columns)
    return _SheetScan(scan.formulas.cells, scan.merged)


# ---------------------------------------------------------------- writing


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` with a temporary file beside `target` (same suffix, so writers accept it),
    flush it to disk and rename it over `target`: a reader sees the old file or the new one, never
    half of one. The temporary file is removed on any failure. The file keeps `target`'s
    permissions when it replaces one; a new file is readable by its owner only (it may hold
    personal data)."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".~{target.stem}.", suffix=target.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        _flush_to_disk(temporary)
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):  # still open in a writer on Windows: leave it, keep the error
            temporary.unlink(missing_ok=True)
        raise
    _flush_folder(target.parent)


def _flush_to_disk(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _keep_mode(target: Path, temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.chmod(temporary, target.stat().st_mode & 0o7777)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder this way)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
