"""The quick look at a database that lets the window show before the store loads."""

from __future__ import annotations

from pathlib import Path

from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.peek import peek
from aiddesk.store.schema import HEAD


def test_peek_reads_the_desk_the_revision_and_recent_names(db: Database) -> None:
    for name in ("Ann", "María José"):
        desk_service.start_shift(db, name)
    seen = peek(db.path)
    assert seen is not None
    assert seen.revision == HEAD
    assert seen.desk == desk_service.get_desk(db)
    assert seen.recent_users == ["María José", "Ann"]


def test_peek_of_a_database_without_a_desk(empty_db: Database) -> None:
    seen = peek(empty_db.path)
    assert seen is not None and seen.desk is None and seen.revision == HEAD


def test_peek_of_a_missing_or_damaged_file_is_none(tmp_path: Path) -> None:
    assert peek(tmp_path / "nothing.db") is None
    assert not (tmp_path / "nothing.db").exists()  # looking created nothing
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database" * 100)
    assert peek(damaged) is None
