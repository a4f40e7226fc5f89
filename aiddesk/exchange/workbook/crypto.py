"""Locking a workbook with a password: AES-256 Agile encryption, as Excel itself, via msoffcrypto-tool.

The plain workbook is locked from memory: it never exists unlocked in a file. Unlocking one is
step 2 of reading a workbook (aiddesk/exchange/reading/file_kind.py)."""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path
from struct import pack
from typing import Any, BinaryIO

from msoffcrypto import exceptions as crypto_errors
from msoffcrypto.method.container.ecma376_encrypted import (
    DSPos,
    ECMA376Encrypted,
    ECMA376EncryptedLayout,
    Header,
)
from msoffcrypto.method.ecma376_agile import (
    ECMA376Agile,
    _encrypt_aes_cbc_padded,
    _get_hash_func,
    _normalize_key,
)

from aiddesk.exchange.workbook import key_cache
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.memory_file import PiecesInMemory
from aiddesk.exchange.workbook.reading.file_kind import is_encrypted
from aiddesk.exchange.workbook.reading.refusals import label_of
from aiddesk.i18n import _

__all__ = ["encrypt", "encrypt_file", "is_encrypted"]

SEGMENT = 4096  # bytes of the package locked under one IV (MS-OFFCRYPTO 2.3.4.15)


def encrypt(
    plain: bytes | PiecesInMemory, locked: BinaryIO, password: str, *, label: str, salt: bytes | None = None
) -> None:
    """Write the plain .xlsx package `plain` to `locked` (a new file, or memory), locked with
    `password`: nothing plain reaches a file. The locked package is built in memory; a `plain`
    held in pieces is given back piece by piece as it is locked (memory_file.py), so both together
    take about one workbook's size. `salt` (16 random bytes a desk keeps for its exchange folder's
    files) salts the password's key stretching the same way in all of them, so a reader stretches
    it once per desk, not once per file; without it a new random salt is drawn. The key that locks
    the content is new and random in every file."""
    if not password:
        raise ValueError("an empty password would lock nothing")
    if salt is not None and len(salt) != key_cache.SALT_BYTES:
        raise ValueError("a salt is 16 bytes")
    if isinstance(plain, PiecesInMemory):
        size, pieces = plain.size, plain.drain()
    else:
        size, pieces = len(plain), iter([plain])
    try:
        # As msoffcrypto's ECMA376Agile.encrypt, without its copies of the whole package.
        info, secret_key = ECMA376Agile.generate_encryption_parameters(password, salt)
        package = _encrypted_package(pieces, size, info.encryptedKey, secret_key, info.keyData.saltValue)
        try:
            encryption_info = ECMA376Agile.get_encryption_information(info, package, secret_key)
            _Container(package, encryption_info)._write_to(locked)
        finally:
            package.close()
    except (crypto_errors.FileFormatError, crypto_errors.EncryptionError) as exc:
        raise WorkbookRejected(
            _(
                "The workbook %(file)s could not be locked with the password, so it was not saved. "
                "Try again; if it keeps failing, export it without a password and tell your coordinator."
            )
            % {"file": label}
        ) from exc


class _Container(ECMA376Encrypted):
    """msoffcrypto's writer of the locked file (an OLE compound file), which first sized the file
    by writing a zero-filled copy of all of it: one more workbook's size of memory. Here the file
    is sized by writing its last byte (the gap reads as zeros); the rest is msoffcrypto's own."""

    def _write_to(self, obuf: Any) -> None:
        layout = ECMA376EncryptedLayout(self._header.sectorSize)
        self._set_sector_locations_of_streams(layout)
        self._detect_sector_num(layout)
        self._header.firstDirectorySectorLocation = layout.directoryEntryPos
        self._header.firstMiniFatSectorLocation = layout.miniFatPos
        self._header.numMiniFatSectors = layout.numMiniFatSectors
        self._dirs[DSPos.iRoot].StartingSectorLocation = layout.miniFatDataPos
        self._dirs[DSPos.iRoot].Content = b"\0" * (64 * layout.miniFatNum)
        self._dirs[DSPos.iEncryptionPackage].StartingSectorLocation = layout.encryptionPackagePos
        for i in range(min(layout.fatSectorNum, Header.FIRSTNUMDIFAT)):
            self._header.difat.append(layout.fatPos + i)
        self._header.numFatSectors = layout.fatSectorNum
        self._header.numDifatSectors = layout.difatSectorNum
        if layout.difatSectorNum > 0:
            self._header.firstDifatSectorLocation = layout.difatPos
        obuf.seek(layout.totalSize - 1)  # was: obuf.write(b"\0" * layout.totalSize)
        obuf.write(b"\0")
        obuf.seek(0)
        self._header.write_to(obuf)
        self._write_DIFAT(obuf, layout)
        self._write_FAT_start(obuf, layout)
        self._write_MiniFAT(obuf, layout)
        self._write_directory_entries(obuf, layout)
        self._write_Content(obuf, layout)


def _encrypted_package(
    pieces: Iterator[bytes], size: int, params: Any, secret_key: bytes, salt_value: bytes
) -> mmap.mmap:
    """The EncryptedPackage stream: the plain package's size, then each 4,096-byte segment locked
    with AES-CBC under its own IV (as msoffcrypto's ECMA376Agile.encrypt_payload), into memory
    made at its final size (growing a buffer would copy it) that takes room only as it is filled
    (anonymous memory, no file), while the plain pieces are given back."""
    block = params.blockSize
    last = size % SEGMENT
    out = mmap.mmap(-1, 8 + size - last + (-(-last // block) * block))
    out[:8] = pack("<Q", size)
    hash_of = _get_hash_func(params.hashName)
    at, index = 8, 0
    for piece in pieces:
        for start in range(0, len(piece), SEGMENT):
            iv = _normalize_key(hash_of(salt_value + pack("<I", index)).digest(), params.saltSize)
            locked = _encrypt_aes_cbc_padded(bytes(piece[start : start + SEGMENT]), secret_key, iv, block)
            out[at : at + len(locked)] = locked
            at += len(locked)
            index += 1
    if at != len(out):
        out.close()
        raise crypto_errors.EncryptionError("the package was not locked whole")
    return out


def encrypt_file(source: Path, target: Path, password: str) -> None:
    """Write `source` (a plain .xlsx) to `target` locked with `password`."""
    if not password:
        raise ValueError("an empty password would lock nothing")
    plain = source.read_bytes()
    with target.open("wb") as locked:
        encrypt(plain, locked, password, label=label_of(target))
