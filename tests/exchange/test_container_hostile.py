"""Hostile and broken files (docs/exchange-format.md): each is refused with its own message, before anything
is unpacked where the zip's directory already shows the problem, and never with a raw error."""

from __future__ import annotations

import os
import threading
import zipfile
from pathlib import Path

import defusedxml
import defusedxml.ElementTree
import olefile
import pytest

from aiddesk.exchange.workbook.crypto import encrypt_file
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading import file_kind, is_encrypted, read_workbook, zip_guard
from tests.exchange.test_container import (
    PASSWORD,
    control_workbook,
    part,
    patch_declared_size,
    rejection,
    rezip,
    sheet_xml,
    with_sheet,
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol4;</sheets></workbook>"""
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return control_workbook(tmp_path / "base.xlsx")


# ------------------------------------------------------------------ not a workbook


def test_a_missing_file_cannot_be_opened(tmp_path: Path) -> None:
    assert rejection(tmp_path / "gone.xlsx").startswith("The file gone.xlsx could not be opened.")


def test_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert (
        rejection(tmp_path / "empty.xlsx")
        == "The file empty.xlsx is empty. Ask the sender for the workbook again."
    )


def test_random_bytes_are_not_a_workbook(tmp_path: Path) -> None:
    (tmp_path / "noise.xlsx").write_bytes(os.urandom(4096))
    assert rejection(tmp_path / "noise.xlsx").startswith(
        "The file noise.xlsx is not an Excel workbook (.xlsx)."
    )


def test_a_pdf_renamed(tmp_path: Path) -> None:
    (tmp_path / "list.xlsx").write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    )
    assert "is a PDF document, not an Excel workbook (.xlsx)" in rejection(tmp_path / "list.xlsx")


def test_a_csv_renamed(tmp_path: Path) -> None:
    (tmp_path / "people.xlsx").write_text("name,phone\nAna,+5215512345678\nJosé,555\n", encoding="utf-8")
    message = rejection(tmp_path / "people.xlsx")
    assert "is a text file (for example a CSV)" in message and "save it as an Excel workbook" in message


def test_an_old_xls_renamed(tmp_path: Path) -> None:
    """An OLE file with a Workbook stream: a locked workbook whose EncryptionInfo stream is renamed."""
    encrypt_file(control_workbook(tmp_path / "plain.xlsx"), tmp_path / "locked.xlsx", PASSWORD)
    data = (tmp_path / "locked.xlsx").read_bytes()
    old, new = "EncryptionInfo".encode("utf-16-le"), "Workbook".encode("utf-16-le")
    at = data.index(old)
    data = (
        data[:at]
        + new.ljust(len(old), b"\0")
        + data[at + len(old) : at + 64]
        + (len(new) + 2).to_bytes(2, "little")
        + data[at + 66 :]
    )
    (tmp_path / "old.xlsx").write_bytes(data)
    with olefile.OleFileIO(data) as ole:
        assert ole.exists("Workbook")
    assert "is an old Excel 97-2003 workbook (.xls)" in rejection(tmp_path / "old.xlsx")


def test_an_opendocument_spreadsheet_renamed(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "calc.xlsx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "is an OpenDocument spreadsheet (.ods)" in rejection(tmp_path / "calc.xlsx")


def test_another_kind_of_zip_renamed(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "letter.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert "is not an Excel workbook (.xlsx)" in rejection(tmp_path / "letter.xlsx")


def test_a_workbook_cut_short(tmp_path: Path, base: Path) -> None:
    data = base.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert "is incomplete or damaged. It may not have finished copying" in rejection(tmp_path / "cut.xlsx")


def test_a_locked_workbook_cut_short(tmp_path: Path, base: Path) -> None:
    encrypt_file(base, tmp_path / "locked.xlsx", PASSWORD)
    data = (tmp_path / "locked.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 3])
    assert "is incomplete or damaged" in rejection(tmp_path / "cut.xlsx", PASSWORD)


def test_a_part_whose_bytes_are_corrupt(tmp_path: Path, base: Path) -> None:
    data = bytearray(base.read_bytes())
    info = zipfile.ZipFile(base).getinfo("xl/styles.xml")
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF
    (tmp_path / "flipped.xlsx").write_bytes(bytes(data))
    assert "is damaged and cannot be read" in rejection(tmp_path / "flipped.xlsx")


# ------------------------------------------------------------------ zip bombs


def test_too_many_parts(tmp_path: Path, base: Path) -> None:
    extra = {f"xl/media/dot{number}.png": b"" for number in range(zip_guard.MAX_PARTS)}
    assert "is made of far too many pieces" in rejection(rezip(base, tmp_path / "parts.xlsx", replace=extra))


def test_a_part_declaring_more_than_the_part_limit(tmp_path: Path, base: Path) -> None:
    noise = os.urandom(4 * file_kind.MIB)  # does not compress: the ratio stays low
    path = rezip(
        base, tmp_path / "huge.xlsx", replace={"xl/media/image1.png": noise}, compression=zipfile.ZIP_STORED
    )
    patch_declared_size(path, "xl/media/image1.png", 600 * file_kind.MIB)
    assert "would unpack to far more data than any real workbook holds" in rejection(path)


def test_parts_declaring_more_than_the_total_limit(tmp_path: Path, base: Path, monkeypatch) -> None:
    monkeypatch.setattr(zip_guard, "MAX_TOTAL_BYTES", 40_000)
    path = rezip(
        base, tmp_path / "big.xlsx", replace={f"xl/media/image{n}.png": os.urandom(10_000) for n in range(4)}
    )
    assert "would unpack to far more data" in rejection(path)


def test_a_part_packed_too_tightly_is_refused_before_it_is_unpacked(
    tmp_path: Path, base: Path, monkeypatch
) -> None:
    path = rezip(base, tmp_path / "bomb.xlsx", replace={"xl/media/zeros.bin": bytes(4 * file_kind.MIB)})
    monkeypatch.setattr(zip_guard, "_inflate", lambda *args: pytest.fail("unpacked a bomb"))
    assert "a small piece of it unpacks to a huge amount of data" in rejection(path)


def test_a_part_holding_more_than_it_declares(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "liar.xlsx", replace={"xl/media/pad.bin": b"a" * 500_000})
    patch_declared_size(path, "xl/media/pad.bin", 1000)
    assert "holds more data than it declares, a trick used to crash computers" in rejection(path)


def test_a_sheet_holding_more_than_it_declares(tmp_path: Path, base: Path) -> None:
    path = with_sheet(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>' * 20_000))
    patch_declared_size(path, "xl/worksheets/sheet1.xml", 4096)
    assert "holds more data than it declares" in rejection(path)


def test_parts_that_appear_twice(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "twice.xlsx")
    with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/workbook.xml", part(base, "xl/workbook.xml"))
    assert "some of its pieces overlap or appear twice" in rejection(path)


def test_parts_that_overlap(tmp_path: Path, base: Path) -> None:
    """Two directory entries pointing into the same bytes (the "overlapping files" zip bomb)."""
    data = bytearray(base.read_bytes())
    first, second = sorted(zipfile.ZipFile(base).infolist(), key=lambda info: info.header_offset)[:2]
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == second.filename.encode():
            data[at + 42 : at + 46] = (first.header_offset + 8).to_bytes(4, "little")
        at = data.find(b"PK\x01\x02", at + 4)
    (tmp_path / "overlap.xlsx").write_bytes(bytes(data))
    assert "some of its pieces overlap or appear twice" in rejection(tmp_path / "overlap.xlsx")


def test_an_unusual_packing_method(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "bzip.xlsx", compression=zipfile.ZIP_BZIP2)
    assert "is stored in an unusual way that this desk cannot check" in rejection(path)


# ------------------------------------------------------------------ XML tricks


def test_a_billion_laughs_workbook_is_refused_by_defusedxml(tmp_path: Path, base: Path, monkeypatch) -> None:
    parsed: list[bytes] = []
    real_fromstring = defusedxml.ElementTree.fromstring

    def spy(text: bytes, *args, **kwargs):
        parsed.append(text)
        return real_fromstring(text, *args, **kwargs)

    monkeypatch.setattr(defusedxml.ElementTree, "fromstring", spy)
    path = rezip(base, tmp_path / "laughs.xlsx", replace={"xl/workbook.xml": BILLION_LAUGHS})
    with pytest.raises(WorkbookRejected) as caught:
        read_workbook(path)
    assert "contains hidden XML instructions (a DTD or entity)" in caught.value.message
    assert isinstance(caught.value.__cause__, defusedxml.DTDForbidden | defusedxml.EntitiesForbidden)
    assert BILLION_LAUGHS in parsed  # the workbook part went through defusedxml's parser


def test_every_small_part_goes_through_defusedxml(tmp_path: Path, base: Path, monkeypatch) -> None:
    parsed: list[bytes] = []
    real_fromstring = defusedxml.ElementTree.fromstring
    monkeypatch.setattr(
        defusedxml.ElementTree,
        "fromstring",
        lambda text, **kw: parsed.append(text) or real_fromstring(text, **kw),
    )
    read_workbook(base)
    small = [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/_rels/workbook.xml.rels",
        "xl/workbook.xml",
        "xl/worksheets/_rels/sheet1.xml.rels",
    ]
    assert sorted(parsed) == sorted(part(base, name) for name in small)


@pytest.mark.parametrize(
    "name",
    [
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/_rels/sheet1.xml.rels",
        "_rels/.rels",
    ],
)
def test_a_dtd_in_any_small_part(tmp_path: Path, base: Path, name: str) -> None:
    tricked = part(base, name).replace(b"?>", b'?><!DOCTYPE x [<!ENTITY e "boo">]>', 1)
    if b"?>" not in part(base, name):
        tricked = b'<!DOCTYPE x [<!ENTITY e "boo">]>' + part(base, name)
    message = rejection(rezip(base, tmp_path / "dtd.xlsx", replace={name: tricked}))
    assert "contains hidden XML instructions (a DTD or entity)" in message


@pytest.mark.parametrize(
    "declaration",
    ['<!DOCTYPE worksheet [<!ENTITY e "boo">]>', '<!ENTITY e SYSTEM "file:///etc/passwd">', "<!doctype x>"],
)
def test_a_dtd_in_a_sheet(tmp_path: Path, declaration: str) -> None:
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        "<sheetData>", declaration + "<sheetData>"
    )
    assert "contains hidden XML instructions" in rejection(with_sheet(tmp_path, xml))


def test_a_dtd_in_a_sheet_that_is_not_read(tmp_path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace(
        "<sheetData>", "<!DOCTYPE x><sheetData>"
    )
    assert "contains hidden XML instructions" in rejection(with_sheet(tmp_path, xml), sheets={"_meta"})


def test_a_dtd_in_the_shared_strings(tmp_path: Path, base: Path) -> None:
    strings = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY e "&#x41;">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>'
    )
    path = rezip(base, tmp_path / "strings.xlsx", replace={"xl/sharedStrings.xml": strings})
    assert "contains hidden XML instructions" in rejection(path)


def test_a_sheet_in_utf16_hides_its_markup_and_is_refused(tmp_path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace("UTF-8", "UTF-16")
    assert "stored in an unusual way" in rejection(
        with_sheet(tmp_path, b"\xff\xfe" + xml.encode("utf-16-le"))
    )
    assert "stored in an unusual way" in rejection(with_sheet(tmp_path, xml, name="declared.xlsx"))


# ------------------------------------------------------------------ macros


MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def content_types_with(base: Path, element: str) -> bytes:
    return part(base, "[Content_Types].xml").replace(b"</Types>", element.encode() + b"</Types>")


@pytest.mark.parametrize(
    "variant",
    [
        {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not referenced anywhere"},
        {"customUI/VBAPROJECT.BIN": b"any case, any folder"},
        {"xl/activeX/activeX1.bin": b"control"},
        "ct:" + f'<Override PartName="/xl/workbook.xml" ContentType="{MACRO_TYPE}"/>',
        "ct:" + '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',
        "ct:"
        + '<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        "rel:" + "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    ],
    ids=[
        "vba-unreferenced",
        "vba-upper-case",
        "activex",
        "macro-enabled",
        "vba-type",
        "macro-sheet",
        "vba-relationship",
    ],
)
def test_macros_in_any_form(tmp_path: Path, base: Path, variant) -> None:
    if isinstance(variant, dict):
        replace = variant
    elif variant.startswith("ct:"):
        replace = {"[Content_Types].xml": content_types_with(base, variant[3:])}
    else:
        replace = {"xl/_rels/workbook.xml.rels": workbook_rel(base, variant[4:], "vbaProject.bin")}
    message = rejection(rezip(base, tmp_path / "macros.xlsx", replace=replace))
    assert "contains macros (small programs that run inside Excel)" in message


def workbook_rel(base: Path, kind: str, target: str, mode: str = "") -> bytes:
    extra = f'<Relationship Id="rId99" Type="{kind}" Target="{target}" {mode}/>'
    return part(base, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", extra.encode() + b"</Relationships>"
    )


def sheet_rels(base: Path, kind: str, target: str, mode: str) -> bytes:
    extra = f'<Relationship Id="rId99" Type="{REL_TYPES}/{kind}" Target="{target}" {mode}/>'
    return part(base, "xl/worksheets/_rels/sheet1.xml.rels").replace(
        b"</Relationships>", extra.encode() + b"</Relationships>"
    )


# ------------------------------------------------------------------ external links


def test_an_external_link_part_even_unreferenced(tmp_path: Path, base: Path) -> None:
    path = rezip(
        base, tmp_path / "linked.xlsx", replace={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}
    )
    assert "is linked to other files or to data on the internet" in rejection(path)


def test_an_external_link_relationship(tmp_path: Path, base: Path) -> None:
    rels = workbook_rel(base, f"{REL_TYPES}/externalLink", "externalLinks/externalLink1.xml")
    assert "is linked to other files" in rejection(
        rezip(base, tmp_path / "l.xlsx", replace={"xl/_rels/workbook.xml.rels": rels})
    )


def test_an_external_link_content_type(tmp_path: Path, base: Path) -> None:
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"
    types = content_types_with(base, f'<Override PartName="/xl/links.xml" ContentType="{kind}"/>')
    assert "is linked to other files" in rejection(
        rezip(base, tmp_path / "l.xlsx", replace={"[Content_Types].xml": types})
    )


def test_a_data_connection(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "query.xlsx", replace={"xl/connections.xml": b"<connections/>"})
    assert "is linked to other files" in rejection(path)


def test_an_external_target_that_is_not_a_hyperlink(tmp_path: Path, base: Path) -> None:
    rels = sheet_rels(base, "image", "https://tracker.example/pixel.png", 'TargetMode="External"')
    path = rezip(base, tmp_path / "pixel.xlsx", replace={"xl/worksheets/_rels/sheet1.xml.rels": rels})
    assert "is linked to other files or to data on the internet" in rejection(path)


def test_a_hyperlink_in_a_cell_is_harmless(base: Path) -> None:
    assert b'TargetMode="External"' in part(base, "xl/worksheets/_rels/sheet1.xml.rels")
    assert read_workbook(base).sheets["People"].rows[7][1] == "link"


# ------------------------------------------------------------------ missing parts, damaged sheets


def test_a_workbook_without_its_list_of_sheets(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "headless.xlsx", replace={"xl/workbook.xml": None})
    assert rejection(path) == (
        "The workbook headless.xlsx has lost its list of sheets, so it is damaged. Ask the sender to export it again."
    )


def test_a_listed_sheet_missing_from_the_file(tmp_path: Path, base: Path) -> None:
    path = rezip(base, tmp_path / "holes.xlsx", replace={"xl/worksheets/sheet2.xml": None})
    assert "lists a sheet called Lists, but the sheet itself is missing from the file" in rejection(path)


def test_a_sheet_calamine_cannot_read(tmp_path: Path) -> None:
    path = with_sheet(tmp_path, sheet_xml('<row r="1"><c r="A1" t="n"><v>abc</v></c></row>'))
    assert rejection(path) == (
        "The sheet People in the workbook hostile.xlsx is damaged and cannot be read. "
        "Ask the sender to export the workbook again."
    )


def test_a_sheet_with_tags_that_do_not_nest(tmp_path: Path) -> None:
    path = with_sheet(
        tmp_path, sheet_xml('<row r="1"><c r="A1"><is><t>x</t></c><row r="3"></row></is></c></row>')
    )
    assert "The sheet People in the workbook hostile.xlsx is damaged" in rejection(path)


def test_a_dtd_is_reported_even_when_calamine_also_fails(tmp_path: Path) -> None:
    xml = sheet_xml('<row r="1"><c r="A1" t="n"><v>abc</v></c></row>').replace(
        "<sheetData>", "<!DOCTYPE x><sheetData>"
    )
    assert "contains hidden XML instructions" in rejection(with_sheet(tmp_path, xml))


@pytest.mark.parametrize(
    "garbage", [os.urandom(200), b"garbage <<< >>> &&& ]]> <c r=" * 9], ids=["bytes", "text"]
)
def test_no_raw_error_escapes_for_garbage_in_any_part(tmp_path: Path, base: Path, garbage: bytes) -> None:
    for name in zipfile.ZipFile(base).namelist():
        path = rezip(base, tmp_path / "garbage.xlsx", replace={name: garbage})
        try:
            read_workbook(path)
        except WorkbookRejected as rejected:
            assert rejected.message
        # parts calamine never reads (docProps, the theme) may hold anything


def test_the_workbook_bytes_are_read_once(tmp_path: Path, base: Path, monkeypatch) -> None:
    """calamine reads the very bytes that were checked, even if the file is replaced meanwhile."""
    opened: list[str] = []
    real_path_open, real_os_open = Path.open, os.open
    monkeypatch.setattr(
        Path, "open", lambda self, *a, **k: opened.append(self.name) or real_path_open(self, *a, **k)
    )
    monkeypatch.setattr(
        os, "open", lambda path, *a, **k: opened.append(Path(path).name) or real_os_open(path, *a, **k)
    )
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("zipfile unpacked a part"))
    read_workbook(base)
    assert opened == ["base.xlsx"]


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "week.xlsx"
    os.mkfifo(pipe)
    answers: list[object] = []

    def look() -> None:
        answers.append(is_encrypted(pipe))
        try:
            read_workbook(pipe)
        except WorkbookRejected as rejected:
            answers.append(rejected.message)

    reader = threading.Thread(target=look, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # release it before failing: open the other end
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a named pipe waited for a writer")
    assert answers == [
        False,
        "week.xlsx is not a workbook file: it is a folder, a device or a pipe. Choose the workbook file itself.",
    ]
