"""A rich-text document (HTML as QTextDocument reads it, PNG images by name) printed to a PDF
file or a printer, with a line and "Page 1 of 3" at the foot of every page.

The same care as the route sheets (aiddesk.ui.deliveries.printing): no PDF without fonts (it would have
no text), the file written beside the target and moved into place only when complete. Laying out
and painting run on the GUI thread only (they make Qt objects; see printing's module), a step at a
time: a long list (`Printable.rows`) is laid out a page at a time, so no step holds the window for
long (a table of 2,000 rows laid out at once took over 5 s)."""

from __future__ import annotations

import html
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QSizeF, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageSize,
    QTextDocument,
    QTextTable,
)

from aiddesk.i18n import _, current_region
from aiddesk.ui.deliveries.printing import (
    MARGIN_MM,
    Part,
    Piece,
    PrintFailed,
    check_fonts,
    page_body,
    page_size_for,
    paint_steps,
    pdf_steps,
    require_gui_thread,
    run_steps,
    whole,
)

POINT_SIZE = 10
# A long list is laid out this many rows at a time (more than a page holds): one page per step.
ROWS_AT_ONCE = 36
HTML_DPI = 96
IMAGE_SCHEME = "aiddesk-image"

STYLE = """
h1 { font-size: 17pt; margin-bottom: 2px; }
h2 { font-size: 12.5pt; margin-top: 14px; margin-bottom: 4px; }
h3 { font-size: 11pt; margin-top: 10px; margin-bottom: 2px; }
.small { font-size: 8.5pt; color: #444444; }
.muted { color: #555555; }
th { background-color: #e6e6e6; font-weight: bold; text-align: left; font-size: 9pt; }
td.num { text-align: right; }
th.num { text-align: right; }
"""


def text(value: object) -> str:
    """Plain text made safe for the document's HTML."""
    return html.escape(str(value), quote=False)


@dataclass(frozen=True)
class Printable:
    """What to print: the body's HTML, the images it names (`<img src="aiddesk-image:key">`), and
    the foot of each page ("Report November 2026" · "Page %(page)d of %(pages)d").

    A long list gives its rows apart: `table` (the table's opening tag and its `<thead>`), `rows`
    (one `<tr>` each) and `after` (what follows the table); the body is then what comes before
    it. Its pages are laid out one at a time, each with the column headings."""

    title: str
    body: str
    footer: str
    page_of: str
    images: Mapping[str, bytes] = field(default_factory=dict)
    table: str = ""
    rows: tuple[str, ...] = ()
    after: str = ""


def image_tag(key: str, png: bytes, width: float) -> str:
    """An image `width` document pixels wide (see body_width; its height follows its proportions)."""
    image = QImage.fromData(QByteArray(png))
    height = width * image.height() / max(1, image.width())
    return f'<img src="{IMAGE_SCHEME}:{key}" width="{int(width)}" height="{int(height)}">'


def document_for(printable: Printable, device: QPagedPaintDevice, page: QSizeF) -> QTextDocument:
    """The whole printable in one document (its rows, if any, in their table)."""
    body = printable.body
    if printable.table:
        body += printable.table + "".join(printable.rows) + "</table>"
    body += printable.after
    return _document(body, printable.images, device, page)


def _document(
    body: str, images: Mapping[str, bytes], device: QPagedPaintDevice, page: QSizeF
) -> QTextDocument:
    require_gui_thread("Laying out a printout")
    document = QTextDocument()
    font = QFont(QFont().family())
    font.setPointSize(POINT_SIZE)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(STYLE)
    document.documentLayout().setPaintDevice(device)  # sizes in the device's pixels
    for key, png in images.items():
        image = QImage.fromData(QByteArray(png))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"{IMAGE_SCHEME}:{key}"), image)
    document.setHtml(f"<html><body>{body}</body></html>")
    document.setPageSize(page)
    return document


def _rows_on_first_page(document: QTextDocument, page: QSizeF) -> tuple[int, bool]:
    """How many rows of the document's (last) table lie whole on its first page, and whether that
    page holds nothing of the rows after them. Qt's layout cuts a row in two at the foot of a page
    when its first lines fit (the others go on the next page); a row it could not begin there
    starts the next page whole."""
    tables = [frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable)]
    table = tables[-1]
    layout = document.documentLayout()

    def top(row: int) -> float:
        return layout.blockBoundingRect(table.cellAt(row, 0).firstCursorPosition().block()).top()

    def bottom(row: int) -> float:
        return max(
            layout.blockBoundingRect(table.cellAt(row, column).lastCursorPosition().block()).bottom()
            for column in range(table.columns())
        )

    first, end = table.format().headerRowCount(), table.rows()
    row = first
    while row + 1 < end and top(row + 1) < page.height():
        row += 1
    # `row`: the last one that starts on the first page (or the first row, pushed past it)
    if top(row) < page.height() and bottom(row) < page.height():
        return row + 1 - first, row + 1 < end  # the next row starts the next page whole
    return row - first, False  # `row` is cut in two (or does not begin on the page)


def pieces(printable: Printable, device: QPagedPaintDevice, page: QSizeF) -> Iterator[Piece | None]:
    """The printable laid out, one document per step: a long list a page at a time. For each page
    a probe lays out more rows than a page holds and finds how many fit whole; its first page is
    painted when it holds those rows only, else the page is laid out again with them (no row cut
    in two, none lost); the rest is carried over to the next page."""
    if not printable.rows:
        yield from whole(lambda: document_for(printable, device, page))
        return

    def document(intro: str, rows: Sequence[str], after: str = "") -> QTextDocument:
        html_text = intro + printable.table + "".join(rows) + "</table>" + after
        return _document(html_text, printable.images, device, page)

    intro, left, size = printable.body, printable.rows, ROWS_AT_ONCE
    while left:
        chunk = left[:size]
        last = len(chunk) == len(left)
        probe = document(intro, chunk, printable.after if last else "")
        if last and probe.pageCount() == 1:  # the end of the list, and what follows it
            yield probe, 1
            return
        fitted, clean = _rows_on_first_page(probe, page)
        if fitted == len(chunk) and not last:  # the page holds more: a longer probe
            yield None
            size *= 2
            continue
        if clean and fitted:  # its first page holds those rows only: painted as it is
            yield probe, 1
        else:  # a row cut in two at its foot (or what follows the list): the page again, without it
            yield None
            fitted = max(fitted, 1)  # a row taller than a page (or than what the intro left): alone
            made = document(intro, chunk[:fitted])
            yield made, made.pageCount()  # one page (more only for a row taller than a page)
        intro, left = "", left[fitted:]
        size = min(ROWS_AT_ONCE, fitted + max(4, fitted // 3))  # the next page holds about as many
    if printable.after:  # every row on its pages; what follows the list did not fit beside them
        made = _document(printable.after, printable.images, device, page)
        yield made, made.pageCount()


def render_steps(parts: Sequence[Printable], device: QPagedPaintDevice) -> Generator[None, None, None]:
    """Lay the parts out on `device`, a step at a time, each from a new page, with its foot line
    and its own "Page 1 of 2" on every page (a packing list's runs, each in its volunteer's
    language)."""
    return paint_steps([_part(part, device) for part in parts], device)


def render(parts: Sequence[Printable], device: QPagedPaintDevice) -> None:
    """render_steps, all at once (a command has no window; the cheat sheet's preview, a page or two)."""
    run_steps(render_steps(parts, device))


def laid_out(parts: Sequence[Printable], device: QPagedPaintDevice) -> Generator[None, None, list[Part]]:
    """The parts laid out on `device` a step at a time (one document per step), kept for
    `paint_laid_out`: a print preview asks for every page at once, and laying out a long list then
    held the window for seconds (2,000 rows: about 5 s of the 7). Laid out again only if the
    device's page changed meanwhile (the preview's page setup)."""
    body = page_body(device)
    out: list[Part] = []
    for printable in parts:
        kept: list[Piece] = []
        for piece in pieces(printable, device, body):
            if piece is not None:
                kept.append(piece)
            yield
        lay_out, foot = _part(printable, device)
        out.append((_kept_or_again(kept, body, lay_out), foot))
    return out


def _kept_or_again(
    kept: list[Piece], body: QSizeF, lay_out: Callable[[QSizeF], Iterator[Piece | None]]
) -> Callable[[QSizeF], Iterator[Piece | None]]:
    return lambda page: iter(kept) if page == body else lay_out(page)


def paint_laid_out(parts: Sequence[Part], device: QPagedPaintDevice) -> None:
    """Paint parts from `laid_out` on `device` at once (only the painting is left to do)."""
    run_steps(paint_steps(parts, device))


def _part(printable: Printable, device: QPagedPaintDevice) -> Part:
    def foot(page: int, pages: int) -> str:
        numbered = printable.page_of % {"page": page, "pages": pages}
        return f"{printable.footer} · {numbered}" if printable.footer else numbered

    return (lambda body: pieces(printable, device, body)), foot


def pdf_of(parts: Sequence[Printable], region: str | None = None) -> Generator[None, None, bytes]:
    """The parts as PDF bytes made in memory, a step at a time on the GUI thread (a job for
    `Operations.steps`; the bytes are then saved on a worker with services.desk.documents)."""
    check_fonts()
    if not parts:
        raise PrintFailed(_("There is nothing to print."))
    return (yield from pdf_steps(lambda writer: render_steps(parts, writer), parts[0].title, region))


def write_pdf(parts: Sequence[Printable], path: Path, *, data_dir: Path, region: str | None = None) -> None:
    """Write the parts to the PDF file `path` at once, on the GUI thread (a command has no
    window): made in memory, then saved as exports are (owner-only, replaced only once complete,
    its temporary file journaled in `data_dir`)."""
    from aiddesk.services.desk.documents import save_document

    save_document(run_steps(pdf_of(parts, region)), path, data_dir)


def body_width(region: str | None = None) -> float:
    """The width text may fill on a page of the desk's paper, in the document's pixels (Qt scales
    an image's HTML size from 96 per inch to the device's resolution)."""
    paper = page_size_for(region or current_region()).size(QPageSize.Unit.Millimeter)
    return (paper.width() - 2 * MARGIN_MM) / 25.4 * HTML_DPI
