"""The password's key stretching (100,000 rounds of SHA-512 for Agile encryption), done once per
(password, salt) in a process instead of twice per file: msoffcrypto stretches the password once
to check it and again to make the key. A desk locks all its exchange folder's files with one salt
of its own (folder_state), so a pass that reads nine desks' new files stretches nine times at
most, and none for a desk it read before. Only the stretched value is kept (a few recent ones),
in memory; the key that locks each file's content is random per file.

The stretching is ~100 ms of pure Python (measured: 107 ms on the reference machine) without a
single SQL statement, where an exchange pass would otherwise pause for the desk's own saves: a
pass's first file of a desk (its own, at its first export; each other desk's, at its first
reading) made a save wait beside it (issue 13). So it gives way every `GIVE_WAY_EVERY` rounds
(store/foreground.py `give_way`): a background pass pauses there while a save runs."""

from __future__ import annotations

from functools import lru_cache
from struct import Struct
from typing import Any

from msoffcrypto.method.ecma376_agile import ECMA376Agile, _get_hash_func

from aiddesk.store.foreground import give_way

SALT_BYTES = 16
GIVE_WAY_EVERY = 1000  # rounds of the stretching between two pause points (about 1 ms)

_ROUND = Struct("<I")


@lru_cache(maxsize=32)
def _stretched(password: str, salt: bytes, algorithm: str, spins: int) -> bytes:
    """As msoffcrypto's `_derive_iterated_hash_from_password` (MS-OFFCRYPTO 2.3.4.11: H0 = H(salt
    + password in UTF-16LE), then H(round number + the previous hash) `spins` times), with pause
    points for the desk's own saves."""
    new = _get_hash_func(algorithm)
    value = new(salt + password.encode("UTF-16LE")).digest()
    pack = _ROUND.pack
    for start in range(0, spins, GIVE_WAY_EVERY):
        give_way()
        for round_ in range(start, min(start + GIVE_WAY_EVERY, spins)):
            value = new(pack(round_) + value).digest()
    return value


class _Digest:
    """What msoffcrypto uses of the hash object it gets back: its digest."""

    def __init__(self, value: bytes) -> None:
        self._value = value

    def digest(self) -> bytes:
        return self._value


def stretched(password: Any, salt: Any, algorithm: Any, spins: Any) -> _Digest:
    return _Digest(_stretched(str(password), bytes(salt), str(algorithm), int(spins)))


ECMA376Agile._derive_iterated_hash_from_password = staticmethod(stretched)
