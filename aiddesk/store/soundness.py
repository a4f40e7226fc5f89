"""Is a desk's database whole? A look with the standard library only, bounded in time.

`examine()` reads the file's header, which finds at once a file that is empty, zeroed,
overwritten or cut short, then runs `PRAGMA quick_check` for at most `budget` seconds
(a large desk is checked further by `full_check()`, which the app runs in the background).
`QuickCheck` runs the same on a thread of its own, so the app's window is made meanwhile; the
window shows only once its verdict is in.

An empty or missing file is a new desk only where nothing was ever saved: no watermark
(written after every transaction), no backup, no stored group password. Otherwise it is a
lost database, and AidDesk never starts a new desk in its place.

A database this process has open (`in_use`: the window's background check, a restore from the
window) is never read with a file of our own: on POSIX, closing any file on the database drops
every lock SQLite holds on it in this process. Another process (an `aiddesk exchange` run beside
the window) would then take the database for unused when it closes, checkpoint and delete the
WAL and its index under the window's connections, and the window would read a mix of old and new
pages ("database disk image is malformed") and write into a deleted WAL. Only `stat()` and
SQLite itself look at such a file (SQLite refuses a wrong header and a file shorter than its
header says)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from aiddesk.store import backup as backups
from aiddesk.store import cipher
from aiddesk.store.group_secret import SECRET_FILE

HEADER = b"SQLite format 3\x00"
QUICK_BUDGET_S = 0.05  # at the app's start (the whole check follows in the background at once)


class State(StrEnum):
    NEW = "new"  # no database yet, nor any sign that there ever was one
    SOUND = "sound"
    UNCHECKED = "unchecked"  # the header is right; the quick check ran out of time
    MISSING = "missing"  # no database, though this folder had one
    EMPTY = "empty"  # a file of 0 bytes where a desk had saved data
    NOT_A_DATABASE = "not-a-database"  # zeroed, overwritten, not SQLite
    TRUNCATED = "truncated"  # shorter than its header says
    DAMAGED = "damaged"  # SQLite finds broken pages


DAMAGE = frozenset({State.MISSING, State.EMPTY, State.NOT_A_DATABASE, State.TRUNCATED, State.DAMAGED})


@dataclass(frozen=True)
class Verdict:
    state: State
    detail: str = ""  # SQLite's own words, for the log

    @property
    def damaged(self) -> bool:
        return self.state in DAMAGE


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def had_a_desk(database: Path) -> bool:
    """Whether anything was ever saved in this database's folder."""
    folder = database.parent
    return (
        database.with_name(database.name + ".watermark").exists()
        or cipher.is_encrypted(database)
        or (folder / SECRET_FILE).exists()
        or bool(backups.list_backups(backups_folder(database)))
    )


def header_verdict(
    database: Path, *, strict: bool = False, encrypted: bool | None = None, in_use: bool = False
) -> Verdict | None:
    """What the file's size and header say (no SQLite involved); None when they look right.
    `strict`: an empty file is damage even where nothing was saved (the commands, which never
    make a desk, say so instead of taking it as one). An encrypted file (`encrypted`, by default
    when its key file is beside it) has no readable header: only its size tells. `in_use`: this
    process has the database open, so only its size is looked at (see the module's docstring)."""
    try:
        size = database.stat().st_size
    except FileNotFoundError:
        return Verdict(State.MISSING if had_a_desk(database) else State.NEW)
    if size == 0:
        return Verdict(State.EMPTY if strict or had_a_desk(database) else State.NEW)
    if encrypted is None:
        encrypted = cipher.is_encrypted(database)
    if encrypted:
        if size % cipher.PAGE_SIZE:
            return Verdict(State.TRUNCATED, f"{size} bytes is not a whole number of encrypted pages")
        return None
    if in_use:  # opening and closing the file here would drop SQLite's locks on it
        return None
    with open(database, "rb") as file:
        head = file.read(100)
    if len(head) < 100 or not head.startswith(HEADER):
        return Verdict(State.NOT_A_DATABASE, "no SQLite header")
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return Verdict(State.NOT_A_DATABASE, f"page size {page}")
    if size % page:
        return Verdict(State.TRUNCATED, f"{size} bytes is not a whole number of {page}-byte pages")
    pages = int.from_bytes(head[28:32], "big")
    wal = database.with_name(database.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    if head[24:28] == head[92:96] and size < pages * page and wal_size == 0:
        return Verdict(State.TRUNCATED, f"{size} bytes, the header says {pages} pages of {page}")
    return None


def _sqlite_check(
    database: Path,
    pragma: str,
    budget: float | None,
    key: cipher.DeskKey | None,
    stop: Callable[[], bool] | None = None,
    connected: Callable[[Any], None] | None = None,
) -> Verdict:
    if key is None and cipher.is_encrypted(database):
        return Verdict(State.UNCHECKED)  # locked: only its size was looked at
    con = cipher.connect(database, key, timeout=10)
    try:
        if connected is not None:
            connected(con)
        deadline = None if budget is None else time.monotonic() + budget
        if deadline is not None or stop is not None:

            def give_up() -> int:
                late = deadline is not None and time.monotonic() > deadline
                return int(late or (stop is not None and stop()))

            con.set_progress_handler(give_up, 1_000)
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}(5)")]
    except cipher.OPERATIONAL_ERRORS as exc:
        if "interrupt" in str(exc):
            return Verdict(State.UNCHECKED)
        return Verdict(State.DAMAGED, str(exc))
    except cipher.DATABASE_ERRORS as exc:  # "file is not a database", "database disk image is malformed"
        return Verdict(State.DAMAGED, str(exc))
    except MemoryError:
        # SQLCipher reports some pages that fail their authentication check as "out of memory"
        # (SQLITE_NOMEM): an encrypted page overwritten with noise reads this way
        return Verdict(State.DAMAGED, "a page could not be read (out of memory)")
    finally:
        if connected is not None:
            connected(None)
        con.close()
    if rows == ["ok"]:
        return Verdict(State.SOUND)
    return Verdict(State.DAMAGED, "; ".join(rows))


def examine(
    database: Path,
    budget: float | None = QUICK_BUDGET_S,
    *,
    strict: bool = False,
    key: cipher.DeskKey | None = None,
    in_use: bool = False,
) -> Verdict:
    """Header, then `PRAGMA quick_check` for at most `budget` seconds (None: to the end). An
    encrypted database is read with `key` (without it, only its size is looked at). `in_use`:
    this process has the database open (its header is left to SQLite)."""
    encrypted = _encrypted(database, key)
    return header_verdict(database, strict=strict, encrypted=encrypted, in_use=in_use) or _sqlite_check(
        database, "quick_check", budget, key
    )


def full_check(
    database: Path,
    *,
    strict: bool = False,
    key: cipher.DeskKey | None = None,
    stop: Callable[[], bool] | None = None,
    in_use: bool = False,
) -> Verdict:
    """Header, then the whole `PRAGMA integrity_check` (a second or so per 100 MB). `stop`: asked
    as the check goes; when it turns true the check ends at once, UNCHECKED (the app is closing).
    `in_use`: this process has the database open (its header is left to SQLite)."""
    encrypted = _encrypted(database, key)
    return header_verdict(database, strict=strict, encrypted=encrypted, in_use=in_use) or _sqlite_check(
        database, "integrity_check", None, key, stop
    )


def _encrypted(database: Path, key: cipher.DeskKey | None) -> bool | None:
    return True if key is not None else None


class QuickCheck:
    """`examine()` begun on a thread of its own: the header is read at once, `PRAGMA quick_check`
    runs meanwhile (SQLite works without holding Python's lock) until `verdict()` asks and has
    waited `budget` seconds more at most: SQLite is then interrupted and the verdict is UNCHECKED,
    as `examine()`'s would be. So the window never waits longer than `examine()` made it wait, and
    a check begun early (run_gui: before Qt loads) has had that time besides. An error other than
    SQLite's is raised by `verdict()`."""

    def __init__(
        self, database: Path, budget: float = QUICK_BUDGET_S, *, key: cipher.DeskKey | None = None
    ) -> None:
        self._budget = budget
        self._key = key
        self._identity = _identity(database)
        self._lock = threading.Lock()
        self._connection: Any = None
        self._late = False
        self._result: Verdict | None = None
        self._error: BaseException | None = None
        self._verdict = header_verdict(database, encrypted=_encrypted(database, key))
        self._thread: threading.Thread | None = None
        if self._verdict is None:
            self._thread = threading.Thread(
                target=self._run, args=(database, key), name="aiddesk-quick-check", daemon=True
            )
            self._thread.start()

    def _run(self, database: Path, key: cipher.DeskKey | None) -> None:
        try:
            self._result = _sqlite_check(database, "quick_check", None, key, connected=self._connected)
        except BaseException as exc:  # handed to verdict(), on the thread that asks
            self._error = exc

    def _connected(self, connection: Any) -> None:
        with self._lock:
            self._connection = connection
            if connection is not None and self._late:
                connection.interrupt()

    def still_for(self, database: Path, key: cipher.DeskKey | None = None) -> bool:
        """Whether this check is of `database` as it is now, read with `key` (not since replaced,
        created or converted: then a new check is needed)."""
        return key == self._key and _identity(database) == self._identity

    def cancel(self) -> None:
        """Its verdict is not wanted: the check stops if it is running (else it ends by itself)."""
        with self._lock:
            self._late = True
            if self._connection is not None:
                self._connection.interrupt()

    def verdict(self) -> Verdict:
        """The verdict, waiting for the check at most the budget."""
        if self._verdict is not None:
            return self._verdict
        assert self._thread is not None
        self._thread.join(self._budget)
        while self._thread.is_alive():
            # Out of time. An interrupt reaches only a statement already running: repeat it
            # until the check has seen one.
            with self._lock:
                self._late = True
                if self._connection is not None:
                    self._connection.interrupt()
            self._thread.join(0.005)
        if self._error is not None:
            raise self._error
        assert self._result is not None
        self._verdict = self._result
        return self._verdict


def _identity(database: Path) -> tuple[int, int, int] | None:
    try:
        info = database.stat()
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)
