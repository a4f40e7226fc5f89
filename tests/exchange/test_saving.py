"""Writing an exported file (aiddesk/exchange/saving.py): complete or not at all, owner-only,
journaled while it is written, locked from memory, and never through something that is not an
ordinary file."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import BinaryIO

import openpyxl
import pytest

from aiddesk.exchange.workbook.errors import ExportRefused
from aiddesk.exchange.workbook.memory_file import PiecesInMemory
from aiddesk.exchange.workbook.reading import is_encrypted, read_workbook
from aiddesk.exchange.workbook.saving import write_atomically
from aiddesk.store.temp_files import TempFiles

PASSWORD = "Grupo Norte 2024"


@pytest.fixture
def temp_files(tmp_path: Path) -> TempFiles:
    data = tmp_path / "data"
    data.mkdir()
    return TempFiles(data)


def journaled(temp_files: TempFiles) -> list[str]:
    return sorted(p.name for p in temp_files.journal.glob("*")) if temp_files.journal.exists() else []


def test_the_target_is_replaced_only_when_the_new_file_is_complete(
    tmp_path: Path, temp_files: TempFiles
) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old workbook")
    during: list[list[str]] = []

    def write(out: BinaryIO) -> None:
        out.write(b"half")
        out.flush()
        assert target.read_bytes() == b"old workbook"  # a reader meanwhile still sees the old file
        (temporary,) = [p for p in tmp_path.iterdir() if p.name.startswith(".~export.")]
        assert temporary.suffix == ".xlsx" and stat.S_IMODE(temporary.stat().st_mode) == 0o600
        during.append(journaled(temp_files))
        out.write(b" and the rest")

    write_atomically(target, write, temp_files=temp_files)

    assert target.read_bytes() == b"half and the rest"
    assert len(during[0]) == 1  # journaled while it was written ...
    assert journaled(temp_files) == []  # ... and forgotten once in place
    assert sorted(os.listdir(tmp_path)) == ["data", "export.xlsx"]


def test_a_failure_leaves_the_old_target_and_no_temporary_file(tmp_path: Path, temp_files: TempFiles) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old workbook")

    def write(out: BinaryIO) -> None:
        out.write(b"half a workb")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as raised:
        write_atomically(target, write, temp_files=temp_files)
    assert raised.value.filename == str(target)  # the message names the file the user chose
    assert target.read_bytes() == b"old workbook"
    assert sorted(os.listdir(tmp_path)) == ["data", "export.xlsx"] and journaled(temp_files) == []


def test_a_locked_workbook_is_written_only_in_its_locked_form(tmp_path: Path, temp_files: TempFiles) -> None:
    target = tmp_path / "locked.xlsx"
    handed: list[object] = []

    def write(out: BinaryIO) -> None:
        handed.append(out)
        openpyxl.Workbook().save(out)

    write_atomically(target, write, temp_files=temp_files, password=PASSWORD)

    assert isinstance(handed[0], PiecesInMemory)  # the plain workbook went to memory, not to a file
    assert is_encrypted(target)
    assert read_workbook(target, PASSWORD).sheets["Sheet"].rows == []
    assert sorted(os.listdir(tmp_path)) == ["data", "locked.xlsx"]


def test_the_new_file_is_owner_only_whatever_it_replaces(tmp_path: Path, temp_files: TempFiles) -> None:
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o644)
    os.umask(old := os.umask(0))  # the loosest umask there is
    try:
        write_atomically(target, lambda out: out.write(b"new"), temp_files=temp_files)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_missing_folder_is_refused_naming_the_target(tmp_path: Path, temp_files: TempFiles) -> None:
    target = tmp_path / "no-such-folder" / "export.xlsx"
    with pytest.raises(ExportRefused) as refused:
        write_atomically(target, lambda out: out.write(b"x"), temp_files=temp_files)
    assert refused.value.text() == f"Cannot write {target}: no such folder."


@pytest.mark.parametrize("size", [5_000, 40_000, 300_001, 2_200_000])
def test_the_locked_package_unlocks_to_exactly_the_plain_one_and_the_plain_copy_is_given_back(
    size: int,
) -> None:
    """Locking works segment by segment (4,096 bytes each, the last one padded): whatever the size,
    Excel's unlocking (msoffcrypto here, with its integrity check) gives back the very bytes; the
    plain package in memory is closed (its memory given back) once it is locked."""
    import zipfile

    from msoffcrypto.format.ooxml import OOXMLFile

    from aiddesk.exchange.workbook import crypto

    package = io.BytesIO()
    with zipfile.ZipFile(package, "w", zipfile.ZIP_STORED) as book:
        book.writestr("xl/data.bin", os.urandom(size))
    payload = package.getvalue()
    plain, locked = PiecesInMemory(), io.BytesIO()
    plain.write(payload[:1000])
    plain.write(b"x" * 100)
    plain.seek(1000)  # written over, as a zip fills in a part's header
    plain.write(payload[1000:])
    assert plain.size == len(payload)
    crypto.encrypt(plain, locked, PASSWORD, label="locked.xlsx", salt=b"s" * 16)
    assert plain.closed
    locked.seek(0)
    office, unlocked = OOXMLFile(locked), io.BytesIO()
    office.load_key(password=PASSWORD)
    office.decrypt(unlocked, verify_integrity=True)
    assert unlocked.getvalue() == payload
