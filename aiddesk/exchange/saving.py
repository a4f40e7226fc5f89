"""Writing an exported file so that no reader ever sees half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` with a temporary file beside `target` (same suffix, so writers accept it),
    flush it to disk and rename it over `target`: a reader sees the old file or the new one, never
    half of one. The temporary file is removed on any failure. The file keeps `target`'s
    permissions when it replaces one; a new file is readable by its owner only (it may hold
    personal data)."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".~{target.stem}.", suffix=target.suffix)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        _flush_to_disk(temporary)
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):  # still open in a writer on Windows: leave it, keep the error
            temporary.unlink(missing_ok=True)
        raise
    _flush_folder(target.parent)


def _flush_to_disk(path: Path) -> None:
    with path.open("rb+") as file:
        os.fsync(file.fileno())


def _keep_mode(target: Path, temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.chmod(temporary, target.stat().st_mode & 0o7777)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a folder this way)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
