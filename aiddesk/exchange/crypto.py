"""Locking a workbook with a password: AES-256 Agile encryption, as Excel itself, via msoffcrypto-tool.

Unlocking one is step 2 of reading a workbook (aiddesk/exchange/reading/file_kind.py)."""

from __future__ import annotations

from pathlib import Path

from msoffcrypto import exceptions as crypto_errors
from msoffcrypto.format.ooxml import OOXMLFile

from aiddesk.exchange.errors import WorkbookRejected
from aiddesk.exchange.reading.file_kind import is_encrypted
from aiddesk.i18n import _

__all__ = ["encrypt_file", "is_encrypted"]


def encrypt_file(source: Path, target: Path, password: str) -> None:
    """Write `source` (a plain .xlsx) to `target` locked with `password`: AES-256 Agile, as Excel."""
    if not password:
        raise ValueError("an empty password would lock nothing")
    try:
        with source.open("rb") as plain, target.open("wb") as locked:
            OOXMLFile(plain).encrypt(password, locked)
    except (crypto_errors.FileFormatError, crypto_errors.EncryptionError) as exc:
        raise WorkbookRejected(
            _(
                "The workbook %(file)s could not be locked with the password, so it was not saved. "
                "Try again; if it keeps failing, export it without a password and tell your coordinator."
            )
            % {"file": target.name}
        ) from exc
