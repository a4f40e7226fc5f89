"""Reading a workbook safely into plain rows: the steps in the order the data passes through them.

1. refusals.py: what is said when a workbook is refused (every step raises these).
2. file_kind.py: the file read once into memory; what kind of file it is; a locked one unlocked.
3. zip_guard.py: the zip directory checked against zip bombs; parts unpacked in small steps.
4. structure.py: content types, relationships and the list of sheets; macros and links refused.
5. sheet_scan.py: each sheet's extent bounded; its formulas and merged cells found.
6. calamine_cells.py: python-calamine reads the cell values.

`read_workbook` refuses, with a message a volunteer understands, anything wrong with the file as
a whole (docs/exchange-format.md, "Refusal cases"): not a workbook, cut short, locked, a zip bomb,
XML entity tricks, macros, links to other files, missing parts, sheets too large to hold. Only
then does calamine read the cell values."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from aiddesk.exchange.workbook.reading.calamine_cells import SheetData, read_sheets
from aiddesk.exchange.workbook.reading.file_kind import package_bytes
from aiddesk.exchange.workbook.reading.refusals import label_of
from aiddesk.exchange.workbook.reading.structure import check_other_parts, read_structure
from aiddesk.exchange.workbook.reading.zip_guard import open_package


@dataclass
class RawWorkbook:
    sheets: dict[str, SheetData]  # in workbook order
    date1904: bool


def read_workbook(
    path: Path, password: str | None = None, *, sheets: Collection[str] | None = None
) -> RawWorkbook:
    """Every sheet of the workbook at `path` with its state, formulas and merged cells, and the
    values of the sheets named in `sheets` (all when None; the others come with `rows=[]`)."""
    path = Path(path)
    label = label_of(path)
    package = open_package(package_bytes(path, password, label), label)
    structure = read_structure(package)
    check_other_parts(package, structure)
    wanted = None if sheets is None else set(sheets)
    return RawWorkbook(sheets=read_sheets(package, structure, wanted), date1904=structure.date1904)
