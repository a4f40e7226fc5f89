"""Engine with AidDesk's SQLite pragmas, owner-only files, sessions and transactions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from aiddesk.store.derived import install_derived
from aiddesk.store.identity import write_watermark
from aiddesk.store.stamping import Tx, install_stamping

BUSY_TIMEOUT_MS = 5000


def create_private_file(path: Path) -> None:
    """Create `path` empty with owner-only permissions unless it exists."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def make_engine(path: Path) -> Engine:
    create_private_file(path)  # SQLite gives -wal and -shm the database file's permissions
    engine = create_engine(f"sqlite:///{path}")

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

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


class Database:
    """One desk's database: read sessions and stamped write transactions."""

    def __init__(self, engine: Engine, path: Path) -> None:
        self.engine = engine
        self.path = path
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_stamping(self._sessions)
        install_derived(self._sessions)

    def session(self) -> Session:
        """A session for reading. Changing a synced record through it raises UnstampedWrite."""
        return self._sessions()

    @contextmanager
    def transaction(self, who: str) -> Iterator[Tx]:
        """One local transaction: every synced change in it gets the same new edit stamp."""
        with self._sessions() as session:
            with session.begin():
                tx = Tx(session, who)
                session.info["tx"] = tx
                yield tx
            if tx.issued is not None:
                write_watermark(self.path, tx.issued.desk, tx.issued.counter)

    def close(self) -> None:
        self.engine.dispose()
