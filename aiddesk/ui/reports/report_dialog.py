"""The period report dialog: from a day to a day, in English or Spanish, saved as a printable PDF
(with its charts) or an .xlsx workbook (the figures as numbers). The same report as the
`aiddesk report` command; read, its charts drawn and the file saved on a worker thread, owner-only;
the PDF laid out and painted on the GUI thread a page at a time (Qt objects: ui.reports.pdf_document)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import LANGUAGES, _, current_language
from aiddesk.services.disk_space import disk_full
from aiddesk.ui.context import DeskContext
from aiddesk.ui.reports.printing import ask_file
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, OnWorker

FORMATS = ("pdf", "xlsx")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ReportDialog(Retranslating, QDialog):
    """Choose the period, the language and the kind of file; Save… asks where and writes it.
    `message` says how it went (the dialog stays open to make another)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *, today: dt.date) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.first = QDateEdit(_qdate(today.replace(day=1)))
        self.last = QDateEdit(_qdate(today))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
        self.language_box = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(max(self.language_box.findData(current_language()), 0))
        self.format_box = QComboBox()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(lambda: self.save())
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(4)]
        for label, field in zip(
            self.form_labels, (self.first, self.last, self.language_box, self.format_box), strict=True
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return _pydate(self.first.date()), _pydate(self.last.date())

    def save(self, path: Path | None = None) -> bool:
        """Check the days, ask where (unless `path`), then write; False when nothing was started."""
        first, last = self.period
        if last < first:
            self.message.setText(_("The last day is before the first day: choose the days again."))
            return False
        kind = str(self.format_box.currentData())
        language = str(self.language_box.currentData())
        target = path or ask_file(self, _("Save the report"), f"report-{first}-{last}.{kind}", kind)
        if target is None:
            return False
        ctx = self._ctx
        db, desk, data_dir = ctx.database, ctx.desk, ctx.paths.data_dir

        def read() -> Any:
            from aiddesk.services.reports.document import report_document
            from aiddesk.services.reports.figures import period_report

            figures = period_report(db, first, last, language=language)
            document = report_document(
                figures, desk_code=desk.code, desk_name=desk.name, today=dt.date.today()
            )
            if kind == "xlsx":
                from aiddesk.services.reports.workbook import write_report_workbook

                write_report_workbook(document, target, data_dir)
                return None
            from aiddesk.services.reports.charts import report_charts
            from aiddesk.ui.reports.report_pdf import report_printable

            # plain data and PNG bytes (matplotlib's Agg, no Qt): the printable is only HTML
            return report_printable(document, report_charts(figures), region=desk.phone_region)

        def job() -> Generator[OnWorker | None, Any, None]:
            printable = yield OnWorker(read)
            if printable is None:  # the workbook, written
                return
            from aiddesk.services.desk.documents import save_document
            from aiddesk.ui.reports.pdf_document import pdf_of

            data = yield from pdf_of([printable], desk.phone_region)
            yield OnWorker(lambda: save_document(data, target, data_dir))

        def written(_none: None) -> None:
            self.message.setText(_("Saved %(file)s.") % {"file": str(target)})

        def refused(failure: Failure) -> None:
            from aiddesk.ui.deliveries.printing import PrintFailed

            error = failure.error
            if isinstance(error, PrintFailed):
                self.message.setText(str(error))
            elif isinstance(error, OSError) and not disk_full(error):  # a full disk: said in full
                self.message.setText(
                    _("Could not write %(file)s: %(reason)s")
                    % {"file": str(target), "reason": error.strerror or str(error)}
                )
            else:
                self.message.setText(failure.message)

        self.message.setText(_("Writing the report…"))
        ctx.operations.steps(job(), written, failed=refused, parent=self)
        return True

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Period report"))
        self.note.setText(
            _(
                "The figures of the days chosen, both included: calls, requests opened and delivered, "
                "households served, failed deliveries and days to delivery, by need, zone and language. "
                "It names no one."
            )
        )
        texts = (_("From:"), _("To:"), _("Language:"), _("Save as:"))
        for label, text in zip(self.form_labels, texts, strict=True):
            label.setText(text)
        chosen = self.format_box.currentData()
        self.format_box.clear()
        self.format_box.addItem(_("PDF, to print (with the charts)"), "pdf")
        self.format_box.addItem(_("Excel workbook (the figures as numbers)"), "xlsx")
        self.format_box.setCurrentIndex(max(self.format_box.findData(chosen), 0))
        self.save_button.setText(_("Save…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
