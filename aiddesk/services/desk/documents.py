"""Saving a printed document (route sheets, lists, reports) as exports are saved.

The PDF is made in memory; its bytes go to a journaled temporary file beside the target,
owner-only, which replaces the target only once complete. A route sheet or a call-back list
names people: a killed save leaves nothing behind (the next start sweeps the journal), and a
link, device or folder is refused as a target."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from aiddesk.exchange.workbook.saving import write_atomically
from aiddesk.store.temp_files import TempFiles


def save_document(data: bytes, path: Path, data_dir: Path) -> None:
    """Put `data` at `path` (ExportRefused naming `path` when it cannot be written there)."""

    def write(file: BinaryIO) -> None:
        file.write(data)

    write_atomically(Path(path), write, temp_files=TempFiles(data_dir))
