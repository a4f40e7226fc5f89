"""Reading a foreign spreadsheet for the legacy import: the visible sheets of an `.xlsx` workbook
(through the same hardened container as exchange workbooks) or the one table of a `.csv` file.

An AidDesk exchange workbook (it has a `_meta` sheet) is refused here: it is merged, not
imported. Everything wrong with the file as a whole raises WorkbookRejected with a translated
message; what is wrong with single cells is for the row conversion to report."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from aiddesk.domain.markers import N_
from aiddesk.domain.sheet_row import SheetTable
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading.refusals import cannot_open, label_of
from aiddesk.i18n import _

META_SHEET = (
    "_meta"  # aiddesk.exchange.workbook.layout.META_SHEET (not imported: layout pulls in i18n tables)
)
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000
_DELIMITERS = ",;\t"


def _refuse(message: str, **params: object) -> WorkbookRejected:
    return WorkbookRejected(_(message) % params if params else _(message))


def read_sheets(path: Path) -> list[SheetTable]:
    """The sheets a person can see, in the workbook's order (a CSV file is one sheet named after
    the file)."""
    suffix = path.suffix.lower()
    if not os.path.lexists(path):
        raise _refuse(N_("There is no file %(file)s."), file=str(path))
    from aiddesk.exchange.workbook.reading.file_kind import (
        check_ordinary_file,  # msoffcrypto: not at start-up
    )

    try:
        check_ordinary_file(path, label_of(path))
    except OSError as exc:
        raise cannot_open(label_of(path)) from exc
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path)]
    if suffix != ".xlsx":
        raise _refuse(
            N_(
                "%(file)s is not a spreadsheet AidDesk can read. Save it as an Excel workbook (.xlsx) or as CSV (.csv)."
            ),
            file=label_of(path),
        )
    from aiddesk.exchange.workbook.reading import read_workbook

    workbook = read_workbook(path, None)
    if META_SHEET in workbook.sheets:
        raise _refuse(
            N_(
                "%(file)s is an AidDesk exchange workbook from another desk. Bring it in with “Merge a "
                "workbook” (aiddesk merge), not as a spreadsheet import."
            ),
            file=label_of(path),
        )
    sheets = [
        SheetTable(s.name, list(s.rows), frozenset(s.formulas), tuple(s.merged))
        for s in workbook.sheets.values()
        if s.state == "visible"
    ]
    if not sheets:
        raise _refuse(N_("%(file)s has no visible sheet to import."), file=label_of(path))
    for sheet in sheets:
        _check_size(sheet, label_of(path))
    return sheets


def _check_size(sheet: SheetTable, name: str) -> None:
    if len(sheet.rows) > MAX_ROWS:
        raise _refuse(
            N_("The sheet “%(sheet)s” of %(file)s has more than %(max)d rows; split it into smaller files."),
            sheet=sheet.name,
            file=name,
            max=MAX_ROWS,
        )


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without a byte order mark), UTF-16 with one, else Windows' Western encoding
    (what Excel's plain "CSV" writes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _refuse(N_("%(file)s cannot be read: its text is damaged."), file=name) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path) -> SheetTable:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise _refuse(
            N_("%(file)s is too large to import (more than %(max)d MB)."),
            file=label_of(path),
            max=MAX_CSV_BYTES // 2**20,
        )
    text = _decode(path.read_bytes(), label_of(path))
    if "\x00" in text:
        raise _refuse(
            N_("%(file)s is not a text file; save the spreadsheet as CSV again."), file=label_of(path)
        )
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:65536], delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    try:
        rows: list[list[object]] = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as error:
        raise _refuse(
            N_("%(file)s cannot be read as CSV: %(reason)s"), file=label_of(path), reason=str(error)
        ) from None
    sheet = SheetTable(path.stem, rows)
    _check_size(sheet, label_of(path))
    return sheet
