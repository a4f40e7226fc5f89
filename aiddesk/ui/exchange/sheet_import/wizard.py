"""The spreadsheet import wizard: file, columns, answers, every row, confirm, result."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget, QWizard

from aiddesk.i18n import _
from aiddesk.services.database import Database
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.exchange.sheet_import.page_columns import ColumnsPage
from aiddesk.ui.exchange.sheet_import.page_file import FilePage
from aiddesk.ui.exchange.sheet_import.page_preview import PreviewPage
from aiddesk.ui.exchange.sheet_import.page_result import ResultPage
from aiddesk.ui.exchange.sheet_import.page_review import ReviewPage
from aiddesk.ui.exchange.sheet_import.page_values import ValuesPage
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Operations

QT_BUTTONS = (
    (QWizard.WizardButton.BackButton, "< &Back"),
    (QWizard.WizardButton.NextButton, "&Next >"),
    (QWizard.WizardButton.FinishButton, "&Finish"),
    (QWizard.WizardButton.CancelButton, "Cancel"),
)


class SheetImportWizard(Retranslating, QWizard):
    def __init__(
        self,
        db: Database,
        who: str,
        operations: Operations,
        *,
        backup_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = ImportSession(db, who, backup_dir=backup_dir)
        self.setObjectName("sheetImportWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(self.session)
        self.columns_page = ColumnsPage(self.session)
        self.values_page = ValuesPage(self.session)
        self.preview_page = PreviewPage(self.session, operations)
        self.review_page = ReviewPage(self.session, operations)
        self.result_page = ResultPage(self.session)
        for page in (
            self.file_page,
            self.columns_page,
            self.values_page,
            self.preview_page,
            self.review_page,
            self.result_page,
        ):
            self.addPage(page)
        self.resize(980, 680)
        self.retranslate_ui()

    def reject(self) -> None:
        """Cancel and Escape wait while rows are being stored (it is all or nothing, and quick)."""
        if self.review_page.storing:
            return
        super().reject()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Import a spreadsheet"))
        # QWizard names its buttons once; Qt's own catalog (qtbase_es.qm) has their words.
        for button, text in QT_BUTTONS:
            self.setButtonText(button, QCoreApplication.translate("QWizard", text))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("&Import"))
