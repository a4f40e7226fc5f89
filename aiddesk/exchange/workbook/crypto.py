"""Workbooks locked with a password: AES-256 Agile encryption, as Excel itself, via msoffcrypto-tool.

A locked workbook is an OLE (compound) file that holds an `EncryptionInfo` stream and the
encrypted `.xlsx` package. Its `EncryptionInfo` XML is checked with defusedxml before
msoffcrypto parses it, and its key-stretching count is bounded, so a hostile file can
neither play XML entity tricks nor keep the desk hashing for minutes."""

from __future__ import annotations

import io
from pathlib import Path

import olefile
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from msoffcrypto import exceptions as crypto_errors
from msoffcrypto.format.ooxml import OOXMLFile

from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.zip_guard import OLE_MAGIC, incomplete, not_a_workbook, xml_tricks
from aiddesk.i18n import _

MAX_ENCRYPTION_INFO_BYTES = 64 * 1024
MAX_SPIN_COUNT = 1_000_000  # Excel and LibreOffice use 100,000
AGILE_VERSION = (4, 4)
STANDARD_MINOR_VERSION = 2
PASSWORD_KEY_NAMESPACE = "http://schemas.microsoft.com/office/2006/keyEncryptor/password"
OLD_EXCEL_STREAMS = ("Workbook", "Book")


def cannot_open(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The file %(file)s could not be opened. Check that it is still there and that you may "
            "read it, then try again."
        )
        % {"file": label}
    )


def is_encrypted(path: Path) -> bool:
    """Whether `path` is a password-locked Office package (an OLE file with an EncryptionInfo stream)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(OLE_MAGIC))
    except OSError as exc:
        raise cannot_open(path.name) from exc
    if head != OLE_MAGIC:
        return False
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return _holds_locked_package(ole)
    except Exception:  # a damaged OLE file is not a locked workbook; reading it says what is wrong
        return False


def _holds_locked_package(ole: olefile.OleFileIO) -> bool:
    return bool(ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"))


def unlock(data: bytes, password: str | None, label: str) -> bytes:
    """The plain `.xlsx` package inside the OLE file `data`, or the rejection that says why not."""
    _check_locked_package(data, label)
    if not password:
        raise WorkbookRejected(
            _("The workbook %(file)s is locked with a password. Enter the group password to open it.")
            % {"file": label}
        )
    office = _office_file(data, label)
    _load_key(office, password, label)
    return _decrypt(office, label)


def _office_file(data: bytes, label: str) -> OOXMLFile:
    try:
        return OOXMLFile(io.BytesIO(data))
    except Exception as exc:  # key data that does not decode (bad base64, missing attributes)
        raise incomplete(label) from exc


def _check_locked_package(data: bytes, label: str) -> None:
    try:
        with olefile.OleFileIO(data) as ole:
            if not _holds_locked_package(ole):
                raise _not_locked_workbook(ole, label)
            info = _read_encryption_info(ole, label)
    except WorkbookRejected:
        raise
    except Exception as exc:  # olefile on a cut or damaged compound file
        raise incomplete(label) from exc
    _check_encryption_info(info, label)


def _not_locked_workbook(ole: olefile.OleFileIO, label: str) -> WorkbookRejected:
    if any(ole.exists(stream) for stream in OLD_EXCEL_STREAMS):
        return WorkbookRejected(
            _(
                "The file %(file)s is an old Excel 97-2003 workbook (.xls). Open it in Excel or "
                "LibreOffice and save it as an Excel workbook (.xlsx)."
            )
            % {"file": label}
        )
    return not_a_workbook(label)


def _read_encryption_info(ole: olefile.OleFileIO, label: str) -> bytes:
    if ole.get_size("EncryptionInfo") > MAX_ENCRYPTION_INFO_BYTES:
        raise _cannot_unlock(label)
    with ole.openstream("EncryptionInfo") as stream:
        return stream.read()


def _check_encryption_info(info: bytes, label: str) -> None:
    version = (int.from_bytes(info[0:2], "little"), int.from_bytes(info[2:4], "little"))
    if version == AGILE_VERSION:
        _check_agile_info(info[8:], label)
    elif version[1] != STANDARD_MINOR_VERSION or version[0] not in (2, 3, 4):
        raise _cannot_unlock(label)


def _check_agile_info(xml: bytes, label: str) -> None:
    try:
        root = SafeElementTree.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise xml_tricks(label) from exc
    except SafeElementTree.ParseError as exc:  # cut short, or damaged
        raise incomplete(label) from exc
    for key in root.iter(f"{{{PASSWORD_KEY_NAMESPACE}}}encryptedKey"):
        if not _spin_count(key.get("spinCount")) <= MAX_SPIN_COUNT:
            raise _cannot_unlock(label)


def _spin_count(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return MAX_SPIN_COUNT + 1


def _load_key(office: OOXMLFile, password: str, label: str) -> None:
    try:
        office.load_key(password=password, verify_password=True)
    except crypto_errors.InvalidKeyError as exc:
        raise WorkbookRejected(
            _(
                "The password does not open the workbook %(file)s. Check the group password "
                "(capital letters count) and try again."
            )
            % {"file": label}
        ) from exc
    except Exception as exc:  # an unknown hash or cipher, or key data that does not decode
        raise _cannot_unlock(label) from exc


def _decrypt(office: OOXMLFile, label: str) -> bytes:
    plain = io.BytesIO()
    try:
        office.decrypt(plain, verify_integrity=True)
    except crypto_errors.InvalidKeyError as exc:  # the password was right: the content was changed
        raise WorkbookRejected(
            _(
                "The workbook %(file)s was changed or damaged after it was locked with the password, "
                "so it cannot be trusted. Ask the sender to export it again."
            )
            % {"file": label}
        ) from exc
    except Exception as exc:  # most often a file cut short: its streams end early
        raise incomplete(label) from exc
    return plain.getvalue()


def _cannot_unlock(label: str) -> WorkbookRejected:
    return WorkbookRejected(
        _(
            "The workbook %(file)s is locked in a way this desk cannot open. Ask the sender to export "
            "it again from AidDesk with the group password."
        )
        % {"file": label}
    )


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
