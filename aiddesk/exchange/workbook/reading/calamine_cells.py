"""Step 6 of reading a workbook: python-calamine reads the values of the sheets asked for, each
sheet only after step 5 bounded its extent, with its formula and merged-cell scan running beside
calamine's parse. Whatever calamine raises (its own errors, a Rust panic, running out of memory)
becomes a refusal that says which sheet."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import python_calamine

from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading.refusals import damaged, damaged_sheet, macros, out_of_memory
from aiddesk.exchange.workbook.reading.sheet_scan import (
    MAX_SHEET_CELLS,
    FastScan,
    SheetScan,
    exact_scan,
    fast_scan,
    measure,
)
from aiddesk.exchange.workbook.reading.structure import Sheet, Structure
from aiddesk.exchange.workbook.reading.zip_guard import PackageFile, ZipPackage
from aiddesk.store.foreground import give_way


@dataclass
class SheetData:
    name: str
    state: str  # "visible" | "hidden" | "veryHidden"
    rows: list[list[Any]]  # calamine's values; rows[0] is Excel row 1, rows[r][0] is column A
    formulas: set[tuple[int, int]]  # 0-based (row, col) of every cell holding a formula
    merged: list[tuple[int, int, int, int]]  # 0-based inclusive (first_row, first_col, last_row, last_col)


def calamine_workbook(package: ZipPackage, structure: Structure) -> python_calamine.CalamineWorkbook:
    """calamine's view of the checked package: read from the file itself when the package is read
    in place (no copy of a big workbook in memory), else from the bytes."""
    data = package.data
    with calamine_failures(package.label, None):
        by_name = data.calamine_path() if isinstance(data, PackageFile) else None
        if by_name is not None:
            workbook = python_calamine.CalamineWorkbook.from_path(by_name)
        else:
            workbook = python_calamine.CalamineWorkbook.from_filelike(data.file())
    try:
        with calamine_failures(package.label, None):
            names = list(workbook.sheet_names)
            kinds = [meta.typ for meta in workbook.sheets_metadata]
        if any(
            kind in (python_calamine.SheetTypeEnum.MacroSheet, python_calamine.SheetTypeEnum.Vba)
            for kind in kinds
        ):
            raise macros(package.label)
        if names != [sheet.name for sheet in structure.sheets]:
            raise damaged(package.label)
    except BaseException:
        workbook.close()
        raise
    return workbook


@contextlib.contextmanager
def calamine_failures(label: str, sheet: str | None) -> Iterator[None]:
    """Whatever calamine raises (its own errors, a Rust panic, MemoryError) becomes a rejection."""
    try:
        yield
    except (WorkbookRejected, KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except MemoryError as exc:
        raise out_of_memory(label) from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        raise (damaged(label) if sheet is None else damaged_sheet(label, sheet)) from exc


def read_sheet(
    package: ZipPackage, workbook: python_calamine.CalamineWorkbook, sheet: Sheet, pool: ThreadPoolExecutor
) -> tuple[Iterator[list[Any]], SheetScan]:
    """The sheet's rows, given one at a time, and its scan. Its extent is bounded before calamine
    allocates it; the scan runs beside calamine's parse, and its rejection (a DTD, a damaged part)
    takes precedence."""
    box = measure(package, sheet)
    if box.exotic or box.cells > MAX_SHEET_CELLS:
        scan = exact_scan(package, sheet, enforce_size=True)
        return sheet_rows(package.label, workbook, sheet), scan
    future = pool.submit(fast_scan, package, sheet, measure=False)
    try:
        rows = sheet_rows(package.label, workbook, sheet)
    except WorkbookRejected:
        future.result()
        raise
    return rows, _scan_result(future)


def _scan_result(future: Future[FastScan]) -> SheetScan:
    scan = future.result()
    return SheetScan(scan.formulas.cells, scan.merged)


def sheet_rows(label: str, workbook: python_calamine.CalamineWorkbook, sheet: Sheet) -> Iterator[list[Any]]:
    """calamine parses the whole sheet now (its values stay in calamine's memory, not as Python
    objects); its rows become Python lists one at a time, as read. Rows are padded from column A
    as Excel numbers them (calamine starts them at the first column used)."""
    with calamine_failures(label, sheet.name):
        values = workbook.get_sheet_by_name(sheet.name)
        start = values.start
    return _rows(label, sheet.name, values, start[1] if start else 0)


def _rows(label: str, name: str, values: python_calamine.CalamineSheet, skipped: int) -> Iterator[list[Any]]:
    pad = [""] * skipped
    with calamine_failures(label, name):
        for row in values.iter_rows():
            give_way()  # a background pass lets a save go first (store/foreground.py)
            if row == [] and not skipped:
                continue
            yield pad + row if skipped else row
