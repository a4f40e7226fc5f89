"""The queue as filtered, printed and saved: the PDF and the workbook hold exactly the requests
listed (in the screen's order), phones only of callers who agreed to be called, no notes; both
saved owner-only. The print preview opens on the list; the period report dialog saves a
workbook whose figures agree with the records; the overview's call-back list opens in the
preview too."""

from __future__ import annotations

import datetime as dt
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from pytestqt.qtbot import QtBot

from aiddesk.domain.enums import RequestStatus
from aiddesk.services.requests.queue import Focus
from aiddesk.store.database import Database
from aiddesk.ui.reports import pdf_document
from aiddesk.ui.shell.main_window import MainWindow
from tests.record_makers import add_person, add_request
from tests.ui.settle import settle
from tests.ui.windows import desk_window

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)
TODAY = dt.date.today()


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    rosa = add_person(db, "T-P1", "Rosa Díaz", phone="+16175550134", consent=True)
    juan = add_person(db, "T-P2", "Juan Pérez", phone="+16175550188", consent=False)
    add_request(db, rosa, "T-R1", "call_back", follow_up=TODAY, created_at=NOW, details="Gate code 4411")
    add_request(db, juan, "T-R2", "needs_info", follow_up=TODAY, created_at=NOW - dt.timedelta(days=2))
    add_request(db, rosa, "T-R3", "ready", created_at=NOW - dt.timedelta(days=1))
    add_request(db, juan, "T-R4", "delivered", created_at=NOW - dt.timedelta(days=4))
    add_request(db, rosa, "T-R5", "call_back", follow_up=TODAY, created_at=NOW, deleted=True)
    with desk_window(qtbot, db, "Ana") as window:
        settle(qtbot, window.ctx)
        window.requests_page.show_filtered(frozenset(RequestStatus), Focus.DUE_TODAY)
        settle(qtbot, window.ctx)
        yield window


def owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_the_queue_as_filtered_as_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = window.requests_page
    listed = [page.model.row_at(r).code for r in range(page.model.rowCount())]
    assert listed == ["T-R2", "T-R1"]  # the longest waiting first
    target = tmp_path / "queue.pdf"
    page.print_button.save_pdf(target)
    settle(qtbot, window.ctx, timeout=30_000)
    assert page.print_note.text() == f"Saved {target}."
    assert owner_only(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages)
    assert "All · Call-back due today" in text
    assert text.index("T-R2") < text.index("T-R1")
    assert "T-R3" not in text and "T-R4" not in text and "T-R5" not in text
    assert "(617)555-0134" in text.replace(" ", "")  # Rosa agreed to be called
    assert "0188" not in text  # Juan did not agree to be called
    assert "Didnotagreetobecalled" in text.replace(" ", "")
    assert "Gate code" not in text  # no details, no notes


def test_the_queue_as_a_workbook(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    page = window.requests_page
    target = tmp_path / "queue.xlsx"
    page.print_button.save_workbook(target)
    settle(qtbot, window.ctx, timeout=30_000)
    assert owner_only(target)
    sheet = load_workbook(target).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows.index(
        ["Code", "Name", "Phone", "Need", "Zone", "Urgency", "Status", "Call back on", "Made on"]
    )
    body = rows[header + 1 :]
    assert [r[0] for r in body] == ["T-R2", "T-R1"]
    assert body[0][1] == "Juan Pérez" and "0188" not in str(body[0][2])
    assert body[1][6] == "Call back" and body[1][7].date() == TODAY


def test_print_preview_of_the_queue(qtbot: QtBot, window: MainWindow) -> None:
    printer = window.requests_page.print_button.printer
    window.requests_page.print_button.print_queue()
    qtbot.waitUntil(lambda: printer.preview is not None, timeout=30_000)
    assert isinstance(printer.preview, QPrintPreviewDialog)
    assert printer.preview.windowTitle().startswith("Print preview: Requests, as of ")
    printer.preview.reject()
    qtbot.waitUntil(lambda: printer.preview is None)


def test_the_print_preview_only_paints_what_was_laid_out_before_it_opened(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt asks the preview for every page at once: a long list laid out then held the window
    for seconds. It is laid out a step at a time before the preview opens, and only painted then."""
    laid: list[str] = []
    real = pdf_document._document

    def counted(html_text: str, *args: Any) -> Any:
        laid.append(html_text)
        return real(html_text, *args)

    monkeypatch.setattr(pdf_document, "_document", counted)
    printer = window.requests_page.print_button.printer
    window.requests_page.print_button.print_queue()
    qtbot.waitUntil(lambda: printer.preview is not None, timeout=30_000)
    assert laid and any("Rosa Díaz" in html_text for html_text in laid)
    before = len(laid)
    preview = printer.preview.findChild(QPrintPreviewWidget)
    preview.updatePreview()  # Qt paints every page now
    assert preview.pageCount() >= 1
    assert len(laid) == before  # nothing laid out while the window waits
    printer.preview.reject()
    qtbot.waitUntil(lambda: printer.preview is None)


def test_the_call_back_list_from_the_overview_in_the_preview(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("overview")
    page = window.overview_page
    page.print_call_back_list()
    qtbot.waitUntil(lambda: page.printer.preview is not None, timeout=30_000)
    assert "Call-backs for" in page.printer.preview.windowTitle()
    page.printer.preview.reject()


def test_the_period_report_dialog_saves_a_workbook(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.show_page("overview")
    dialog = window.overview_page.open_report_dialog()
    dialog.first.setDate(dialog.first.date().addDays(-40))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    target = tmp_path / "report.xlsx"
    assert dialog.save(target)
    settle(qtbot, window.ctx, timeout=60_000)
    assert dialog.message.text() == f"Saved {target}."
    assert owner_only(target)
    figures = {r[0]: r[1] for r in load_workbook(target)["Figures"].iter_rows(values_only=True) if r}
    first = TODAY.replace(day=1) - dt.timedelta(days=40)
    made = [NOW, NOW - dt.timedelta(days=2), NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=4)]
    local_days = [m.replace(tzinfo=dt.UTC).astimezone().date() for m in made]
    assert figures["Requests opened"] == sum(1 for d in local_days if first <= d <= TODAY)
    dialog.last.setDate(dialog.first.date().addDays(-1))
    assert not dialog.save(target)
    assert dialog.message.text() == "The last day is before the first day: choose the days again."
    dialog.reject()


def test_the_packing_list_from_deliveries(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.show_page("deliveries")
    page = window.deliveries_page
    actions = [a.text() for a in page.day_menu.actions()]
    assert "Print the packing list…" in actions and "Save the packing list as PDF…" in actions
    target = tmp_path / "packing.pdf"
    page.packing.save_pdf(target)
    settle(qtbot, window.ctx, timeout=30_000)
    assert owner_only(target)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages)
    assert "What to bring on" in text and "There are no runs on this day." in text
    page.packing.print_list()
    qtbot.waitUntil(lambda: page.packing.printer.preview is not None, timeout=30_000)
    page.packing.printer.preview.reject()
