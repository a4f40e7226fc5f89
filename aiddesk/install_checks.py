"""What an installation (a frozen bundle above all) needs from Qt besides the window: the icon, Qt's
own Spanish catalog, the SVG image plugin, and printing a PDF that really holds text (with no
font Qt prints blank pages and reports no error). `aiddesk self-test` runs each check."""

from __future__ import annotations

import contextlib
import re
import zlib
from pathlib import Path

from aiddesk.i18n import _
from aiddesk.store.temp_files import TempFiles
from aiddesk.ui.shell.application import ICON_FILE

PRINTED_WORDS = "AidDesk self-test"


def check_icon() -> str:
    from PySide6.QtGui import QIcon

    if not ICON_FILE.is_file():
        raise AssertionError(f"the icon {ICON_FILE} is missing")
    pixmap = QIcon(str(ICON_FILE)).pixmap(64, 64)
    if pixmap.isNull():
        raise AssertionError(f"the icon {ICON_FILE} does not draw (no SVG icon engine?)")
    return _("%(file)s draws at 64×64") % {"file": ICON_FILE.name}


def check_qt_catalog() -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load("qtbase_es", folder):
        raise AssertionError(f"qtbase_es.qm is missing from {folder}")
    return _("qtbase_es.qm loads from %(folder)s") % {"folder": folder}


def check_svg_plugin() -> str:
    from PySide6.QtGui import QImageReader

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        raise AssertionError(f"no SVG image plugin (formats: {', '.join(sorted(formats))})")
    return _("SVG images can be read")


def check_print_to_pdf(data_dir: Path) -> str:
    """Print a page to a PDF (a journaled temporary file in the data folder, removed after) and
    check that the PDF draws text with an embedded font."""
    from PySide6.QtGui import QPageSize, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

    temp_files = TempFiles(data_dir)
    temporary = temp_files.create_beside(data_dir / "self-test.pdf")
    try:
        temporary.file.close()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        printer.setOutputFileName(str(temporary.path))
        document = QTextDocument()
        document.setPlainText(PRINTED_WORDS)
        document.print_(printer)
        data = temporary.path.read_bytes()
    finally:
        temp_files.discard(temporary)
    if not data.startswith(b"%PDF"):
        raise AssertionError("the printed file is not a PDF")
    if not pdf_draws_text(data):
        raise AssertionError("the printed PDF has no text in it (no font found?)")
    return _("a PDF page printed with text in it (%(size)d bytes)") % {"size": len(data)}


def pdf_draws_text(data: bytes) -> bool:
    """Whether a PDF has a font and a page that shows text with it (a Tj/TJ operator)."""
    if b"/FontFile" not in data and b"/Font" not in data:
        return False
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        body = match.group(1)
        with contextlib.suppress(zlib.error):  # an uncompressed stream stays as it is
            body = zlib.decompress(body)
        if re.search(rb"\)\s*Tj|\]\s*TJ|>\s*Tj", body):
            return True
    return False


def check_charts() -> str:
    """A report chart draws (matplotlib, numpy and their bundled libraries load) and is a PNG."""
    import datetime as dt

    from aiddesk.services.reports.charts import calls_per_day
    from aiddesk.services.reports.figures import DayCount

    start = dt.date(2026, 1, 5)
    chart = calls_per_day([DayCount(start + dt.timedelta(days=i), i + 1) for i in range(5)], "es")
    if not chart.png.startswith(b"\x89PNG"):
        raise AssertionError("the chart is not a PNG image")
    return _("a report chart draws (%(size)d bytes)") % {"size": len(chart.png)}
