"""Step 6 of reading a workbook: python-calamine reads the values of the sheets asked for, each
sheet only after step 5 bounded its extent, with its formula and merged-cell scan running beside
calamine's parse. Whatever calamine raises (its own errors, a Rust panic, running out of memory)
becomes a refusal that says which sheet."""

from __future__ import annotations

import contextlib
import io
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
    scan_unread_sheet,
)
from aiddesk.exchange.workbook.reading.structure import Sheet, Structure
from aiddesk.exchange.workbook.reading.zip_guard import ZipPackage


@dataclass
class SheetData:
    name: str
    state: str  # "visible" | "hidden" | "veryHidden"
    rows: list[list[Any]]  # calamine's values; rows[0] is Excel row 1, rows[r][0] is column A
    formulas: set[tuple[int, int]]  # 0-based (row, col) of every cell holding a formula
    merged: list[tuple[int, int, int, int]]  # 0-based inclusive (first_row, first_col, last_row, last_col)


def read_sheets(package: ZipPackage, structure: Structure, wanted: set[str] | None) -> dict[str, SheetData]:
    result: dict[str, SheetData] = {}
    with _calamine_workbook(package, structure) as workbook, ThreadPoolExecutor(max_workers=1) as pool:
        for sheet in structure.sheets:
            rows: list[list[Any]] = []
            if sheet.kind != "worksheet":
                scan = SheetScan()
            elif wanted is None or sheet.name in wanted:
                rows, scan = _read_sheet(package, workbook, sheet, pool)
            else:
                scan = scan_unread_sheet(package, sheet)
            result[sheet.name] = SheetData(sheet.name, sheet.state, rows, scan.formulas, scan.merged)
    return result


@contextlib.contextmanager
def _calamine_workbook(
    package: ZipPackage, structure: Structure
) -> Iterator[python_calamine.CalamineWorkbook]:
    with calamine_failures(package.label, None):
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        names = list(workbook.sheet_names)
        kinds = [meta.typ for meta in workbook.sheets_metadata]
    if any(
        kind in (python_calamine.SheetTypeEnum.MacroSheet, python_calamine.SheetTypeEnum.Vba)
        for kind in kinds
    ):
        raise macros(package.label)
    if names != [sheet.name for sheet in structure.sheets]:
        raise damaged(package.label)
    try:
        yield workbook
    finally:
        workbook.close()


@contextlib.contextmanager
def calamine_failures(label: str, sheet: str | None) -> Iterator[None]:
    """Whatever calamine raises (its own errors, a Rust panic, MemoryError) becomes a rejection."""
    try:
        yield
    except (WorkbookRejected, KeyboardInterrupt, SystemExit):
        raise
    except MemoryError as exc:
        raise out_of_memory(label) from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        raise (damaged(label) if sheet is None else damaged_sheet(label, sheet)) from exc


def _read_sheet(
    package: ZipPackage, workbook: python_calamine.CalamineWorkbook, sheet: Sheet, pool: ThreadPoolExecutor
) -> tuple[list[list[Any]], SheetScan]:
    """The sheet's values and scan. Its extent is bounded before calamine allocates it; the scan
    runs beside calamine's parse, and its rejection (a DTD, a damaged part) takes precedence."""
    box = measure(package, sheet)
    if box.exotic or box.cells > MAX_SHEET_CELLS:
        scan = exact_scan(package, sheet, enforce_size=True)
        return _sheet_rows(package.label, workbook, sheet), scan
    future = pool.submit(fast_scan, package, sheet, measure=False)
    try:
        rows = _sheet_rows(package.label, workbook, sheet)
    except WorkbookRejected:
        future.result()
        raise
    return rows, _scan_result(future)


def _scan_result(future: Future[FastScan]) -> SheetScan:
    scan = future.result()
    return SheetScan(scan.formulas.cells, scan.merged)


def _sheet_rows(label: str, workbook: python_calamine.CalamineWorkbook, sheet: Sheet) -> list[list[Any]]:
    with calamine_failures(label, sheet.name):
        rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
    return [] if rows == [[]] else rows
