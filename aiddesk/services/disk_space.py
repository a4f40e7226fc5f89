"""A disk with no room left, told apart from other failures: the person at the desk can do
something about it (free some space, another USB stick) and should be told so, not that a backup
"did not pass its check" or that "something went wrong". Light: no store or Qt imports."""

from __future__ import annotations

import errno

from aiddesk.i18n import N_

DISK_FULL = N_(
    "Not done: the disk is full (no room left to write). Nothing was changed. Free some space "
    "(or use another USB stick) and try again."
)


def disk_full(error: BaseException | None) -> bool:
    """Whether `error`, or an error it wraps, says the disk is full: SQLite's SQLITE_FULL (also
    inside SQLAlchemy's error, or a failed backup's), or the system's ENOSPC."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if getattr(error, "full", False) is True:  # store.backup.BackupFailed
            return True
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        if getattr(error, "sqlite_errorname", "") == "SQLITE_FULL" or "database or disk is full" in str(
            error
        ):
            return True
        wrapped = getattr(error, "orig", None)
        error = wrapped if isinstance(wrapped, BaseException) else error.__cause__
    return False
