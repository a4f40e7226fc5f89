"""The phone-desk cheat sheet: one printable page in the desk's current language (how to take a
call, the keys, what to say about consent, what to do with a safety concern, how to end a shift),
shown in a print preview with Print and Save as PDF. It names nobody; its PDF is saved as the
other printouts are (owner-only, through services/desk/documents.py)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from aiddesk import __version__
from aiddesk.i18n import N_, _
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.file_dialogs import save_file_name
from aiddesk.ui.context import DeskContext
from aiddesk.ui.reports.pdf_document import Printable, pdf_of, render, text
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, OnWorker

TAKING_A_CALL = (
    N_("Greet the caller and say the name of the line."),
    N_(
        "On Intake, type their phone number or their name first: if they called before, take the call for them."
    ),
    N_("Ask what they need: one need for each thing they ask for."),
    N_("Read them the consent text (below), then save the call."),
    N_("Tell them what happens next and that someone may call back."),
)
KEYS = (
    ("Ctrl+N", N_("Start a new call")),
    ("Ctrl+S", N_("Save the call")),
    (N_("Enter"), N_("Next field")),
    ("Ctrl+Shift+N", N_("Add a need")),
    (N_("Ctrl+Enter, Alt+1…9"), N_("Take the call for an earlier caller")),
    ("F1", N_("The guide to the screen in front of you")),
    ("Ctrl+Q", N_("Close AidDesk")),
)
CONSENT = (
    N_("Read the consent text shown on Intake, in the caller's language, just as it is written."),
    N_("Tick “The caller agrees” only when they say yes. Never decide for them."),
    N_("If they say no, still write down what they need: they still get help."),
)
SAFETY = (
    N_(
        "If someone is in danger right now, tell them to call 911 (or the local emergency number), and tell the coordinator at once."
    ),
    N_(
        "Write what matters for their safety under Safety notes: only coordinators see it, and it is never printed."
    ),
    N_("Never give out anyone's details, and do not promise what the network cannot do."),
)
ENDING = (
    N_("Finish or save the call you are on (a call not saved yet is kept as a draft)."),
    N_("Close AidDesk with Ctrl+Q; whoever comes next gives their name when it opens."),
    N_("Leave no printed list with names on the desk."),
)


def cheat_sheet_printable(desk_name: str) -> Printable:
    """The sheet in the current language (texts from the catalog)."""
    title = _("Phone-desk cheat sheet")

    def items(texts: tuple[str, ...], tag: str = "ul") -> str:
        return f"<{tag}>" + "".join(f"<li>{text(_(t))}</li>" for t in texts) + f"</{tag}>"

    keys = "".join(
        f'<tr><td width="30%"><b>{text(_(key))}</b></td><td>{text(_(what))}</td></tr>' for key, what in KEYS
    )
    headings = (
        _("Taking a call"),
        _("Keys"),
        _("Consent: what to say"),
        _("A safety concern"),
        _("Ending your shift"),
    )
    sections = (
        items(TAKING_A_CALL, "ol"),
        f'<table cellspacing="0" cellpadding="3" width="100%">{keys}</table>',
        items(CONSENT),
        items(SAFETY),
        items(ENDING),
    )
    body = f"<h1>{text(title)}</h1>" + f'<p class="muted">{text(desk_name)}</p>'
    body += "".join(f"<h2>{text(h)}</h2>{section}" for h, section in zip(headings, sections, strict=True))
    return Printable(
        title=title,
        body=body,
        footer=_("AidDesk %(version)s") % {"version": __version__},
        page_of=_("Page %(page)d of %(pages)d"),
    )


class CheatSheetDialog(Retranslating, QDialog):
    """The sheet in a print preview, with Print…, Save as PDF… and Close. It follows the live
    language switch."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from aiddesk.ui.deliveries.printing import new_printer

        self._ctx = ctx
        self.resize(760, 820)
        self.printer = new_printer()
        self.preview = QPrintPreviewWidget(self.printer, self)
        self.preview.paintRequested.connect(self._paint)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(lambda: self.save_pdf())
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def printable(self) -> Printable:
        return cheat_sheet_printable(self._ctx.desk.name)

    def _paint(self, printer: QPrinter) -> None:
        render([self.printable()], printer)

    def print_sheet(self) -> QPrintDialog:
        """Ask for a printer (window-modal), then print the sheet there."""
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle(_("Print the cheat sheet"))
        dialog.accepted.connect(lambda: render([self.printable()], self.printer))
        dialog.finished.connect(dialog.deleteLater)
        QDialog.open(dialog)  # window-modal; PySide's QPrintDialog.open() only takes a receiver and slot
        return dialog

    def save_pdf(self, path: Path | None = None) -> None:
        """Ask where (unless `path` is given); the PDF is laid out on the GUI thread (Qt objects:
        ui.reports.pdf_document), then saved on a worker thread."""
        from aiddesk.services.desk.documents import save_document

        if path is None:
            name = save_file_name(self, _("Save as PDF"), _("cheat-sheet") + ".pdf", _("PDF files (*.pdf)"))
            if not name:
                return
            path = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        target, printable, data_dir = path, self.printable(), self._ctx.paths.data_dir

        def saved(_none: None) -> None:
            self.status.setText(_("Saved %(file)s.") % {"file": str(target)})

        def refused(failure: Failure) -> None:
            from aiddesk.ui.deliveries.printing import PrintFailed

            error = failure.error
            self.status.setText(str(error) if isinstance(error, PrintFailed) else failure.message)

        def job() -> Generator[OnWorker | None, Any, None]:
            data = yield from pdf_of([printable])
            yield OnWorker(lambda: save_document(data, target, data_dir))

        self.status.clear()
        self._ctx.operations.steps(
            job(),
            while_alive(self, saved),
            failed=while_alive(self, refused),
            parent=self,
        )

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Phone-desk cheat sheet"))
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as PDF…"))
        self.close_button.setText(_("Close"))
        self.preview.updatePreview()
