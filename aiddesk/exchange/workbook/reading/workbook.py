"""Reading a workbook safely into plain rows: the steps in the order the data passes through them.

1. refusals.py: what is said when a workbook is refused (every step raises these).
2. file_kind.py: what kind of file it is; a plain one read in place, a locked one unlocked.
3. zip_guard.py: the zip directory checked against zip bombs; parts unpacked in small steps.
4. structure.py: content types, relationships and the list of sheets; macros and links refused.
5. sheet_scan.py: each sheet's extent bounded; its formulas and merged cells found.
6. calamine_cells.py: python-calamine reads the cell values.

`open_workbook` refuses, with a message a volunteer understands, anything wrong with the file as
a whole (docs/exchange-format.md, "Refusal cases"): not a workbook, cut short, locked, a zip bomb,
XML entity tricks, macros, links to other files, missing parts, sheets too large to hold. Only
then does calamine read the cell values, one sheet at a time: `rows()` gives a sheet's rows as
they are asked for, and only that sheet is held while they are. `read_workbook` reads them all."""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading.calamine_cells import (
    SheetData,
    calamine_workbook,
    read_sheet,
)
from aiddesk.exchange.workbook.reading.file_kind import package_source
from aiddesk.exchange.workbook.reading.refusals import changed_meanwhile, label_of
from aiddesk.exchange.workbook.reading.sheet_scan import SheetScan, scan_unread_sheet
from aiddesk.exchange.workbook.reading.structure import Sheet, check_other_parts, read_structure
from aiddesk.exchange.workbook.reading.zip_guard import (
    PackageBytes,
    PackageFile,
    PackageMemory,
    ZipPackage,
    open_package,
)


@dataclass
class RawWorkbook:
    sheets: dict[str, SheetData]  # in workbook order
    date1904: bool


class OpenedWorkbook:
    """A workbook checked as a whole, its sheets read one at a time."""

    def __init__(self, package: ZipPackage, sheets: list[Sheet], date1904: bool, calamine: Any) -> None:
        self._package = package
        self.sheets = {sheet.name: sheet for sheet in sheets}
        self.date1904 = date1904
        self._calamine = calamine
        self._pool = ThreadPoolExecutor(max_workers=1)

    @property
    def label(self) -> str:
        return self._package.label

    def read(self, name: str) -> SheetData:
        """The whole sheet `name` (it must be one of `sheets`)."""
        sheet = self.sheets[name]
        if sheet.kind != "worksheet":
            return SheetData(name, sheet.state, [], set(), [])
        rows, scan = read_sheet(self._package, self._calamine, sheet, self._pool)
        return SheetData(name, sheet.state, list(rows), scan.formulas, scan.merged)

    def rows(self, name: str) -> tuple[SheetScan, Iterator[list[Any]]]:
        """The sheet's formulas and merged cells, and its rows one at a time (rows[0] is Excel
        row 1, column A first). Only this sheet's values are held while they are read."""
        sheet = self.sheets[name]
        if sheet.kind != "worksheet":
            return SheetScan(), iter(())
        rows, scan = read_sheet(self._package, self._calamine, sheet, self._pool)
        return scan, rows

    def part_crc(self, name: str) -> tuple[int, int]:
        """CRC-32 and size of the sheet's XML as the zip directory records them (nothing is
        unpacked: when they are what its writer recorded, the sheet is as written)."""
        info = self._package.parts[self.sheets[name].path]
        return info.CRC, info.file_size

    def scan(self, name: str) -> SheetScan:
        """The sheet's formulas and merged cells, its values not read."""
        sheet = self.sheets[name]
        return SheetScan() if sheet.kind != "worksheet" else scan_unread_sheet(self._package, sheet)

    def still_same(self) -> None:
        """Refuse the workbook when its file was replaced or changed while it was read (a sync
        tool still writing it)."""
        if not self._package.data.same():
            raise changed_meanwhile(self.label)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        with contextlib.suppress(Exception):
            self._calamine.close()
        if isinstance(self._package.data, PackageFile) and not isinstance(self._package.data, PackageMemory):
            self._package.data.close()  # a locked workbook's unlocked package is kept to read again


class WorkbookFile:
    """A workbook that can be opened again and again, always the same: a locked one is unlocked
    once and its package kept in memory; a plain one is read in place from its file, and opening
    it again refuses it when the file was replaced or changed meanwhile."""

    def __init__(self, path: Path, password: str | None = None) -> None:
        self.path = Path(path)
        self.label = label_of(self.path)
        self._password = password
        self._unlocked: PackageBytes | PackageMemory | None = None
        self._identity: tuple[int, int, int, int] | None = None

    def _source(self) -> PackageBytes | PackageFile:
        if self._unlocked is not None:
            return self._unlocked
        data = package_source(self.path, self._password, self.label)
        if isinstance(data, PackageBytes | PackageMemory):
            self._unlocked, self._password = data, None
        elif self._identity is None:
            self._identity = data.identity
        elif data.identity != self._identity:
            data.close()
            raise changed_meanwhile(self.label)
        return data

    @contextlib.contextmanager
    def open(self) -> Iterator[OpenedWorkbook]:
        """The workbook, checked as a whole; read its sheets inside the `with`."""
        with _opened(self._source(), self.label) as opened:
            yield opened


@contextlib.contextmanager
def open_workbook(path: Path, password: str | None = None) -> Iterator[OpenedWorkbook]:
    """The workbook at `path`, checked as a whole; read its sheets inside the `with`."""
    with WorkbookFile(path, password).open() as opened:
        yield opened


@contextlib.contextmanager
def _opened(data: PackageBytes | PackageFile, label: str) -> Iterator[OpenedWorkbook]:
    try:
        package = open_package(data, label)
        structure = read_structure(package)
        check_other_parts(package, structure)
        if not data.same():
            raise changed_meanwhile(label)
        calamine = calamine_workbook(package, structure)
    except BaseException as exc:
        changed = isinstance(exc, WorkbookRejected) and not data.same()
        if isinstance(data, PackageFile) and not isinstance(data, PackageMemory):
            data.close()
        if changed:  # what looked cut short or damaged was a file written over while it was read
            raise changed_meanwhile(label) from exc
        raise
    opened = OpenedWorkbook(package, structure.sheets, structure.date1904, calamine)
    try:
        yield opened
        opened.still_same()
    except WorkbookRejected as exc:
        if not data.same():
            raise changed_meanwhile(label) from exc
        raise
    finally:
        opened.close()


def read_workbook(
    path: Path, password: str | None = None, *, sheets: Collection[str] | None = None
) -> RawWorkbook:
    """Every sheet of the workbook at `path` with its state, formulas and merged cells, and the
    values of the sheets named in `sheets` (all when None; the others come with `rows=[]`)."""
    wanted = None if sheets is None else set(sheets)
    result: dict[str, SheetData] = {}
    with open_workbook(path, password) as book:
        for name, sheet in book.sheets.items():
            if wanted is None or name in wanted or sheet.kind != "worksheet":
                result[name] = book.read(name)
            else:
                scan = book.scan(name)
                result[name] = SheetData(name, sheet.state, [], scan.formulas, scan.merged)
        date1904 = book.date1904
    return RawWorkbook(sheets=result, date1904=date1904)


__all__ = ["OpenedWorkbook", "RawWorkbook", "WorkbookFile", "open_workbook", "read_workbook"]
