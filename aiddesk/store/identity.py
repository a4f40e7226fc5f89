"""A database copied to another computer, or restored from a backup, becomes a new desk.

A restore rewinds the desk's edit counter; if it kept its desk id it would issue
stamps that other desks already hold with other values (docs/exchange-format.md). Two signs:
- the file: the desk remembers the device and inode of its database (a rename or
  a move within the same disk keeps them; a copy to another place does not);
- the watermark: after each transaction the desk writes its highest edit counter
  next to the database (`aiddesk.db.watermark`). A database whose counter is
  below the watermark of its own desk id was put back from an older copy (even
  one copied over the same file, which keeps the inode).
Either way it takes a new random desk id."""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

from sqlalchemy import Connection, text

log = logging.getLogger(__name__)

SETTING = "database_file"


def file_identity(path: Path) -> str:
    info = os.stat(path)
    return f"{info.st_dev}:{info.st_ino}"


def record(conn: Connection, path: Path) -> None:
    """Remember the file this desk lives in (at first run, and after taking a new id)."""
    conn.execute(
        text(
            "INSERT INTO setting (key, value) VALUES (:key, :value) ON CONFLICT(key) DO UPDATE SET value = :value"
        ),
        {"key": SETTING, "value": json.dumps(file_identity(path))},
    )


def ensure_own_identity(conn: Connection, path: Path) -> str | None:
    """Give the desk a new desk id when its database is not in the file it was made in.
    Returns the new desk id, or None when nothing changed."""
    desk = conn.execute(text("SELECT desk_id FROM desk WHERE id = 1")).first()
    if desk is None:
        return None
    stored = conn.execute(text("SELECT value FROM setting WHERE key = :key"), {"key": SETTING}).scalar()
    here = file_identity(path)
    if stored is None:
        record(conn, path)
        return None
    if json.loads(stored) == here and not _rewound(conn, path, desk.desk_id):
        return None
    return take_new_identity(conn, path, desk.desk_id)


def take_new_identity(
    conn: Connection, path: Path, old_id: str, *, why: str = "copied or restored", file: Path | None = None
) -> str:
    """Give the desk a new random desk id (recorded in the audit), as the desk whose database is
    `path`, living in the file `file` (a restore prepares a copy that becomes `path`; it writes the
    watermark once the copy is in place)."""
    new_id = str(uuid.uuid4())
    conn.execute(text("UPDATE desk SET desk_id = :new WHERE id = 1"), {"new": new_id})
    conn.execute(
        text(
            "INSERT INTO audit (at, who, action, record_kind, record_id, detail) "
            "VALUES (CURRENT_TIMESTAMP, 'aiddesk', 'new_desk_identity', '', '', :detail)"
        ),
        {"detail": json.dumps({"old": old_id, "new": new_id, "why": why})},
    )
    record(conn, file or path)
    if file is None:  # otherwise the caller writes it once the file is in place
        counter = conn.execute(text("SELECT counter FROM desk WHERE id = 1")).scalar() or 0
        write_watermark(path, new_id, counter)
    log.warning("database %s was %s: desk %s is now desk %s", path, why, old_id, new_id)
    return new_id


def _watermark_path(path: Path) -> Path:
    return path.with_name(path.name + ".watermark")


def write_watermark(path: Path, desk_id: str, counter: int) -> None:
    """Best effort (no fsync): the database itself stays the truth; a lost watermark only
    weakens the restore check until the next transaction."""
    target = _watermark_path(path)
    try:
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(json.dumps({"desk_id": desk_id, "counter": counter}))
    except OSError:
        log.warning("could not write %s", target, exc_info=True)


def _rewound(conn: Connection, path: Path, desk_id: str) -> bool:
    try:
        mark = json.loads(_watermark_path(path).read_text())
    except (OSError, ValueError):
        return False
    if not isinstance(mark, dict) or mark.get("desk_id") != desk_id:
        return False
    counter = conn.execute(text("SELECT counter FROM desk WHERE id = 1")).scalar() or 0
    return isinstance(mark.get("counter"), int) and mark["counter"] > counter
