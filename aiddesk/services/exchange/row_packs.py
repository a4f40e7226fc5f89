"""The rows of new records a big merge keeps compressed in memory once its plan is full.

A merge plans in a read transaction and writes in the write transaction, so what it will
insert waits in memory in between. Kept as Python objects, a new record's row takes about
2.7 KB; a desk joining a network of 100,000 people takes in half a million of them. Past what
the plan keeps as objects (merge_pass.PLAN_BYTES), the rows of new records wait here in packs of
PACK_ROWS, pickled and compressed: tens to a few hundred bytes a row (the rows of one kind repeat
their stamps, version vectors, dates and choices). Only past PACK_BYTES of packs does the merge
fall back to reading `_state` again while it writes (merge_pass._apply_again), parsing every such
row a second time.

Nothing here leaves memory: the packs are bytes objects of this process, never a file."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterator

from aiddesk.store.state_rows import CompactRow

PACK_ROWS = 1000
# What the packs may hold (compressed): a merge of 100,000 people stays under 400 MB with it.
PACK_BYTES = 96 * 2**20

# A row waiting: its `_state` row (to read it again if the desk gets the record meanwhile), the
# conflicts it counted in the report, and the row itself.
Packed = tuple[int, int, CompactRow]


class RowPacks:
    """Packed rows by kind, in the order they were added."""

    def __init__(self, limit: int | None = None) -> None:
        self._packs: dict[str, list[bytes]] = {}
        self._pending: dict[str, list[Packed]] = {}  # the next pack of each kind, not sealed yet
        self.limit = PACK_BYTES if limit is None else limit
        self.bytes = 0
        self.full = self.limit <= 0  # no more rows are taken

    def add(self, kind: str, position: int, conflicts: int, row: CompactRow) -> bool:
        """Keep a row of `kind`; False (nothing kept) once the packs are full."""
        if self.full:
            return False
        pending = self._pending.setdefault(kind, [])
        pending.append((position, conflicts, row))
        if len(pending) >= PACK_ROWS:
            self._seal(kind)
        return True

    def _seal(self, kind: str) -> None:
        pending = self._pending.pop(kind, None)
        if not pending:
            return
        blob = zlib.compress(pickle.dumps(pending, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self._packs.setdefault(kind, []).append(blob)
        self.bytes += len(blob)
        if self.bytes >= self.limit:
            self.full = True

    def kept(self) -> int:
        """How many rows the packs hold (for tests and benchmarks)."""
        sealed = sum(
            len(pickle.loads(zlib.decompress(blob))) for packs in self._packs.values() for blob in packs
        )
        return sealed + sum(map(len, self._pending.values()))

    def take(self, kind: str) -> Iterator[list[Packed]]:
        """The rows of `kind`, a pack at a time in the order they were added; each pack is let
        go as it is given."""
        packs = self._packs.pop(kind, [])
        pending = self._pending.pop(kind, [])
        packs.reverse()
        while packs:
            yield pickle.loads(zlib.decompress(packs.pop()))  # our own bytes, never a file's
        if pending:
            yield pending
