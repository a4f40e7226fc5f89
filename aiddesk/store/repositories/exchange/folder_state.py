"""The exchange folder's local state, in the Setting table: the folder, the files merged whole
(by modification time and size), this desk's series of files there, how far it merged each other
desk's series, what it passes on, and when the last exchange went through. (The group
password is not here: aiddesk/store/group_secret.py keeps it out of the database.)"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from aiddesk.store.repositories.desk import get_setting, put_setting

FOLDER = "exchange.folder"
SEEN = "exchange.seen"  # {file name: [mtime_ns, size]} of the files merged
OWN = "exchange.own"  # what this desk wrote before series (cleared with the folder)
LAST = "exchange.last"  # ISO time (UTC) of the last pass that reached the folder
SERIES = "exchange.series"  # this desk's series of files in the folder (OwnSeries)
HAVE = "exchange.have"  # {desk id: counter}: other desks' own edits merged without a gap
RELAY = "exchange.relay"  # {kind: [ids]}: records merged from outside the folder, to pass on
WAITING = "exchange.waiting"  # [[desk code, desk id, have, files]]: desks whose files wait for a gap
SALT = "exchange.salt"  # hex: the salt this desk locks its folder files with (16 random bytes)
BACKUP_AT = "exchange.backup_at"  # ISO time (UTC) of the last backup a pass took before merging

# What a desk restored as a new desk (a new desk id) forgets: it starts its own series afresh
# and reads every other desk's from its latest snapshot.
FORGET_ON_NEW_IDENTITY = (SEEN, OWN, SERIES, HAVE, RELAY, WAITING, SALT, "exchange.stale")

Signature = tuple[int, int]  # (mtime_ns, size)


@dataclass
class OwnSeries:
    """What this desk wrote in the folder since its last snapshot."""

    to: int = 0  # its counter when it wrote its last file
    clock: int = 0  # its clock then
    last: str = ""  # that file's name
    files: dict[str, Signature] = field(default_factory=dict)  # its files since its last snapshot
    deltas: int = 0  # deltas since that snapshot
    delta_bytes: int = 0
    snapshot_bytes: int = 0
    snapshot_at: str = ""  # ISO time (UTC) of that snapshot
    snapshot_due: bool = False  # a reader waits for one, or a file of the series went missing


def folder(session: Session) -> str:
    return str(get_setting(session, FOLDER, "") or "")


def put_folder(session: Session, path: str) -> None:
    """A new folder or password: forget what was seen and written, so the next pass starts afresh."""
    put_setting(session, FOLDER, path)
    put_setting(session, SEEN, {})
    put_setting(session, OWN, None)
    put_setting(session, SERIES, None)
    put_setting(session, HAVE, {})
    put_setting(session, RELAY, {})
    put_setting(session, WAITING, [])
    put_setting(session, SALT, None)


def seen(session: Session) -> dict[str, Signature]:
    stored = get_setting(session, SEEN, {}) or {}
    return {name: (int(sig[0]), int(sig[1])) for name, sig in stored.items()}


def put_seen(session: Session, files: dict[str, Signature]) -> None:
    put_setting(session, SEEN, {name: list(sig) for name, sig in sorted(files.items())})


def last_exchange(session: Session) -> dt.datetime | None:
    text = get_setting(session, LAST)
    return dt.datetime.fromisoformat(text) if text else None


def put_last_exchange(session: Session, when: dt.datetime) -> None:
    put_setting(session, LAST, when.astimezone(dt.UTC).isoformat())


def own_series(session: Session) -> OwnSeries | None:
    stored = get_setting(session, SERIES)
    if not stored:
        return None
    values: dict[str, Any] = dict(stored)
    values["files"] = {name: (int(sig[0]), int(sig[1])) for name, sig in values.get("files", {}).items()}
    return OwnSeries(**values)


def put_own_series(session: Session, series: OwnSeries) -> None:
    stored = asdict(series)
    stored["files"] = {name: list(sig) for name, sig in sorted(series.files.items())}
    put_setting(session, SERIES, stored)


def have(session: Session) -> dict[str, int]:
    return {desk: int(counter) for desk, counter in (get_setting(session, HAVE, {}) or {}).items()}


def put_have(session: Session, counters: dict[str, int]) -> None:
    put_setting(session, HAVE, dict(sorted(counters.items())))


def relay(session: Session) -> dict[str, set[str]]:
    return {kind: set(ids) for kind, ids in (get_setting(session, RELAY, {}) or {}).items()}


def put_relay(session: Session, ids: dict[str, set[str]]) -> None:
    put_setting(session, RELAY, {kind: sorted(found) for kind, found in sorted(ids.items()) if found})


Waiting = tuple[str, str, int, int]  # desk code, desk id (or its 8 hex), have, files waiting


def relaying(session: Session) -> bool:
    """Whether what a merge from outside the folder changes is noted for the folder (one is set)."""
    return bool(folder(session))


def add_relay(session: Session, ids: dict[str, set[str]]) -> None:
    """Records a merge from outside the folder changed: this desk's next file there carries them
    (nothing is noted while no folder is set: the first file in a folder is a snapshot)."""
    if not folder(session):
        return
    noted = relay(session)
    for kind, found in ids.items():
        noted.setdefault(kind, set()).update(found)
    put_relay(session, noted)


def waiting(session: Session) -> list[Waiting]:
    stored = get_setting(session, WAITING, []) or []
    return [(str(code), str(desk), int(at), int(files)) for code, desk, at, files in stored]


def put_waiting(session: Session, desks: list[Waiting]) -> None:
    put_setting(session, WAITING, [list(d) for d in desks])


def backup_at(session: Session) -> dt.datetime | None:
    text = get_setting(session, BACKUP_AT)
    return dt.datetime.fromisoformat(text) if text else None


def put_backup_at(session: Session, when: dt.datetime) -> None:
    put_setting(session, BACKUP_AT, when.astimezone(dt.UTC).isoformat())


def drawn_lock_salt(session: Session) -> bytes | None:
    """The salt `lock_salt` drew, None before it did (read in any session)."""
    stored = get_setting(session, SALT)
    return bytes.fromhex(stored) if stored else None


def lock_salt(session: Session) -> bytes:
    """The salt this desk locks its exchange folder's files with: drawn once (a new folder or
    password, a new desk id: a new one)."""
    stored = get_setting(session, SALT)
    if stored:
        return bytes.fromhex(stored)
    salt = secrets.token_bytes(16)
    put_setting(session, SALT, salt.hex())
    return salt
