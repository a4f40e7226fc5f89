"""Settings: the consent script read to callers, in English and Spanish; saving a change makes a
new version (read and saved through the desk's operation runner)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.desk import consent as consent_service
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure


class ConsentEditor(Retranslating, QGroupBox):
    """A new version reaches the intake screen through the change notifier (kind DESK)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._script = consent_service.DEFAULT
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.english_caption, self.spanish_caption = QLabel(), QLabel()
        self.english_edit, self.spanish_edit = QPlainTextEdit(), QPlainTextEdit()
        self.english_error, self.spanish_error = FieldError(), FieldError()
        for caption, edit in (
            (self.english_caption, self.english_edit),
            (self.spanish_caption, self.spanish_edit),
        ):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(120)
            caption.setBuddy(edit)
            edit.textChanged.connect(self._edited)
        self.english_edit.textChanged.connect(self.english_error.clear_problem)  # typed again
        self.spanish_edit.textChanged.connect(self.spanish_error.clear_problem)
        self.version_label = QLabel()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.hide()
        self.form_error = FieldError()

        grid = QGridLayout(self)
        grid.addWidget(self.hint, 0, 0, 1, 2)
        grid.addWidget(self.english_caption, 1, 0)
        grid.addWidget(self.spanish_caption, 1, 1)
        grid.addWidget(self.english_edit, 2, 0)
        grid.addWidget(self.spanish_edit, 2, 1)
        grid.addWidget(self.english_error, 3, 0)
        grid.addWidget(self.spanish_error, 3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.saved_label)
        buttons.addWidget(self.form_error, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.version_label)
        grid.addLayout(buttons, 4, 0, 1, 2)
        self.save_button.setEnabled(False)  # until the stored script is shown
        self.retranslate_ui()
        self.reload()

    def reload(self) -> None:
        """Show the stored script (what was typed and not saved is replaced)."""
        db = self._ctx.database

        def show(script: consent_service.ConsentScript) -> None:
            self._show(script)
            self.save_button.setEnabled(True)

        self._ctx.operations.query(lambda: consent_service.get_script(db), show, key="settings-consent")

    @property
    def version(self) -> str:
        return self._script.version

    def _show(self, script: consent_service.ConsentScript) -> None:
        self._script = script
        self.english_edit.setPlainText(script.en)
        self.spanish_edit.setPlainText(script.es)
        self._show_version()

    def _edited(self) -> None:
        self.saved_label.hide()

    def save(self) -> None:
        errors = {"en": self.english_error, "es": self.spanish_error}
        db, who = self._ctx.database, self._ctx.who
        english, spanish = self.english_edit.toPlainText(), self.spanish_edit.toPlainText()
        self.save_button.setEnabled(False)  # until the script is saved

        def saved(script: consent_service.ConsentScript) -> None:
            self.save_button.setEnabled(True)
            for error in (*errors.values(), self.form_error):
                error.clear_problem()
            self._show(script)
            self.saved_label.show()

        def refused(failure: Failure) -> None:
            self.save_button.setEnabled(True)
            if isinstance(failure.error, Invalid):
                show_problems(errors, failure.error, self.form_error)
            else:
                for error in errors.values():
                    error.clear_problem()
                self.form_error.show_text(failure.message)

        self._ctx.operations.write(
            lambda: consent_service.save_script(db, who, english, spanish), saved, failed=refused, parent=self
        )

    def _show_version(self) -> None:
        self.version_label.setText(_("Version: %(version)s") % {"version": self._script.version})

    def retranslate_ui(self) -> None:
        self.setTitle(_("Consent script"))
        self.hint.setText(
            _(
                "Read aloud to every caller before they agree to be contacted, in their language. "
                "Saving a change makes a new version; each call records the version that was read."
            )
        )
        self.english_caption.setText(_("In English:"))
        self.spanish_caption.setText(_("In Spanish:"))
        self.english_edit.setAccessibleName(_("Consent script in English"))
        self.spanish_edit.setAccessibleName(_("Consent script in Spanish"))
        self.save_button.setText(_("Save the script"))
        self.saved_label.setText(_("Saved."))
        self._show_version()
