"""Backups: a verified, owner-only copy of the live database that appears complete or not at
all, under a name no other file has; rotation; a restore that puts one back."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk.domain import backup_rotation as rotation
from aiddesk.services.desk import labels as label_service
from aiddesk.services.desk.records import dump
from aiddesk.store import backup as backups
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


def test_backup_never_overwrites_a_file(db: Database, tmp_path: Path) -> None:
    dest = tmp_path / "copy.db"
    dest.write_bytes(b"my notes")
    with pytest.raises(FileExistsError):
        backup(db.path, dest)
    assert dest.read_bytes() == b"my notes"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_taken_name_is_skipped_for_a_new_one(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    taken = backup_name(folder, rotation.MANUAL)
    taken.write_bytes(b"an earlier backup")
    names = iter([taken])
    real = backups.backup_name
    monkeypatch.setattr(backups, "backup_name", lambda *a, **k: next(names, None) or real(*a, **k))
    made = backups.take(db.path, folder, rotation.MANUAL)
    assert made.path != taken
    assert taken.read_bytes() == b"an earlier backup"
    assert integrity_ok(made.path)


def test_many_backups_at_once_each_get_their_own_file(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = [backups.take(db.path, folder, rotation.MERGE, rotate_after=False).path for _ in range(12)]
    assert len(set(made)) == 12
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in made)


def test_a_backup_that_dies_midway_leaves_no_file_with_a_backup_name(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "backups"
    real_copy = backups.copy_database

    def dies_after_copying(source: Path, dest: Path, key: object = None, **flush: int | None) -> None:
        real_copy(source, dest, key, **flush)
        data = dest.read_bytes()
        dest.write_bytes(data[: len(data) // 2])  # the kill came halfway through the pages
        raise KeyboardInterrupt

    monkeypatch.setattr(backups, "copy_database", dies_after_copying)
    with pytest.raises(KeyboardInterrupt):
        backups.take(db.path, folder, rotation.UPGRADE)
    assert backups.list_backups(folder) == []
    assert list(folder.iterdir()) == []


def test_leftovers_of_a_killed_backup_are_swept_but_not_one_being_written(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = folder / f"{backups.PARTIAL_PREFIX}99999-abc.db"
    dead.write_bytes(b"half a database with Ana Lopez in it")
    (folder / (dead.name + "-journal")).write_bytes(b"x")
    keep = folder / "aiddesk-manual-20240101T000000000000Z-1-ab.db"
    keep.write_bytes(b"a backup")
    with backups.partial_file(folder) as (busy, _fd):
        removed = backups.sweep(folder)
        assert busy.exists()
    assert sorted(p.name for p in removed) == sorted([dead.name, dead.name + "-journal"])
    assert [p.name for p in folder.iterdir()] == [keep.name]


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


def test_backup_of_a_damaged_database_fails_loudly_and_leaves_nothing(db: Database, tmp_path: Path) -> None:
    damaged = damaged_copy(db, tmp_path / "damaged.db")
    folder = tmp_path / "backups"
    with pytest.raises(BackupFailed):
        backups.take(damaged, folder, rotation.MERGE)
    assert list(folder.iterdir()) == []


def test_backup_names_are_unique(tmp_path: Path) -> None:
    names = {backup_name(tmp_path, rotation.UPGRADE) for _ in range(50)}
    assert len(names) == 50
    assert all(n.parent == tmp_path and n.name.startswith("aiddesk-upgrade-") for n in names)


def test_reason_time_and_check_are_read_back_from_the_name(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    made = backups.take(db.path, folder, rotation.IMPORT)
    legacy = folder / "aiddesk-before-upgrade-0003-20240102-030405-000006.db"
    legacy.write_bytes(b"x" * 10)
    listed = backups.list_backups(folder)
    assert listed[0] == made
    assert made.reason == "import" and made.verified and made.size == made.path.stat().st_size
    assert abs((made.created - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    old = listed[1]
    assert (old.path, old.reason, old.verified, old.size) == (legacy, "upgrade", False, 10)
    assert old.created == dt.datetime(2024, 1, 2, 3, 4, 5, 6).astimezone().astimezone(dt.UTC)


def test_operation_backups_are_rotated_five_per_reason(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    for _ in range(7):
        backups.take(db.path, folder, rotation.UPGRADE)
    for _ in range(6):
        backups.take(db.path, folder, rotation.IMPORT)
    reasons = [b.reason for b in backups.list_backups(folder)]
    assert reasons.count("upgrade") == 5
    assert reasons.count("import") == 5


def test_a_backup_told_to_stop_while_it_is_checked_leaves_nothing(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "stopped"
    with pytest.raises(backups.BackupStopped):
        backups.take(db.path, folder, rotation.DAILY, stop=lambda: True)
    assert list(folder.iterdir()) == []
    made = backups.take(db.path, folder, rotation.DAILY, stop=lambda: False)
    assert [p.name for p in folder.iterdir()] == [made.path.name]
