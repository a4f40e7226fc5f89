"""Engine with AidDesk's SQLite pragmas, owner-only files, sessions and transactions.

One writer at a time: every write transaction starts with `BEGIN IMMEDIATE`, so
it takes SQLite's write lock before it reads anything and a second writer (the
exchange timer, another `aiddesk` process) waits its turn instead of failing
with "database is locked" when it tries to upgrade a read lock. Reads start
with a plain `BEGIN` and never wait for writers (WAL). The busy timeout is longer
than the longest transaction (a demo desk of 100,000 people). Writers of this
process take turns before that (store/writer_turns.py): the next one starts the
moment the last one commits, instead of when SQLite's busy handler looks again."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from aiddesk.store import audit_chain, cipher
from aiddesk.store.changes import ChangeRecorder, table_of
from aiddesk.store.derived import install_derived
from aiddesk.store.identity import write_watermark
from aiddesk.store.stamping import Tx, install_stamping, utcnow
from aiddesk.store.writer_turns import turns_for

BUSY_TIMEOUT_MS = 300_000  # five minutes: longer than any transaction


def create_private_file(path: Path) -> None:
    """Create `path` empty with owner-only permissions unless it exists. An existing file is not
    opened: it may be a database this process has open, and closing a file of our own on it
    would drop every lock SQLite holds on it here (POSIX; aiddesk/store/soundness.py says what
    follows)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        pass
    else:
        os.close(fd)
    os.chmod(path, 0o600)


def make_engine(path: Path, key: cipher.DeskKey | None = None) -> Engine:
    """The engine of the database at `path`: SQLCipher keyed with `key` (aiddesk/store/cipher.py),
    plain SQLite without one."""
    create_private_file(path)  # SQLite gives -wal and -shm the database file's permissions
    # hide_parameters: an error's text never carries the values of its statement (a caller's name
    # or phone would otherwise reach the log with it).
    if key is None:
        engine = create_engine(f"sqlite:///{path}", hide_parameters=True)
    else:
        engine = create_engine(
            f"sqlite:///{path}",
            hide_parameters=True,
            module=cipher.driver,
            creator=lambda: cipher.connect(path, key, check_same_thread=False),
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN below drive transactions (pysqlite's own is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Large sorts (the request queue by person, 155,000 rows) may use a helper thread: 165 -> 130 ms.
        cursor.execute("PRAGMA threads=2")
        cursor.close()

    event.listen(engine, "begin", begin_immediate)  # what opening does writes; Database reads too
    return engine


_WRITING = "aiddesk_writing"


def begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


class WriteOutsideTransaction(RuntimeError):
    """A statement tried to write in a read session (it would take the write lock late and
    could fail with "database is locked"): writes belong in `transaction()` or `write_session()`."""


class Database:
    """One desk's database: read sessions and stamped write transactions."""

    def __init__(self, engine: Engine, path: Path, key: cipher.DeskKey | None = None) -> None:
        self.engine = engine
        self.path = path
        self.key = key  # the desk key of an encrypted desk (its backups need it), else None
        self._audit_key: bytes | None = None
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._local = threading.local()
        # This process's writers of the file (any Database on it) take turns before BEGIN
        # IMMEDIATE, and the next one starts the moment the last one ends (store/writer_turns.py).
        self._turns = turns_for(path, BUSY_TIMEOUT_MS / 1000)
        install_stamping(self._sessions)
        install_derived(self._sessions)
        self.changes = ChangeRecorder(engine, self._sessions)
        if event.contains(engine, "begin", begin_immediate):
            event.remove(engine, "begin", begin_immediate)
        event.listen(engine, "begin", self._on_begin)
        event.listen(engine, "before_cursor_execute", self._check_write)

    def _on_begin(self, connection: Any) -> None:
        writing = getattr(self._local, "writing", False)
        connection.info[_WRITING] = writing
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    def _check_write(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if conn.info.get(_WRITING) is False and table_of(statement) is not None:
            raise WriteOutsideTransaction(f"a write in a read session: {statement[:60]}")
        self._turns.foreground.give_way()  # background work lets the desk's own write go first

    @contextmanager
    def background(self) -> Iterator[None]:
        """The calling thread's work in the block (an exchange pass, a merge, on its worker
        thread) pauses between its statements while a write of the desk's own runs
        (store/foreground.py)."""
        with self._turns.foreground.background():
            yield

    def hold_foreground(self) -> Callable[[], None]:
        """The desk's own work (a save, from the moment it is handed over until its answer reached
        the screen) under way until the returned release is called: background work pauses
        meanwhile, as during the desk's writes (store/foreground.py)."""
        return self._turns.foreground.hold()

    def session(self) -> Session:
        """A session for reading. Changing a synced record through it raises UnstampedWrite;
        anything that writes uses `transaction()` or `write_session()`."""
        return self._sessions()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session in a write transaction (BEGIN IMMEDIATE: it waits for any other writer
        first), committed at the end of the block, rolled back on an exception. For local
        tables (settings, drafts); synced records change only in `transaction()`.

        This process's writers take turns first, in the order they came (a writer waiting here
        starts the moment the one before ends, not when SQLite's busy handler next looks); the
        turn is given back once the transaction is committed or rolled back, whatever happened.
        A write inside another on the same thread raises NestedWrite at once."""
        with self._turns.foreground.write(), self._write_turn_session() as session:
            yield session

    @contextmanager
    def _write_turn_session(self) -> Iterator[Session]:
        self._turns.take()
        try:
            with self._sessions() as session:
                self._local.writing = True
                try:
                    session.connection()  # BEGIN IMMEDIATE now, before anything is read
                finally:
                    self._local.writing = False
                try:
                    yield session
                    session.commit()  # a deferred foreign key may still refuse it here
                except BaseException:
                    session.rollback()
                    raise
        finally:
            self._turns.give_back()

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction, as `write_session()`."""
        with self.write_session() as session:
            yield session.connection()

    @contextmanager
    def transaction(self, who: str) -> Iterator[Tx]:
        """One local transaction: every synced change in it gets the same new edit stamp."""
        with self.write_session() as session:
            tx = Tx(session, who)
            session.info["tx"] = tx
            yield tx
            head = None
            if tx.audited:
                session.flush()
                key, made = self._audit_key_made()
                if made:
                    at = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
                    head = audit_chain.seal_with_new_key(session.connection(), key, at)
                else:
                    head = audit_chain.seal_pending(session.connection(), key)
        if tx.issued is not None:
            write_watermark(self.path, tx.issued.desk, tx.issued.counter)
        if head is not None:
            with self._turns.after_commit:  # its "only forward" holds among this process's writers
                audit_chain.write_head(self.path, self.encrypted, head)

    def _audit_key_made(self) -> tuple[bytes, bool]:
        """The key that seals the audit trail (aiddesk/store/audit_chain.py), and whether it was
        made just now."""
        if self._audit_key is None:
            self._audit_key, made = audit_chain.audit_key_made(self.path, self.key)
            return self._audit_key, made
        return self._audit_key, False

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def close(self) -> None:
        self.engine.dispose()
