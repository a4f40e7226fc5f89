"""Step 6: what was stored, where the copy from before is, and each row that was not taken with
its reason (sheet, row, column)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget, QWizardPage

from aiddesk.i18n import _
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.exchange.sheet_import.texts import summary_lines
from aiddesk.ui.retranslate import Retranslating


class ResultPage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rejected_caption = QLabel()
        self.rejected = QListWidget()
        self.rejected_caption.setBuddy(self.rejected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.rejected_caption)
        layout.addWidget(self.rejected, 1)
        self.retranslate_ui()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Imported"))
        self.setSubTitle(_("The new requests are in the queue with the status New."))
        summary = self.session.summary
        self.rejected.clear()
        self.rejected.setAccessibleName(_("Rows not taken"))
        if summary is None:
            return
        lines = [f"• {line}" for line in summary_lines(summary)]
        if summary.backup is not None:
            lines.append(
                _("A copy of the database from before the import: %(file)s") % {"file": str(summary.backup)}
            )
        self.summary.setText("\n".join(lines))
        self.rejected_caption.setVisible(bool(summary.rejected))
        self.rejected.setVisible(bool(summary.rejected))
        self.rejected_caption.setText(_("&Rows not taken (fix them in the sheet and import it again):"))
        for cell in summary.rejected:
            self.rejected.addItem(f"{cell.where()}: {cell.reason}")
