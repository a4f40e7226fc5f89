"""A PIN's or passphrase's verifier: scrypt with a random salt, never the secret itself.

Kept apart from any key wrapping (a passphrase may also wrap the desk key elsewhere): the verifier
only answers "is this the account's secret?"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# scrypt cost: N=2**15, r=8 (32 MiB, about 0.1 s on a laptop core).
COST = 15
BLOCK = 8
PARALLEL = 1
LENGTH = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(secret: str, salt: bytes, cost: int, block: int, parallel: int) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=2**cost,
        r=block,
        p=parallel,
        maxmem=2**cost * block * 128 * 2 + 1024 * 1024,
        dklen=LENGTH,
    )


def make_verifier(secret: str, *, cost: int = COST) -> str:
    """ "scrypt$cost$r$p$salt$hash" for `secret`."""
    salt = secrets.token_bytes(16)
    digest = _derive(secret, salt, cost, BLOCK, PARALLEL)
    return f"scrypt${cost}${BLOCK}${PARALLEL}${_b64(salt)}${_b64(digest)}"


def matches(secret: str, verifier: str) -> bool:
    """Does `secret` match `verifier`? (False for a verifier that cannot be read.)"""
    try:
        scheme, cost, block, parallel, salt, digest = verifier.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = _derive(secret, base64.b64decode(salt), int(cost), int(block), int(parallel))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)
