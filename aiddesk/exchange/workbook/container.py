"""Where reading a workbook and writing an exported file used to live, kept so that imports of
`aiddesk.exchange.workbook.container` keep working while modules move. Reading is one module per step in
aiddesk/exchange/reading/; locking with a password is
aiddesk/exchange/crypto.py; writing an exported file is aiddesk/exchange/saving.py."""

from __future__ import annotations

from aiddesk.exchange.workbook.crypto import encrypt_file
from aiddesk.exchange.workbook.reading import RawWorkbook, SheetData, is_encrypted, read_workbook
from aiddesk.exchange.workbook.saving import write_atomically

__all__ = ["RawWorkbook", "SheetData", "encrypt_file", "is_encrypted", "read_workbook", "write_atomically"]
