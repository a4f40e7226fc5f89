"""Connections to a desk's database, encrypted at rest with SQLCipher or plain SQLite.

An encrypted desk's database, its WAL and its backups are SQLCipher 4 files keyed with the
desk key: 32 random bytes given raw (`PRAGMA key = "x'…'"`, no key derivation inside
SQLCipher: the desk key is already random; the passphrases that unwrap it are stretched in
aiddesk/store/desk_keys.py). The cipher settings are pinned (`cipher_compatibility = 4`:
AES-256-CBC pages with an HMAC-SHA512 each, 4096-byte pages), so a later SQLCipher with other
defaults still opens the desk. Temporary tables and sorts stay in memory and freed pages are
overwritten (`secure_delete`), so erased text does not linger on disk. A desk without a key
file is plain SQLite, opened with the standard library as before.

The two drivers raise different exception classes: catch `ERRORS`, `DATABASE_ERRORS` or
`OPERATIONAL_ERRORS`, never only sqlite3's."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlcipher3 import dbapi2 as sqlcipher

KEY_BYTES = 32
PAGE_SIZE = 4096  # SQLCipher 4's page: an encrypted file is a whole number of them

ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (sqlite3.OperationalError, sqlcipher.OperationalError)

driver = sqlcipher  # the DB-API module SQLAlchemy is given for an encrypted desk


class DeskKey:
    """The desk key: 32 random bytes. Its repr never shows them (a log line, a traceback)."""

    __slots__ = ("_raw",)

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError("a desk key is 32 bytes")
        self._raw = bytes(raw)

    @property
    def raw(self) -> bytes:
        return self._raw

    def __repr__(self) -> str:
        return "DeskKey(…)"

    def __eq__(self, other: object) -> bool:
        import hmac

        return isinstance(other, DeskKey) and hmac.compare_digest(self._raw, other._raw)

    def __hash__(self) -> int:
        return hash(("DeskKey", self._raw))


def key_pragmas(key: DeskKey, schema: str = "") -> list[str]:
    """What keys a connection (or an attached `schema`) and pins its cipher settings."""
    prefix = f"{schema}." if schema else ""
    return [
        f"PRAGMA {prefix}key = \"x'{key.raw.hex()}'\"",
        f"PRAGMA {prefix}cipher_compatibility = 4",
    ]


def connect(
    path: Path | str, key: DeskKey | None, *, timeout: float = 5.0, check_same_thread: bool = True
) -> Any:
    """A DB-API connection to the database at `path`: SQLCipher keyed with `key`, or the standard
    library's sqlite3 when `key` is None. Nothing is read yet: a wrong key shows on the first
    statement ("file is not a database")."""
    if key is None:
        return sqlite3.connect(path, timeout=timeout, check_same_thread=check_same_thread)
    con = sqlcipher.connect(str(path), timeout=timeout, check_same_thread=check_same_thread)
    try:
        con.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is ours to report, not on stderr
        for pragma in key_pragmas(key):
            con.execute(pragma)
        con.execute("PRAGMA temp_store = MEMORY")
        con.execute("PRAGMA secure_delete = ON")
    except BaseException:
        con.close()
        raise
    return con


def opens(path: Path, key: DeskKey) -> bool:
    """Whether `key` opens the database at `path` (its schema can be read)."""
    con = connect(path, key)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DATABASE_ERRORS:
        return False
    finally:
        con.close()


def keys_file(database: Path) -> Path:
    """The key file beside a database or a backup: `aiddesk.db.keys`."""
    return database.with_name(database.name + ".keys")


def is_encrypted(database: Path) -> bool:
    """A desk is encrypted when its key file is there (the database alone cannot tell: an
    encrypted file looks like random bytes, as a wiped one does)."""
    return keys_file(database).is_file()
