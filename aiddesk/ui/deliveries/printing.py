"""Route sheets through Qt's printing: a PDF file or a printer chosen in the print dialog.

The sheets arrive as pure data already in each volunteer's language
(aiddesk.services.deliveries.route_sheets); this module only lays them out (a rich-text
document per sheet, each from a new page, no stop cut across two pages, the run
and "page 1 of 2" at the foot of each page) and paints them on the device.
Nothing here touches a widget, but laying out and painting make Qt objects (QTextDocument,
QPdfWriter, QBuffer...), which only the GUI thread may make, connect or destroy: on a worker
thread it can deadlock the window (docs/architecture.md, "What runs on a worker thread"). So
`render`, `paint_parts`, `pdf_bytes` and `document_for` refuse to run elsewhere (RuntimeError);
a screen reads the sheets on a worker, paints them on the GUI thread in short steps
(`render_steps`, `pdf_steps`: one document laid out or one page painted per step, through
`Operations.steps`) and saves the file on a worker again.

A run of up to STOPS_PER_PAGE stops prints on one page: the layout is compact, and
a sheet whose texts are long is set a little smaller (down to MIN_POINT_SIZE) rather
than spill a stop or the notes onto a second sheet of paper.

Without any font Qt writes a PDF with no text and reports nothing, so printing
checks the font database first and refuses with a clear message. A PDF is written
to a temporary file next to the target and moved into place when complete: a
failure never leaves an empty or half-written PDF behind."""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QThread
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from aiddesk.i18n import _, current_region
from aiddesk.services.deliveries.route_sheets import RouteSheet, SheetLabels, SheetStop

T = TypeVar("T")

# Regions that print on US Letter; the rest of the world uses A4.
LETTER_REGIONS = frozenset({"US", "CA", "MX", "PR", "SV", "GT", "HN", "CL", "CO", "VE", "PH"})
MARGIN_MM = 15.0
FOOTER_MM = 8.0  # room at the foot of each page for "Run CC1-D0012 · Page 1 of 2"
FOOTER_POINTS = 8.0
# Column widths of the stops (tick, number, who and where, what to bring, good to know): on every
# row, so a stop measured alone is as wide as in its page's table.
WIDTHS = ("6%", "6%", "29%", "27%", "32%")
ENDLESS = 1e9  # the height of a page that never ends (to measure a sheet)
POINT_SIZE = 10
MIN_POINT_SIZE = 8.0
STOPS_PER_PAGE = 8  # a run of this many stops fits on one page
RESOLUTION = 300
GENERIC_FAMILIES = frozenset({"Serif", "Sans Serif", "Monospace"})
PDF_FONT = b"/Type /Font"  # every font embedded in a PDF has a dictionary saying so


class PrintFailed(Exception):
    """Printing is impossible here; the message is translated, for the user."""


def require_gui_thread(what: str) -> None:
    """Refuse (RuntimeError) to make Qt objects for a printout off the GUI thread: a worker
    thread making, connecting or destroying a QObject holds Python's lock while it waits for one
    of Qt's connection mutexes, which the GUI thread may hold while it waits for Python's lock
    (PySide asking whether a Python class overrides disconnectNotify): the window freezes."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError(f"{what} makes Qt objects: only on the GUI thread (docs/architecture.md)")


def gui_application() -> QCoreApplication:
    """The running Qt application, or a new one for a headless command: offscreen when there is no
    display, so printing works over SSH, in cron jobs and in containers."""
    app = QCoreApplication.instance()
    if app is not None:
        return app
    if not sys.platform.startswith(("win", "darwin")) and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication(["aiddesk"])


def font_families() -> list[str]:
    """The font families Qt can draw with. On Linux Qt registers "Serif", "Sans Serif" and
    "Monospace" even when no font is installed (text then prints as nothing): they do not count."""
    return [family for family in QFontDatabase.families() if family not in GENERIC_FAMILIES]


def _no_fonts() -> PrintFailed:
    return PrintFailed(
        _(
            "No fonts are installed, so the route sheets would print without any text. "
            "Please install a font (for example the fonts-dejavu-core package) and try again."
        )
    )


def check_fonts() -> None:
    """Refuse to print (PrintFailed) when there is no font to print with."""
    if not font_families():
        raise _no_fonts()


def page_size_for(region: str) -> QPageSize:
    return QPageSize(
        QPageSize.PageSizeId.Letter if region.upper() in LETTER_REGIONS else QPageSize.PageSizeId.A4
    )


# ---- the document ---------------------------------------------------------------------------------


def _style(size: float) -> str:
    """The sheet's style for a body text of `size` points (every size in proportion)."""

    def pt(factor: float) -> str:
        return f"{size * factor:.2f}pt"

    return f"""
.title {{ font-size: {pt(1.5)}; font-weight: bold; }}
.code {{ font-size: {pt(1.15)}; color: #333333; }}
.when {{ font-size: {pt(1.15)}; font-weight: bold; }}
.small {{ font-size: {pt(0.85)}; color: #444444; }}
th {{ background-color: #e6e6e6; font-weight: bold; text-align: left; font-size: {pt(0.9)}; }}
.tick {{ font-size: {pt(1.6)}; }}
.line {{ font-size: {pt(1.4)}; }}
td.num {{ font-size: {pt(1.3)}; font-weight: bold; text-align: center; }}
td.notes {{ color: #555555; font-size: {pt(0.9)}; }}
p {{ margin-top: 0; margin-bottom: {pt(0.3)}; }}
"""


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _tick_box() -> str:
    return '<span class="tick">\u2610</span>'


def _stop_rows(stop: SheetStop, sheet: RouteSheet) -> str:
    who = [f"<b>{_text(stop.first_name)}</b>"] if stop.first_name else []
    who.append(_text(stop.address))
    if stop.zone:
        who.append(_text(stop.zone))
    if stop.phone:
        who.append(_text(stop.phone))
    what = [f"<b>{_text(stop.need)}</b>"] if stop.need else []
    if stop.details:
        what.append(_text(stop.details))
    know = [_text(line) for line in stop.good_to_know]
    return (
        "<tr>"
        f'<td width="{WIDTHS[0]}" align="center" valign="top">{_tick_box()}</td>'
        f'<td width="{WIDTHS[1]}" class="num" valign="top">{stop.number}</td>'
        f'<td width="{WIDTHS[2]}" valign="top">{"<br/>".join(who)}</td>'
        f'<td width="{WIDTHS[3]}" valign="top">{"<br/>".join(what)}</td>'
        f'<td width="{WIDTHS[4]}" valign="top">{"<br/>".join(know)}</td>'
        "</tr>"
        # One line to write on: the driver's note about the stop.
        f'<tr><td style="padding: 0px;"></td><td style="padding: 0px;"></td><td class="notes" style="padding: 0px 4px;" colspan="3">{_text(sheet.labels.notes_line)}</td></tr>'
    )


_TABLE = (
    '<table width="100%" border="1" cellspacing="0" cellpadding="3"{extra} '
    'style="border-collapse: collapse; border-color: #777777; border-style: solid;{style}">'
)
_BREAK = " page-break-before: always;"


def _head_row(labels: SheetLabels) -> str:
    return (
        "<tr>"
        f'<th width="{WIDTHS[0]}" style="white-space: nowrap;">{_text(labels.tick)}</th>'
        f'<th width="{WIDTHS[1]}" style="white-space: nowrap;">{_text(labels.number)}</th>'
        f'<th width="{WIDTHS[2]}">{_text(labels.who)}</th>'
        f'<th width="{WIDTHS[3]}">{_text(labels.what)}</th>'
        f'<th width="{WIDTHS[4]}">{_text(labels.good_to_know)}</th>'
        "</tr>"
    )


def _intro(sheet: RouteSheet) -> str:
    # Two lines: the title and the run; the day and time, and the volunteer.
    parts = [
        '<table width="100%" cellspacing="0" cellpadding="0">'
        f'<tr><td><span class="title">{_text(sheet.title)}</span></td>'
        f'<td align="right" valign="bottom" class="code">{_text(sheet.run_label)}</td></tr>'
        f'<tr><td class="when">{_text(sheet.date)} · {_text(sheet.window)}</td>'
        f'<td align="right">{_text(sheet.volunteer)}</td></tr>'
        "</table>",
    ]
    if sheet.run_notes:
        parts.append(f"<p>{_text(sheet.run_notes)}</p>")
    if not sheet.stops:
        parts.append(f"<p><i>{_text(sheet.labels.no_stops)}</i></p>")
    return "".join(parts)


def _ending(sheet: RouteSheet, *, new_page: bool) -> str:
    labels = sheet.labels
    style = ' style="page-break-before: always;"' if new_page else ""
    return (
        f"<p{style}><b>{_text(labels.end_notes)}</b></p>"
        + _TABLE.format(extra="", style="").replace('cellpadding="5"', 'cellpadding="0"')
        + '<tr><td><span class="line">&nbsp;</span></td></tr>' * 2
        + "</table>"
        f'<p class="small">{_text(labels.keep_private)}</p>'
    )


def sheet_html(
    sheet: RouteSheet, pages: Sequence[Sequence[SheetStop]] | None = None, *, ending_apart: bool = False
) -> str:
    """One sheet. `pages` groups the stops page by page: each group is a table of its own with the
    column headings, from a new page (so no stop is cut in two); None puts every stop in a table of
    its own (to measure them). `ending_apart` starts the notes for the desk on a new page."""
    parts = [_intro(sheet)]
    if sheet.stops:
        if pages is None:
            parts.append(_TABLE.format(extra="", style="") + _head_row(sheet.labels) + "</table>")
            parts.extend(
                _TABLE.format(extra="", style="") + _stop_rows(stop, sheet) + "</table>"
                for stop in sheet.stops
            )
        else:
            for n, group in enumerate(pages):
                rows = "".join(_stop_rows(stop, sheet) for stop in group)
                style = _BREAK if n else ""
                parts.append(
                    _TABLE.format(extra="", style=style)
                    + f"<thead>{_head_row(sheet.labels)}</thead>{rows}</table>"
                )
    parts.append(_ending(sheet, new_page=ending_apart))
    return "".join(parts)


def _document(
    html_text: str, device: QPagedPaintDevice, page: QSizeF, size: float = POINT_SIZE
) -> QTextDocument:
    document = QTextDocument()
    font = QFont(QFont().family())
    font.setPointSizeF(size)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(_style(size))
    document.documentLayout().setPaintDevice(device)  # fonts measured at the device's resolution
    document.setHtml(f"<html><body>{html_text}</body></html>")
    document.setPageSize(page)
    return document


def _paginate(
    sheet: RouteSheet, device: QPagedPaintDevice, page: QSizeF, size: float
) -> tuple[list[list[SheetStop]], bool, float]:
    """The stops grouped page by page at a body text of `size` points, whether the desk's notes
    start a page of their own, and the height everything would take on one page.

    A layout on one endless page measures the introduction, the headings, each stop and the
    ending; the stops then fill each page as far as they fit."""
    probe = _document(sheet_html(sheet), device, QSizeF(page.width(), ENDLESS), size)
    probe.size()  # lays the whole document out (the layout is lazy)
    layout = probe.documentLayout()
    frames = [layout.frameBoundingRect(frame) for frame in probe.rootFrame().childFrames()]
    # frames: the title's table, the headings, one per stop, the desk's notes.
    head, stops, last = frames[1], frames[2 : 2 + len(sheet.stops)], frames[1 + len(sheet.stops)]
    heights = [after.top() - before.top() for before, after in zip(stops, stops[1:], strict=False)]
    heights.append(last.height())
    ending = probe.size().height() - last.bottom()
    pages: list[list[SheetStop]] = [[]]
    used = head.bottom()
    for stop, height in zip(sheet.stops, heights, strict=True):
        if pages[-1] and used + height > page.height():
            pages.append([])
            used = head.height()
        pages[-1].append(stop)
        used += height
    return pages, used + ending > page.height(), probe.size().height()


def document_for(sheet: RouteSheet, device: QPagedPaintDevice, page: QSizeF) -> QTextDocument:
    """The sheet laid out on pages of size `page`: stops never cut across two pages, and a run of
    up to STOPS_PER_PAGE stops on one page, its text made smaller (down to MIN_POINT_SIZE) when
    that is what it takes. A longer run fills as many pages as it needs."""
    require_gui_thread("Laying out a route sheet")
    if not sheet.stops:
        return _document(sheet_html(sheet, []), device, page)
    size = float(POINT_SIZE)
    while True:
        pages, ending_apart, whole = _paginate(sheet, device, page, size)
        document = _document(sheet_html(sheet, pages, ending_apart=ending_apart), device, page, size)
        if len(sheet.stops) > STOPS_PER_PAGE or size <= MIN_POINT_SIZE or document.pageCount() == 1:
            return document
        # Heights shrink at least as the text does: try the size that would fit, then check.
        guess = round(size * page.height() / whole * 2) / 2
        size = max(MIN_POINT_SIZE, min(guess, size - 0.5))


# ---- printing -------------------------------------------------------------------------------------


def page_body(device: QPagedPaintDevice) -> QSizeF:
    """The size, in device pixels, of the area a page's text may fill (above the foot line).
    Painting starts at the top left of the area inside the margins."""
    area = device.pageLayout().paintRectPixels(device.logicalDpiX())
    return QSizeF(area.width(), area.height() - FOOTER_MM / 25.4 * device.logicalDpiY())


# What a part laid out: a document, and how many of its first pages to paint.
Piece = tuple[QTextDocument, int]
# One part of a printout: its layout for a page size, piece by piece (each a step of its own; None:
# a step that laid out nothing to paint, such as a probe), and its foot line for "page N of M" (a
# route sheet, a report, a packing list's run: each starts a new page; N and M count the pages of
# all its pieces).
Part = tuple[Callable[[QSizeF], Iterator[Piece | None]], Callable[[int, int], str]]


def whole(make: Callable[[], QTextDocument]) -> Iterator[Piece]:
    """A part of one document, made when its step comes, every page of it painted."""
    document = make()
    yield document, document.pageCount()


def _owner_only_output(device: QPagedPaintDevice) -> None:
    """A printer printing to a file (Qt's print dialog: "Print to file (PDF)") writes it as the
    process's umask says: readable by everyone, with the names and addresses of the route sheets.
    The file is made owner-only before Qt opens it (Qt truncates it, its mode stays)."""
    if not isinstance(device, QPrinter) or device.outputFormat() != QPrinter.OutputFormat.PdfFormat:
        return
    name = device.outputFileName()
    if not name or os.name != "posix":
        return
    try:
        descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            os.fchmod(descriptor, 0o600)  # a file that was there keeps its own mode otherwise
        finally:
            os.close(descriptor)
    except OSError:
        return  # Qt cannot write there either: it says the printer could not be used


def paint_steps(parts: Sequence[Part], device: QPagedPaintDevice) -> Generator[None, None, None]:
    """Paint each part from a new page on `device` (a PDF writer or a printer), with its foot line
    at the bottom right of each of its pages: one piece laid out, or one page painted, per step
    (the GUI thread stays free between two). Closed before its end, it ends the painter."""
    require_gui_thread("Painting a printout")
    check_fonts()
    if not parts:
        raise PrintFailed(_("There is nothing to print."))
    _owner_only_output(device)
    painter = QPainter()
    if not painter.begin(device):
        raise PrintFailed(_("The printer could not be used."))
    try:
        body = page_body(device)
        footer_rect = QRectF(0, body.height(), body.width(), FOOTER_MM / 25.4 * device.logicalDpiY())
        footer_font = QFont(QFont().family())
        footer_font.setPointSizeF(FOOTER_POINTS)
        first = True
        for lay_out, foot in parts:
            pieces: list[Piece] = []
            for piece in lay_out(body):
                if piece is not None:
                    pieces.append(piece)
                yield
            pages = [(document, index) for document, count in pieces for index in range(count)]
            for number, (document, index) in enumerate(pages, 1):
                if not first and not device.newPage():
                    raise PrintFailed(_("The printer could not start a new page."))
                first = False
                top = index * body.height()
                painter.save()
                painter.translate(0, -top)
                document.drawContents(painter, QRectF(0, top, body.width(), body.height()))
                painter.restore()
                painter.setFont(footer_font)
                painter.drawText(
                    footer_rect,
                    int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                    foot(number, len(pages)),
                )
                yield
    finally:
        painter.end()


def run_steps(steps: Generator[None, None, T]) -> T:
    """Every step at once (a print preview asks for its pages at once; a command has no window)."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def paint_parts(parts: Sequence[Part], device: QPagedPaintDevice) -> None:
    """paint_steps, all at once."""
    run_steps(paint_steps(parts, device))


def render_steps(sheets: Sequence[RouteSheet], device: QPagedPaintDevice) -> Generator[None, None, None]:
    """Lay the sheets out on `device` (a PDF writer or a printer), a step at a time: each sheet
    from a new page, with its run and "page 1 of 2" at the foot of each of its pages, in the
    sheet's language."""
    return paint_steps([_sheet_part(sheet, device) for sheet in sheets], device)


def render(sheets: Sequence[RouteSheet], device: QPagedPaintDevice) -> None:
    """render_steps, all at once."""
    run_steps(render_steps(sheets, device))


def _sheet_part(sheet: RouteSheet, device: QPagedPaintDevice) -> Part:
    def foot(page: int, pages: int) -> str:
        return f"{sheet.run_label} · {sheet.labels.page_of % {'page': page, 'pages': pages}}"

    return (lambda body: whole(lambda: document_for(sheet, device, body))), foot


def pdf_steps(
    paint: Callable[[QPdfWriter], Iterator[None]], title: str, region: str | None = None
) -> Generator[None, None, bytes]:
    """A PDF made in memory (nothing on disk) by the steps of `paint` on a writer of the desk's
    paper; returns its bytes. Closed before its end, it drops what was painted."""
    require_gui_thread("Making a PDF")
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        writer = QPdfWriter(buffer)
        try:
            writer.setResolution(RESOLUTION)
            writer.setCreator("AidDesk")
            writer.setTitle(title)
            writer.setPageLayout(
                QPageLayout(
                    page_size_for(region or current_region()),
                    QPageLayout.Orientation.Portrait,
                    QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                    QPageLayout.Unit.Millimeter,
                )
            )
            yield from paint(writer)
        finally:
            del writer  # finishes the document (nothing more once its painter ended early)
        data = bytes(buffer.data().data())
    finally:
        buffer.close()
    if not data:
        raise PrintFailed(_("The PDF could not be written."))
    if PDF_FONT not in data:  # every glyph was dropped: the pages would be blank
        raise _no_fonts()
    return data


def pdf_bytes(paint: Callable[[QPdfWriter], Iterator[None]], title: str, region: str | None = None) -> bytes:
    """pdf_steps, all at once."""
    return run_steps(pdf_steps(paint, title, region))


def sheets_pdf_steps(
    sheets: Sequence[RouteSheet], *, title: str = "", region: str | None = None
) -> Generator[None, None, bytes]:
    """The sheets as PDF bytes, a step at a time (then saved with services.desk.documents)."""
    check_fonts()
    if not sheets:
        raise PrintFailed(_("There is nothing to print."))
    return (
        yield from pdf_steps(lambda writer: render_steps(sheets, writer), title or sheets[0].title, region)
    )


def write_pdf(
    sheets: Sequence[RouteSheet], path: Path, *, data_dir: Path, title: str = "", region: str | None = None
) -> None:
    """Write the sheets to the PDF file `path`: made in memory, then saved as exports are (owner-only,
    replaced only once complete, its temporary file journaled in the desk's `data_dir`)."""
    from aiddesk.services.desk.documents import save_document

    save_document(run_steps(sheets_pdf_steps(sheets, title=title, region=region)), path, data_dir)


def new_printer(region: str | None = None) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(page_size_for(region or current_region()))
    printer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    return printer


def open_print_dialog(parent: QWidget, print_on: Callable[[QPrinter], None]) -> QPrintDialog:
    """Ask for a printer (window-modal); when accepted, `print_on(printer)` prints there. The
    screen reads the sheets on a worker thread, then paints them on the GUI thread a page at a
    time (render_steps through its operation runner), so the window stays responsive."""
    printer = new_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print route sheets"))
    dialog.accepted.connect(lambda: print_on(printer))
    dialog.finished.connect(dialog.deleteLater)
    QDialog.open(dialog)  # window-modal; PySide's QPrintDialog.open() only takes a receiver and slot
    return dialog
