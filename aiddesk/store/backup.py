"""Backups of a desk's database: verified, owner-only copies that appear complete or not at all.

A backup is written under a temporary name (`.aiddesk-partial-…`, locked while it is being
written) with SQLite's online backup API, checked (`PRAGMA integrity_check`), flushed to
disk, and only then given its name, `aiddesk-<reason>-<UTC time>Z-<process>-<random>.db`.
The name is published with a hard link, which never replaces a file: a name already taken
is skipped for a new one, so `backup()` never overwrites anything. Every file with such a
name passed its check when it was made; the name says when and why (see
aiddesk/domain/backup_rotation.py for the reasons and what is kept). `sweep()` removes the
leftovers of a backup that was killed; the commands and the app call it when they start.

Older versions named backups `aiddesk-merge-…`, `aiddesk-before-upgrade-…` and
`aiddesk-before-sheet-import-…` (local time, no check recorded): they are listed and
rotated too.

A backup gives way to the desk's own work (issue 13: a save during the exchange pass that takes
the hourly backup waits <= 100 ms): the copy goes a few megabytes at a time from one snapshot,
each step flushed to disk before the next (a save's commit never queues behind one long flush
of the whole file), and the copying and checking run on a thread of their own at a lower
processor priority (aiddesk/store/low_priority.py).

A backup of an encrypted desk is encrypted with the same desk key (SQLite's backup API copies
the encrypted pages between two connections keyed alike), and the desk's key file is copied
beside it (`aiddesk-….db.keys`), so the backup opens elsewhere with a passphrase or the
recovery key."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from aiddesk.domain import backup_rotation as rotation
from aiddesk.store import cipher
from aiddesk.store.cipher import DeskKey
from aiddesk.store.durable import flush_folder
from aiddesk.store.low_priority import run_at_low_priority

try:
    import fcntl
except ImportError:  # Windows: leftovers are recognised by their age instead of a lock
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

PARTIAL_PREFIX = ".aiddesk-partial-"
SIDECARS = ("-journal", "-wal", "-shm")
REMOVED_WITH = (*SIDECARS, ".keys", ".audit")
STALE_PARTIAL_S = 24 * 3600  # without file locks: a partial file this old is a leftover
COPY_STEP_PAGES = 1024  # a backup copies 4 MiB at a time (pages of 4096 bytes) ...
COPY_PAUSE_S = 0.002  # ... and pauses this long between steps
COPY_CACHE_PAGES = 64  # what the copy keeps back in memory: the rest of each step is on the file

_NAME = re.compile(
    r"^aiddesk-(?P<reason>[a-z]+)-(?P<stamp>\d{8}T\d{12})Z-(?P<pid>\d+)-(?P<token>[0-9a-f]+)\.db$"
)
_LEGACY = re.compile(r"^aiddesk-(?P<reason>[a-z0-9-]+?)-(?P<stamp>\d{8}-\d{6}-\d{6})\.db$")
_LEGACY_REASONS = {"merge": rotation.MERGE, "before-sheet-import": rotation.IMPORT}


class BackupFailed(RuntimeError):
    """No backup was made. `full`: the disk had no room left for it."""

    def __init__(self, message: str, *, full: bool = False) -> None:
        super().__init__(message)
        self.full = full


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created: dt.datetime  # aware, UTC
    reason: str  # aiddesk.domain.backup_rotation: daily, periodic, merge, import, upgrade, ...
    size: int  # bytes
    verified: bool  # passed an integrity check when it was made


class BackupStopped(Exception):
    """The backup was given up because the app is closing (`stop()` said so): nothing was made."""


def integrity_ok(path: Path, key: DeskKey | None = None, stop: Callable[[], bool] | None = None) -> bool:
    """Whether `path` passes `PRAGMA integrity_check`; BackupStopped as soon as `stop()` is true."""
    con = cipher.connect(path, key)
    if stop is not None:
        con.set_progress_handler(lambda: int(stop()), 1_000)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except cipher.OPERATIONAL_ERRORS as exc:
        if stop is not None and stop() and "interrupt" in str(exc):
            raise BackupStopped(str(path)) from exc
        return False
    except cipher.DATABASE_ERRORS:  # "file is not a database", "database disk image is malformed"
        return False
    finally:
        con.close()


# ---- names ------------------------------------------------------------------------------------


def backup_name(folder: Path, reason: str, created: dt.datetime | None = None) -> Path:
    """A new name: the time to the microsecond, this process and 32 random bits."""
    when = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    stamp = when.strftime("%Y%m%dT%H%M%S%f")
    return folder / f"aiddesk-{reason}-{stamp}Z-{os.getpid()}-{secrets.token_hex(4)}.db"


def parse_name(path: Path) -> tuple[str, dt.datetime, bool] | None:
    """(reason, created in UTC, verified) of a backup's file name; None for any other file."""
    if match := _NAME.match(path.name):
        created = dt.datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)
        reason = match["reason"]
        return reason, created, reason != rotation.DAMAGED
    if match := _LEGACY.match(path.name):
        local = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f").astimezone()
        word = match["reason"]
        reason = rotation.UPGRADE if word.startswith("before-upgrade") else _LEGACY_REASONS.get(word, word)
        return reason, local.astimezone(dt.UTC), False
    return None


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first (nothing when the folder is not there)."""
    found: list[BackupFile] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        parsed = parse_name(Path(entry.name))
        if parsed is None:
            continue
        try:
            size = entry.stat().st_size
        except OSError:
            continue
        reason, created, verified = parsed
        found.append(BackupFile(Path(entry.path), created, reason, size, verified))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


# ---- writing ----------------------------------------------------------------------------------


def _remove_with_sidecars(path: Path) -> None:
    for name in (path.name, *(path.name + s for s in REMOVED_WITH)):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


@contextlib.contextmanager
def partial_file(folder: Path) -> Iterator[tuple[Path, int]]:
    """A new owner-only temporary file in `folder`, locked against `sweep()` while in use and
    removed (with SQLite's journal files) unless the caller moved it away."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{PARTIAL_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.db"
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield path, fd
    finally:
        _remove_with_sidecars(path)
        os.close(fd)  # last: closing releases the lock


def copy_database(source: Path, dest: Path, key: DeskKey | None = None, *, flush: int | None = None) -> None:
    """A consistent copy of the database `source` (writers may go on) into the empty file `dest`,
    as a single file (rollback journal mode) that needs no -wal beside it; both encrypted with
    `key` when there is one.

    The copy goes COPY_STEP_PAGES pages at a time, all from one read transaction: every step
    copies the same snapshot, and a writer that commits between two steps neither waits for the
    copy nor makes it start again (SQLite restarts a stepped backup whose source changed, unless
    the source stays in one transaction). `flush`: an open descriptor of `dest`, flushed to disk
    after each step, so the copy reaches the disk a few megabytes at a time; in one piece, its
    long flush would hold up every commit the desk makes meanwhile (issue 13). The caller flushes
    the whole file again before it is published; until then it is only a partial file."""
    src = cipher.connect(source, key, timeout=30)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        dst = cipher.connect(dest, key)
        try:
            dst.execute("PRAGMA synchronous=OFF")  # flushed here, step by step, and before publishing
            dst.execute(f"PRAGMA cache_size={COPY_CACHE_PAGES}")  # a step's pages reach the file at once

            def after_step(_status: int, remaining: int, _total: int) -> None:
                if remaining > 0:
                    if flush is not None:
                        _flush_data(flush)
                    time.sleep(COPY_PAUSE_S)  # a commit waiting for the disk goes first

            src.backup(dst, pages=COPY_STEP_PAGES, progress=after_step)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        src.rollback()
    finally:
        src.close()


def _flush_data(fd: int) -> None:
    getattr(os, "fdatasync", os.fsync)(fd)


def publish(temp: Path, fd: int, dest: Path) -> None:
    """Give the flushed file `temp` the name `dest`, which must not exist (FileExistsError):
    a hard link never replaces a file; where links are not possible (FAT on a USB stick) a
    rename after a look."""
    os.fsync(fd)
    try:
        os.link(temp, dest)
    except FileExistsError:
        raise
    except OSError:
        if dest.exists():
            raise FileExistsError(dest) from None
        os.rename(temp, dest)
    else:
        temp.unlink()
    flush_folder(dest.parent)


def _write_verified(
    source: Path,
    folder: Path,
    name: Path | None,
    reason: str,
    key: DeskKey | None,
    stop: Callable[[], bool] | None = None,
) -> Path:
    with partial_file(folder) as (temp, fd):

        def copy_and_check() -> None:
            try:
                copy_database(source, temp, key, flush=fd)
            except cipher.DATABASE_ERRORS as exc:
                full = getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc)
                raise BackupFailed(f"{source} could not be copied: {exc}", full=full) from exc
            if not integrity_ok(temp, key, stop):
                raise BackupFailed(f"the backup of {source} failed its integrity check")

        # the desk's saves and its window go first (aiddesk/store/low_priority.py)
        run_at_low_priority(copy_and_check, "aiddesk-backup")
        if name is not None:
            publish(temp, fd, name)
            _keys_beside(source, name, key)
            return name
        for _attempt in range(100):
            dest = backup_name(folder, reason)
            try:
                publish(temp, fd, dest)
            except FileExistsError:
                continue
            _keys_beside(source, dest, key)
            return dest
        raise BackupFailed(f"no free backup name in {folder}")


def _keys_beside(source: Path, dest: Path, key: DeskKey | None) -> None:
    """The desk's key file travels with the backup of an encrypted desk (with the audit chain's
    head in it); a plain desk's audit file with a plain backup."""
    from aiddesk.store.audit_chain import plain_file
    from aiddesk.store.desk_keys import write_private

    if key is None:
        if plain_file(source).exists():
            write_private(plain_file(dest), plain_file(source).read_bytes())
        return
    from aiddesk.store.desk_keys import copy_beside

    copy_beside(cipher.keys_file(source), dest)


def backup(source: Path, dest: Path, key: DeskKey | None = None) -> Path:
    """Copy the live database `source` to the new file `dest` and verify it; never overwrites
    (FileExistsError when `dest` exists)."""
    if dest.exists():
        raise FileExistsError(dest)
    return _write_verified(source, dest.parent, dest, "", key)


def take(
    source: Path,
    folder: Path,
    reason: str,
    *,
    rotate_after: bool = True,
    key: DeskKey | None = None,
    stop: Callable[[], bool] | None = None,
) -> BackupFile:
    """A verified backup of `source` in `folder` for `reason`, then the folder's rotation.
    `stop`: asked while the copy is checked; when it turns true the copy is removed and
    BackupStopped raised (the app is closing: it does not wait for a whole check)."""
    started = time.monotonic()
    path = _write_verified(source, folder, None, reason, key, stop)
    log.info("backup %s made in %.1f s", path.name, time.monotonic() - started)
    parsed = parse_name(path)
    assert parsed is not None
    if rotate_after:
        rotate(folder)
    return BackupFile(path, parsed[1], reason, path.stat().st_size, True)


def discard(backup_file: Path) -> None:
    """Remove a backup this process just made and no longer wants (and what goes beside it)."""
    _remove_with_sidecars(backup_file)


def restore(backup_file: Path, target: Path, key: DeskKey | None = None) -> None:
    """Put the backup's content in place of the database `target`, in one transaction on it."""
    src = cipher.connect(backup_file, key)
    dst = cipher.connect(target, key, timeout=30)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def set_aside(database: Path, folder: Path) -> Path:
    """Move a damaged database (and its -wal and -shm) into `folder` as a "damaged" backup."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    while (dest := backup_name(folder, rotation.DAMAGED)).exists():
        pass
    for suffix in SIDECARS:
        side = database.with_name(database.name + suffix)
        if side.exists():
            os.replace(side, dest.with_name(dest.name + suffix))
    if database.exists():
        os.replace(database, dest)
    flush_folder(folder)
    flush_folder(database.parent)
    return dest


# ---- housekeeping -----------------------------------------------------------------------------


def rotate(folder: Path) -> list[Path]:
    """Remove the backups the rotation does not keep; returns what was removed."""
    found = list_backups(folder)
    doomed = rotation.to_remove(rotation.Made(b.path, b.created, b.reason) for b in found)
    removed = [b.path for b in found if b.path in doomed]
    for path in removed:
        _remove_with_sidecars(path)
    if removed:
        log.info("rotation removed %d backups from %s", len(removed), folder)
    return removed


def _in_use(path: Path) -> bool:
    if fcntl is None:
        try:
            return time.time() - path.stat().st_mtime < STALE_PARTIAL_S
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def sweep(folder: Path) -> list[Path]:
    """Remove what killed backups and restores left in `folder` (files being written by a
    running AidDesk are locked and stay)."""
    removed: list[Path] = []
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(PARTIAL_PREFIX)]
    except OSError:
        return removed
    for name in sorted(names):
        base = name
        for suffix in SIDECARS:
            if name.endswith(suffix):
                base = name[: -len(suffix)]
        if (folder / base).exists() and _in_use(folder / base):
            continue
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
            removed.append(folder / name)
    if removed:
        log.info("removed %d leftovers of interrupted backups from %s", len(removed), folder)
    return removed


def sweep_leftovers(database: Path) -> None:
    """Remove what a killed backup, restore or password save left beside `database` (at the start
    of every command and of the app; the app's start reads only the store's light modules for it)."""
    from aiddesk.store import desk_keys, group_secret

    sweep(database.parent / "backups")
    group_secret.sweep(database.parent)
    desk_keys.sweep(database.parent)
