"""A rich-text document (HTML as QTextDocument reads it, PNG images by name) printed to a PDF
file or a printer, with a line and "Page 1 of 3" at the foot of every page.

The same care as the route sheets (aiddesk.ui.deliveries.printing): no PDF without fonts (it would have
no text), the file written beside the target and moved into place only when complete. Laying out
and painting run on the GUI thread only (they make Qt objects; see printing's module), a step at a
time: a long list (`Printable.rows`) is laid out a page at a time, so no step holds the window for
long (a table of 2,000 rows laid out at once took over 5 s)."""

from __future__ import annotations

import html
from collections.abc import Generator, Iterator, Mapping, Sequence
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


def _rows_on_first_page(document: QTextDocument, page: QSizeF) -> int:
    """How many rows of the document's (last) table Qt's layout put on its first page (it moves
    a row that does not fit whole to the next page)."""
    tables = [frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable)]
    table = tables[-1]
    layout = document.documentLayout()
    heads = table.format().headerRowCount()
    fitted = 0
    for row in range(heads, table.rows()):
        block = table.cellAt(row, 0).firstCursorPosition().block()
        if layout.blockBoundingRect(block).top() >= page.height():
            break
        fitted += 1
    return fitted


def pieces(printable: Printable, device: QPagedPaintDevice, page: QSizeF) -> Iterator[Piece]:
    """The printable laid out, one document per step: a long list a page at a time."""
    if not printable.rows:
        yield from whole(lambda: document_for(printable, device, page))
        return
    intro, left = printable.body, printable.rows
    while left:
        chunk = left[:ROWS_AT_ONCE]
        last = len(chunk) == len(left)
        html_text = intro + printable.table + "".join(chunk) + "</table>" + (printable.after if last else "")
        document = _document(html_text, printable.images, device, page)
        if last:  # at most ROWS_AT_ONCE rows: every page of it
            yield document, document.pageCount()
            return
        fitted = _rows_on_first_page(document, page)
        if fitted == 0:  # a row taller than what is left of the page (after the intro): alone
            document = _document(
                intro + printable.table + chunk[0] + "</table>", printable.images, device, page
            )
            fitted = 1
            yield document, document.pageCount()
        else:
            yield document, 1
        intro, left = "", left[fitted:]


def render_steps(parts: Sequence[Printable], device: QPagedPaintDevice) -> Generator[None, None, None]:
    """Lay the parts out on `device`, a step at a time, each from a new page, with its foot line
    and its own "Page 1 of 2" on every page (a packing list's runs, each in its volunteer's
    language)."""
    return paint_steps([_part(part, device) for part in parts], device)


def render(parts: Sequence[Printable], device: QPagedPaintDevice) -> None:
    """render_steps, all at once (a print preview asks for every page at once)."""
    run_steps(render_steps(parts, device))


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
