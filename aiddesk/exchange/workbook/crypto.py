"""Locking a workbook with a password: AES-256 Agile encryption, as Excel itself, via msoffcrypto-tool.

The plain workbook is locked from memory: it never exists unlocked in a file. Unlocking one is
step 2 of reading a workbook (aiddesk/exchange/reading/file_kind.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import olefile
from msoffcrypto import exceptions as crypto_errors
from msoffcrypto.format.ooxml import OOXMLFile
from msoffcrypto.method.ecma376_agile import ECMA376Agile

from aiddesk.exchange.workbook import key_cache
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading.file_kind import is_encrypted
from aiddesk.exchange.workbook.reading.refusals import label_of
from aiddesk.i18n import _

__all__ = ["encrypt", "encrypt_file", "is_encrypted"]


def encrypt(plain: bytes, locked: BinaryIO, password: str, *, label: str, salt: bytes | None = None) -> None:
    """Write the plain .xlsx package `plain` to `locked`, locked with `password` (msoffcrypto
    builds the locked file in memory too: nothing plain reaches a file). `salt` (16 random bytes
    a desk keeps for its exchange folder's files) salts the password's key stretching the same
    way in all of them, so a reader stretches it once per desk, not once per file; without it a
    new random salt is drawn. The key that locks the content is new and random in every file."""
    if not password:
        raise ValueError("an empty password would lock nothing")
    try:
        if salt is None:
            OOXMLFile(io.BytesIO(plain)).encrypt(password, locked)
        else:
            if len(salt) != key_cache.SALT_BYTES:
                raise ValueError("a salt is 16 bytes")
            buf = ECMA376Agile.encrypt(password, io.BytesIO(plain), salt_value=salt)
            if not olefile.isOleFile(buf):
                raise crypto_errors.EncryptionError("Unable to encrypt this file")
            locked.write(buf)
    except (crypto_errors.FileFormatError, crypto_errors.EncryptionError) as exc:
        raise WorkbookRejected(
            _(
                "The workbook %(file)s could not be locked with the password, so it was not saved. "
                "Try again; if it keeps failing, export it without a password and tell your coordinator."
            )
            % {"file": label}
        ) from exc


def encrypt_file(source: Path, target: Path, password: str) -> None:
    """Write `source` (a plain .xlsx) to `target` locked with `password`."""
    if not password:
        raise ValueError("an empty password would lock nothing")
    plain = source.read_bytes()
    with target.open("wb") as locked:
        encrypt(plain, locked, password, label=label_of(target))
