"""The password's key stretching (100,000 rounds of SHA-512 for Agile encryption), done once per
(password, salt) in a process instead of twice per file: msoffcrypto stretches the password once
to check it and again to make the key. A desk locks all its exchange folder's files with one salt
of its own (folder_state), so a pass that reads nine desks' new files stretches nine times at
most, and none for a desk it read before. Only the stretched value is kept (a few recent ones),
in memory; the key that locks each file's content is random per file."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from msoffcrypto.method.ecma376_agile import ECMA376Agile

SALT_BYTES = 16

_stretch = ECMA376Agile._derive_iterated_hash_from_password


@lru_cache(maxsize=32)
def _stretched(password: str, salt: bytes, algorithm: str, spins: int) -> bytes:
    return bytes(_stretch(password, salt, algorithm, spins).digest())


class _Digest:
    """What msoffcrypto uses of the hash object it gets back: its digest."""

    def __init__(self, value: bytes) -> None:
        self._value = value

    def digest(self) -> bytes:
        return self._value


def stretched(password: Any, salt: Any, algorithm: Any, spins: Any) -> _Digest:
    return _Digest(_stretched(str(password), bytes(salt), str(algorithm), int(spins)))


ECMA376Agile._derive_iterated_hash_from_password = staticmethod(stretched)
