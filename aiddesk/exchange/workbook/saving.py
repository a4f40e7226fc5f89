"""Writing an exported file: owner-only, complete or not at all, never through something else.

- The target must be an ordinary file or not exist yet: a folder, a device (`/dev/full`), a named
  pipe or a link is refused, naming it, and left as it was. A link is refused rather than
  followed: a link in an export or exchange folder could send a workbook full of private
  information anywhere (another user's folder, a synced cloud folder) without anyone noticing.
- The file is written under a temporary name beside the target, journaled in the data folder
  (aiddesk/store/temp_files.py) before it is created, so a killed export leaves nothing the next
  start does not remove; then flushed to disk and renamed over the target: a reader sees the old
  file or the new one, never half of one.
- The new file is readable by its owner only (0600), whatever was there before.
- With a password, the workbook is packed in memory and only its locked form is written: the
  plain workbook never exists in a file, not even for a moment. It is held in pieces of memory
  given back as they are locked (memory_file.py): peak memory grows by about the workbook's size."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, cast

from aiddesk.domain.markers import N_
from aiddesk.exchange.workbook import crypto
from aiddesk.exchange.workbook.errors import ExportRefused
from aiddesk.exchange.workbook.memory_file import PiecesInMemory
from aiddesk.exchange.workbook.reading.refusals import label_of
from aiddesk.store.durable import flush_folder
from aiddesk.store.temp_files import TempFiles

NO_FOLDER = N_("Cannot write %(file)s: no such folder.")
A_FOLDER = N_("%(file)s is a folder, not a file. Choose a file name for the workbook.")
A_LINK = N_(
    "%(file)s is a link to another file. AidDesk does not write through links, so that a workbook "
    "with private information cannot land somewhere unexpected. Choose another file name."
)
NOT_A_FILE = N_(
    "%(file)s is not an ordinary file (it is a device or a pipe), so the workbook was not written "
    "there. Choose another file name."
)
NOT_ALLOWED = N_("AidDesk may not write %(file)s: that folder does not allow it. Choose another folder.")
CANNOT_WRITE = N_("Cannot write %(file)s: %(reason)s")


def check_target(target: Path) -> None:
    """ExportRefused unless `target` is an ordinary file or a new name in an existing folder."""
    shown = str(target)
    if not target.parent.is_dir():
        raise ExportRefused(NO_FOLDER, file=shown)
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ExportRefused(CANNOT_WRITE, file=shown, reason=exc.strerror or str(exc)) from exc
    if stat.S_ISLNK(info.st_mode):
        raise ExportRefused(A_LINK, file=shown)
    if stat.S_ISDIR(info.st_mode):
        raise ExportRefused(A_FOLDER, file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise ExportRefused(NOT_A_FILE, file=shown)


def write_atomically(
    target: Path,
    write: Callable[[BinaryIO], None],
    *,
    temp_files: TempFiles,
    password: str | None = None,
    salt: bytes | None = None,
) -> None:
    """Call `write(file)` to fill a journaled temporary file beside `target` (locked with `password`
    when one is given), then put it in place of `target`. ExportRefused (naming `target`) when
    the target cannot be written at all; OSError naming `target` when writing fails half-way or
    the disk is full; the temporary file is removed in every case."""
    target = Path(os.path.abspath(target))
    check_target(target)
    try:
        temporary = temp_files.create_beside(target)
    except OSError as exc:
        if exc.filename and temp_files.journal in (Path(exc.filename), Path(exc.filename).parent):
            raise  # the desk's own data folder: not a problem with the target
        if exc.errno == errno.ENOSPC:  # a full disk, said as one (not in the system's English words)
            raise OSError(exc.errno, exc.strerror, str(target)) from exc
        raise _refused(target, exc) from exc
    try:
        if password:
            plain = PiecesInMemory()
            write(cast(BinaryIO, plain))
            crypto.encrypt(plain, temporary.file, password, label=label_of(target), salt=salt)  # uses it up
            del plain
        else:
            write(temporary.file)
        temporary.file.flush()
        os.fsync(temporary.file.fileno())
        temporary.file.close()
        os.replace(temporary.path, target)
    except OSError as exc:
        temp_files.discard(temporary)
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        temp_files.discard(temporary)
        raise
    temp_files.finished(temporary)
    flush_folder(target.parent)


def _refused(target: Path, exc: OSError) -> ExportRefused:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportRefused(NOT_ALLOWED, file=str(target))
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ExportRefused(NO_FOLDER, file=str(target))
    return ExportRefused(CANNOT_WRITE, file=str(target), reason=exc.strerror or str(exc))
