"""Backups: a verified, owner-only copy of the live database, and a restore that puts it back."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk.services.desk import labels as label_service
from aiddesk.services.desk.records import dump
from aiddesk.store.backup import BackupFailed, backup, backup_name, integrity_ok, restore
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_backup_is_owner_only_verified_and_complete(db: Database, tmp_path: Path) -> None:
    # A write that still sits in the -wal file: the copy must include it.
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")
    dest = backup_name(tmp_path / "backups", "manual")
    copy = backup(db.path, dest)
    assert copy == dest
    assert mode(copy) == 0o600
    assert mode(copy.parent) == 0o700
    assert integrity_ok(copy)
    snapshot = open_database(copy)
    try:
        assert dump(snapshot) == dump(db)
    finally:
        snapshot.close()


def test_backup_replaces_an_older_file_of_the_same_name(db: Database, tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"not a database")
    os.chmod(dest, 0o644)
    backup(db.path, dest)
    assert integrity_ok(dest)
    assert mode(dest) == 0o600


def test_restore_puts_the_backup_back(db: Database, tmp_path: Path) -> None:
    before = dump(db)
    copy = backup(db.path, tmp_path / "copy.db")
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")
    assert dump(db) != before
    db.close()
    restore(copy, db.path)
    back = open_database(db.path)
    try:
        assert dump(back) == before
    finally:
        back.close()


def damaged_copy(db: Database, dest: Path) -> Path:
    copy = backup(db.path, dest)
    data = bytearray(copy.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page + 100 : 3 * page] = b"\xff" * (page - 100)  # scribble over a b-tree page
    copy.write_bytes(bytes(data))
    return copy


def test_integrity_check_notices_a_damaged_file(db: Database, tmp_path: Path) -> None:
    assert not integrity_ok(damaged_copy(db, tmp_path / "copy.db"))
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("shopping list")
    assert not integrity_ok(not_a_database)


def test_backup_of_a_damaged_database_fails_loudly(db: Database, tmp_path: Path) -> None:
    damaged = damaged_copy(db, tmp_path / "damaged.db")
    with pytest.raises(BackupFailed):
        backup(damaged, tmp_path / "copy-of-damaged.db")


def test_backup_names_do_not_collide(tmp_path: Path) -> None:
    names = {backup_name(tmp_path, "before-upgrade-0001") for _ in range(50)}
    assert len(names) > 1
    assert all(n.parent == tmp_path and n.name.startswith("aiddesk-before-upgrade-0001-") for n in names)
