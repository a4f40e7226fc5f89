"""Printing a list or a report from a screen: read on a worker thread, then shown in the print
preview (the user picks the printer there and prints), or saved as a PDF or a workbook.

`ListPrinter` is what a screen holds: `print_preview(read)` and `save_pdf(read, suggested)` take a
function (run on a worker thread through the desk's operation runner) that reads the data and
returns the Printables; the PDF is laid out and painted in memory on the GUI thread, a page at a
time (Qt objects are made only there: pdf_document), then saved owner-only like exports
(services.desk.documents) on a worker; `save_workbook(write, suggested)` writes an .xlsx on a
worker. What happened is said through `said` (a translated sentence)."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from aiddesk.i18n import _
from aiddesk.services.disk_space import disk_full
from aiddesk.ui.common.file_dialogs import save_file_name
from aiddesk.ui.context import DeskContext
from aiddesk.ui.deliveries.printing import Part
from aiddesk.ui.reports.pdf_document import Printable, laid_out, paint_laid_out, pdf_of
from aiddesk.ui.shell.operations import Failure, OnWorker

Read = Callable[[], Sequence[Printable]]
# A button that opens a menu: room for its arrow beside the text.
MENU_BUTTON_STYLE = "QToolButton { padding: 3px 18px 3px 8px; }"


def ask_file(parent: QWidget, title: str, suggested: str, kind: str) -> Path | None:
    """Ask where to save a .pdf or an .xlsx (`kind`); the suffix is added when left out."""
    filters = {"pdf": _("PDF files (*.pdf)"), "xlsx": _("Excel workbooks (*.xlsx)")}
    name = save_file_name(parent, title, suggested, filters[kind])
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == f".{kind}" else path.with_suffix(f".{kind}")


class ListPrinter(QObject):
    """Prints and saves what a screen shows; `said(text)` after each attempt."""

    said = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self.preview: QPrintPreviewDialog | None = None

    def print_preview(self, read: Read) -> None:
        """Read on a worker thread, then open the print preview (window-modal)."""
        self._ctx.operations.query(read, self._open_preview, failed=self._refused, parent=self._parent)

    def _open_preview(self, parts: Sequence[Printable]) -> None:
        from aiddesk.ui.deliveries.printing import PrintFailed, check_fonts, new_printer

        try:
            check_fonts()
        except PrintFailed as error:
            self.said.emit(str(error))
            return
        if not parts:
            self.said.emit(_("There is nothing to print."))
            return
        region = self._ctx.desk.phone_region
        printer = new_printer(region)
        printer.setDocName(parts[0].title)
        title = parts[0].title
        # Laid out first, a step at a time (the window answers meanwhile); the preview then only
        # paints.
        self._ctx.operations.steps(
            laid_out(parts, printer),
            lambda laid: self._show_preview(printer, title, laid),
            failed=self._refused,
            parent=self._parent,
            progress=_("Preparing the print preview…"),
        )

    def _show_preview(self, printer: QPrinter, title: str, laid: list[Part]) -> None:
        dialog = QPrintPreviewDialog(printer, self._parent)
        dialog.setWindowTitle(_("Print preview: %(title)s") % {"title": title})

        def paint(device: QPrinter) -> None:
            paint_laid_out(laid, device)

        dialog.paintRequested.connect(paint)
        dialog.finished.connect(lambda _code: self._closed(dialog))
        self.preview = dialog
        dialog.resize(900, 700)
        dialog.open()

    def _closed(self, dialog: QPrintPreviewDialog) -> None:
        if self.preview is dialog:
            self.preview = None
        dialog.deleteLater()

    def save_pdf(self, read: Read, suggested: str, path: Path | None = None) -> None:
        """Ask where (unless `path` is given), then read on a worker thread, lay out and paint the
        PDF on the GUI thread a page at a time, and save it on a worker thread."""
        from aiddesk.services.desk.documents import save_document

        target = path or ask_file(self._parent, _("Save as PDF"), suggested, "pdf")
        if target is None:
            return
        data_dir, region = self._ctx.paths.data_dir, self._ctx.desk.phone_region

        def job() -> Generator[OnWorker | None, Any, None]:
            parts: list[Printable] = yield OnWorker(lambda: list(read()))
            data = yield from pdf_of(parts, region)
            yield OnWorker(lambda: save_document(data, target, data_dir))

        written, refused = self._answers(target)
        self._ctx.operations.steps(
            job(), written, failed=refused, parent=self._parent, progress=_("Saving the PDF…")
        )

    def save_workbook(self, write: Callable[[Path], None], suggested: str, path: Path | None = None) -> None:
        """Ask where (unless `path` is given), then `write(target)` on a worker thread."""
        target = path or ask_file(self._parent, _("Save as workbook"), suggested, "xlsx")
        if target is None:
            return
        written, refused = self._answers(target)
        self._ctx.operations.query(lambda: write(target), written, failed=refused, parent=self._parent)

    def _answers(self, target: Path) -> tuple[Callable[[None], None], Callable[[Failure], None]]:
        """What to say when the file is saved, or not."""

        def written(_none: None) -> None:
            self.said.emit(_("Saved %(file)s.") % {"file": str(target)})

        def refused(failure: Failure) -> None:
            error = failure.error
            if isinstance(error, OSError) and not disk_full(error):  # a full disk: said in full
                self.said.emit(
                    _("Could not write %(file)s: %(reason)s")
                    % {"file": str(target), "reason": error.strerror or str(error)}
                )
            else:
                self._refused(failure)

        return written, refused

    def _refused(self, failure: Failure) -> None:
        from aiddesk.ui.deliveries.printing import PrintFailed

        error = failure.error
        self.said.emit(str(error) if isinstance(error, PrintFailed) else failure.message)
