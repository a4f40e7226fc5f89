"""Hostile and broken workbooks (docs/exchange-format.md, "Refusal cases"), each through `merge_file` and, for a
representative few, through `aiddesk merge`: what is wrong with the file as a whole refuses it with
a clear message and leaves the database exactly as it was; a bad visible cell only costs that
hand edit (listed in `rejected` with sheet, row, column and reason) and the rest merges.

Every hostile file starts as a real export that is then edited: with openpyxl for cells, or by
rewriting parts inside the zip for XML-level tricks. When `_state` is changed in a way a per-row
check must catch, its checksum and row count in `_meta` are made to match again, so that the
row check, not the checksum, is what fires."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from defusedxml import ElementTree as SafeElementTree

from aiddesk import cli
from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.exchange.workbook.reading import structure, zip_guard
from aiddesk.exchange.workbook.state_text import Checksum
from aiddesk.services.exchange import proposals as proposal_service
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import MergeReport, merge_file
from aiddesk.store.schema import HEAD
from tests.exchange import desks as harness
from tests.exchange.desks import ExchangeDesk, World

ANA_PHONE = "+16175550111"


@dataclass
class Source:
    world: World
    desk: ExchangeDesk
    book: Path  # a plain export of the desk
    ana: str
    beto: str
    request: str


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    template = harness.migrated_template(tmp_path_factory.mktemp("hostile-template"))
    with harness.world(template, 1) as w:
        desk = w.desks[0]
        ana = desk.add_person("Ana Núñez", ANA_PHONE, address="1 Main St", household_size=2)
        beto = desk.add_person("Beto", "+5215512345678", language="es")
        request = desk.add_request(
            ana, "arroz, frijoles", urgency="this_week", follow_up=dt.date(2026, 11, 20)
        )
        yield Source(w, desk, desk.export().path, ana, beto, request)


@pytest.fixture
def target(source: Source) -> ExchangeDesk:
    """Another desk, with a record of its own, that merges what it is given."""
    desk = source.world.add_desk()
    desk.add_person("Zoe", "+16175550999")
    return desk


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "hostile.xlsx"


# ---- making hostile files ------------------------------------------------------------------------


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(
    src: Path,
    dst: Path,
    *,
    change: dict[str, Callable[[str], str]] | None = None,
    add: dict[str, bytes | str] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """`src` with some parts changed as text, others added or left out."""
    contents = parts(src)
    for name, edit in (change or {}).items():
        contents[name] = edit(contents[name].decode("utf-8")).encode("utf-8")
    for name, data in (add or {}).items():
        contents[name] = data.encode("utf-8") if isinstance(data, str) else data
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            if name not in drop:
                archive.writestr(name, data)
    return dst


def sheet_part(path: Path, title: str) -> str:
    """The zip part of the sheet called `title`."""
    contents = parts(path)
    ids = {
        m[1]: m[2]
        for m in re.finditer(
            r'<sheet name="([^"]+)"[^>]*r:id="([^"]+)"', contents["xl/workbook.xml"].decode()
        )
    }
    rels = contents["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Target="([^"]+)" Id="{ids[title]}"', rels)
    assert target is not None
    return target[1].lstrip("/")


def cell_xml(path: Path, title: str, ref: str, xml: str) -> Callable[[str], str]:
    """An edit of the sheet XML that puts `xml` in place of the cell `ref` (added when missing)."""

    def edit(text: str) -> str:
        pattern = re.compile(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', re.S)
        if pattern.search(text):
            return pattern.sub(lambda _m: xml, text, count=1)
        row = re.match(r"[A-Z]+(\d+)", ref)
        assert row is not None
        return re.sub(rf'(<row r="{row[1]}"[^>]*>)', lambda m: m[1] + xml, text, count=1)

    return edit


def with_book(src: Path, dst: Path, edit: Callable[[Any], None]) -> Path:
    """`src` opened in openpyxl, changed by `edit(workbook)`, saved to `dst`."""
    book = openpyxl.load_workbook(src)
    edit(book)
    book.save(dst)
    return dst


def column(sheet: Any, key: str) -> int:
    """1-based column of the field `key` (row 2 holds the keys)."""
    return [c.value for c in sheet[2]].index(key) + 1


def row_of(sheet: Any, record_id: str) -> int:
    return next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == record_id)


def set_meta(book: Any, key: str, value: str | None) -> None:
    sheet = book["_meta"]
    for r in range(2, sheet.max_row + 1):
        if sheet.cell(r, 1).value == key:
            sheet.cell(r, 2).value = value
            return
    raise KeyError(key)


def reseal(book: Any) -> None:
    """Make `_meta`'s checksum and row count match `_state` again (as its writer would)."""
    checksum = Checksum()
    count = 0
    for row in book["_state"].iter_rows(min_row=2, values_only=True):
        cells = ["" if v is None else v for v in row]
        if not any(cells):
            continue
        head = cells[:4] + [""] * (4 - len(cells[:4]))
        checksum.add(head + [c for c in cells[4:] if c != ""])
        count += 1
    set_meta(book, "checksum", checksum.hexdigest())
    set_meta(book, "state_rows", str(count))


def state_row(book: Any, record_id: str) -> int:
    sheet = book["_state"]
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 2).value == record_id)


def edit_fields(
    book: Any, record_id: str, edit: Callable[[dict[str, Any]], None], *, sealed: bool = True
) -> None:
    """Change the fields JSON of one `_state` row (one cell: these records are small)."""
    sheet = book["_state"]
    r = state_row(book, record_id)
    fields = json.loads(sheet.cell(r, 5).value)
    edit(fields)
    sheet.cell(r, 5).value = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if sealed:
        reseal(book)


# ---- what a refused or merged workbook must leave behind ---------------------------------------


def refused(desk: ExchangeDesk, path: Path, *message: str, password: str | None = None) -> str:
    """Merging `path` is refused with a message holding each of `message`, nothing changed."""
    before = desk.state()
    pending = proposal_service.pending(desk.db)
    with pytest.raises(WorkbookRejected) as caught:
        merge_file(desk.db, path, "Ana", password=password)
    for part in message:
        assert part in caught.value.message
    assert desk.state() == before
    assert proposal_service.pending(desk.db) == pending
    return caught.value.message


def merged(desk: ExchangeDesk, path: Path, **options: Any) -> MergeReport:
    report = merge_file(desk.db, path, "Ana", **options)
    assert report.applied
    return report


def everything_merged(desk: ExchangeDesk, source: Source) -> None:
    """The records of the untouched workbook are all here already (the bad cell cost nothing else)."""
    again = merge_file(desk.db, source.book, "Ana", dry_run=True)
    assert (again.new, again.updated) == (0, 0)


def reasons(report: MergeReport) -> list[tuple[str, int | None, str | None, str]]:
    return [(r.sheet, r.row, r.column, r.reason) for r in report.rejected]


def only_rejected(report: MergeReport, sheet: str, row: int | None, key: str | None, reason: str) -> None:
    assert len(report.rejected) == 1, reasons(report)
    line = report.rejected[0]
    assert (line.sheet, line.row, line.column) == (sheet, row, key)
    assert reason in line.reason


def cli_merge(
    desk: ExchangeDesk, path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--data-dir", str(desk.db.path.parent), "merge", str(path), *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cli_refused(
    desk: ExchangeDesk, path: Path, capsys: pytest.CaptureFixture[str], message: str, *extra: str
) -> None:
    before = desk.state()
    code, stdout, stderr = cli_merge(desk, path, capsys, *extra)
    assert code == 2
    assert message in stderr
    assert "Traceback" not in stderr
    assert desk.state() == before


# ---- the container -------------------------------------------------------------------------------


def test_not_a_zip(target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out.write_bytes(bytes(range(256)) * 40)
    refused(target, out, "is not an Excel workbook (.xlsx)")
    cli_refused(target, out, capsys, "is not an Excel workbook (.xlsx)")


def test_a_truncated_workbook(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = source.book.read_bytes()
    out.write_bytes(data[: len(data) * 2 // 3])
    refused(target, out, "is incomplete or damaged", "not have finished copying")
    cli_refused(target, out, capsys, "is incomplete or damaged")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "is a PDF document"),
        (b"name,phone\nAna,+16175550111\n", "is a text file (for example a CSV)"),
    ],
    ids=["pdf", "csv"],
)
def test_another_format_renamed(target: ExchangeDesk, out: Path, content: bytes, message: str) -> None:
    out.write_bytes(content)
    refused(target, out, message)


def test_an_old_xls_renamed(source: Source, target: ExchangeDesk, tmp_path: Path, out: Path) -> None:
    """An OLE compound file with a Workbook stream (made from a locked export, its stream renamed)."""
    export_workbook(source.desk.db, tmp_path / "locked.xlsx", ExportOptions(language="en", password="pw"))
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
    out.write_bytes(data)
    refused(target, out, "is an old Excel 97-2003 workbook (.xls)")


def test_an_opendocument_spreadsheet_renamed(target: ExchangeDesk, out: Path) -> None:
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    refused(target, out, "OpenDocument spreadsheet (.ods)")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    source: Source, target: ExchangeDesk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unpacked: list[str] = []
    real = zip_guard.ZipPackage.stream
    monkeypatch.setattr(
        zip_guard.ZipPackage, "stream", lambda self, name: unpacked.append(name) or real(self, name)
    )
    rezip(source.book, out, add={"xl/media/bomb.xml": b"<a>" + b" " * (64 * 1024 * 1024) + b"</a>"})
    refused(target, out, "packed in a suspicious way")
    assert unpacked == []  # judged on the zip's directory alone


def test_a_part_that_unpacks_to_more_than_it_declares(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    rezip(source.book, out)
    data = bytearray(out.read_bytes())
    # Lower the declared size of _state's sheet in the central directory: the real one is larger.
    name = sheet_part(source.book, "_state").encode()
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(name))
    size = int.from_bytes(data[at + 24 : at + 28], "little")
    data[at + 24 : at + 28] = (size // 2).to_bytes(4, "little")
    out.write_bytes(bytes(data))
    refused(target, out, "holds more data than it declares")


def test_xml_entity_tricks_are_refused_by_defusedxml(
    source: Source, target: ExchangeDesk, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    real = SafeElementTree.fromstring

    def spy(data: bytes, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(data, **kwargs)

    monkeypatch.setattr(SafeElementTree, "fromstring", spy)
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    rezip(
        source.book,
        out,
        change={
            "xl/workbook.xml": lambda text: (
                laughs + text.replace("<workbookPr />", "<workbookPr>&lol2;</workbookPr>")
            )
        },
    )
    refused(target, out, "hidden XML instructions (a DTD or entity)")
    assert structure.SafeElementTree is SafeElementTree  # the structure step parses with defusedxml ...
    assert calls and all(call.get("forbid_dtd") is True for call in calls)  # ... forbidding any DTD


def test_an_entity_in_a_sheet_is_refused(source: Source, target: ExchangeDesk, out: Path) -> None:
    part = sheet_part(source.book, "People")
    rezip(
        source.book,
        out,
        change={part: lambda text: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + text},
    )
    refused(target, out, "hidden XML instructions")


@pytest.mark.parametrize("variant", ["part", "content_type", "relationship"])
def test_macros_referenced_or_not(
    source: Source, target: ExchangeDesk, out: Path, variant: str, capsys: pytest.CaptureFixture[str]
) -> None:
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    if variant == "part":  # a vbaProject.bin that nothing refers to
        rezip(source.book, out, add={"xl/vbaProject.bin": vba})
    elif variant == "content_type":  # the workbook declared macro-enabled
        rezip(
            source.book,
            out,
            change={
                "[Content_Types].xml": lambda t: t.replace(
                    "</Types>",
                    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
                )
            },
        )
    else:  # a relationship to a macro project stored under another name
        rezip(
            source.book,
            out,
            add={"xl/code.bin": vba},
            change={
                "xl/_rels/workbook.xml.rels": lambda t: t.replace(
                    "</Relationships>",
                    '<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="code.bin"/></Relationships>',
                )
            },
        )
    refused(target, out, "contains macros")
    cli_refused(target, out, capsys, "contains macros")


def test_external_links(source: Source, target: ExchangeDesk, out: Path) -> None:
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        "</externalLink>"
    )
    rezip(source.book, out, add={"xl/externalLinks/externalLink1.xml": link})
    refused(target, out, "linked to other files")


def test_a_wrong_password(
    source: Source,
    target: ExchangeDesk,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    locked = tmp_path / "locked.xlsx"
    export_workbook(source.desk.db, locked, ExportOptions(language="en", password="s3cret-Group"))
    refused(target, locked, "password does not open", password="s3cret-group")
    refused(target, locked, "locked with a password")
    monkeypatch.setenv("GROUP_PASSWORD", "wrong")
    cli_refused(target, locked, capsys, "password does not open", "--password-env", "GROUP_PASSWORD")
    monkeypatch.setenv("GROUP_PASSWORD", "s3cret-Group")
    assert cli_merge(target, locked, capsys, "--password-env", "GROUP_PASSWORD")[0] == 0


# ---- _meta and _state ----------------------------------------------------------------------------


def test_a_newer_format_version(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_book(source.book, out, lambda b: set_meta(b, "format_version", "2"))
    refused(target, out, "made by a newer AidDesk (format 2)", "Update AidDesk")
    cli_refused(target, out, capsys, "made by a newer AidDesk")


def test_a_newer_schema_revision(source: Source, target: ExchangeDesk, out: Path) -> None:
    newer = str(int(HEAD) + 1).zfill(len(HEAD))
    with_book(source.book, out, lambda b: set_meta(b, "schema_revision", newer))
    refused(target, out, f"newer AidDesk (database {newer}", "so no field is dropped")


def test_a_workbook_without_meta_points_to_import_sheet(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def drop_meta(book: Any) -> None:
        del book["_meta"]

    with_book(source.book, out, drop_meta)
    refused(target, out, "no _meta sheet", "import-sheet")
    cli_refused(target, out, capsys, "aiddesk import-sheet")


def test_a_foreign_spreadsheet_points_to_import_sheet(target: ExchangeDesk, out: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Timestamp", "Your name", "What do you need?"])
    book.active.append(["2026/03/14 10:02:11", "Ana", "Food, Clothing"])
    book.save(out)
    refused(target, out, "no _meta sheet", "import-sheet")


def test_a_redacted_export_is_refused(
    source: Source, target: ExchangeDesk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    redacted = tmp_path / "redacted.xlsx"
    export_workbook(
        source.desk.db, redacted, ExportOptions(language="en", redact=True), group_password="group secret"
    )
    refused(target, redacted, "is a redacted copy", "cannot be merged")
    cli_refused(target, redacted, capsys, "is a redacted copy")


def test_a_missing_state_sheet(source: Source, target: ExchangeDesk, out: Path) -> None:
    def rename(book: Any) -> None:
        book["_state"].title = "state"

    with_book(source.book, out, rename)
    refused(target, out, "hidden _state sheet is missing")


def test_a_renamed_state_column(source: Source, target: ExchangeDesk, out: Path) -> None:
    def rename(book: Any) -> None:
        book["_state"].cell(1, 3).value = "version"

    with_book(source.book, out, rename)
    refused(target, out, "_state sheet does not start as it should")


def test_a_key_twice_in_meta(source: Source, target: ExchangeDesk, out: Path) -> None:
    with_book(
        source.book, out, lambda b: b["_meta"].append(["desk_id", "00000000-0000-4000-8000-000000000999"])
    )
    refused(target, out, "names “desk_id” twice")


def test_a_record_twice_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    def duplicate(book: Any) -> None:
        sheet = book["_state"]
        row = [c.value for c in sheet[state_row(book, source.ana)]]
        sheet.append(row)
        reseal(book)

    with_book(source.book, out, duplicate)
    refused(target, out, f"the record {source.ana} appears twice")


def test_counts_that_do_not_match(source: Source, target: ExchangeDesk, out: Path) -> None:
    with_book(source.book, out, lambda b: set_meta(b, "rows.person", "3"))
    refused(target, out, "counts of person records do not match")


def test_a_checksum_that_does_not_match(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def tamper(book: Any) -> None:  # a name changed in _state, the checksum left as it was
        edit_fields(book, source.beto, lambda f: f["name"][0].__setitem__(3, "Alberto"), sealed=False)

    with_book(source.book, out, tamper)
    refused(target, out, "do not match their checksum", "Ask the desk D1 for a fresh export")
    cli_refused(target, out, capsys, "do not match their checksum")


def test_a_stamp_reused_with_another_value_names_the_desk(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    merged(target, source.book)

    def reuse(book: Any) -> None:  # the same stamp, another value: a desk restored from a backup
        edit_fields(book, source.beto, lambda f: f["name"][0].__setitem__(3, "Alberto"))

    with_book(source.book, out, reuse)
    refused(
        target, out, "the desk D1 (Desk D1) used one edit stamp for two different values", "new desk identity"
    )


def test_a_formula_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    part = sheet_part(source.book, "_state")
    rezip(
        source.book,
        out,
        change={part: cell_xml(source.book, "_state", "Z2", '<c r="Z2"><f>1+1</f><v>2</v></c>')},
    )
    refused(target, out, "hidden _state sheet holds a formula")


def test_merged_cells_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    part = sheet_part(source.book, "_state")
    merge = '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
    rezip(source.book, out, change={part: lambda t: t.replace("</sheetData>", "</sheetData>" + merge)})
    refused(target, out, "cells of its hidden _state sheet were merged")


def test_control_characters_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    with_book(
        source.book,
        out,
        lambda b: edit_fields(b, source.beto, lambda f: f["name"][0].__setitem__(3, "Be\u0007to")),
    )
    refused(target, out, "hidden _state sheet", "invisible control characters")


def test_over_long_text_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    with_book(
        source.book,
        out,
        lambda b: edit_fields(b, source.beto, lambda f: f["name"][0].__setitem__(3, "B" * 201)),
    )
    refused(target, out, "hidden _state sheet", "too long (at most 200 characters)")


def test_a_value_outside_its_enumeration_in_state(source: Source, target: ExchangeDesk, out: Path) -> None:
    with_book(
        source.book,
        out,
        lambda b: edit_fields(b, source.request, lambda f: f["urgency"][0].__setitem__(3, "whenever")),
    )
    refused(target, out, "“whenever”, which is not one of its choices")


@pytest.mark.parametrize(
    ("counter", "message"),
    [
        ("9007199254740993", "a counter is absurdly large"),
        ("1" + "0" * 24, "not a whole number written as text"),
        ("-1", "not a whole number"),
    ],
)
def test_absurd_counters(source: Source, target: ExchangeDesk, out: Path, counter: str, message: str) -> None:
    def absurd(book: Any) -> None:
        sheet = book["_state"]
        r = state_row(book, source.beto)
        vv = json.loads(sheet.cell(r, 3).value)
        sheet.cell(r, 3).value = json.dumps({desk: counter for desk in vv}, separators=(",", ":"))
        reseal(book)

    with_book(source.book, out, absurd)
    refused(target, out, "hidden _state sheet", message)


def test_a_number_where_state_holds_text(source: Source, target: ExchangeDesk, out: Path) -> None:
    part = sheet_part(source.book, "_state")
    rezip(
        source.book, out, change={part: cell_xml(source.book, "_state", "C2", '<c r="C2" t="n"><v>3</v></c>')}
    )
    refused(target, out, "a cell holds a number or a date instead of text")


# ---- clocks --------------------------------------------------------------------------------------


def _skewed_export(source: Source, days: int, name: str) -> Path:
    desk = source.world.add_desk()
    desk.skew_ms = days * 86_400_000
    desk.add_person("Reloj", "+16175550177")
    return desk.export().path.rename(source.world.root / name)


def test_a_clock_a_month_ahead_merges_flagged(
    source: Source, target: ExchangeDesk, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _skewed_export(source, 30, "ahead-30-days.xlsx")
    code, stdout, _err = cli_merge(target, book, capsys, "--dry-run")
    assert code == 0 and "more than a day ahead" in stdout
    report = merged(target, book)
    assert report.clock_flagged and report.new == 1
    assert "Reloj" in {r["fields"]["name"][0][3] for r in target.state()["person"]}


def test_a_clock_more_than_a_year_ahead_is_refused(source: Source, target: ExchangeDesk) -> None:
    book = _skewed_export(source, 400, "ahead-400-days.xlsx")
    refused(target, book, "made more than a year in the future", "The clock of the desk")


def test_an_edit_dated_more_than_a_year_ahead_is_refused(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=400)).timestamp()
    clock = str(int(future * 1000) << 16)
    with_book(
        source.book, out, lambda b: edit_fields(b, source.beto, lambda f: f["name"][0].__setitem__(2, clock))
    )
    refused(target, out, "holds edits dated more than a year in the future")


# ---- the visible sheets: a bad cell costs only its hand edit --------------------------------------


def _visible(source: Source, out: Path, edit: Callable[[Any], None], sheet: str = "People") -> Path:
    return with_book(source.book, out, lambda b: edit(b[sheet]))


def test_a_renamed_visible_sheet_only_loses_its_hand_edits(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    def rename(book: Any) -> None:
        book["People"]["C3"] = "Changed Name"
        book["People"].title = "Gente"

    with_book(source.book, out, rename)
    report = merged(target, out)
    only_rejected(report, "People", None, None, "This sheet is missing or was renamed")
    assert report.proposals == 0
    everything_merged(target, source)


def test_a_missing_column_only_loses_its_cells(source: Source, target: ExchangeDesk, out: Path) -> None:
    def drop_phone(sheet: Any) -> None:
        sheet.delete_cols(column(sheet, "phone"))

    report = merged(target, _visible(source, out, drop_phone))
    only_rejected(report, "People", 2, "phone", "This column is missing or its hidden key was changed")
    assert report.proposals == 0
    everything_merged(target, source)


def test_columns_are_found_by_key_not_by_position(source: Source, target: ExchangeDesk, out: Path) -> None:
    def move_phone_first(sheet: Any) -> None:
        at = column(sheet, "phone")
        values = [sheet.cell(r, at).value for r in range(1, sheet.max_row + 1)]
        sheet.delete_cols(at)
        sheet.insert_cols(1)
        for r, value in enumerate(values, start=1):
            sheet.cell(r, 1).value = value

    report = merged(target, _visible(source, out, move_phone_first))
    assert (report.proposals, report.rejected) == (0, [])


def test_a_renamed_header_changes_nothing_but_a_changed_key_loses_the_column(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    def rename(sheet: Any) -> None:
        sheet.cell(1, column(sheet, "name")).value = "Nombre completo"
        sheet.cell(2, column(sheet, "address")).value = "direccion"

    report = merged(target, _visible(source, out, rename))
    only_rejected(report, "People", 2, "address", "This column is missing or its hidden key was changed")


def test_duplicate_headers(source: Source, target: ExchangeDesk, out: Path) -> None:
    def twice(sheet: Any) -> None:
        extra = sheet.max_column + 1
        sheet.cell(1, extra).value = "Name"
        sheet.cell(2, extra).value = "name"
        sheet.cell(3, extra).value = "Someone Else"

    report = merged(target, _visible(source, out, twice))
    only_rejected(report, "People", 2, "name", "This column appears twice; changes in it are not read")
    assert report.proposals == 0


def test_a_duplicate_id_row_only_loses_that_row(source: Source, target: ExchangeDesk, out: Path) -> None:
    def copy_row(sheet: Any) -> None:
        r = row_of(sheet, source.ana)
        sheet.append([sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)])
        sheet.cell(sheet.max_row, column(sheet, "name")).value = "Ana Twice"

    report = merged(target, _visible(source, out, copy_row))
    only_rejected(report, "People", 5, "id", "This record id appears twice on the sheet")
    assert report.proposals == 0
    everything_merged(target, source)


def test_a_row_edited_then_copied_as_exported_below_keeps_its_edit(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    """The first row of a record is read, a later one is refused: also when the later one is a
    copy of the row exactly as exported (pasted back after the first was edited)."""

    def edit_then_paste_the_original(sheet: Any) -> None:
        r = row_of(sheet, source.ana)
        sheet.append([sheet.cell(r, c).value for c in range(1, sheet.max_column + 1)])
        sheet.cell(r, column(sheet, "name")).value = "Ana Edited"

    report = merged(target, _visible(source, out, edit_then_paste_the_original))
    only_rejected(report, "People", 5, "id", "This record id appears twice on the sheet")
    assert [(p.column, p.typed) for p in proposal_service.pending(target.db)] == [("name", "Ana Edited")]


def test_a_formula_in_a_visible_cell_only_loses_that_edit(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = sheet_part(source.book, "People")
    rows = openpyxl.load_workbook(source.book)["People"]
    r, c = row_of(rows, source.ana), column(rows, "name")
    ref = f"{openpyxl.utils.get_column_letter(c)}{r}"
    name_ref = f"{openpyxl.utils.get_column_letter(column(rows, 'address'))}{row_of(rows, source.beto)}"
    rezip(
        source.book,
        out,
        change={
            people: lambda text: cell_xml(
                source.book,
                "People",
                name_ref,
                f'<c r="{name_ref}" t="inlineStr"><is><t>9 Pine St</t></is></c>',
            )(
                cell_xml(
                    source.book, "People", ref, f'<c r="{ref}" t="str"><f>UPPER("ana")</f><v>ANA</v></c>'
                )(text)
            )
        },
    )
    code, stdout, _err = cli_merge(target, out, capsys, "--json", "--dry-run")
    assert code == 0
    assert json.loads(stdout)["rejected"] == [
        {
            "sheet": "People",
            "row": r,
            "column": "name",
            "reason": "This cell holds a formula; only typed values are taken.",
        }
    ]
    report = merged(target, out)
    only_rejected(report, "People", r, "name", "This cell holds a formula")
    assert [(p.column, p.typed) for p in proposal_service.pending(target.db)] == [("address", "9 Pine St")]


@pytest.mark.parametrize(
    ("value_xml", "reason"),
    [
        ('t="n"><v>6175550111</v>', "Excel turned this phone number into a number"),
        ('t="n"><v>6.17555E+9</v>', "Excel turned this phone number into a number"),
    ],
    ids=["number", "scientific"],
)
def test_a_phone_excel_turned_into_a_number(
    source: Source, target: ExchangeDesk, out: Path, value_xml: str, reason: str
) -> None:
    sheet = openpyxl.load_workbook(source.book)["People"]
    ref = f"{openpyxl.utils.get_column_letter(column(sheet, 'phone'))}{row_of(sheet, source.ana)}"
    part = sheet_part(source.book, "People")
    rezip(
        source.book, out, change={part: cell_xml(source.book, "People", ref, f'<c r="{ref}" {value_xml}</c>')}
    )
    report = merged(target, out)
    only_rejected(report, "People", row_of(sheet, source.ana), "phone", reason)
    assert report.proposals == 0


def _date_style(styles: str) -> str:
    """styles.xml with one more cell format: a date (built-in number format 14), last in cellXfs."""
    count = int(re.search(r'<cellXfs count="(\d+)"', styles)[1])  # type: ignore[index]
    styles = styles.replace(f'<cellXfs count="{count}"', f'<cellXfs count="{count + 1}"')
    return styles.replace(
        "</cellXfs>", '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>'
    )


def _date_cell(
    source: Source, out: Path, sheet_title: str, key: str, record_id: str, serial: int, *, mac: bool = False
) -> int:
    """Put an Excel date serial (date format) in one cell; returns the Excel row."""
    sheet = openpyxl.load_workbook(source.book)[sheet_title]
    row = row_of(sheet, record_id)
    ref = f"{openpyxl.utils.get_column_letter(column(sheet, key))}{row}"
    styles = parts(source.book)["xl/styles.xml"].decode()
    style = int(re.search(r'<cellXfs count="(\d+)"', styles)[1])  # type: ignore[index]
    change: dict[str, Callable[[str], str]] = {
        "xl/styles.xml": _date_style,
        sheet_part(source.book, sheet_title): cell_xml(
            source.book, sheet_title, ref, f'<c r="{ref}" s="{style}" t="n"><v>{serial}</v></c>'
        ),
    }
    if mac:
        change["xl/workbook.xml"] = lambda t: t.replace("<workbookPr />", '<workbookPr date1904="1"/>')
    rezip(source.book, out, change=change)
    return row


def test_an_id_excel_turned_into_a_date_only_loses_that_row(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    row = _date_cell(source, out, "People", "id", source.beto, 46095)
    report = merged(target, out)
    assert ("People", row, "id") in {(r.sheet, r.row, r.column) for r in report.rejected}
    assert any("no record id" in r.reason for r in report.rejected if r.row == row)
    assert report.proposals == 0
    everything_merged(target, source)


def test_text_excel_turned_into_a_date(source: Source, target: ExchangeDesk, out: Path) -> None:
    row = _date_cell(source, out, "Requests", "status_reason", source.request, 46095)
    only_rejected(merged(target, out), "Requests", row, "status_reason", "Excel turned this cell into a date")


@pytest.mark.parametrize(("serial", "mac"), [(46095, False), (44633, True)], ids=["1900", "1904"])
def test_a_date_typed_in_either_date_system_is_the_same_day(
    source: Source, target: ExchangeDesk, out: Path, serial: int, mac: bool
) -> None:
    _date_cell(source, out, "Requests", "follow_up", source.request, serial, mac=mac)
    report = merged(target, out)
    assert report.rejected == []
    [edit] = proposal_service.pending(target.db)
    assert (edit.column, edit.record_id) == ("follow_up", source.request)
    proposal_service.accept(target.db, "Ana", [edit.id])
    request = target.record("request", source.request)
    assert request is not None and {s[3] for s in request["fields"]["follow_up"]} == {"2026-03-14"}


def test_control_characters_in_a_visible_cell(source: Source, target: ExchangeDesk, out: Path) -> None:
    sheet = openpyxl.load_workbook(source.book)["People"]
    row = row_of(sheet, source.ana)
    ref = f"{openpyxl.utils.get_column_letter(column(sheet, 'address'))}{row}"
    typed = f'<c r="{ref}" t="inlineStr"><is><t>1 Main_x0007_ St</t></is></c>'
    rezip(
        source.book,
        out,
        change={sheet_part(source.book, "People"): cell_xml(source.book, "People", ref, typed)},
    )
    report = merged(target, out)
    only_rejected(report, "People", row, "address", "invisible control characters")


def test_over_long_text_in_a_visible_cell(source: Source, target: ExchangeDesk, out: Path) -> None:
    def long_name(sheet: Any) -> None:
        sheet.cell(row_of(sheet, source.ana), column(sheet, "name")).value = "Ana " * 60

    report = merged(target, _visible(source, out, long_name))
    only_rejected(report, "People", 3, "name", "too long (at most 200 characters)")


def test_merged_visible_cells(source: Source, target: ExchangeDesk, out: Path) -> None:
    def merge_cells(sheet: Any) -> None:
        r = row_of(sheet, source.ana)
        sheet.merge_cells(
            start_row=r,
            start_column=column(sheet, "address"),
            end_row=r,
            end_column=column(sheet, "address") + 1,
        )

    report = merged(target, _visible(source, out, merge_cells))
    assert {(r.column, r.reason.split(";")[0]) for r in report.rejected} == {
        ("address", "This cell was merged with others"),
        ("zone", "This cell was merged with others"),
    }
    assert report.proposals == 0


def test_a_value_outside_the_choices_of_its_column(source: Source, target: ExchangeDesk, out: Path) -> None:
    def whenever(sheet: Any) -> None:
        sheet.cell(row_of(sheet, source.request), column(sheet, "urgency")).value = "Whenever"

    report = merged(target, _visible(source, out, whenever, "Requests"))
    only_rejected(report, "Requests", 3, "urgency", "“Whenever” is not one of the choices of this column")


def test_an_edit_in_a_column_aiddesk_works_out_is_rejected_not_proposed(
    source: Source, target: ExchangeDesk, out: Path
) -> None:
    def recode(sheet: Any) -> None:
        sheet.cell(row_of(sheet, source.ana), column(sheet, "code")).value = "X-1"

    report = merged(target, _visible(source, out, recode))
    only_rejected(report, "People", 3, "code", "AidDesk works this column out itself")
    assert report.proposals == 0


def test_blank_rows_are_skipped_and_counted(source: Source, target: ExchangeDesk, out: Path) -> None:
    report = merged(target, _visible(source, out, lambda sheet: sheet.insert_rows(4, 3)))
    assert report.blank_rows == 3
    assert (report.proposals, report.rejected) == (0, [])


def test_a_row_deleted_by_hand_is_reported_never_a_delete(
    source: Source, target: ExchangeDesk, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = merged(
        target, _visible(source, out, lambda sheet: sheet.delete_rows(row_of(sheet, source.beto)))
    )
    only_rejected(report, "People", None, "id", "was deleted in the workbook; nothing is deleted here")
    assert source.beto in target.visible_ids("person")
    code, stdout, _err = cli_merge(target, out, capsys)
    assert code == 0 and "nothing is deleted here" in stdout


def test_a_row_added_by_hand_is_not_taken(source: Source, target: ExchangeDesk, out: Path) -> None:
    def add(sheet: Any) -> None:
        sheet.append([None, None, "New Caller", "(617) 555-0100"])

    report = merged(target, _visible(source, out, add))
    only_rejected(report, "People", 5, "id", "rows added in a workbook are not taken")
    assert report.proposals == 0


def test_the_message_is_in_the_desk_language(source: Source, target: ExchangeDesk, out: Path) -> None:
    from aiddesk import i18n

    with_book(source.book, out, lambda b: set_meta(b, "format_version", "2"))
    i18n.set_language("es", "US")
    spanish = refused(target, out, "AidDesk más nuevo (formato 2)")
    i18n.set_language("en", "US")
    english = refused(target, out, "newer AidDesk (format 2)")
    assert spanish != english


def test_the_sample_is_clean(source: Source, target: ExchangeDesk) -> None:
    """The untouched export merges with nothing rejected and no hand edit (the tests above start from it)."""
    report = merged(target, source.book)
    assert (report.new, report.proposals, report.rejected, report.blank_rows) == (3, 0, [], 0)
