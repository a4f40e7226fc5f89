"""The key file of an encrypted desk: the desk key, wrapped by each passphrase and once by the
recovery key. No secret is ever stored in clear.

`aiddesk.db.keys` (JSON, owner-only, replaced whole or not at all) lies beside the database
and beside every backup. Each entry ("wrap") holds the desk key encrypted with AES-256-GCM
under a key stretched from one secret with scrypt (memory-hard; its cost is tuned when the
entry is made to about half a second on this computer, and stored with a random salt):

- a named passphrase (the account's name; at least 12 characters), one per coordinator or
  administrator; changing it rewraps the same desk key;
- the recovery key, random, shown once at set-up, 8 groups of 5 letters and digits.

The name and kind of an entry are bound to it (GCM's associated data): an entry copied under
another name does not open. A PIN never wraps the desk key: 10⁶ PINs are tried offline in
days. The desk key itself never changes, so every backup opens with the current key file."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiddesk.store import durable
from aiddesk.store.cipher import KEY_BYTES, DeskKey

FORMAT = "aiddesk-desk-keys"
VERSION = 1
RECOVERY = "recovery"
PASSPHRASE = "passphrase"
TEMP_PREFIX = ".desk-keys-"

RECOVERY_GROUPS = 8
RECOVERY_GROUP_LEN = 5
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

TARGET_S = 0.5  # the scrypt cost is tuned to about this
MIN_LOG_N = 14  # never cheaper than 16 MiB
MAX_LOG_N = 20  # never more than 1 GiB


class WrongSecret(Exception):
    """The secret (or the name with it) does not open the desk key."""


class KeyFileDamaged(Exception):
    """The key file cannot be read."""


@dataclass(frozen=True)
class Cost:
    """scrypt's parameters: n = 2**log_n, r, p (memory: 128 * r * n bytes)."""

    log_n: int = 17
    r: int = 8
    p: int = 1

    @property
    def memory(self) -> int:
        return 128 * self.r * (1 << self.log_n)


def stretch(secret: str, salt: bytes, cost: Cost) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=1 << cost.log_n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.memory + (1 << 24),
        dklen=32,
    )


def tune(target: float = TARGET_S) -> Cost:
    """The cost that takes about `target` seconds here: timed at 2**14, then scaled (scrypt's
    time grows with n)."""
    probe = Cost(log_n=MIN_LOG_N)
    started = time.perf_counter()
    stretch("probe", b"0" * 16, probe)
    spent = max(time.perf_counter() - started, 1e-4)
    log_n = MIN_LOG_N
    while log_n < MAX_LOG_N and spent * (1 << (log_n + 1 - MIN_LOG_N)) <= target * 1.25:
        log_n += 1
    return Cost(log_n=log_n)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise KeyFileDamaged("a field is not text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyFileDamaged("a field is not base64") from exc


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def normalise_recovery(text: str) -> str:
    """A recovery key as typed: spaces, dashes and case do not matter."""
    return "".join(ch for ch in text.upper() if ch not in " -\t\n\r")


def new_recovery_key() -> str:
    """8 groups of 5 letters and digits (base32: no 0, 1, 8 or 9 to mistake), 200 random bits."""
    letters = "".join(secrets.choice(_BASE32) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_LEN))
    return "-".join(letters[i : i + RECOVERY_GROUP_LEN] for i in range(0, len(letters), RECOVERY_GROUP_LEN))


def _aad(kind: str, name: str) -> bytes:
    return f"{FORMAT}/{VERSION}/{kind}/{' '.join(name.split()).casefold()}".encode()


def _wrap(desk_key: DeskKey, kind: str, name: str, secret: str, cost: Cost) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapping = stretch(secret, salt, cost)
    # imported here, not at start: the first window needs none of it
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = AESGCM(wrapping).encrypt(nonce, desk_key.raw, _aad(kind, name))
    return {
        "kind": kind,
        "name": name,
        "kdf": {"name": "scrypt", "log_n": cost.log_n, "r": cost.r, "p": cost.p, "salt": _b64(salt)},
        "aead": "aes-256-gcm",
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }


def _unwrap(entry: dict[str, Any], secret: str) -> DeskKey:
    try:
        kdf = entry["kdf"]
        cost = Cost(int(kdf["log_n"]), int(kdf["r"]), int(kdf["p"]))
        salt, nonce, sealed = _unb64(kdf["salt"]), _unb64(entry["nonce"]), _unb64(entry["sealed"])
        kind, name = str(entry["kind"]), str(entry["name"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileDamaged("an entry is incomplete") from exc
    if (
        kdf.get("name") != "scrypt"
        or entry.get("aead") != "aes-256-gcm"
        or not MIN_LOG_N - 4 <= cost.log_n <= 22
    ):
        raise KeyFileDamaged("an entry uses an unknown method")
    wrapping = stretch(secret, salt, cost)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = AESGCM(wrapping).decrypt(nonce, sealed, _aad(kind, name))
    except InvalidTag:
        raise WrongSecret() from None
    if len(raw) != KEY_BYTES:
        raise KeyFileDamaged("the desk key has the wrong length")
    return DeskKey(raw)


class KeyFile:
    """The wrapped desk key's entries; `save()` writes them, `load()` reads them."""

    def __init__(self, wraps: list[dict[str, Any]], audit: dict[str, Any] | None = None) -> None:
        self.wraps = wraps
        self.audit = audit  # the audit chain's head and length (aiddesk/store/audit_chain.py)

    # ---- reading and writing ----

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            if isinstance(exc, FileNotFoundError):
                raise
            raise KeyFileDamaged(f"{path} cannot be read") from exc
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("wraps"), list)
        ):
            raise KeyFileDamaged(f"{path} is not an AidDesk key file")
        if int(data.get("version", 0)) > VERSION:
            raise KeyFileDamaged(f"{path} was made by a newer AidDesk")
        audit = data.get("audit")
        return cls(
            [w for w in data["wraps"] if isinstance(w, dict)], audit if isinstance(audit, dict) else None
        )

    def text(self) -> str:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "wraps": self.wraps}
        if self.audit is not None:
            data["audit"] = self.audit
        return json.dumps(data, indent=1, sort_keys=True)

    def save(self, path: Path) -> None:
        write_private(path, self.text().encode("utf-8"))

    # ---- entries ----

    @classmethod
    def create(cls, desk_key: DeskKey, recovery: str, cost: Cost) -> KeyFile:
        return cls([_wrap(desk_key, RECOVERY, "", normalise_recovery(recovery), cost)])

    def names(self) -> list[str]:
        return [str(w.get("name", "")) for w in self.wraps if w.get("kind") == PASSPHRASE]

    def _named(self, name: str) -> dict[str, Any] | None:
        for entry in self.wraps:
            if entry.get("kind") == PASSPHRASE and same_name(str(entry.get("name", "")), name):
                return entry
        return None

    def has_name(self, name: str) -> bool:
        return self._named(name) is not None

    def unlock_recovery(self, recovery: str) -> DeskKey:
        entries = [w for w in self.wraps if w.get("kind") == RECOVERY]
        if not entries:
            raise WrongSecret()
        return _unwrap(entries[0], normalise_recovery(recovery))

    def unlock_passphrase(self, name: str, passphrase: str) -> DeskKey:
        entry = self._named(name)
        if entry is None:
            # as long as a wrong passphrase takes, so the time does not tell which names exist
            stretch(passphrase, b"0" * 16, Cost(int(self.wraps[0]["kdf"]["log_n"]) if self.wraps else 14))
            raise WrongSecret()
        return _unwrap(entry, passphrase)

    def set_passphrase(self, desk_key: DeskKey, name: str, passphrase: str, cost: Cost) -> None:
        """Add or replace the entry of `name` (a change rewraps the same desk key)."""
        entry = _wrap(desk_key, PASSPHRASE, " ".join(name.split()), passphrase, cost)
        old = self._named(name)
        if old is None:
            self.wraps.append(entry)
        else:
            self.wraps[self.wraps.index(old)] = entry

    def remove_passphrase(self, name: str) -> bool:
        old = self._named(name)
        if old is None:
            return False
        self.wraps.remove(old)
        return True

    def set_recovery(self, desk_key: DeskKey, recovery: str, cost: Cost) -> None:
        self.wraps = [w for w in self.wraps if w.get("kind") != RECOVERY]
        self.wraps.insert(0, _wrap(desk_key, RECOVERY, "", normalise_recovery(recovery), cost))


def new_desk_key() -> DeskKey:
    return DeskKey(secrets.token_bytes(KEY_BYTES))


def write_private(path: Path, data: bytes) -> None:
    """Owner-only, and complete or not at all: a temporary file beside it, flushed, renamed."""
    durable.write_private(path, data, TEMP_PREFIX)


def copy_beside(source_keys: Path, dest_database: Path) -> None:
    """The key file `source_keys` copied beside the database or backup `dest_database`."""
    from aiddesk.store.cipher import keys_file

    write_private(keys_file(dest_database), source_keys.read_bytes())


def sweep(folder: Path) -> None:
    """Remove what a killed write of a key file left."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TEMP_PREFIX):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
