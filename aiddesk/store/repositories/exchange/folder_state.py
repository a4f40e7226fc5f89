"""The exchange folder's local state, in the Setting table: the folder, the files already merged (by modification time and size), what this desk last wrote there,
whether merges changed anything since, and when the last exchange went through. (The group
password is not here: aiddesk/store/group_secret.py keeps it out of the database.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from aiddesk.store.repositories.desk import get_setting, put_setting

FOLDER = "exchange.folder"
SEEN = "exchange.seen"  # {file name: [mtime_ns, size]} of the files merged
OWN = "exchange.own"  # {"name", "counter", "signature"} of what this desk last wrote
STALE = "exchange.stale"  # merges changed this desk's data since it last wrote its file
LAST = "exchange.last"  # ISO time (UTC) of the last pass that reached the folder

Signature = tuple[int, int]  # (mtime_ns, size)


@dataclass(frozen=True)
class OwnFile:
    name: str
    counter: int  # the desk's edit counter when it was written
    signature: Signature


def folder(session: Session) -> str:
    return str(get_setting(session, FOLDER, "") or "")


def put_folder(session: Session, path: str) -> None:
    """A new folder or password: forget what was seen and written, so the next pass starts afresh."""
    put_setting(session, FOLDER, path)
    put_setting(session, SEEN, {})
    put_setting(session, OWN, None)


def seen(session: Session) -> dict[str, Signature]:
    stored = get_setting(session, SEEN, {}) or {}
    return {name: (int(sig[0]), int(sig[1])) for name, sig in stored.items()}


def put_seen(session: Session, files: dict[str, Signature]) -> None:
    put_setting(session, SEEN, {name: list(sig) for name, sig in sorted(files.items())})


def own_file(session: Session) -> OwnFile | None:
    stored = get_setting(session, OWN)
    if not stored:
        return None
    return OwnFile(
        stored["name"], int(stored["counter"]), (int(stored["signature"][0]), int(stored["signature"][1]))
    )


def put_own_file(session: Session, own: OwnFile) -> None:
    put_setting(session, OWN, {"name": own.name, "counter": own.counter, "signature": list(own.signature)})
    put_setting(session, STALE, False)


def stale(session: Session) -> bool:
    return bool(get_setting(session, STALE, False))


def mark_stale(session: Session) -> None:
    put_setting(session, STALE, True)


def last_exchange(session: Session) -> dt.datetime | None:
    text = get_setting(session, LAST)
    return dt.datetime.fromisoformat(text) if text else None


def put_last_exchange(session: Session, when: dt.datetime) -> None:
    put_setting(session, LAST, when.astimezone(dt.UTC).isoformat())
