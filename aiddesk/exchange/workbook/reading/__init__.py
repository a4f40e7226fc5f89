"""Reading a workbook safely, one module per step in the order the data passes through them
(see workbook.py): refusals, file kind and password, zip guard, structure, sheet scan, calamine."""

from aiddesk.exchange.workbook.reading.calamine_cells import SheetData
from aiddesk.exchange.workbook.reading.file_kind import is_encrypted
from aiddesk.exchange.workbook.reading.workbook import RawWorkbook, read_workbook

__all__ = ["RawWorkbook", "SheetData", "is_encrypted", "read_workbook"]
