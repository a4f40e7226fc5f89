"""A small dialog to type the English and Spanish names of a need category or zone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.ui.common.field_error import FieldError, clear_when, show_problems
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

# Starts saving (label_en, label_es) through the operation runner, which then calls back `saved()`,
# or `refused(failure)` (an Invalid for a refused name).
SaveLabels = Callable[[str, str, Callable[[], None], Callable[[Failure], None]], None]


class LabelDialog(Retranslating, QDialog):
    """Closes only when `save` accepted the names; a refusal is shown next to its field."""

    def __init__(
        self,
        save: SaveLabels,
        title: str,
        *,
        label_en: str = "",
        label_es: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._title = title  # English, marked N_
        self.english_edit = QLineEdit(label_en)
        self.spanish_edit = QLineEdit(label_es)
        for edit in (self.english_edit, self.spanish_edit):
            edit.setMaxLength(120)
            edit.setMinimumWidth(320)
        self.english_error = FieldError()
        self.spanish_error = FieldError()
        self.general_error = FieldError()
        # A name in either language answers "a name in English or in Spanish".
        edits = (self.english_edit.textEdited, self.spanish_edit.textEdited)
        clear_when(edits, self.english_error, self.spanish_error, self.general_error)
        self.english_caption = QLabel()
        self.spanish_caption = QLabel()

        form = QFormLayout()
        form.addRow(self.english_caption, self.english_edit)
        form.addRow("", self.english_error)
        form.addRow(self.spanish_caption, self.spanish_edit)
        form.addRow("", self.spanish_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def try_save(self) -> None:
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if not save_button.isEnabled():  # the names are on their way already
            return
        save_button.setEnabled(False)

        def refused(failure: Failure) -> None:
            save_button.setEnabled(True)
            errors = {"label_en": self.english_error, "label_es": self.spanish_error}
            if isinstance(failure.error, Invalid):
                show_problems(errors, failure.error, self.general_error)
            else:
                for error in errors.values():
                    error.clear_problem()
                self.general_error.show_text(failure.message)

        self._save(self.english_edit.text(), self.spanish_edit.text(), self.accept, refused)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_(self._title))
        self.english_caption.setText(_("Name in English:"))
        self.spanish_caption.setText(_("Name in Spanish:"))
