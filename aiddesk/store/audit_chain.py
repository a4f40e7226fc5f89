"""The audit trail's chain: every entry sealed with a MAC over its own content and the MAC before it.

`mac = HMAC-SHA256(audit key, previous mac || id, at, who, action, record kind, record id, detail)`.

The audit key:
- on an encrypted desk, derived from the desk key (HMAC-SHA256 of a fixed label under the desk key,
  an HKDF-Expand step): whoever cannot open the desk cannot forge an entry either;
- on a plain desk, 32 random bytes kept in `aiddesk.db.audit` beside the database (owner-only).
  Anyone who can read that file can rewrite the trail and its seals: on a plain desk the chain
  only shows careless or clumsy edits, not a determined one.

The chain's head (the last entry's MAC) and its length are kept outside the audit table too, so
dropping the last entries shows: in the key file (`aiddesk.db.keys`, beside the wrapped keys) of
an encrypted desk, in `aiddesk.db.audit` on a plain desk. Both travel with every backup.

Entries are sealed at the end of each `Database.transaction()` (under the write lock, so two
writers never chain from the same entry); an entry written outside one (a new desk identity at
opening) is sealed by the next transaction. The head is written after the commit: a crash in
between leaves the head one step behind, which the check accepts (the entries after the head are
still chained to it)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from aiddesk.store.cipher import DeskKey, keys_file
from aiddesk.store.desk_keys import KeyFile, KeyFileDamaged, write_private

log = logging.getLogger(__name__)

_LABEL = b"aiddesk audit chain v1"
_FIELDS = "id, at, who, action, record_kind, record_id, detail"
_BATCH = 5000


def plain_file(database: Path) -> Path:
    """The audit key and head of a plain desk: `aiddesk.db.audit`."""
    return database.with_name(database.name + ".audit")


class AuditKeyMissing(Exception):
    """A plain desk whose audit file is gone: its seals cannot be checked."""


def derive_key(desk_key: DeskKey) -> bytes:
    return hmac.new(desk_key.raw, _LABEL + b"\x01", hashlib.sha256).digest()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def audit_key(database: Path, desk_key: DeskKey | None, *, create: bool = True) -> bytes:
    """The key that seals this desk's trail (made for a plain desk the first time)."""
    return audit_key_made(database, desk_key, create=create)[0]


def audit_key_made(database: Path, desk_key: DeskKey | None, *, create: bool = True) -> tuple[bytes, bool]:
    """The key that seals this desk's trail, and whether it was made just now (a plain desk whose
    audit file is missing: an upgraded desk, or a database copied without it)."""
    if desk_key is not None:
        return derive_key(desk_key), False
    path = plain_file(database)
    data = _read_json(path)
    raw = (data or {}).get("key")
    if isinstance(raw, str) and len(raw) == 64:
        try:
            return bytes.fromhex(raw), False
        except ValueError:
            pass
    if not create or data:  # a damaged file is never silently replaced (its head would go too)
        raise AuditKeyMissing(str(path))
    key = secrets.token_bytes(32)
    _write_plain(path, {"key": key.hex()})
    return key, True


def _write_plain(path: Path, data: dict[str, Any]) -> None:
    write_private(path, json.dumps(data, sort_keys=True, indent=1).encode("utf-8"))


def mac_of(key: bytes, previous: str, row: tuple[Any, ...]) -> str:
    content = json.dumps([previous, *(str(v) if v is not None else None for v in row)], ensure_ascii=False)
    return hmac.new(key, content.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Head:
    length: int
    mac: str


def seal_pending(conn: Connection, key: bytes) -> Head | None:
    """Seal every entry not sealed yet, in order, chained from the last sealed one. The new head,
    or None when there was nothing to seal."""
    last = conn.execute(
        text("SELECT id, mac, seq FROM audit WHERE mac IS NOT NULL ORDER BY id DESC LIMIT 1")
    ).first()
    after, previous, length = (last[0], last[1], last[2]) if last is not None else (0, "", 0)
    if length is None:  # sealed before positions were kept: counted once
        length = conn.execute(text("SELECT count(*) FROM audit WHERE mac IS NOT NULL")).scalar() or 0
    rows = conn.execute(
        text(f"SELECT {_FIELDS} FROM audit WHERE id > :after AND mac IS NULL ORDER BY id"), {"after": after}
    ).all()
    if not rows:
        return None
    updates = []
    for row in rows:
        previous = mac_of(key, previous, tuple(row))
        length += 1
        updates.append({"id": row[0], "mac": previous, "seq": length})
    # each entry's position in the chain: the head's length without counting the table at each write
    conn.execute(text("UPDATE audit SET mac = :mac, seq = :seq WHERE id = :id"), updates)
    return Head(int(length), previous)


# ---- the head outside the table ---------------------------------------------------------------


def read_head(database: Path, encrypted: bool) -> Head | None:
    data = _read_json(keys_file(database) if encrypted else plain_file(database))
    found = (data or {}).get("audit")
    if not isinstance(found, dict):
        return None
    try:
        return Head(int(found["length"]), str(found["mac"]))
    except (KeyError, TypeError, ValueError):
        return None


def write_head(database: Path, encrypted: bool, head: Head, *, only_forward: bool = True) -> None:
    """Keep `head` beside the wrapped keys (or in the plain desk's audit file). `only_forward`:
    a head older than the one kept (a slower writer finishing last) does not replace it."""
    if only_forward:
        kept = read_head(database, encrypted)
        if kept is not None and kept.length >= head.length:
            return
    value = {"length": head.length, "mac": head.mac}
    try:
        _store_head(database, encrypted, value)
    except (
        OSError,
        ValueError,
        KeyFileDamaged,
    ) as exc:  # the trail stays sealed; `aiddesk check` will say so
        log.warning("the audit chain's head could not be kept beside the database: %s", type(exc).__name__)


def _store_head(database: Path, encrypted: bool, value: dict[str, Any]) -> None:
    if encrypted:
        path = keys_file(database)
        keyfile = KeyFile.load(path)
        keyfile.audit = value
        keyfile.save(path)
    else:
        path = plain_file(database)
        data = _read_json(path) or {}
        data["audit"] = value
        _write_plain(path, data)


# ---- checking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """What the check found: `bad_id` is the first entry whose seal is wrong (0: none);
    `problem` one of "", "edited", "unsealed", "missing_last", "head_missing", "key_missing"."""

    problem: str
    entries: int
    sealed: int
    bad_id: int = 0
    missing: int = 0
    unchecked: bool = False  # a plain desk without its audit file: nothing to check the seals with

    @property
    def ok(self) -> bool:
        return not self.problem

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "problem": self.problem,
            "entries": self.entries,
            "sealed": self.sealed,
            "first_bad_entry": self.bad_id or None,
            "missing_last_entries": self.missing,
            "unchecked": self.unchecked,
        }


def verify(conn: Connection, database: Path, desk_key: DeskKey | None) -> Verdict:
    """Walk the whole trail: every seal, then the head kept outside the table."""
    entries = int(conn.execute(text("SELECT count(*) FROM audit")).scalar() or 0)
    try:
        key = audit_key(database, desk_key, create=False)
    except AuditKeyMissing:
        if desk_key is None and not plain_file(database).exists():
            return Verdict("", entries, 0, unchecked=True)  # sealed again at the next write
        return Verdict("key_missing", entries, 0)
    previous, sealed, unsealed_at, head_mac = "", 0, 0, ""
    head = read_head(database, desk_key is not None)
    after = -1
    while True:
        rows = conn.execute(
            text(f"SELECT {_FIELDS}, mac FROM audit WHERE id > :after ORDER BY id LIMIT {_BATCH}"),
            {"after": after},
        ).all()
        if not rows:
            break
        for row in rows:
            after = row[0]
            mac = row[-1]
            if mac is None:
                unsealed_at = unsealed_at or row[0]
                continue
            if unsealed_at:  # a gap of unsealed entries before a sealed one: they were altered
                return Verdict("unsealed", entries, sealed, unsealed_at)
            if not hmac.compare_digest(mac_of(key, previous, tuple(row[:-1])), str(mac)):
                return Verdict("edited", entries, sealed, row[0])
            previous = str(mac)
            sealed += 1
            if head is not None and sealed == head.length:
                head_mac = previous
    if head is None:
        return Verdict("head_missing" if sealed else "", entries, sealed)
    if sealed < head.length:
        return Verdict("missing_last", entries, sealed, missing=head.length - sealed)
    if head.length and not hmac.compare_digest(head_mac, head.mac):
        return Verdict("edited", entries, sealed, _id_at(conn, head.length))
    return Verdict("", entries, sealed)


def _id_at(conn: Connection, position: int) -> int:
    found = conn.execute(
        text("SELECT id FROM audit WHERE mac IS NOT NULL ORDER BY id LIMIT 1 OFFSET :n"), {"n": position - 1}
    ).scalar()
    return int(found or 0)


def adopt(conn: Connection, database: Path, desk_key: DeskKey | None) -> Head | None:
    """After a restore: the restored trail's own end becomes the head (the live head belonged to
    the database that was replaced). Seals what was not sealed first."""
    key = audit_key(database, desk_key)
    seal_pending(conn, key)
    last = conn.execute(text("SELECT mac FROM audit WHERE mac IS NOT NULL ORDER BY id DESC LIMIT 1")).scalar()
    length = int(conn.execute(text("SELECT count(*) FROM audit WHERE mac IS NOT NULL")).scalar() or 0)
    if last is None:
        return None
    head = Head(length, str(last))
    write_head(database, desk_key is not None, head, only_forward=False)
    return head


def reseal_encrypted_file(database: Path, desk_key: DeskKey) -> Verdict:
    """`reseal_encrypted` on the just encrypted database at `database` (no other connection open)."""
    import datetime as dt

    from sqlalchemy import create_engine

    from aiddesk.store import cipher

    engine = create_engine(
        f"sqlite:///{database}", module=cipher.driver, creator=lambda: cipher.connect(database, desk_key)
    )
    try:
        with engine.begin() as conn:
            verdict = reseal_encrypted(
                conn, database, desk_key, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            )
    finally:
        engine.dispose()
    plain = plain_file(database)
    if plain.exists():
        plain.unlink()
    return verdict


def reseal_encrypted(conn: Connection, database: Path, desk_key: DeskKey, at: str) -> Verdict:
    """A plain desk just encrypted: its trail, sealed with the plain desk's own key, is checked
    with it, then sealed again from the first entry with the key derived from the desk key (with
    an entry saying whether it was whole) and its head kept in the key file; the plain desk's audit
    file goes. The verdict on the plain trail."""
    before = verify(conn, database, None)
    conn.execute(
        text(
            "INSERT INTO audit (at, who, action, record_kind, record_id, detail) "
            "VALUES (:at, 'aiddesk', 'audit_resealed', '', '', :detail)"
        ),
        {
            "at": at,
            "detail": json.dumps({"was_intact": before.ok, "first_bad_entry": before.bad_id}, sort_keys=True),
        },
    )
    conn.execute(text("UPDATE audit SET mac = NULL, seq = NULL"))
    head = seal_pending(conn, derive_key(desk_key))
    if head is not None:
        write_head(database, True, head, only_forward=False)
    return before


def seal_with_new_key(conn: Connection, key: bytes, at: str) -> Head | None:
    """A plain desk's audit key was made just now while entries were sealed with a lost one (its
    audit file did not come with the database): every entry is sealed again, after an entry that
    says so."""
    if conn.execute(text("SELECT 1 FROM audit WHERE mac IS NOT NULL LIMIT 1")).first() is not None:
        conn.execute(
            text(
                "INSERT INTO audit (at, who, action, record_kind, record_id, detail) "
                "VALUES (:at, 'aiddesk', 'audit_resealed', '', '', :detail)"
            ),
            {"at": at, "detail": json.dumps({"why": "no_audit_file"})},
        )
        conn.execute(text("UPDATE audit SET mac = NULL, seq = NULL"))
    return seal_pending(conn, key)
