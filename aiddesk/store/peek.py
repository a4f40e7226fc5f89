"""A first look at a desk's database with the standard library only.

Importing SQLAlchemy costs about a quarter of a second; reading the desk, the
schema revision and the recent names with sqlite3 lets the window appear
first and the full store load right after."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aiddesk.domain.desk import DeskInfo
from aiddesk.store import cipher


@dataclass(frozen=True)
class Peek:
    revision: str | None
    desk: DeskInfo | None
    recent_users: list[str]
    accounts: bool = False  # people sign in (then the store loads before anything shows)


def peek(path: Path, recent: int = 30, key: cipher.DeskKey | None = None) -> Peek | None:
    """What the database at `path` holds (encrypted: read with `key`), or None when it is missing
    or cannot be read this way."""
    if not path.is_file() or (key is None and cipher.is_encrypted(path)):
        return None
    try:
        con = cipher.connect(path, key, timeout=5)
    except cipher.ERRORS:
        return None
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        row = con.execute("SELECT desk_id, code, name, phone_region, language FROM desk LIMIT 1").fetchone()
        users = [
            r[0] for r in con.execute("SELECT name FROM desk_user ORDER BY last_seen DESC LIMIT ?", (recent,))
        ]
        try:
            accounts = con.execute("SELECT 1 FROM account LIMIT 1").fetchone() is not None
        except cipher.ERRORS:  # a desk from before accounts (it is upgraded on the full start)
            accounts = False
    except cipher.ERRORS:
        return None
    finally:
        con.close()
    return Peek(revision[0] if revision else None, DeskInfo(*row) if row else None, users, accounts)
