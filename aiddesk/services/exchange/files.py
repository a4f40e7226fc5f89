"""What the screens may ask about a workbook file without the workbook code: why one was refused,
whether it is encrypted, and the header of a workbook column."""

from __future__ import annotations

from pathlib import Path

from aiddesk.exchange.workbook import layout
from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected

__all__ = ["ExportRefused", "WorkbookRejected", "column_header", "is_encrypted"]


def is_encrypted(path: Path) -> bool:
    """Whether the file is an encrypted workbook (raises OSError, WorkbookRejected)."""
    from aiddesk.exchange.workbook import container  # imported when a file is chosen: start-up stays quick

    return bool(container.is_encrypted(path))


def column_header(key: str) -> str | None:
    """The header of a workbook column ("phone") as marked for translation (English), or None."""
    for sheet in layout.SHEETS:
        for column in sheet.columns:
            if column.key == key:
                return column.header
    return None
