"""Writing small files that must survive a crash whole: owner-only, through a temporary file
beside the target that is flushed and renamed, then the folder flushed so the new name stays."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def flush_folder(folder: Path) -> None:
    """Make a new name in `folder` durable (POSIX; Windows cannot open a folder this way, and not
    every file system allows it: then nothing is done)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_private(path: Path, data: bytes, temp_prefix: str) -> None:
    """`data` into `path`, owner-only, complete or not at all. The temporary file is named
    `temp_prefix…` beside `path`, so its owner's sweep can remove one a crash left."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f"{temp_prefix}{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
    flush_folder(path.parent)
