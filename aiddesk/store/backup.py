"""Verified backups with SQLite's online backup API, owner-only files."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from aiddesk.store.database import create_private_file


class BackupFailed(RuntimeError):
    pass


def integrity_ok(path: Path) -> bool:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        return False
    finally:
        con.close()


def backup(source: Path, dest: Path) -> Path:
    """Copy the live database `source` to `dest` and verify the copy."""
    if dest.exists():
        dest.unlink()
    create_private_file(dest)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    if not integrity_ok(dest):
        raise BackupFailed(f"the backup {dest} failed its integrity check")
    return dest


def restore(backup_file: Path, target: Path) -> None:
    """Put a verified backup back in place of `target` (no other connection may be open)."""
    src = sqlite3.connect(backup_file)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_name(folder: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"aiddesk-{reason}-{stamp}.db"
