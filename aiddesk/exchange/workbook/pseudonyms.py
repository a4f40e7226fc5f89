"""Pseudonyms for a redacted export: a keyed hash, so rows still count and join.

The key comes from the group password (a secret of the network), so nobody can
reverse a pseudonym by hashing every phone number: without the password the
pseudonyms are random-looking, and every desk of the network makes the same ones."""

from __future__ import annotations

import hashlib
import hmac

_SALT = b"aiddesk-pseudonyms-v1"
_ROUNDS = 200_000


class Pseudonyms:
    def __init__(self, group_password: str) -> None:
        self._key = hashlib.pbkdf2_hmac("sha256", group_password.encode("utf-8"), _SALT, _ROUNDS)

    def of(self, value: str) -> str:
        digest = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return "X-" + digest[:16]
