"""The exchange folder's group password, kept out of the database and so out of its backups.

Where the platform has a working keyring (macOS Keychain, Windows Credential Locker, the
Secret Service of a Linux desktop), the password lives there, under the desk's data
folder. Where it has none (keyring's "fail" backend, as on a headless Linux machine) or
the keyring refuses, it lives in `<data folder>/exchange-secret`, readable only by its
owner, which backups never copy.

Older versions kept it in the database's settings: `move_out_of_database()` moves it out
when the database opens, and overwrites the row's bytes as it deletes it.

An encrypted desk keeps it inside its database instead (`InDatabase`, a local setting), where
it is encrypted with everything else and never in clear; `move_into_database()` takes in what
the file (or the keyring, at conversion) held and removes it from there."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from aiddesk.store import durable

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from aiddesk.store.database import Database

log = logging.getLogger(__name__)

SERVICE = "AidDesk"
SECRET_FILE = "exchange-secret"
TEMP_PREFIX = ".exchange-secret-"
LEGACY_SETTING = "exchange.group_password"


def usable_keyring(backend: Any) -> bool:
    """False for keyring's fail and null backends, and for a chain with nothing in it."""
    try:
        from keyring.backends import chainer, fail, null
    except ImportError:
        return False
    if backend is None or isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check itself fails is not usable
        return False


def _default_backend() -> Any:
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_keyring()
    except Exception:
        log.warning("no keyring backend", exc_info=True)
        return None


class SecretStore(Protocol):
    def get(self) -> str: ...

    def put(self, value: str) -> None: ...

    def where(self) -> str: ...


class GroupSecret:
    """The group password of the plain desk whose data folder is `data_dir`."""

    def __init__(self, data_dir: Path, backend: Any = None) -> None:
        self.data_dir = data_dir
        self.file = data_dir / SECRET_FILE
        self._backend = backend
        self._looked = backend is not None

    def _keyring(self) -> Any:
        if not self._looked:
            self._backend = _default_backend()
            self._looked = True
        return self._backend if usable_keyring(self._backend) else None

    @property
    def _user(self) -> str:
        return f"exchange-group-password:{self.data_dir.resolve()}"

    def get(self) -> str:
        """The password, "" when none is stored. The file first: it exists only while the
        keyring could not take the password (a later save to the keyring removes it), and
        reading it needs no keyring (whose import alone takes a fifth of a second)."""
        try:
            return self.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        backend = self._keyring()
        if backend is None:
            return ""
        try:
            value = backend.get_password(SERVICE, self._user)
        except Exception:
            log.warning("the keyring could not be read", exc_info=True)
            return ""
        return str(value) if value else ""

    def where(self) -> str:
        """ "keyring" or "file": where `put()` stores the password now."""
        return "keyring" if self._keyring() is not None else "file"

    def put(self, value: str) -> None:
        """Store the password ("" forgets it)."""
        backend = self._keyring()
        if backend is not None:
            try:
                if value:
                    backend.set_password(SERVICE, self._user, value)
                else:
                    with contextlib.suppress(Exception):  # PasswordDeleteError: there was none
                        backend.delete_password(SERVICE, self._user)
            except Exception:
                log.warning("the keyring refused the group password; using %s", self.file, exc_info=True)
            else:
                self._remove_file()
                return
        if value:
            self._write_file(value)
        else:
            self._remove_file()

    def _remove_file(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.file.unlink()

    def _write_file(self, value: str) -> None:
        """Owner-only, and complete or not at all (a temporary file, flushed, then renamed)."""
        durable.write_private(self.file, value.encode("utf-8"), TEMP_PREFIX)


def sweep(data_dir: Path) -> None:
    """Remove what a killed write of the secret file left (it is written in a blink: any is old)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(data_dir):
            if entry.name.startswith(TEMP_PREFIX):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def move_out_of_database(conn: Connection, data_dir: Path) -> bool:
    """Move a group password stored by an older version out of the settings table (kept
    outside when one is already stored there: that one is newer). True when a row was removed;
    the caller then checkpoints the WAL, so the old bytes leave it too."""
    from sqlalchemy import text

    stored = conn.execute(
        text("SELECT value FROM setting WHERE key = :key"), {"key": LEGACY_SETTING}
    ).scalar()
    if stored is None:
        return False
    try:
        value = json.loads(stored)
    except ValueError:
        value = ""
    secret = GroupSecret(data_dir)
    if isinstance(value, str) and value and not secret.get():
        secret.put(value)
    before = conn.exec_driver_sql("PRAGMA secure_delete").scalar()
    conn.exec_driver_sql("PRAGMA secure_delete=ON")  # the row's bytes are overwritten, not just freed
    try:
        conn.execute(text("DELETE FROM setting WHERE key = :key"), {"key": LEGACY_SETTING})
    finally:
        conn.exec_driver_sql(f"PRAGMA secure_delete={int(before or 0)}")
    log.info("the group password moved out of the database (now in the %s)", secret.where())
    return True


def scrub_backups(folder: Path) -> int:
    """Remove a stored group password from the backups older versions made (best effort: a
    backup that cannot be changed is left as it is). Returns how many were changed."""
    from aiddesk.store import backup as backups

    changed = 0
    for item in backups.list_backups(folder):
        try:
            con = sqlite3.connect(item.path, timeout=5)
        except sqlite3.Error:
            continue
        try:
            if con.execute("SELECT 1 FROM setting WHERE key = ?", (LEGACY_SETTING,)).fetchone() is None:
                continue
            con.execute("PRAGMA secure_delete=ON")
            with con:
                con.execute("DELETE FROM setting WHERE key = ?", (LEGACY_SETTING,))
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            changed += 1
        except sqlite3.Error:
            log.warning("could not remove the group password from %s", item.path, exc_info=True)
        finally:
            con.close()
    return changed


SETTING = LEGACY_SETTING  # where an encrypted desk keeps it: the same local setting


class InDatabase:
    """The group password of an encrypted desk, in its (encrypted) settings table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self) -> str:
        from sqlalchemy import text

        with self.db.session() as session:
            stored = session.execute(
                text("SELECT value FROM setting WHERE key = :key"), {"key": SETTING}
            ).scalar()
        try:
            value = json.loads(stored) if stored is not None else ""
        except ValueError:
            return ""
        return value if isinstance(value, str) else ""

    def put(self, value: str) -> None:
        with self.db.write_connection() as conn:
            _store(conn, value)

    def put_in(self, conn: Connection, value: str) -> None:
        """Store it within the write transaction `conn` is in."""
        _store(conn, value)

    def where(self) -> str:
        return "database"


def _store(conn: Connection, value: str) -> None:
    from sqlalchemy import text

    conn.execute(text("DELETE FROM setting WHERE key = :key"), {"key": SETTING})
    if value:
        conn.execute(
            text("INSERT INTO setting (key, value) VALUES (:key, :value)"),
            {"key": SETTING, "value": json.dumps(value)},
        )


def move_into_database(conn: Connection, data_dir: Path, *, keyring_too: bool = False) -> bool:
    """On an encrypted desk: a password kept in the `exchange-secret` file (or, `keyring_too`, in
    the keyring) moves into the database, unless it holds one already; the file (and the keyring
    entry) are removed. True when one moved in."""
    from sqlalchemy import text

    outside = GroupSecret(data_dir)
    if keyring_too:
        value = outside.get()
    else:
        try:
            value = outside.file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
    if not value:
        return False
    held = conn.execute(text("SELECT 1 FROM setting WHERE key = :key"), {"key": SETTING}).first()
    if held is None:
        _store(conn, value)
    outside._remove_file()
    if keyring_too:
        with contextlib.suppress(Exception):
            outside.put("")
    log.info("the group password moved into the encrypted database")
    return held is None
