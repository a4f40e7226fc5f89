"""A file held in memory in pieces: written (and rewritten: a zip goes back to fill in each part's
header) like a file, then read once from the start, each piece's memory given back as it is read.

The plain package of a workbook to be locked lives here, never in a file. Unlike one growing
buffer (io.BytesIO), it never needs a copy of itself to grow, and locking it can give its memory
back piece by piece while the locked copy grows: together they hold about one workbook's size,
not two or three."""

from __future__ import annotations

import io
import mmap
from collections.abc import Iterator
from typing import Any

PIECE = 1 << 20  # a whole number of the 4,096-byte segments a workbook is locked in


class PiecesInMemory(io.RawIOBase):
    """A seekable, write-only file in memory; `drain()` reads it back once."""

    def __init__(self) -> None:
        super().__init__()
        # Pieces of anonymous memory (no file): each is given back to the system when it is
        # closed, whereas a freed bytearray may stay with the process, out of reach of a buffer
        # made apart from it (the locked package).
        self._pieces: list[mmap.mmap] = []
        self._at = 0
        self._size = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._at

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._at, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("a position before the start of the file")
        self._at = base + offset
        return self._at

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("the file was read and given back")
        view = memoryview(data).cast("B")
        at, done = self._at, 0
        while done < len(view):
            index, offset = divmod(at, PIECE)
            while index >= len(self._pieces):
                self._pieces.append(mmap.mmap(-1, PIECE))
            take = min(PIECE - offset, len(view) - done)
            self._pieces[index][offset : offset + take] = view[done : done + take]
            done += take
            at += take
        self._at = at
        self._size = max(self._size, at)
        return done

    @property
    def size(self) -> int:
        return self._size

    def drain(self) -> Iterator[bytes]:
        """The bytes written, from the start, piece by piece; each piece's memory is given back
        as it is read, and the file is closed at the end."""
        pieces, left = self._pieces, self._size
        self._pieces = []
        pieces.reverse()
        try:
            while pieces and left > 0:
                piece = pieces.pop()
                data = piece[: min(left, PIECE)]
                piece.close()
                left -= PIECE
                yield data
        finally:
            for piece in pieces:
                piece.close()
            self.close()
