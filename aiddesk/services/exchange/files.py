"""What the screens may ask about a workbook file without the workbook code: why one was refused,
whether it is encrypted, and the header of a workbook column."""

from __future__ import annotations

from pathlib import Path

from aiddesk.exchange.workbook import layout
from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected

__all__ = ["ExportRefused", "WorkbookRejected", "column_header", "file_label", "is_encrypted"]


def is_encrypted(path: Path) -> bool:
    """Whether the file is an encrypted workbook (raises OSError, WorkbookRejected)."""
    from aiddesk.exchange.workbook import container  # imported when a file is chosen: start-up stays quick

    return bool(container.is_encrypted(path))


def file_label(path: Path) -> str:
    """The file's name as the merge's messages and report show it: bytes of a name that are not
    UTF-8 (a USB stick written on another system) as "\N{REPLACEMENT CHARACTER}" (Qt would drop them)."""
    from aiddesk.exchange.workbook.reading.refusals import label_of

    return label_of(path)


def column_header(key: str) -> str | None:
    """The header of a workbook column ("phone") as marked for translation (English), or None."""
    for sheet in layout.SHEETS:
        for column in sheet.columns:
            if column.key == key:
                return column.header
    return None
