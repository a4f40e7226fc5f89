"""`aiddesk report`: the figures as JSON agree with the definitions; the PDF (read back with
pypdf) and the workbook (read back with openpyxl) show them, in English and in Spanish; bad
arguments are one line and exit 2. The desk's days are New York's (TZ), not UTC."""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from aiddesk import cli
from tests.report_desk import FIRST, LAST, NEW_YORK, ReportDesk, expected, make_desk_folder

PERIOD = ["--from", FIRST.isoformat(), "--to", LAST.isoformat()]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, desk_template: Path) -> tuple[Path, ReportDesk]:
    folder = tmp_path_factory.mktemp("report-cli") / "desk"
    return folder, make_desk_folder(folder, desk_template)


@pytest.fixture(autouse=True)
def _one_qt_application(qapp: object) -> None:
    """The PDF commands run in this process: they use the test run's Qt application instead of
    making one of their own (Qt allows one per process, and pytest-qt's must be the one)."""


@pytest.fixture(autouse=True)
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's clock, so the desk's, is New York's."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield
    monkeypatch.undo()
    time.tzset()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def expected_figures(folder: Path, language: str) -> dict[str, object]:
    from aiddesk.store.migrate import open_database

    db = open_database(folder / "aiddesk.db")
    try:
        return expected(db, FIRST, LAST, NEW_YORK, language)
    finally:
        db.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_json_prints_the_figures(desk: tuple[Path, ReportDesk], language: str) -> None:
    folder, _records = desk
    code, out, err = run("--data-dir", str(folder), "report", *PERIOD, "--json", "--lang", language)
    assert code == 0, err
    figures = json.loads(out)
    assert figures == expected_figures(folder, language)
    assert figures["calls"] == 4 and figures["households_served"] == 3  # as worked out by hand


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def test_pdf_in_english(desk: tuple[Path, ReportDesk], tmp_path: Path) -> None:
    folder, _records = desk
    out = tmp_path / "november.pdf"
    code, stdout, err = run("--data-dir", str(folder), "report", *PERIOD, "--out", str(out), "--lang", "en")
    assert code == 0, err
    assert stdout.strip() == f"Wrote the report for November 1, 2026 – November 30, 2026 to {out}."
    text = pdf_text(out)
    assert "Report for November 1, 2026 – November 30, 2026" in text
    figures = expected_figures(folder, "en")
    for label, key in (
        ("Calls taken", "calls"),
        ("Requests opened", "requests_opened"),
        ("Requests delivered", "requests_delivered"),
        ("Households served", "households_served"),
        ("Deliveries that failed", "stops_failed"),
        ("Median days from request to delivery", "median_days_to_delivery"),
    ):
        assert f"{label} {figures[key]}" in text
    for breakdown in ("by_need", "by_zone", "by_language", "stops_failed_by_reason"):
        for label, count in figures[breakdown].items():  # type: ignore[attr-defined]
            assert f"{label} {count}" in text
    # Nobody's name is on it: not the callers', not the driver's, not who recorded anything.
    for name in ("Ana", "Núñez", "Beto", "Carla", "Dora", "Eli", "Luis", "Ortega", "Marta"):
        assert name not in text
    reader = PdfReader(str(out))
    assert len(reader.pages) >= 2 and any(page.images for page in reader.pages), "the charts"


def test_pdf_in_spanish_spells_the_months_in_spanish(desk: tuple[Path, ReportDesk], tmp_path: Path) -> None:
    folder, _records = desk
    out = tmp_path / "noviembre.pdf"
    code, _stdout, err = run("--data-dir", str(folder), "report", *PERIOD, "--out", str(out), "--lang", "es")
    assert code == 0, err
    text = pdf_text(out)
    assert "1 de noviembre de 2026 – 30 de noviembre de 2026" in text
    assert "Pedidos entregados 5" in text
    figures = expected_figures(folder, "es")
    for label, count in figures["by_zone"].items():  # type: ignore[attr-defined]
        assert f"{label} {count}" in text
    assert "Sin zona 2" in text and "No había nadie 1" in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_workbook_holds_the_figures_as_numbers(
    desk: tuple[Path, ReportDesk], tmp_path: Path, language: str
) -> None:
    folder, _records = desk
    out = tmp_path / "november.xlsx"
    code, _stdout, err = run(
        "--data-dir", str(folder), "report", *PERIOD, "--out", str(out), "--lang", language
    )
    assert code == 0, err
    figures = expected_figures(folder, language)
    book = openpyxl.load_workbook(out)
    sheets = book.sheetnames
    assert len(sheets) == 7
    summary = {row[0]: row[1] for row in book[sheets[0]].iter_rows(values_only=True) if row and len(row) > 1}
    calls = "Calls taken" if language == "en" else "Llamadas atendidas"
    assert summary[calls] == figures["calls"] and isinstance(summary[calls], int)
    by_sheet = {}
    for name in sheets[1:5]:
        rows = list(book[name].iter_rows(values_only=True))
        by_sheet[name] = {label: count for label, count in rows[2:]}
    assert list(by_sheet.values()) == [
        figures["stops_failed_by_reason"],
        figures["by_need"],
        figures["by_zone"],
        figures["by_language"],
    ]
    headers = [next(book[name].iter_rows(min_row=2, max_row=2, values_only=True))[0] for name in sheets[1:5]]
    assert headers == (
        ["Reason", "Need", "Zone", "Language"]
        if language == "en"
        else ["Razón", "Necesidad", "Zona", "Idioma"]
    )
    assert os.stat(out).st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2026-11-31", "--to", "2026-12-01", "--json"],
            "“2026-11-31” is not a date like 2026-03-14.",
        ),
        (
            ["--from", "2026-11-01", "--to", "next week", "--json"],
            "“next week” is not a date like 2026-03-14.",
        ),
        (
            ["--from", "2026-11-30", "--to", "2026-11-01", "--json"],
            "--to 2026-11-01 is before --from 2026-11-30.",
        ),
        ([*PERIOD, "--out", "report.docx"], "report.docx: a report is written to a .pdf or an .xlsx file."),
        (
            [*PERIOD, "--out", "/no/such/folder/r.pdf"],
            "Cannot write /no/such/folder/r.pdf: there is no folder /no/such/folder.",
        ),
        ([*PERIOD, "--json", "--lang", "fr"], "invalid choice: 'fr'"),
        (PERIOD, "Say where to write the report (--out FILE.pdf or FILE.xlsx), or ask for --json."),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(
    desk: tuple[Path, ReportDesk], tmp_path: Path, argv: list[str], message: str
) -> None:
    folder, _records = desk
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run("--data-dir", str(folder), "report", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("aiddesk: ") and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_spanish_shell_gets_spanish_messages(
    desk: tuple[Path, ReportDesk], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _records = desk
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    code, _out, err = run(
        "--data-dir", str(folder), "report", "--from", "2026-11-30", "--to", "2026-11-01", "--json"
    )
    assert code == 2
    assert err.strip() == "aiddesk: --to 2026-11-01 es antes de --from 2026-11-30."


def test_call_back_and_packing_lists_from_the_command_line(
    desk: tuple[Path, ReportDesk], tmp_path: Path
) -> None:
    folder, _records = desk
    calls = tmp_path / "calls.pdf"
    code, out, err = run(
        "--data-dir", str(folder), "callback-list", "--date", "2026-11-23", "--out", str(calls)
    )
    assert code == 0, err
    assert out.strip() == f"Wrote Call-backs for Monday, November 23, 2026 to {calls}."
    assert "Nobody is waiting for a call back on this day." in pdf_text(calls)
    packing = tmp_path / "packing.pdf"
    code, out, err = run(
        "--data-dir",
        str(folder),
        "packing-list",
        "--date",
        "2026-11-16",
        "--out",
        str(packing),
        "--lang",
        "es",
    )
    assert code == 0, err
    text = pdf_text(packing)
    assert text.startswith("Qué llevar el lunes, 16 de noviembre de 2026")
    assert "Recoger medicinas 1" in text and "Comida caliente 1" in text and "Total 2" in text
    for name in ("Beto", "Carla", "Ana"):
        assert name not in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["callback-list", "--out", "calls.xlsx"], "calls.xlsx: the list is written to a .pdf file."),
        (["packing-list", "--out", "p.pdf"], "the following arguments are required: --date"),
        (
            ["packing-list", "--date", "2026-02-30", "--out", "p.pdf"],
            "“2026-02-30” is not a date like 2026-03-14.",
        ),
    ],
)
def test_lists_refuse_bad_arguments(desk: tuple[Path, ReportDesk], argv: list[str], message: str) -> None:
    folder, _records = desk
    code, out, err = run("--data-dir", str(folder), *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and message in err
