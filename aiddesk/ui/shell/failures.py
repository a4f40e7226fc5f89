"""What the user reads when an operation fails: one message in their language, never a traceback."""

from __future__ import annotations

import sqlite3

from aiddesk.domain.access import NotAllowed
from aiddesk.domain.status import MoveRefused
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.disk_space import DISK_FULL, disk_full
from aiddesk.services.exchange.files import ExportRefused, WorkbookRejected

REFUSALS: tuple[type[BaseException], ...] = (
    Invalid,
    MoveRefused,
    WorkbookRejected,
    ExportRefused,
    NotAllowed,
)


def error_name(error: BaseException) -> str:
    """What the log may say of an error: its class and, for a database error, the driver's class
    and SQLite's own code ("sqlalchemy.exc.DatabaseError (sqlite3.DatabaseError SQLITE_CORRUPT,
    code 11)"). Never its text: a statement's values, a workbook's cell or a name may be in it."""
    said = _qualified(error)
    driver = getattr(error, "orig", None)  # SQLAlchemy's error wraps the driver's
    inner = driver if isinstance(driver, BaseException) else error
    code_name = getattr(inner, "sqlite_errorname", None)
    details = [_qualified(inner)] if inner is not error else []
    if isinstance(code_name, str) and code_name:
        details.append(f"{code_name}, code {getattr(inner, 'sqlite_errorcode', '?')}")
    return f"{said} ({' '.join(details)})" if details else said


def _qualified(error: BaseException) -> str:
    return f"{type(error).__module__}.{type(error).__qualname__}"


def is_refusal(error: BaseException) -> bool:
    """Bad input or a refused request: said to the user, nothing went wrong in AidDesk."""
    return isinstance(error, REFUSALS)


def user_message(error: BaseException) -> str:
    """The error said for the person at the desk."""
    if isinstance(error, Invalid):
        return "\n".join(_(p.message) % p.params if p.params else _(p.message) for p in error.problems)
    if isinstance(error, WorkbookRejected):
        return error.message
    if isinstance(error, ExportRefused):
        return error.text()
    if isinstance(error, MoveRefused):
        return error.message(_)
    if isinstance(error, NotAllowed):
        return error.message(_)
    if disk_full(error):
        return _(DISK_FULL)
    database_error = getattr(error, "orig", error)  # SQLAlchemy wraps the driver's error
    # sqlite3's or SQLCipher's (an encrypted desk): two classes of the same name
    if (
        isinstance(database_error, sqlite3.OperationalError)
        or type(database_error).__name__ == "OperationalError"
    ) and "locked" in str(database_error):
        return _("Another AidDesk window or command is busy with this desk. Please try again in a minute.")
    if isinstance(error, PermissionError):
        return _("AidDesk may not read or write %(file)s.") % {"file": error.filename or ""}
    if isinstance(error, FileNotFoundError):
        return _("There is no file %(file)s.") % {"file": error.filename or ""}
    if isinstance(error, OSError):
        return _("AidDesk could not read or write a file: %(problem)s") % {"problem": error.strerror or error}
    return _(
        "Something went wrong, and what you asked was not done. If it happens again, the details are "
        "in AidDesk's log file, in the data folder shown at the bottom of the window."
    )
