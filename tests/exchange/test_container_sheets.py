"""Sheet XML scanned as it is unpacked: formulas (calamine shows their cells as empty or as a
cached value), merged cells, and how far the cells reach, bounded before calamine allocates
the whole rectangle (a two-cell sheet reaching XFD1048576 would abort the process)."""

from __future__ import annotations

import functools
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from aiddesk.exchange.workbook.reading import calamine_cells, read_workbook, sheet_scan, structure, zip_guard
from tests.exchange.test_container import (
    MAIN_NS,
    control_workbook,
    rejection,
    sheet_xml,
    with_sheet,
)

REPO = Path(__file__).resolve().parents[2]
PREFIXED_START = f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="{MAIN_NS}">'


def read_in_another_process(path: Path) -> str:
    """What read_workbook says about `path`, run apart so that a failed guard cannot take the
    test run down with it (calamine aborts the process when an allocation fails)."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from aiddesk.exchange.workbook.reading import read_workbook\n"
        "from aiddesk.exchange.workbook.errors import WorkbookRejected\n"
        "try:\n    read_workbook(Path(sys.argv[1]))\n    print('read')\n"
        "except WorkbookRejected as rejected:\n    print(rejected.message)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env=environment,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def exact_scan_forbidden(monkeypatch) -> None:
    def forbidden(*args, **kwargs):
        pytest.fail("took the slow exact pass")

    monkeypatch.setattr(calamine_cells, "exact_scan", forbidden)
    monkeypatch.setattr(sheet_scan, "exact_scan", forbidden)


# ------------------------------------------------------------------ how far cells reach


def test_two_cells_at_opposite_corners_of_the_grid_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "x"
    book.active["XFD1048576"] = "y"
    book.save(tmp_path / "corners.xlsx")
    message = read_in_another_process(tmp_path / "corners.xlsx")
    assert message == (
        "The sheet Sheet in the workbook corners.xlsx is too large to read: it reaches row 1048576 and "
        "column XFD. Delete the empty rows and columns far below or to the right of the data, save, and try again."
    )


@pytest.mark.parametrize(
    "rows",
    [
        '<x:row r="1"><x:c r="XFD1"><x:v>1</x:v></x:c></x:row><x:row r="1048576"><x:c r="A1048576"><x:v>1</x:v></x:c></x:row>',
        '<x:row r="1"><x:c r="XFD1"><x:v>1</x:v></x:c></x:row><x:row r="1048576"><x:c><x:v>1</x:v></x:c></x:row>',
    ],
    ids=["prefixed", "cell-without-r"],
)
def test_far_cells_written_in_an_unusual_form_are_refused_too(tmp_path: Path, rows: str) -> None:
    xml = f"{PREFIXED_START}<x:sheetData>{rows}</x:sheetData></x:worksheet>"
    message = read_in_another_process(with_sheet(tmp_path, xml))
    assert "is too large to read: it reaches row 1048576 and column XFD" in message


def test_cells_placed_by_rows_and_order_alone_are_bounded(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="XFD1"><v>1</v></c></row><row r="1048575"></row><row><c><v>1</v></c></row>'
    assert "it reaches row 1048576 and column XFD" in read_in_another_process(
        with_sheet(tmp_path, sheet_xml(rows))
    )


def test_an_empty_far_cell_holds_no_value_and_does_not_count(tmp_path: Path, monkeypatch) -> None:
    exact_scan_forbidden(monkeypatch)
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="0"/></row>'
    assert read_workbook(with_sheet(tmp_path, sheet_xml(rows))).sheets["People"].rows == [[1]]


def test_a_cell_outside_excels_grid_makes_the_sheet_damaged(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="A2000000"><v>1</v></c></row>'
    assert "The sheet People in the workbook hostile.xlsx is damaged" in rejection(
        with_sheet(tmp_path, sheet_xml(rows))
    )


def test_a_wide_and_long_sheet_is_read_on_the_fast_path(tmp_path: Path, monkeypatch) -> None:
    exact_scan_forbidden(monkeypatch)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 1201):
        sheet.append([f"{row}-{column}" for column in range(1, 41)])
    sheet["AN1200"] = "=1+1"
    book.save(tmp_path / "wide.xlsx")
    read = read_workbook(tmp_path / "wide.xlsx").sheets["Sheet"]
    assert len(read.rows) == 1200 and {len(row) for row in read.rows} == {40}
    assert read.rows[0][0] == "1-1" and read.rows[1198][39] == "1199-40"
    assert read.formulas == {(1199, 39)}


def test_tiny_unpacking_steps_change_nothing(tmp_path: Path, monkeypatch) -> None:
    """Windows cut every few bytes: tags, formulas and their cells meet across every boundary."""
    control = control_workbook(tmp_path / "control.xlsx")
    expected = read_workbook(control)
    monkeypatch.setattr(zip_guard, "INFLATE_STEP", 7)
    monkeypatch.setattr(zip_guard, "READ_STEP", 5)
    assert read_workbook(control) == expected


# ------------------------------------------------------------------ formulas and merged cells


def test_a_sheet_with_prefixed_tags_takes_the_exact_pass(tmp_path: Path) -> None:
    xml = (
        f'{PREFIXED_START}<x:sheetData><x:row r="2"><x:c r="B2"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
        '<x:c r="C2"><x:v>5</x:v></x:c></x:row></x:sheetData>'
        '<x:mergeCells count="1"><x:mergeCell ref="A5:B6"/></x:mergeCells></x:worksheet>'
    )
    people = read_workbook(with_sheet(tmp_path, xml)).sheets["People"]
    assert people.rows == [["", "", ""], ["", 2, 5]]
    assert people.formulas == {(1, 1)}
    assert people.merged == [(4, 0, 5, 1)]


def test_cells_without_references_are_placed_as_calamine_places_them(tmp_path: Path) -> None:
    rows = (
        '<row r="3"><c><v>1</v></c><c s="0"><f>A3</f><v>1</v></c><c r="E3"><v>5</v></c><c><f>E3</f><v>5</v></c></row>'
        '<row><c t="inlineStr"><is><t>x</t></is></c><c/><c><f>1</f><v>1</v></c></row>'
        "<row/><row><c><f>1</f><v>9</v></c></row>"
    )
    people = read_workbook(with_sheet(tmp_path, sheet_xml(rows))).sheets["People"]
    empty = ["", "", "", "", "", ""]
    assert people.rows[2:] == [[1, 1, "", "", 5, 5], ["x", "", 1, "", "", ""], empty, [9, *empty[1:]]]
    assert people.formulas == {(2, 1), (2, 5), (3, 2), (5, 0)}  # <c/> and <row/> take their place too


def test_attributes_in_another_order(tmp_path: Path) -> None:
    rows = '<row r="1"><c s="0" r="B1"><f>1</f><v>1</v></c><c t="n" r="C1"><v>2</v></c></row>'
    people = read_workbook(with_sheet(tmp_path, sheet_xml(rows))).sheets["People"]
    assert people.rows == [["", 1, 2]] and people.formulas == {(0, 1)}


def test_shared_formulas_mark_every_cell_that_uses_them(tmp_path: Path, monkeypatch) -> None:
    exact_scan_forbidden(monkeypatch)
    rows = (
        '<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c><c r="B1"><v>1</v></c></row>'
        '<row r="2"><c r="A2"><f t="shared" si="0"/><v>2</v></c><c r="B2"><v>1</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>2</v></c><c r="B3"><v>1</v></c></row>'
    )
    assert read_workbook(with_sheet(tmp_path, sheet_xml(rows))).sheets["People"].formulas == {
        (0, 0),
        (1, 0),
        (2, 0),
    }


def test_an_array_formula_marks_its_whole_range(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in range(1, 4):
        sheet.cell(row, 1, row)
    sheet["C1"] = ArrayFormula("C1:C3", "=A1:A3*2")
    book.save(tmp_path / "array.xlsx")
    assert read_workbook(tmp_path / "array.xlsx").sheets["Sheet"].formulas == {(0, 2), (1, 2), (2, 2)}


def test_an_array_formula_over_the_whole_grid_is_refused(tmp_path: Path) -> None:
    rows = '<row r="1"><c r="A1"><f t="array" ref="A1:XFD1048576">1</f><v>1</v></c></row>'
    assert "holds more formulas than this desk can check" in rejection(with_sheet(tmp_path, sheet_xml(rows)))


def test_formulas_of_data_validations_after_the_cells_are_not_cell_formulas(
    tmp_path: Path, monkeypatch
) -> None:
    """Excel keeps cross-sheet validation lists in an extension list after the cells, as <xm:f>."""
    exact_scan_forbidden(monkeypatch)
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f></x14:formula1>'
        "<xm:sqref>B2:B9</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    rows = '<row r="2"><c r="B2" t="inlineStr"><is><t>food</t></is></c></row>'
    people = read_workbook(with_sheet(tmp_path, sheet_xml(rows, after=extension))).sheets["People"]
    assert people.rows == [["", ""], ["", "food"]] and people.formulas == set()


def test_a_prefixed_formula_among_ordinary_cells_is_found(tmp_path: Path, monkeypatch) -> None:
    exact_scan_forbidden(monkeypatch)
    rows = f'<row r="1"><c r="B1"><x:f xmlns:x="{MAIN_NS}">1</x:f><v>1</v></c></row>'
    assert read_workbook(with_sheet(tmp_path, sheet_xml(rows))).sheets["People"].formulas == {(0, 1)}


def test_an_ordinary_workbook_takes_the_fast_path(tmp_path: Path, monkeypatch) -> None:
    exact_scan_forbidden(monkeypatch)
    assert read_workbook(control_workbook(tmp_path / "control.xlsx")).sheets["People"].formulas == {(3, 2)}


def test_a_merged_range_that_makes_no_sense_makes_the_sheet_damaged(tmp_path: Path) -> None:
    xml = sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>', after='<mergeCells><mergeCell ref="A1:??"/></mergeCells>'
    )
    assert "The sheet People in the workbook hostile.xlsx is damaged" in rejection(with_sheet(tmp_path, xml))


def test_merged_ranges_are_given_top_left_first(tmp_path: Path) -> None:
    after = '<mergeCells><mergeCell ref="D4:B2"/><mergeCell ref="F1"/></mergeCells>'
    xml = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', after=after)
    assert read_workbook(with_sheet(tmp_path, xml)).sheets["People"].merged == [(1, 1, 3, 3), (0, 5, 0, 5)]


# ------------------------------------------------------------------ the bound holds, whatever the form

REFS = ("A1", "B2", "Z9", "AA10", "AZ99", "BA100", "ZZ9999", "AAA1", "XFD1", "A1048576", "b5", "xfd1048576")
PIECES = (
    *(f'<c r="{ref}"><v>1</v></c>' for ref in REFS),
    *(f'<c r="{ref}"/>' for ref in REFS[:4]),
    *(f'<x:c r="{ref}"><x:v>3</x:v></x:c>' for ref in REFS[::3]),
    *(f'<c s="1" r="{ref}"><v>4</v></c>' for ref in REFS[1::3]),
    *(f'<!-- <c r="{ref}"><v>1</v></c> -->' for ref in REFS[::4]),
    '<c><is><t><![CDATA[<c r="XFD1048576">]]></t></is></c>',
    "<c><v>2</v></c>",
    "<c/>",
    "<c><f>1</f><v>5</v></c>",
)
ROW_STARTS = ('<row r="1">', '<row r="100">', '<row r="1048576">', "<row>")


@functools.cache
def plain_parts() -> dict[str, bytes]:
    stream = io.BytesIO()
    openpyxl.Workbook().save(stream)
    with zipfile.ZipFile(stream) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def package_with_sheet(xml: str) -> zip_guard.ZipPackage:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**plain_parts(), "xl/worksheets/sheet1.xml": xml.encode()}.items():
            archive.writestr(name, data)
    return zip_guard.open_package(stream.getvalue(), "bound.xlsx")


@settings(max_examples=50, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from(ROW_STARTS), st.lists(st.sampled_from(PIECES), max_size=6)), max_size=6
    )
)
def test_calamine_never_reaches_beyond_the_bound(rows) -> None:
    """Whatever form the cells take, the rows and columns calamine fills stay within the bound
    checked before it runs; a sheet beyond MAX_SHEET_CELLS is never handed to calamine."""
    body = "".join(start + "".join(cells) + "</row>" for start, cells in rows)
    package = package_with_sheet(sheet_xml(body).replace("<worksheet ", f'<worksheet xmlns:x="{MAIN_NS}" '))
    sheet = structure.Sheet("Sheet", "visible", "xl/worksheets/sheet1.xml", "worksheet")
    box = sheet_scan.measure(package, sheet)
    if box.exotic or box.cells > sheet_scan.MAX_SHEET_CELLS:
        exact = sheet_scan.ExactScan("bound.xlsx", "Sheet")
        for window in zip_guard.xml_windows(package, sheet.path):
            exact.feed(window)
        bound = (exact.last_row + 1, exact.last_column + 1)
    else:
        bound = (box.rows, box.columns)
    if bound[0] * bound[1] > sheet_scan.MAX_SHEET_CELLS:
        return  # refused before calamine: reading it here could take the test run down
    workbook = python_calamine.CalamineWorkbook.from_filelike(package.data.file())
    values = workbook.get_sheet_by_name("Sheet").to_python(skip_empty_area=False)
    assert len(values) <= bound[0] and max(map(len, values), default=0) <= bound[1]
