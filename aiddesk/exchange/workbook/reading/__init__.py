"""Reading a workbook safely, one module per step in the order the data passes through them
(see workbook.py): refusals, file kind and password, zip guard, structure, sheet scan, calamine."""

from aiddesk.exchange.workbook.reading.calamine_cells import SheetData
from aiddesk.exchange.workbook.reading.file_kind import is_encrypted
from aiddesk.exchange.workbook.reading.workbook import (
    OpenedWorkbook,
    RawWorkbook,
    WorkbookFile,
    open_workbook,
    read_workbook,
)

__all__ = [
    "OpenedWorkbook",
    "RawWorkbook",
    "SheetData",
    "WorkbookFile",
    "is_encrypted",
    "open_workbook",
    "read_workbook",
]
