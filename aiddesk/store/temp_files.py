"""Temporary files this desk writes beside the files it makes (an export, a backup), journaled so
that one left behind by a killed process is removed at the next start, wherever it was written.

    temp_files = TempFiles(data_dir)
    temporary = temp_files.create_beside(target)   # journaled first, then created (owner-only)
    ... write temporary.file, rename temporary.path over target ...
    temp_files.finished(temporary)                 # or discard(temporary) when it failed
    temp_files.sweep()                             # at the start of every command and of the app

The journal is the folder `<data>/temp-journal/`: one small entry file per temporary file, holding
the id of the process that wrote it and the temporary file's absolute path. The entry is flushed
to disk before the temporary file is created, so no temporary file exists without its entry. An
entry is only ever removed by its own process (when the file is renamed or discarded) or by a
sweep once that process has ended; a sweep leaves alone the files of a process still running
(the window and a command may use the same data folder at once)."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote_from_bytes, unquote_to_bytes

from aiddesk.store.durable import flush_folder

log = logging.getLogger(__name__)

JOURNAL_NAME = "temp-journal"
PREFIX = ".~"  # every temporary file's name starts so: hidden, and never taken for a workbook
ENTRY_SUFFIX = ".entry"
MAX_STEM = 80  # characters of the target's name kept in the temporary name (names stay < 255 bytes)
MAX_ENTRY_BYTES = 64 * 1024


@dataclass
class Temporary:
    """A journaled temporary file, created empty and open for writing (binary)."""

    path: Path
    file: BinaryIO
    entry: Path = field(repr=False)


class TempFiles:
    def __init__(self, data_dir: Path) -> None:
        self.journal = Path(data_dir) / JOURNAL_NAME

    def create_beside(self, target: Path) -> Temporary:
        """A new owner-only temporary file in `target`'s folder, named after it (same suffix, so
        writers accept it). OSError when the journal or the file cannot be created; then nothing
        is left behind."""
        target = Path(os.path.abspath(target))
        token = secrets.token_hex(6)
        path = target.parent / f"{PREFIX}{target.stem[:MAX_STEM]}.{token}{target.suffix}"
        entry = self._write_entry(token, path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
        except BaseException:
            _remove(entry)
            raise
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # whatever the umask
        return Temporary(path, os.fdopen(fd, "w+b"), entry)

    def finished(self, temporary: Temporary) -> None:
        """The temporary file was renamed into place (or removed): forget it."""
        with contextlib.suppress(OSError):
            temporary.file.close()
        _remove(temporary.entry)

    def discard(self, temporary: Temporary) -> None:
        """Remove the temporary file, then forget it. If it cannot be removed now (still open
        elsewhere on Windows), its entry stays and a later sweep removes it."""
        with contextlib.suppress(OSError):
            temporary.file.close()
        try:
            temporary.path.unlink(missing_ok=True)
        except OSError:
            log.warning(
                "could not remove the temporary file %s; it is removed at the next start", temporary.path
            )
            return
        _remove(temporary.entry)

    def sweep(self) -> list[Path]:
        """Remove the temporary files of every process that ended without finishing them, and
        their entries; the files removed. Never raises: what cannot be removed now is logged and
        tried again next time."""
        removed: list[Path] = []
        try:
            entries = sorted(self.journal.glob(f"*{ENTRY_SUFFIX}"))
        except OSError:
            log.warning("could not read the journal of temporary files %s", self.journal, exc_info=True)
            return removed
        for entry in entries:
            read = _read_entry(entry)
            if read is None:
                _remove(entry)
                continue
            pid, path = read
            if _running(pid):
                continue
            if path is not None and path.name.startswith(
                PREFIX
            ):  # never anything but our own temporary files
                try:
                    if path.is_file() or path.is_symlink():
                        path.unlink()
                        removed.append(path)
                except OSError:
                    log.warning("could not remove the temporary file %s", path, exc_info=True)
                    continue
            _remove(entry)
        if removed:
            log.info("removed %d temporary file(s) left by a stopped export", len(removed))
        return removed

    def _write_entry(self, token: str, path: Path) -> Path:
        self.journal.mkdir(mode=0o700, parents=True, exist_ok=True)
        entry = self.journal / f"{token}{ENTRY_SUFFIX}"
        text = f"{os.getpid()}\n{quote_from_bytes(os.fsencode(path), safe='/:')}\n".encode("ascii")
        fd = os.open(entry, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
        try:
            os.write(fd, text)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            _remove(entry)
            raise
        os.close(fd)
        flush_folder(self.journal)
        return entry


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _read_entry(entry: Path) -> tuple[int, Path | None] | None:
    """(process id, temporary path) of an entry; None when it is not an entry at all. A path of
    None: the entry was cut short (the process died writing it) before the file was created."""
    try:
        with entry.open("rb") as file:
            data = file.read(MAX_ENTRY_BYTES)
    except OSError:
        return None
    lines = data.split(b"\n")
    try:
        pid = int(lines[0])
    except ValueError:
        return None
    if len(lines) < 3 or not lines[1]:
        return pid, None
    return pid, Path(os.fsdecode(unquote_to_bytes(lines[1])))


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path, exc_info=True)


def _running(pid: int) -> bool:
    """Whether process `pid` still runs (this one does)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":
        return _running_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it runs, as another user
        return True
    except OSError:
        return False
    return True


def _running_on_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return bool(kernel32.GetLastError() == access_denied)
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
