"""SQLite opened the way docs/architecture.md says: pragmas on every connection, owner-only files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import BUSY_TIMEOUT_MS, Database, make_engine
from aiddesk.store.migrate import open_database
from aiddesk.store.models import CodeSequence, Person, Zone
from tests.command_beside import save_person_beside


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask most desktops run with: new files 0644, folders 0755 unless the app says otherwise."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def pragmas(connection) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }


EXPECTED = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS}


def test_pragmas_on_every_connection(db: Database) -> None:
    assert BUSY_TIMEOUT_MS >= 1000
    with db.engine.connect() as first, db.engine.connect() as second:
        assert first.connection.dbapi_connection is not second.connection.dbapi_connection
        assert pragmas(first) == EXPECTED
        assert pragmas(second) == EXPECTED
    with db.session() as session:
        assert pragmas(session.connection()) == EXPECTED
    with db.transaction("Ana") as tx:
        assert pragmas(tx.session.connection()) == EXPECTED


def test_pragmas_after_the_pool_is_recycled(db: Database) -> None:
    db.engine.dispose()
    with db.engine.connect() as conn:
        assert pragmas(conn) == EXPECTED


def test_foreign_keys_are_enforced_and_nothing_is_half_written(db: Database) -> None:
    with pytest.raises(IntegrityError), db.write_session() as session:
        conn = session.connection()
        conn.exec_driver_sql("INSERT INTO code_sequence (kind, last) VALUES ('x', 0)")
        conn.exec_driver_sql(
            "INSERT INTO request (id, vv, stamps, edited_clock, deleted, code, person_id, category_id, details,"
            " urgency, recurring, status, status_reason, created_at)"
            " VALUES ('r1', '{}', '{}', 0, 0, 'X-1', 'nobody', 'nothing', '', 'flexible', 'once', 'new', '',"
            " '2025-01-01 00:00:00')"
        )
    with db.session() as session:
        assert session.get(CodeSequence, "x") is None


@pytest.mark.usefixtures("loose_umask")
def test_new_database_files_are_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "desk"
    db = open_database(data / "aiddesk.db")
    try:
        desk_service.create_desk(db, name="Casa", code="CS1")
        desk_service.start_shift(db, "Ana")  # a write: the -wal and -shm files exist now
        files = [data / "aiddesk.db", data / "aiddesk.db-wal", data / "aiddesk.db-shm"]
        for path in files:
            assert path.exists(), path
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
        assert mode(data) == 0o700
    finally:
        db.close()


@pytest.mark.usefixtures("loose_umask")
def test_existing_loose_database_is_made_owner_only(tmp_path: Path, migrated_template: Path) -> None:
    target = tmp_path / "aiddesk.db"
    target.write_bytes(migrated_template.read_bytes())
    os.chmod(target, 0o644)
    open_database(target).close()
    assert mode(target) == 0o600


def test_opening_the_file_again_in_this_process_keeps_what_commands_save_beside_it(db: Database) -> None:
    """A second engine on a database this process has open (the window's store loading, a
    restore's reopening) used to open and close the file itself, which drops every lock SQLite
    holds on it in this process; the commands run beside it then deleted the WAL under the open
    connections, which went on reading stale pages."""
    with db.session() as session:
        before = session.scalars(select(Person.code)).all()
    make_engine(db.path, None).dispose()
    for code in ("CMD1", "CMD2"):
        save_person_beside(db.path, code)
    with db.session() as session:
        assert sorted(session.scalars(select(Person.code))) == sorted([*before, "CMD1", "CMD2"])


def test_transaction_commits_and_session_reads(db: Database) -> None:
    with db.transaction("Ana") as tx:
        tx.session.add(
            Zone(id=tx.new_id(), key=None, label_en="Harbor", label_es="Puerto", retired=False, position=9)
        )
    with db.session() as session:
        assert session.scalars(select(Zone.label_es).where(Zone.label_en == "Harbor")).one() == "Puerto"
