"""The desk encrypted at rest: setting it up, unlocking it, the passphrases, and converting a
plain desk.

An encrypted desk's database, WAL and backups are SQLCipher files under a random desk key
(aiddesk/store/cipher.py). The key file beside the database (aiddesk/store/desk_keys.py) holds
that key wrapped by each named passphrase (a coordinator's or an administrator's; the name is
the account's) and by the recovery key shown once at set-up. Losing every passphrase and the
recovery key loses the data: nobody can open it, AidDesk's makers included.

What a PIN does is not here: a PIN never opens the database."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiddesk.domain import backup_rotation as rotation
from aiddesk.domain.passphrase import MIN_RECOVERY, passphrase_problems
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.store import backup as backups
from aiddesk.store import cipher, desk_keys, group_secret, soundness
from aiddesk.store.cipher import DeskKey
from aiddesk.store.desk_keys import Cost, KeyFile, KeyFileDamaged, WrongSecret, same_name
from aiddesk.store.durable import flush_folder

if TYPE_CHECKING:  # the store's engine is not loaded on the start path
    from aiddesk.store.database import Database

log = logging.getLogger(__name__)

__all__ = [
    "Cost",
    "DeskKey",
    "KeyFileDamaged",
    "Unlocker",
    "WrongSecret",
    "add_passphrase",
    "change_passphrase",
    "convert",
    "is_encrypted",
    "remove_passphrase",
    "same_name",
    "set_up",
    "unlock",
]

WRONG_TEXT = N_("This name and passphrase, or this recovery key, do not open the desk.")
DAMAGED_KEYS_TEXT = N_(
    "The desk's key file %(file)s cannot be read. Restore it from a backup (it lies beside each one)."
)


def is_encrypted(database: Path) -> bool:
    return cipher.is_encrypted(database)


def keys_path(database: Path) -> Path:
    return cipher.keys_file(database)


def names(database: Path) -> list[str]:
    """The names whose passphrase opens the desk."""
    return KeyFile.load(keys_path(database)).names()


@dataclass(frozen=True)
class SetUp:
    key: DeskKey
    recovery: str  # shown once, then forgotten: it is stored nowhere


def check_new_passphrase(name: str, passphrase: str, again: str | None = None) -> None:
    """Invalid when `passphrase` cannot open the desk for `name` (too short, too easy, their name)."""
    problems = []
    if not " ".join(name.split()):
        problems.append(Problem("name", N_("Type the name of the person who opens the desk.")))
    problems += passphrase_problems(passphrase, again, name=name)
    if problems:
        raise Invalid(problems)


def set_up(
    database: Path,
    *,
    name: str = "",
    passphrase: str = "",
    again: str | None = None,
    recovery: str | None = None,
    cost: Cost | None = None,
) -> SetUp:
    """Make a new desk encrypted: a random desk key, wrapped by `name`'s passphrase and a recovery
    key (a new random one unless `recovery` is given: the demo's, at least 12 characters). The
    database must not exist yet (a plain one is converted with `convert`). Raises Invalid."""
    if recovery is not None and len(desk_keys.normalise_recovery(recovery)) < MIN_RECOVERY:
        raise Invalid(
            [
                Problem(
                    "recovery",
                    N_("The recovery key needs at least %(min)d letters or digits."),
                    {"min": MIN_RECOVERY},
                )
            ]
        )
    if name or passphrase or recovery is None:
        check_new_passphrase(name, passphrase, again)
    if database.exists() and database.stat().st_size > 0:
        raise FileExistsError(database)
    cost = cost or desk_keys.tune()
    key = desk_keys.new_desk_key()
    shown = recovery if recovery is not None else desk_keys.new_recovery_key()
    keys = KeyFile.create(key, shown, cost)
    if passphrase:
        keys.set_passphrase(key, name, passphrase, cost)
    keys.save(keys_path(database))
    _start_database(database, key)
    log.info("the desk at %s is encrypted (key file written)", database.parent)
    return SetUp(key, shown)


def _start_database(database: Path, key: DeskKey) -> None:
    """The new encrypted database's first pages (a database file is never left empty beside a
    key file: that would be a lost desk)."""
    from aiddesk.store.database import create_private_file

    create_private_file(database)
    con = cipher.connect(database, key)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE aiddesk_starting (x)")
        con.execute("DROP TABLE aiddesk_starting")
        con.commit()
    finally:
        con.close()


def unlock(database: Path, secret: str, name: str | None = None) -> DeskKey:
    """The desk key, from `name`'s passphrase or (no name) the recovery key. WrongSecret when it
    does not open; KeyFileDamaged when the key file cannot be read. About half a second: call it
    off the GUI thread."""
    keys = KeyFile.load(keys_path(database))
    if name:
        return keys.unlock_passphrase(name, secret)
    return keys.unlock_recovery(secret)


class Unlocker:
    """Unlock attempts that slow down after failures: after the 2nd wrong one each waits 1, 2,
    4 … up to 30 seconds (on top of the half second every try costs). For the unlock dialog,
    whose attempts run on the operation runner."""

    FREE = 2
    MAX_WAIT_S = 30.0

    def __init__(self, database: Path, sleep: object = time.sleep) -> None:
        self.database = database
        self.failures = 0
        self.failed_before = 0  # wrong tries before the last success
        self.opened_by: str | None = None  # the name whose passphrase opened it (None: recovery key)
        self._sleep = sleep
        self._lock = threading.Lock()

    def wait_before_next(self) -> float:
        over = self.failures - self.FREE + 1
        return 0.0 if over <= 0 else min(self.MAX_WAIT_S, 2.0 ** (over - 1))

    def attempt(self, secret: str, name: str | None = None) -> DeskKey:
        with self._lock:
            wait = self.wait_before_next()
            if wait:
                self._sleep(wait)  # type: ignore[operator]
            try:
                key = unlock(self.database, secret, name)
            except WrongSecret:
                self.failures += 1
                log.warning("a failed unlock of the desk (%d in a row)", self.failures)
                raise
            self.failed_before, self.failures = self.failures, 0
            self.opened_by = name
            return key


def record_unlock(db: Database, opened_by: str | None, failed_before: int) -> None:
    """The desk's opening on its audit trail, with the wrong tries before it (they could not be
    written while the desk was locked): by a named passphrase, or by the recovery key (None)."""
    with db.transaction(opened_by or "") as tx:
        tx.audit("desk_unlocked", recovery=opened_by is None, failed_before=failed_before)


def _keys_opening(database: Path, unlocking_key: DeskKey) -> KeyFile:
    """The key file, once `unlocking_key` is shown to be this desk's key."""
    keys = KeyFile.load(keys_path(database))
    if not cipher.opens(database, unlocking_key):
        raise WrongSecret()
    return keys


def _save_entries(database: Path, keys: KeyFile, key: DeskKey) -> None:
    """The desk's key file, then the same entries in the key file beside each of its backups that
    the desk key opens (each keeps its own audit head). Every backup holds the same desk key, and
    the desk key opens the desk: a passphrase removed or changed, or a recovery key replaced, that
    still opened an older backup's key file would still open the desk. A backup copied elsewhere
    before (a USB stick) keeps the entries it had."""
    keys.save(keys_path(database))
    for backup, beside, old in _backup_key_files(database):
        if old.wraps == keys.wraps:
            continue
        if not cipher.opens(backup, key):
            continue  # another desk's backup: its entries stay
        KeyFile(list(keys.wraps), old.audit).save(beside)


def _backup_key_files(database: Path) -> Iterator[tuple[Path, Path, KeyFile]]:
    """(backup, its key file, that key file read) for each backup of the desk that has a key file
    (a missing or damaged one is not ours to rewrite)."""
    for item in backups.list_backups(soundness.backups_folder(database)):
        beside = keys_path(item.path)
        try:
            keys = KeyFile.load(beside)
        except (OSError, KeyFileDamaged):
            continue
        yield item.path, beside, keys


def add_passphrase(
    database: Path,
    name: str,
    passphrase: str,
    unlocking_key: DeskKey,
    *,
    again: str | None = None,
    cost: Cost | None = None,
) -> None:
    """Let `name` open the desk with `passphrase` (a new coordinator or administrator; their
    passphrase is replaced when they had one). `unlocking_key`: the open desk's key
    (Database.key). Raises Invalid, WrongSecret."""
    check_new_passphrase(name, passphrase, again)
    keys = _keys_opening(database, unlocking_key)
    keys.set_passphrase(unlocking_key, name, passphrase, cost or desk_keys.tune())
    _save_entries(database, keys, unlocking_key)


def change_passphrase(
    database: Path, name: str, old: str, new: str, *, again: str | None = None, cost: Cost | None = None
) -> None:
    """`name` changes their passphrase: the same desk key, rewrapped. Raises WrongSecret (the old
    one is wrong), Invalid (the new one is weak)."""
    check_new_passphrase(name, new, again)
    keys = KeyFile.load(keys_path(database))
    key = keys.unlock_passphrase(name, old)
    keys.set_passphrase(key, name, new, cost or desk_keys.tune())
    _save_entries(database, keys, key)


def remove_passphrase(database: Path, name: str, unlocking_key: DeskKey) -> bool:
    """`name`'s passphrase no longer opens the desk (an account removed). The recovery key and the
    others still do."""
    keys = _keys_opening(database, unlocking_key)
    removed = keys.remove_passphrase(name)
    if removed:
        _save_entries(database, keys, unlocking_key)
    return removed


def forget_names(database: Path, names: list[str], unlocking_key: DeskKey) -> list[str]:
    """The entries of `names` leave the desk's key file and the key file beside each of its
    backups (even when the desk's own file no longer had them: a backup's could still open the
    desk). The names whose entry was found somewhere."""
    keys = _keys_opening(database, unlocking_key)
    gone = [name for name in names if keys.remove_passphrase(name)]
    if gone:
        keys.save(keys_path(database))
    for backup, beside, old in _backup_key_files(database):
        found = [name for name in names if old.remove_passphrase(name)]
        if found and cipher.opens(backup, unlocking_key):
            old.save(beside)
            gone += [name for name in found if not any(same_name(name, g) for g in gone)]
    return gone


def new_recovery_key(database: Path, unlocking_key: DeskKey, *, cost: Cost | None = None) -> str:
    """A new recovery key replaces the old one (shown once: the old sheet no longer opens it)."""
    keys = _keys_opening(database, unlocking_key)
    shown = desk_keys.new_recovery_key()
    keys.set_recovery(unlocking_key, shown, cost or desk_keys.tune())
    _save_entries(database, keys, unlocking_key)
    return shown


# ---- an interrupted set-up or conversion ------------------------------------------------------


def finish_interrupted(database: Path) -> None:
    """A key file beside a database that is still plain SQLite: a conversion stopped before the
    encrypted copy took the database's place. The key file is dropped (it wraps a key nothing
    uses); the plain desk is as it was, and is offered conversion again."""
    keys = keys_path(database)
    if not keys.is_file():
        return
    try:
        with open(database, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:
        return
    if head == soundness.HEADER:
        keys.unlink()
        log.warning("a conversion to an encrypted desk was interrupted; the plain desk is kept")


def finish_conversion(database: Path, key: DeskKey) -> None:
    """Once an encrypted desk is unlocked, before anything opens it: the plain desk's audit file
    still beside it says a conversion was stopped (a kill, a power cut) after the encrypted copy
    took the database's place, before it removed the plain backups and sealed the trail again.
    Both are done now: otherwise those backups keep every name in clear for months, and `check`
    calls the trail changed ("entry 1 does not match its seal") on every run."""
    from aiddesk.store import audit_chain

    if not audit_chain.plain_file(database).exists() or not is_encrypted(database):
        return
    with open(database, "rb") as file:
        if file.read(16) == soundness.HEADER:
            return  # still plain: finish_interrupted's case, not this one
    removed = remove_plain_backups(soundness.backups_folder(database))
    log.warning(
        "a conversion to an encrypted desk was stopped; finished now (%d plain backups removed)", removed
    )
    _move_secret_in(database, key)
    _reseal_trail(database, key)


# ---- converting a plain desk ------------------------------------------------------------------

OFFERED = "encryption-offered"  # beside the database: conversion was offered once at start


def plain_state(database: Path) -> str:
    """For a plain desk at start: "new" (nothing saved yet: set-up offers encryption), "offer"
    (a desk with data never offered conversion), or "plain"."""
    verdict = soundness.header_verdict(database)
    if verdict is not None and verdict.state is soundness.State.NEW:
        return "new"
    if verdict is not None and verdict.damaged:
        return "plain"
    if (database.parent / OFFERED).exists():
        return "plain"
    return "offer"


def mark_offered(database: Path) -> None:
    from aiddesk.store.database import create_private_file

    create_private_file(database.parent / OFFERED)


def offer_again(database: Path) -> None:
    """Settings asked to encrypt: the offer comes back at the next start."""
    _remove_file(database.parent / OFFERED)


def _counts(con: object) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(  # type: ignore[attr-defined]
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[attr-defined]


def _remove_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def convert(
    database: Path,
    *,
    name: str,
    passphrase: str,
    again: str | None = None,
    recovery: str | None = None,
    cost: Cost | None = None,
) -> SetUp:
    """Encrypt the plain desk at `database` (no connection may be open on it): a verified backup,
    an encrypted copy (sqlcipher_export), every table's rows counted alike in both, then the copy
    takes the database's place and the plain database, its WAL and every plain backup are
    removed; the group password moves inside. Nothing is lost when it stops half-way: the plain
    database stays until the encrypted one has replaced it. Raises Invalid."""
    if is_encrypted(database):
        raise FileExistsError(keys_path(database))
    if name or passphrase or recovery is None:
        check_new_passphrase(name, passphrase, again)
    folder = soundness.backups_folder(database)
    safe = backups.take(database, folder, rotation.UPGRADE)
    log.info("converting %s to an encrypted desk (plain backup %s)", database, safe.path.name)
    plain = cipher.connect(database, None, timeout=30)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _counts(plain)
    finally:
        plain.close()
    cost = cost or desk_keys.tune()
    key = desk_keys.new_desk_key()
    shown = recovery if recovery is not None else desk_keys.new_recovery_key()
    with backups.partial_file(folder) as (temp, fd):
        src = cipher.driver.connect(str(database), timeout=30)
        try:
            src.execute("PRAGMA cipher_log_level = NONE")
            target = str(temp).replace("'", "''")
            src.execute(f"ATTACH DATABASE '{target}' AS secret KEY \"x'{key.raw.hex()}'\"")
            src.execute("PRAGMA secret.cipher_compatibility = 4")
            src.execute("SELECT sqlcipher_export('secret')")
            src.execute("DETACH DATABASE secret")
        finally:
            src.close()
        check = cipher.connect(temp, key)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            after = _counts(check)
        finally:
            check.close()
        if not ok or after != before:
            raise backups.BackupFailed("the encrypted copy is not the same as the desk")
        keys = KeyFile.create(key, shown, cost)
        if passphrase:
            keys.set_passphrase(key, name, passphrase, cost)
        keys.save(keys_path(database))  # first: a database without its key file would be lost
        os.fsync(fd)
        for suffix in ("-wal", "-shm", "-journal"):
            _remove_file(database.with_name(database.name + suffix))
        os.replace(temp, database)
    flush_folder(database.parent)
    removed = remove_plain_backups(folder)
    log.info("the desk is encrypted; %d plain backups removed", removed)
    _move_secret_in(database, key)
    _reseal_trail(database, key)
    backups.take(database, folder, rotation.UPGRADE, key=key)
    return SetUp(key, shown)


def _reseal_trail(database: Path, key: DeskKey) -> None:
    """The audit trail sealed again with the key derived from the desk key (audit_chain.py)."""
    from aiddesk.store import audit_chain

    verdict = audit_chain.reseal_encrypted_file(database, key)
    if not verdict.ok:
        log.warning("the plain desk's audit trail was not whole before encryption: %s", verdict.problem)


def remove_plain_backups(folder: Path) -> int:
    """Remove every backup in `folder` that is plain SQLite (its header is readable)."""
    removed = 0
    for item in backups.list_backups(folder):
        try:
            with open(item.path, "rb") as file:
                head = file.read(16)
        except OSError:
            continue
        if head == soundness.HEADER:
            for suffix in ("", "-wal", "-shm", "-journal", ".audit"):
                _remove_file(item.path.with_name(item.path.name + suffix))
            removed += 1
    return removed


def _move_secret_in(database: Path, key: DeskKey) -> None:
    from sqlalchemy import inspect

    from aiddesk.store.database import make_engine

    engine = make_engine(database, key)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("setting"):
                return
        with engine.begin() as conn:
            group_secret.move_into_database(conn, database.parent, keyring_too=True)
    finally:
        engine.dispose()
