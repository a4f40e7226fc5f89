"""Step 5: what will be stored, said once more before anything is written; the mapping can be
remembered for the next sheet with the same questions and saved as a file for `aiddesk
import-sheet`. "Import" makes a backup, then stores everything in one go."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange.sheet_import.plan import plan
from aiddesk.services.exchange.sheet_import.preview import problem_text
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.common.file_dialogs import file_dialog
from aiddesk.ui.exchange.sheet_import.page_file import error_label
from aiddesk.ui.exchange.sheet_import.texts import decision_text, summary_lines, what_text, who_text
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operations


class ReviewPage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operations = operations
        self._storing = False
        self.stored = False
        self.setCommitPage(True)
        self.file_dialog: QFileDialog | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows_caption = QLabel()
        self.rows = QListWidget()
        self.rows_caption.setBuddy(self.rows)
        self.remember_box = QCheckBox()
        self.remember_box.setChecked(session.remember)
        self.remember_box.toggled.connect(lambda on: setattr(self.session, "remember", on))
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.ask_mapping_file)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows_caption)
        layout.addWidget(self.rows, 1)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved)
        layout.addWidget(self.error)
        self.retranslate_ui()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.error.clear()
        self.saved.clear()
        self.retranslate_ui()

    def ask_mapping_file(self) -> QFileDialog:
        stem = self.session.path.stem if self.session.path is not None else "mapping"
        dialog = file_dialog(self, _("Save the mapping as"), str(Path.home() / f"{stem}.map.json"), save=True)
        dialog.setNameFilters([_("Mappings (*.json)")])
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(self.save_mapping)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def save_mapping(self, path: str) -> None:
        """Write the mapping as MAP.json (the format `aiddesk import-sheet --mapping` reads)."""
        try:
            text = json.dumps(self.session.mapping().to_json(), ensure_ascii=False, indent=2)
            Path(path).write_text(text + "\n", encoding="utf-8")
        except OSError as failed:
            self.error.setText(
                _("Could not write %(file)s: %(reason)s")
                % {"file": path, "reason": failed.strerror or str(failed)}
            )
            return
        self.saved.setText(_("The mapping was saved in %(file)s.") % {"file": path})

    def validatePage(self) -> bool:  # noqa: N802
        """Store on a worker thread; the wizard moves on when it is done (Back and Cancel wait)."""
        if self.stored:
            return True
        if self.storing:
            return False
        self.error.clear()
        self.saved.setText(_("Importing…"))
        self._storing = True
        self.operations.write(self.session.store, self._stored, failed=self._not_stored)
        self._lock(True)
        return False

    @property
    def storing(self) -> bool:
        return self._storing

    def _lock(self, busy: bool) -> None:
        wizard = self.wizard()
        if wizard is not None:
            for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.CancelButton):
                wizard.button(button).setEnabled(not busy)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return not self.storing

    def _stored(self, _summary: object) -> None:
        self._storing = False
        self.stored = True
        self.saved.clear()
        self._lock(False)
        wizard = self.wizard()
        if wizard is not None:
            wizard.next()

    def _not_stored(self, failure: Failure) -> None:
        self._storing = False
        self.saved.clear()
        self._lock(False)
        error = failure.error
        if isinstance(error, Invalid):
            self.error.setText("\n".join(problem_text(p) for p in error.problems))
        else:
            self.error.setText(_("Nothing was imported: %(error)s") % {"error": failure.message})

    def retranslate_ui(self) -> None:
        self.setTitle(_("Ready to import"))
        self.setSubTitle(_("Nothing has been stored yet. A copy of the database is made before importing."))
        if self.session.preview is not None:
            lines = summary_lines(self.session.planned_summary())
            self.summary.setText(
                _("From %(file)s, sheet “%(sheet)s”:")
                % {"file": self.session.preview.source, "sheet": self.session.preview.sheet}
                + "\n"
                + "\n".join(f"• {line}" for line in lines)
            )
        self._list_rows()
        self.rows_caption.setText(_("&What will be stored:"))
        self.rows.setAccessibleName(_("What will be stored"))
        self.remember_box.setText(_("&Remember these choices for the next sheet with the same questions"))
        self.save_button.setText(_("&Save the mapping as a file…"))
        self.save_button.setToolTip(
            _("For importing the same kind of sheet from a script: aiddesk import-sheet --mapping")
        )

    def _list_rows(self) -> None:
        """Each row that will be stored: as what, who, and what they need."""
        self.rows.clear()
        found = self.session.preview
        if found is None:
            return
        for planned in plan(found, self.session.decisions):
            outcome = planned.item.outcome
            decision = self.session.decisions.get(planned.item.row)
            parts = [
                decision_text(decision, found.kind),
                who_text(outcome),
                what_text(outcome, found.kind, self.session.words),
            ]
            line = _("Row %(row)d") % {"row": planned.item.row}
            self.rows.addItem(" — ".join([line, *(p for p in parts if p)]))
