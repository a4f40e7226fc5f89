"""The call's part of the intake form: how the call came in, how it ended, notes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QWidget

from aiddesk.domain.enums import CallChannel, CallOutcome
from aiddesk.domain.intake import IntakeForm
from aiddesk.i18n import N_, _
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.intake.caller_fields import accessible
from aiddesk.ui.intake.fields import EnumBox, with_error
from aiddesk.ui.retranslate import Retranslating

CAPTIONS: dict[str, str] = {
    "channel": N_("Came in by:"),
    "outcome": N_("Outcome:"),
    "call_notes": N_("Call notes:"),
}


class CallFields(Retranslating, QGroupBox):
    """`changed` after any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.channel_box = EnumBox(CallChannel)
        self.outcome_box = EnumBox(CallOutcome)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setTabChangesFocus(True)  # Tab leaves; Enter starts a new line
        self.notes_edit.setFixedHeight(self.notes_edit.fontMetrics().lineSpacing() * 4 + 14)
        self.channel_box.currentIndexChanged.connect(self.changed)
        self.outcome_box.currentIndexChanged.connect(self.changed)
        self.notes_edit.textChanged.connect(self.changed)
        self.errors: dict[str, FieldError] = {name: FieldError() for name in CAPTIONS}
        # A message goes once its field is changed.
        self.channel_box.activated.connect(self.errors["channel"].clear_problem)
        self.outcome_box.activated.connect(self.errors["outcome"].clear_problem)
        self.notes_edit.textChanged.connect(self.errors["call_notes"].clear_problem)
        self.captions: dict[str, QLabel] = {name: QLabel() for name in CAPTIONS}
        form = QFormLayout(self)
        for name, field in self._widgets().items():
            self.captions[name].setBuddy(field)
            form.addRow(self.captions[name], with_error(field, self.errors[name]))
        self.retranslate_ui()

    def _widgets(self) -> dict[str, QWidget]:
        return {"channel": self.channel_box, "outcome": self.outcome_box, "call_notes": self.notes_edit}

    def inputs(self) -> list[QWidget]:
        return list(self._widgets().values())

    def field_widget(self, name: str) -> QWidget | None:
        return self._widgets().get(name)

    def read_into(self, form: IntakeForm) -> None:
        form.channel = self.channel_box.value()
        form.outcome = self.outcome_box.value()
        form.call_notes = self.notes_edit.toPlainText()

    def show_form(self, form: IntakeForm) -> None:
        self.channel_box.set_value(form.channel)
        self.outcome_box.set_value(form.outcome)
        if self.notes_edit.toPlainText() != form.call_notes:
            self.notes_edit.setPlainText(form.call_notes)

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.clear_problem()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Call"))
        for name, caption in CAPTIONS.items():
            self.captions[name].setText(_(caption))
            self._widgets()[name].setAccessibleName(accessible(_(caption)))
        self.channel_box.retranslate()
        self.outcome_box.retranslate()
