"""PDFs are laid out and painted on the GUI thread only, a step at a time.

A worker thread that makes, connects or destroys a QObject (QTextDocument, QPdfWriter, QBuffer...)
can deadlock with the GUI thread (PySide holds Python's lock while it waits for Qt's connection
mutex; docs/architecture.md). So the rendering entry points refuse a worker thread; every save
reads on a worker, paints on the GUI thread between two turns of the event loop, and saves the
file on a worker. A long list is laid out a page at a time (never its whole table in one step),
and a screen closed in the middle of a PDF still gets its file, whole. A file printed from Qt's
print dialog is owner-only, as every file AidDesk saves."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import QSizeF, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.enums import RequestStatus
from aiddesk.exchange.workbook import saving
from aiddesk.services.requests.queue import Focus
from aiddesk.store.database import Database
from aiddesk.store.models import Request
from aiddesk.ui.deliveries import printing
from aiddesk.ui.reports import pdf_document
from aiddesk.ui.reports.pdf_document import Printable
from aiddesk.ui.reports.printing import ListPrinter
from aiddesk.ui.reports.report_dialog import ReportDialog
from aiddesk.ui.shell.main_window import MainWindow
from aiddesk.ui.shell.operations import Failure
from tests.record_makers import NEED, add_person, add_request
from tests.ui.settle import settle
from tests.ui.windows import desk_window

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)
TODAY = dt.date.today()
LONG = 130  # requests in the long queue: several pages


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    rosa = add_person(db, "T-P1", "Rosa Díaz", phone="+16175550134", consent=True)
    add_request(db, rosa, "T-R1", "call_back", follow_up=TODAY, created_at=NOW)
    with db.transaction("Ana") as tx:
        for n in range(LONG):
            tx.session.add(
                Request(
                    id=tx.new_id(),
                    code=f"T-Q{n:03d}",
                    person_id=rosa,
                    status="new",
                    category_id=NEED["groceries"],
                    created_at=NOW - dt.timedelta(minutes=n),
                )
            )
    with desk_window(qtbot, db, "Ana") as window:
        settle(qtbot, window.ctx)
        window.requests_page.show_filtered(frozenset(RequestStatus), Focus.NONE)
        settle(qtbot, window.ctx)
        yield window


def pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def count_documents(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows (`<tr>`) of each printout document laid out, in order."""
    laid_out: list[int] = []
    real = pdf_document._document

    def document(body: str, *args: Any) -> Any:
        laid_out.append(body.count("<tr>"))
        return real(body, *args)

    monkeypatch.setattr(pdf_document, "_document", document)
    return laid_out


def test_a_long_list_is_laid_out_a_page_at_a_time_while_the_window_answers(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laid out at once, the queue's 2,000 rows held the GUI thread for over 5 s: each page is a
    step of its own now, and the event loop turns between two. Every request is printed once,
    each page with the column headings and its "Page N of M"."""
    laid_out = count_documents(monkeypatch)
    turns = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    target = tmp_path / "queue.pdf"
    page = window.requests_page
    ticker.start()
    page.print_button.save_pdf(target)
    settle(qtbot, window.ctx, timeout=60_000)
    ticker.stop()
    assert page.print_note.text() == f"Saved {target}."
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0
    pages = pdf_pages(target)
    assert len(pages) >= 4
    text = " ".join(pages)
    for n in range(LONG):
        assert len(re.findall(rf"T-Q{n:03d}\b", text)) == 1, n
    for number, content in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in content
        assert "Code" in content and "Call back on" in content  # the headings on every page
    assert "shred it after the shift" in pages[-1] and "shred" not in " ".join(pages[:-1])
    # never the whole table at once: one document per page (each of at most ROWS_AT_ONCE rows)
    assert len(laid_out) >= len(pages) - 1 and max(laid_out) <= pdf_document.ROWS_AT_ONCE + 1
    assert turns[0] >= len(pages)  # the window answered between the pages


def test_the_report_is_saved_as_pdf_from_its_dialog(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = ReportDialog(window.ctx, window, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    target = tmp_path / "report.pdf"
    assert dialog.save(target)
    assert dialog.message.text() == "Writing the report…"
    settle(qtbot, window.ctx, timeout=60_000)
    assert dialog.message.text() == f"Saved {target}."
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0
    text = " ".join(pdf_pages(target))
    assert "Report" in text and "Rosa" not in text  # it names no one
    assert len(PdfReader(str(target)).pages) >= 2  # the figures, then the charts


def test_a_failing_save_says_why_in_one_line(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """The file cannot be written: the same sentence as before, no traceback, no file."""
    target = tmp_path / "no-such-folder" / "queue.pdf"
    page = window.requests_page
    page.print_button.save_pdf(target)
    settle(qtbot, window.ctx, timeout=60_000)
    assert page.print_note.text() == f"Cannot write {target}: no such folder."
    assert not target.exists()


def test_a_screen_gone_in_the_middle_of_a_pdf_still_gets_its_file_whole(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtlog: Any
) -> None:
    laid_out = count_documents(monkeypatch)
    owner = QWidget()
    printer = ListPrinter(window.ctx, owner)
    said: list[str] = []
    printer.said.connect(said.append)
    page = window.requests_page
    read = page.print_button._parts()
    target = tmp_path / "queue.pdf"
    printer.save_pdf(read, "queue.pdf", target)
    qtbot.waitUntil(lambda: len(laid_out) >= 2, timeout=30_000)
    shiboken6.delete(owner)  # the screen that asked is gone, its PDF half painted
    settle(qtbot, window.ctx, timeout=60_000)
    pages = pdf_pages(target)
    assert sum(text.count("T-Q") for text in pages) == LONG  # every request, once
    assert pages[-1].endswith(f"Page {len(pages)} of {len(pages)}")
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["queue.pdf"]  # no temporary file
    assert target.stat().st_mode & 0o777 == 0o600
    assert said == []  # nobody left to tell
    assert not [r for r in qtlog.records if "paint" in r.message.lower()]


def test_the_cheat_sheet_dialog_closed_while_its_pdf_is_made(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = window.help.show_cheat_sheet()
    assert dialog is not None
    target = tmp_path / "sheet.pdf"
    dialog.save_pdf(target)
    shiboken6.delete(dialog)
    settle(qtbot, window.ctx)
    assert pdf_pages(target) and target.stat().st_mode & 0o777 == 0o600  # asked for: saved


def on_worker(window: MainWindow, qtbot: QtBot, work: Callable[[], object]) -> Failure:
    failures: list[Failure] = []
    window.ctx.operations.query(work, lambda _result: None, failed=failures.append)
    settle(qtbot, window.ctx)
    assert len(failures) == 1
    return failures[0]


CHEAT = Printable(title="Sheet", body="<h1>Sheet</h1>", footer="", page_of="Page %(page)d of %(pages)d")
PAGE = QSizeF(2000, 2500)


@pytest.mark.parametrize(
    "entry",
    [
        lambda: pdf_document.document_for(CHEAT, None, PAGE),  # type: ignore[arg-type]
        lambda: printing.document_for(None, None, PAGE),  # type: ignore[arg-type]
        lambda: printing.pdf_bytes(lambda writer: pdf_document.render_steps([CHEAT], writer), "Sheet"),
        lambda: printing.paint_parts([], None),  # type: ignore[arg-type]
        lambda: printing.render([], None),  # type: ignore[arg-type]
        lambda: pdf_document.render([CHEAT], None),  # type: ignore[arg-type]
        lambda: printing.run_steps(pdf_document.pdf_of([CHEAT])),
    ],
    ids=[
        "document_for",
        "sheet document_for",
        "pdf_bytes",
        "paint_parts",
        "render",
        "render printables",
        "pdf_of",
    ],
)
def test_rendering_refuses_a_worker_thread(
    qtbot: QtBot, window: MainWindow, entry: Callable[[], object]
) -> None:
    """Moved back onto a worker, the rendering fails at once (and every save test with it)."""
    failure = on_worker(window, qtbot, entry)
    assert isinstance(failure.error, RuntimeError)
    assert "only on the GUI thread" in str(failure.error)


def test_the_same_rendering_works_on_the_gui_thread(window: MainWindow) -> None:
    data = printing.pdf_bytes(lambda writer: pdf_document.render_steps([CHEAT], writer), "Sheet")
    assert data.startswith(b"%PDF")


def test_no_row_of_a_long_list_is_cut_in_two_nor_lost(window: MainWindow) -> None:
    """Rows of one to seven lines: Qt's own layout cuts a row in two at the foot of a page (its
    last lines on the next one); a page at a time, each row lies whole on one page, once, and
    what follows the list comes after its last row."""
    rows = tuple(
        f'<tr><td width="20%">r{n:03d}</td><td>'
        + "<br/>".join(f"r{n:03d}-l{k}" for k in range(1 + n % 7))
        + "</td></tr>"
        for n in range(120)
    )
    printable = Printable(
        title="Long",
        body="<h1>Long</h1>",
        footer="Long",
        page_of="Page %(page)d of %(pages)d",
        table='<table width="100%" border="1" cellspacing="0" cellpadding="4"><thead><tr><th>Row</th>'
        "<th>Lines</th></tr></thead>",
        rows=rows,
        after="<p>The end of the list.</p>",
    )
    data = printing.pdf_bytes(lambda writer: pdf_document.render_steps([printable], writer), "Long")
    import io

    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 5
    for n in range(120):
        lines = [f"r{n:03d}-l{k}" for k in range(1 + n % 7)]
        holding = [i for i, content in enumerate(pages) if any(line in content for line in lines)]
        assert len(holding) == 1, (n, holding)  # the whole row on one page
        assert all(pages[holding[0]].count(line) == 1 for line in lines), n
    for number, content in enumerate(pages, 1):
        assert content.endswith(f"Page {number} of {len(pages)}")
        assert content.startswith("Long" if number == 1 else "Row Lines")
    assert "The end of the list." in pages[-1] and pages[-1].index("r119-l0") < pages[-1].index("The end")


def test_a_full_disk_is_said_in_the_users_language(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills while a PDF is written: the desk's own sentence for a full disk, in Spanish
    (the system's English words, "No space left on device", were shown inside the Spanish line),
    and no file nor temporary file left."""

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    i18n.set_language("es", "US")
    monkeypatch.setattr(saving.os, "fsync", full)
    page = window.requests_page
    page.print_button.save_pdf(tmp_path / "queue.pdf")
    settle(qtbot, window.ctx, timeout=60_000)
    dialog = ReportDialog(window.ctx, window, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    assert dialog.save(tmp_path / "report.pdf")
    settle(qtbot, window.ctx, timeout=60_000)
    for said in (page.print_note.text(), dialog.message.text()):
        assert said.startswith("No se hizo: el disco está lleno") and "No space" not in said
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == []


@pytest.mark.parametrize("there_before", [False, True], ids=["new file", "file replaced"])
def test_printing_to_a_file_from_the_print_dialog_leaves_it_owner_only(
    window: MainWindow, tmp_path: Path, there_before: bool
) -> None:
    """Qt's print dialog can print to a PDF file: the file holds what the printout holds (names,
    addresses), so nobody else on the computer may read it, whatever the umask."""
    from PySide6.QtPrintSupport import QPrinter

    target = tmp_path / "printed.pdf"
    if there_before:
        target.write_bytes(b"old")
        target.chmod(0o644)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    old = os.umask(0o022)
    try:
        pdf_document.render([CHEAT], printer)
        del printer  # the file is finished
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o600
    assert pdf_pages(target) == ["Sheet Page 1 of 1"]
