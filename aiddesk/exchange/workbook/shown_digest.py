"""The digest of a visible row's cells: what the export wrote in a row, hashed, so the merge can
tell an untouched row from one edited by hand without working out each cell's text again.

The export hashes the texts it writes (every column of the sheet's layout, in layout order);
the merge hashes the cells it reads in the same order (columns found by their key, so a person
may reorder them). Equal digests: the row is as exported. Anything else (an edit, a cell Excel
turned into a number, a workbook without digests) takes the cell-by-cell comparison, so a
digest only ever saves work: it never decides that an edit is there."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

DIGEST_BYTES = 10  # 80 bits: an edit that keeps the digest is out of reach by chance


def digest(texts: Sequence[str]) -> str:
    """The digest of one row's cell texts (no cell holds a NUL: control characters are refused)."""
    return hashlib.blake2b("\0".join(texts).encode("utf-8"), digest_size=DIGEST_BYTES).hexdigest()


def row_digest(row: Sequence[Any], positions: Sequence[int]) -> str | None:
    """The digest of the cells of `row` at `positions` (None when one is not text)."""
    width = len(row)
    texts = [row[p] if p < width else "" for p in positions]
    if any(type(t) is not str for t in texts):
        return None
    return digest(texts)
