"""The safe workbook container: reading an ordinary workbook exactly, password locking, and files
written so that no reader sees half of one. The builders here make the hostile variants that
test_container_hostile.py and test_container_sheets.py feed to it."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import olefile
import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from aiddesk.exchange.workbook.crypto import encrypt_file
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading import (
    RawWorkbook,
    calamine_cells,
    cell_refs,
    file_kind,
    is_encrypted,
    read_workbook,
)
from aiddesk.exchange.workbook.reading.refusals import column_letters

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'
PASSWORD = "Grupo Norte 2024"


# ------------------------------------------------------------------ builders


def control_workbook(path: Path) -> Path:
    """Empty rows 1-2 and columns A-B before the data, a formula, merged cells, a hyperlink, a
    hidden and a very hidden sheet."""
    book = openpyxl.Workbook()
    people = book.active
    people.title = "People"
    people["C3"] = "Ana"
    people["D3"] = "+5215512345678"
    people["C4"] = '=HYPERLINK("x")'
    people["E5"] = 7
    people.merge_cells("C6:E7")
    people["C6"] = "merged"
    people["B8"] = "link"
    people["B8"].hyperlink = "https://example.org"
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    lists["A1"] = "food"
    lists["B2"] = "=A1"
    meta = book.create_sheet("_meta")
    meta.sheet_state = "veryHidden"
    meta["A1"] = "format"
    book.save(path)
    return path


def rezip(
    source: Path,
    target: Path,
    *,
    replace: dict[str, bytes | None] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """`source` copied part by part into `target`, with parts replaced, dropped (None) or added."""
    replace = dict(replace or {})
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for info in old.infolist():
            data = replace.pop(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
        for name, data in replace.items():
            if data is not None:
                new.writestr(name, data)
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def with_sheet(tmp_path: Path, sheet_xml: str | bytes, *, name: str = "hostile.xlsx") -> Path:
    """A copy of the control workbook whose first sheet (People) is `sheet_xml`."""
    data = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
    base = control_workbook(tmp_path / "base.xlsx")
    return rezip(base, tmp_path / name, replace={"xl/worksheets/sheet1.xml": data})


def sheet_xml(rows: str, after: str = "") -> str:
    return f"{SHEET_START}<sheetData>{rows}</sheetData>{after}</worksheet>"


def patch_declared_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size the zip's central directory declares for `name`."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + name_length] == name.encode():
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the central directory")


def rejection(path: Path, password: str | None = None, **options) -> str:
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(path, password, **options)
    assert caught.value.message == str(caught.value)
    return caught.value.message


# ------------------------------------------------------------------ the control workbook


def test_an_ordinary_workbook_is_read_exactly(tmp_path: Path) -> None:
    book = read_workbook(control_workbook(tmp_path / "control.xlsx"))
    assert isinstance(book, RawWorkbook)
    assert list(book.sheets) == ["People", "Lists", "_meta"]
    assert [sheet.state for sheet in book.sheets.values()] == ["visible", "hidden", "veryHidden"]
    people = book.sheets["People"]
    assert people.rows == [
        ["", "", "", "", ""],
        ["", "", "", "", ""],
        ["", "", "Ana", "+5215512345678", ""],
        ["", "", "", "", ""],
        ["", "", "", "", 7],
        ["", "", "merged", "", ""],
        ["", "", "", "", ""],
        ["", "link", "", "", ""],
    ]
    assert people.formulas == {(3, 2)}
    assert people.merged == [(5, 2, 6, 4)]
    assert book.sheets["Lists"].rows == [["food"]]  # B2 holds a formula and no value
    assert book.sheets["Lists"].formulas == {(1, 1)}
    assert book.sheets["_meta"].rows == [["format"]]
    assert book.date1904 is False


def test_only_the_named_sheets_are_read_but_every_sheet_is_listed(tmp_path: Path) -> None:
    book = read_workbook(control_workbook(tmp_path / "control.xlsx"), sheets={"_meta"})
    assert list(book.sheets) == ["People", "Lists", "_meta"]
    assert book.sheets["_meta"].rows == [["format"]]
    assert book.sheets["People"].rows == []
    assert book.sheets["People"].state == "visible"
    assert book.sheets["People"].formulas == {(3, 2)}
    assert book.sheets["People"].merged == [(5, 2, 6, 4)]
    assert book.sheets["Lists"].state == "hidden"


def test_an_empty_sheet_has_no_rows(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.create_sheet("Empty")
    book.save(tmp_path / "empty.xlsx")
    assert read_workbook(tmp_path / "empty.xlsx").sheets["Empty"].rows == []


@pytest.mark.parametrize("flag", ["1", "true"])
def test_the_1904_date_system_is_reported(tmp_path: Path, flag: str) -> None:
    plain = control_workbook(tmp_path / "plain.xlsx")
    workbook_xml = part(plain, "xl/workbook.xml").replace(
        b"<workbookPr />", f'<workbookPr date1904="{flag}"/>'.encode()
    )
    assert read_workbook(
        rezip(plain, tmp_path / "mac.xlsx", replace={"xl/workbook.xml": workbook_xml})
    ).date1904


def test_a_workbook_saved_with_the_1904_epoch_reports_it(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    book.active["A1"] = 1
    book.save(tmp_path / "mac.xlsx")
    assert read_workbook(tmp_path / "mac.xlsx").date1904 is True


def test_a_sheet_name_that_is_missing_is_simply_not_read(tmp_path: Path) -> None:
    book = read_workbook(control_workbook(tmp_path / "control.xlsx"), sheets=["Conflicts"])
    assert all(sheet.rows == [] for sheet in book.sheets.values())


# ------------------------------------------------------------------ passwords


def locked_workbook(tmp_path: Path) -> Path:
    plain = control_workbook(tmp_path / "plain.xlsx")
    encrypt_file(plain, tmp_path / "locked.xlsx", PASSWORD)
    return tmp_path / "locked.xlsx"


def test_a_locked_workbook_opens_with_its_password(tmp_path: Path) -> None:
    locked = locked_workbook(tmp_path)
    assert is_encrypted(locked)
    assert not is_encrypted(tmp_path / "plain.xlsx")
    assert zipfile.is_zipfile(tmp_path / "plain.xlsx") and not zipfile.is_zipfile(locked)
    assert read_workbook(locked, PASSWORD) == read_workbook(tmp_path / "plain.xlsx")


def test_the_lock_is_agile_aes_256(tmp_path: Path) -> None:
    with olefile.OleFileIO(str(locked_workbook(tmp_path))) as ole:
        info = ole.openstream("EncryptionInfo").read()
    assert info[:4] == b"\x04\x00\x04\x00"  # version 4.4: Agile
    assert re.search(rb'keyBits="256"', info) and b'cipherAlgorithm="AES"' in info


def test_a_locked_workbook_without_a_password_asks_for_the_group_password(tmp_path: Path) -> None:
    message = rejection(locked_workbook(tmp_path))
    assert (
        message == "The workbook locked.xlsx is locked with a password. Enter the group password to open it."
    )
    assert rejection(tmp_path / "locked.xlsx", "") == message


def test_a_wrong_password_is_named_as_such(tmp_path: Path) -> None:
    message = rejection(locked_workbook(tmp_path), "grupo norte 2024")
    assert message.startswith("The password does not open the workbook locked.xlsx.")


def test_a_locked_workbook_changed_after_locking_fails_its_integrity_check(tmp_path: Path) -> None:
    locked = locked_workbook(tmp_path)
    with olefile.OleFileIO(str(locked)) as ole:
        entry = ole.direntries[ole._find("EncryptedPackage")]
        offset = (entry.isectStart + 1) * ole.sectorsize + 600
    data = bytearray(locked.read_bytes())
    data[offset] ^= 0xFF
    locked.write_bytes(bytes(data))
    message = rejection(locked, PASSWORD)
    assert "was changed or damaged after it was locked with the password" in message


def patch_encryption_info(locked: Path, old: bytes, new: bytes) -> Path:
    """Rewrite the EncryptionInfo stream's XML in place, keeping its length (so the OLE file stays
    whole): the newline after the XML declaration makes room for one more byte."""
    data = locked.read_bytes()
    start = data.index(b"\x04\x00\x04\x00@\x00\x00\x00<?xml") + 8
    end = data.index(b"</encryption>", start) + len(b"</encryption>")
    xml = data[start:end].replace(old, new)
    if len(xml) == end - start + 1:
        xml = xml.replace(b"?>\n", b"?>", 1)
    assert len(xml) == end - start
    locked.write_bytes(data[:start] + xml + data[end:])
    return locked


def test_an_encryption_this_desk_does_not_know(tmp_path: Path) -> None:
    locked = locked_workbook(tmp_path)
    data = locked.read_bytes().replace(
        b"\x04\x00\x04\x00@\x00\x00\x00<?xml", b"\x03\x00\x03\x00@\x00\x00\x00<?xml"
    )
    locked.write_bytes(data)
    assert "is locked in a way this desk cannot open" in rejection(locked, PASSWORD)


def test_an_encryption_that_would_keep_the_desk_hashing_for_minutes(tmp_path: Path) -> None:
    slow = patch_encryption_info(locked_workbook(tmp_path), b'spinCount="100000"', b'spinCount="9000000"')
    assert "is locked in a way this desk cannot open" in rejection(slow, PASSWORD)


def test_entity_tricks_in_the_encryption_info_are_refused_before_msoffcrypto_parses_it(
    tmp_path: Path,
) -> None:
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    doctype = b'<!DOCTYPE e [<!ENTITY a "b">]>'.ljust(len(declaration))
    tricked = patch_encryption_info(locked_workbook(tmp_path), declaration, doctype)
    assert "contains hidden XML instructions (a DTD or entity)" in rejection(tricked, PASSWORD)


def test_is_encrypted_is_false_for_other_files_and_refuses_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.7\n")
    assert not is_encrypted(tmp_path / "notes.pdf")
    with pytest.raises(WorkbookRejected, match="could not be opened"):
        is_encrypted(tmp_path / "gone.xlsx")


def test_encrypt_file_refuses_an_empty_password(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        encrypt_file(control_workbook(tmp_path / "plain.xlsx"), tmp_path / "locked.xlsx", "")


def test_a_file_far_larger_than_any_export(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(file_kind, "MAX_FILE_BYTES", 1000)
    message = rejection(control_workbook(tmp_path / "huge.xlsx"))
    assert message.startswith("The file huge.xlsx is far too large to be a workbook exported from AidDesk.")


def test_calamine_running_out_of_memory_is_a_clear_message() -> None:
    out_of_memory = pytest.raises(
        WorkbookRejected, match="ran out of memory while reading the workbook big.xlsx"
    )
    with out_of_memory, calamine_cells.calamine_failures("big.xlsx", "People"):
        raise MemoryError
    panic = pytest.raises(WorkbookRejected, match="The sheet People in the workbook big.xlsx is damaged")
    with panic, calamine_cells.calamine_failures("big.xlsx", "People"):
        raise BaseException("a Rust panic derives from BaseException")


# ------------------------------------------------------------------ the bound regexes


@pytest.mark.parametrize("limit", [1, 9, 10, 19, 99, 100, 110_000, 1_048_576, 2_000_001])
def test_the_decimal_bound_matches_exactly_the_numbers_up_to_its_limit(limit: int) -> None:
    pattern = re.compile(cell_refs.decimal_at_most(limit))
    rng = random.Random(limit)
    samples = {1, limit, limit + 1, limit - 1, 10 * limit, *(rng.randint(1, 3 * limit) for _ in range(300))}
    for number in samples - {0}:
        assert bool(pattern.fullmatch(str(number))) == (number <= limit), number
    assert not pattern.fullmatch("0") and not pattern.fullmatch(f"0{limit}")


@pytest.mark.parametrize("limit", [1, 26, 27, 52, 702, 703, 16_384])
def test_the_column_bound_matches_exactly_the_columns_up_to_its_limit(limit: int) -> None:
    pattern = re.compile(cell_refs.letters_at_most(column_letters(limit)))
    for number in {*range(1, 800), 16_383, 16_384, 16_385, 18_278}:
        assert bool(pattern.fullmatch(column_letters(number))) == (number <= limit), number


def test_cell_references_are_read_as_calamine_reads_them() -> None:
    assert cell_refs.position(b"A1", "f", "s") == (0, 0)
    assert cell_refs.position(b"xfd1048576", "f", "s") == (1_048_575, 16_383)
    assert cell_refs.position(b"AA010", "f", "s") == (9, 26)
    for outside in (b"XFE1", b"A1048577", b"A0", b"1", b"A", b"$A$1"):
        with pytest.raises(WorkbookRejected, match="damaged"):
            cell_refs.position(outside, "f", "s")


def test_builders_make_what_they_say(tmp_path: Path) -> None:
    path = with_sheet(tmp_path, sheet_xml('<row r="2"><c r="B2"><v>3</v></c></row>'))
    assert read_workbook(path).sheets["People"].rows == [["", ""], ["", 3]]
    patch_declared_size(path, "xl/styles.xml", 7)
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        assert archive.getinfo("xl/styles.xml").file_size == 7
