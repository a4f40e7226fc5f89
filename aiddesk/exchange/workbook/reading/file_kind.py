"""Step 2 of reading a workbook: the file read once into memory, what kind of file it is, and,
when it is locked with a password, the `.xlsx` package inside it.

What kind: a zip (an `.xlsx` package), an OLE compound file (a password-locked workbook, or an
old `.xls`), a PDF, a text file (a CSV renamed `.xlsx`), empty, or something else. A locked
workbook holds an `EncryptionInfo` stream and the encrypted package (AES-256 Agile, as Excel).
Its `EncryptionInfo` XML is checked with defusedxml before msoffcrypto parses it, and its
key-stretching count is bounded, so a hostile file can neither play XML entity tricks nor keep
the desk hashing for minutes."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

import olefile
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from msoffcrypto import exceptions as crypto_errors
from msoffcrypto.format.ooxml import OOXMLFile

from aiddesk.exchange.workbook import key_cache  # noqa: F401  (the password stretched once per salt)
from aiddesk.exchange.workbook.errors import WorkbookRejected, WrongPassword
from aiddesk.exchange.workbook.reading import refusals
from aiddesk.exchange.workbook.reading.zip_guard import (
    PackageBytes,
    PackageFile,
    PackageMemory,
    anonymous_memory,
)

MIB = 1024 * 1024
MAX_FILE_BYTES = 256 * MIB
SNIFF_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF"

MAX_ENCRYPTION_INFO_BYTES = 64 * 1024
MAX_SPIN_COUNT = 1_000_000  # Excel and LibreOffice use 100,000
AGILE_VERSION = (4, 4)
STANDARD_MINOR_VERSION = 2
PASSWORD_KEY_NAMESPACE = "http://schemas.microsoft.com/office/2006/keyEncryptor/password"
OLD_EXCEL_STREAMS = ("Workbook", "Book")


def package_source(path: Path, password: str | None, label: str) -> PackageBytes | PackageFile:
    """The file's zip package: read in place from the open file when it is a plain `.xlsx` (a big
    workbook is never held whole in memory), else unlocked into memory. The caller closes it."""
    file = _open_file(path, label)
    try:
        head = file.read(SNIFF_BYTES)
        kind = sniff(head)
        if kind == "zip":
            return PackageFile(file, Path(path))
        data = head + file.read(MAX_FILE_BYTES + 1 - len(head))
    except OSError as exc:
        file.close()
        raise refusals.cannot_open(label) from exc
    except BaseException:
        file.close()
        raise
    file.close()
    if len(data) > MAX_FILE_BYTES:
        raise refusals.file_too_large(label)
    if kind != "ole":
        raise refusals.refuse_foreign(kind, label)
    _check_locked_package(data, label)
    if not password:
        raise refusals.needs_password(label)
    office = _office_file(data, label)
    _load_key(office, password, label)
    memory = anonymous_memory()
    if memory is None:
        return PackageBytes(_decrypt(office, data, label))
    try:
        _decrypt_into(office, data, label, memory)
    except BaseException:
        memory.close()
        raise
    return PackageMemory(memory)


def _open_file(path: Path, label: str) -> BinaryIO:
    """The file opened for reading, after the checks of read_file (the size included)."""
    try:
        check_ordinary_file(path, label)
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
        file = os.fdopen(fd, "rb")
    except OSError as exc:
        raise refusals.cannot_open(label) from exc
    try:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise refusals.not_a_file(label)
        if info.st_size > MAX_FILE_BYTES:
            raise refusals.file_too_large(label)
    except BaseException:
        file.close()
        raise
    return file


def check_ordinary_file(path: Path, label: str) -> None:
    """Refuse a folder, a device or a named pipe (a link to an ordinary file is fine)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise refusals.not_a_file(label)


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


# ---------------------------------------------------------------- what kind of file


def sniff(head: bytes) -> str:
    """The kind of file its first bytes show: zip, ole, pdf, text, empty or other."""
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.lstrip().startswith(PDF_MAGIC):
        return "pdf"
    return "text" if _looks_like_text(head) else "other"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return _mostly_printable(head)
    return True


def _mostly_printable(head: bytes) -> bool:
    printable = sum(1 for byte in head if byte >= 0x20 or byte in b"\t\r\n")
    return printable >= 0.95 * len(head)


# ---------------------------------------------------------------- locked workbooks


def is_encrypted(path: Path) -> bool:
    """Whether `path` is a password-locked Office package (an OLE file with an EncryptionInfo stream)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a folder, a device or a pipe: reading it says what is wrong, without waiting
        with os.fdopen(os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY), "rb") as file:
            head = file.read(len(OLE_MAGIC))
    except OSError as exc:
        raise refusals.cannot_open(refusals.label_of(path)) from exc
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
        raise refusals.needs_password(label)
    office = _office_file(data, label)
    _load_key(office, password, label)
    return _decrypt(office, data, label)


def password_opens(path: Path, password: str) -> bool | None:
    """Whether `password` opens the locked workbook `path`, cheaply: only its key is checked (one
    key stretching, cached per salt), its content is neither read nor decrypted. None when that
    cannot be told: not a locked workbook, damaged, cut short (a sync tool still copying it) or
    gone."""
    label = refusals.label_of(path)
    try:
        check_ordinary_file(path, label)
        with os.fdopen(os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY), "rb") as file:
            if file.read(len(OLE_MAGIC)) != OLE_MAGIC:
                return None
            file.seek(0)
            _check_locked_package(file, label)
            file.seek(0)
            _load_key(_office_file(file, label), password, label)
    except WrongPassword:
        return False
    except (WorkbookRejected, OSError):
        return None
    return True


def _office_file(data: bytes | BinaryIO, label: str) -> OOXMLFile:
    try:
        return OOXMLFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except Exception as exc:  # key data that does not decode (bad base64, missing attributes)
        raise refusals.incomplete(label) from exc


def _check_locked_package(data: bytes | BinaryIO, label: str) -> None:
    try:
        with olefile.OleFileIO(data) as ole:
            if not _holds_locked_package(ole):
                # its list of streams lies past the end of the file: cut short
                if (ole.first_dir_sector + 2) * ole.sectorsize > _size(data):
                    raise refusals.incomplete(label)
                if any(ole.exists(stream) for stream in OLD_EXCEL_STREAMS):
                    raise refusals.old_excel(label)
                raise refusals.not_a_workbook(label)
            info = _read_encryption_info(ole, label)
    except WorkbookRejected:
        raise
    except Exception as exc:  # olefile on a cut or damaged compound file
        raise refusals.incomplete(label) from exc
    _check_encryption_info(info, label)


def _read_encryption_info(ole: olefile.OleFileIO, label: str) -> bytes:
    if ole.get_size("EncryptionInfo") > MAX_ENCRYPTION_INFO_BYTES:
        raise refusals.cannot_unlock(label)
    with ole.openstream("EncryptionInfo") as stream:
        return stream.read()


def _check_encryption_info(info: bytes, label: str) -> None:
    version = (int.from_bytes(info[0:2], "little"), int.from_bytes(info[2:4], "little"))
    if version == AGILE_VERSION:
        _check_agile_info(info[8:], label)
    elif version[1] != STANDARD_MINOR_VERSION or version[0] not in (2, 3, 4):
        raise refusals.cannot_unlock(label)


def _check_agile_info(xml: bytes, label: str) -> None:
    try:
        root = SafeElementTree.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise refusals.xml_tricks(label) from exc
    except SafeElementTree.ParseError as exc:  # cut short, or damaged
        raise refusals.incomplete(label) from exc
    for key in root.iter(f"{{{PASSWORD_KEY_NAMESPACE}}}encryptedKey"):
        if not _spin_count(key.get("spinCount")) <= MAX_SPIN_COUNT:
            raise refusals.cannot_unlock(label)


def _size(data: bytes | BinaryIO) -> int:
    if isinstance(data, bytes):
        return len(data)
    at = data.tell()
    try:
        return data.seek(0, os.SEEK_END)
    finally:
        data.seek(at)


def _cut_short(data: bytes) -> bool:
    """Whether the locked package's stream ends before the length the file declares for it (a
    file cut short reads as a changed one to the integrity check)."""
    try:
        with olefile.OleFileIO(data) as ole, ole.openstream("EncryptedPackage") as stream:
            return len(stream.read()) < ole.get_size("EncryptedPackage")
    except Exception:  # olefile on a cut or damaged compound file
        return True


def _spin_count(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return MAX_SPIN_COUNT + 1


def _load_key(office: OOXMLFile, password: str, label: str) -> None:
    try:
        office.load_key(password=password, verify_password=True)
    except crypto_errors.InvalidKeyError as exc:
        raise refusals.wrong_password(label) from exc
    except Exception as exc:  # an unknown hash or cipher, or key data that does not decode
        raise refusals.cannot_unlock(label) from exc


def _decrypt(office: OOXMLFile, data: bytes, label: str) -> bytes:
    plain = io.BytesIO()
    _decrypt_into(office, data, label, plain)
    return plain.getvalue()


def _decrypt_into(office: OOXMLFile, data: bytes, label: str, plain: BinaryIO) -> None:
    try:
        office.decrypt(plain, verify_integrity=True)
    except crypto_errors.InvalidKeyError as exc:  # the password was right: the content was changed
        if _cut_short(data):  # or is not all there yet: still being copied into the folder
            raise refusals.incomplete(label) from exc
        raise refusals.changed_after_locking(label) from exc
    except Exception as exc:  # most often a file cut short: its streams end early
        raise refusals.incomplete(label) from exc
