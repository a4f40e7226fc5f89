"""The group password never lands in the database nor its backups: the platform keyring where
one works, else an owner-only file beside the database that backups never copy. An older
desk's password moves out of the settings table when it opens."""

from __future__ import annotations

import json
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import KeyringError

from aiddesk.domain import backup_rotation as rotation
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.store import backup as backups
from aiddesk.store.database import Database
from aiddesk.store.group_secret import SECRET_FILE, GroupSecret, usable_keyring
from aiddesk.store.migrate import open_database

PASSWORD = "pan dulce 1987"


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps its passwords in memory (the platform's, in these tests)."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


class LockedKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringError("the collection is locked")


@pytest.fixture
def platform_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(before)


def bytes_of_every_file(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


def test_without_a_keyring_it_is_an_owner_only_file_outside_the_database(
    db: Database, tmp_path: Path
) -> None:
    assert not usable_keyring(keyring.get_keyring())  # the fail backend, as on a headless CI
    exchange_folder.save_folder_settings(db, str(tmp_path), PASSWORD)
    secret = db.path.parent / SECRET_FILE
    assert secret.read_text(encoding="utf-8") == PASSWORD
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    made = backups.take(db.path, db.path.parent / "backups", rotation.MANUAL)
    db.close()
    assert PASSWORD.encode() not in db.path.read_bytes()
    assert PASSWORD.encode() not in made.path.read_bytes()
    reopened = open_database(db.path)
    try:
        assert exchange_folder.folder_settings(reopened).password == PASSWORD
    finally:
        reopened.close()


def test_with_a_keyring_it_lives_there_and_in_no_file(
    db: Database, tmp_path: Path, platform_keyring: MemoryKeyring
) -> None:
    exchange_folder.save_folder_settings(db, str(tmp_path), PASSWORD)
    assert list(platform_keyring.stored.values()) == [PASSWORD]
    assert not (db.path.parent / SECRET_FILE).exists()
    assert exchange_folder.folder_settings(db).password == PASSWORD
    db.close()
    assert PASSWORD.encode() not in bytes_of_every_file(db.path.parent)
    exchange_folder.save_folder_settings(open_database(db.path), "", "")
    assert platform_keyring.stored == {}


def test_a_keyring_that_refuses_falls_back_to_the_file(tmp_path: Path) -> None:
    secret = GroupSecret(tmp_path, backend=LockedKeyring())
    secret.put(PASSWORD)
    assert (tmp_path / SECRET_FILE).read_text(encoding="utf-8") == PASSWORD
    assert secret.get() == PASSWORD
    assert GroupSecret(tmp_path, backend=fail.Keyring()).where() == "file"


def test_an_older_desks_password_moves_out_of_the_database_and_its_backups_at_open(
    db: Database, tmp_path: Path
) -> None:
    db.close()
    with sqlite3.connect(db.path) as con:  # as an older version stored it
        con.execute(
            "INSERT INTO setting (key, value) VALUES ('exchange.group_password', ?)", (json.dumps(PASSWORD),)
        )
        con.execute(
            "INSERT INTO setting (key, value) VALUES ('exchange.folder', ?)", (json.dumps(str(tmp_path)),)
        )
    con.close()
    old_backup = db.path.parent / "backups" / "aiddesk-merge-20240101-101010-000001.db"
    old_backup.parent.mkdir()
    backups.backup(db.path, old_backup)
    assert PASSWORD.encode() in db.path.read_bytes() + old_backup.read_bytes()

    reopened = open_database(db.path)
    try:
        assert exchange_folder.folder_settings(reopened) == exchange_folder.FolderSettings(
            str(tmp_path), PASSWORD
        )
        with reopened.engine.connect() as conn:
            keys = set(conn.exec_driver_sql("SELECT key FROM setting").scalars())
        assert "exchange.group_password" not in keys
    finally:
        reopened.close()
    for name in ("aiddesk.db", "aiddesk.db-wal"):
        path = db.path.parent / name
        assert not path.exists() or PASSWORD.encode() not in path.read_bytes(), name
    assert PASSWORD.encode() not in old_backup.read_bytes()
    assert (db.path.parent / SECRET_FILE).read_text(encoding="utf-8") == PASSWORD
