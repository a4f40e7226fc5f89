"""A rich-text document (HTML as QTextDocument reads it, PNG images by name) printed to a PDF
file or a printer, with a line and "Page 1 of 3" at the foot of every page.

The same care as the route sheets (aiddesk.ui.deliveries.printing): no PDF without fonts (it would have
no text), the file written beside the target and moved into place only when complete."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QByteArray, QSizeF, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageSize,
    QTextDocument,
)

from aiddesk.i18n import _, current_region
from aiddesk.ui.deliveries.printing import (
    MARGIN_MM,
    Part,
    PrintFailed,
    check_fonts,
    page_size_for,
    paint_parts,
    pdf_bytes,
)

POINT_SIZE = 10
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
    the foot of each page ("Report November 2026" · "Page %(page)d of %(pages)d")."""

    title: str
    body: str
    footer: str
    page_of: str
    images: Mapping[str, bytes] = field(default_factory=dict)


def image_tag(key: str, png: bytes, width: float) -> str:
    """An image `width` document pixels wide (see body_width; its height follows its proportions)."""
    image = QImage.fromData(QByteArray(png))
    height = width * image.height() / max(1, image.width())
    return f'<img src="{IMAGE_SCHEME}:{key}" width="{int(width)}" height="{int(height)}">'


def document_for(printable: Printable, device: QPagedPaintDevice, page: QSizeF) -> QTextDocument:
    document = QTextDocument()
    font = QFont(QFont().family())
    font.setPointSize(POINT_SIZE)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(STYLE)
    document.documentLayout().setPaintDevice(device)  # sizes in the device's pixels
    for key, png in printable.images.items():
        image = QImage.fromData(QByteArray(png))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"{IMAGE_SCHEME}:{key}"), image)
    document.setHtml(f"<html><body>{printable.body}</body></html>")
    document.setPageSize(page)
    return document


def render(parts: Sequence[Printable], device: QPagedPaintDevice) -> None:
    """Lay the parts out on `device`, each from a new page, with its foot line and its own
    "Page 1 of 2" on every page (a packing list's runs, each in its volunteer's language)."""
    paint_parts([_part(part, device) for part in parts], device)


def _part(printable: Printable, device: QPagedPaintDevice) -> Part:
    def foot(page: int, pages: int) -> str:
        numbered = printable.page_of % {"page": page, "pages": pages}
        return f"{printable.footer} · {numbered}" if printable.footer else numbered

    return (lambda body: document_for(printable, device, body)), foot


def write_pdf(parts: Sequence[Printable], path: Path, *, data_dir: Path, region: str | None = None) -> None:
    """Write the parts to the PDF file `path`: made in memory, then saved as exports are
    (owner-only, replaced only once complete, its temporary file journaled in `data_dir`)."""
    from aiddesk.services.desk.documents import save_document

    check_fonts()
    if not parts:
        raise PrintFailed(_("There is nothing to print."))
    save_document(pdf_bytes(lambda writer: render(parts, writer), parts[0].title, region), path, data_dir)


def body_width(region: str | None = None) -> float:
    """The width text may fill on a page of the desk's paper, in the document's pixels (Qt scales
    an image's HTML size from 96 per inch to the device's resolution)."""
    paper = page_size_for(region or current_region()).size(QPageSize.Unit.Millimeter)
    return (paper.width() - 2 * MARGIN_MM) / 25.4 * HTML_DPI
