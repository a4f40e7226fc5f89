"""Editing a person's details outside a call: the intake's caller fields, filled from the record,
and consent (which can be withdrawn here, and is only given during a call, once the script is read).

Enter saves (a refused field says why under it and the dialog stays); Esc or Cancel closes without
saving, asking first when something was changed, with "Keep editing" as the default answer. Only
the fields changed in the dialog are saved. The read and the save go through the desk's operation
runner; an erased or merged record is refused with a message and nothing to edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.access import Right
from aiddesk.domain.intake import IntakeForm
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.people import details
from aiddesk.services.people.details import EditableDetails
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.common.question import Role, ask
from aiddesk.ui.context import DeskContext
from aiddesk.ui.intake.caller_fields import CallerFields
from aiddesk.ui.intake.fields import note_label, with_error
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

T = TypeVar("T")


def _refusal_or(work: Callable[[], T]) -> Callable[[], T | Invalid]:
    """`work` answering a refusal (Invalid) as its result: an answer to show, not a failure to log."""

    def run() -> T | Invalid:
        try:
            return work()
        except Invalid as refused:
            return refused

    return run


class PersonFields(CallerFields):
    """The intake's caller fields, titled for a person's record."""

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.setTitle(_("Details"))


class EditPersonDialog(Retranslating, QDialog):
    """`saved` is the list of fields that changed once saved (None until then)."""

    def __init__(self, ctx: DeskContext, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editPersonDialog")
        self._ctx = ctx
        self._person_id = person_id
        self._start: EditableDetails | None = None
        self.saved: list[str] | None = None
        self.discard_question: QMessageBox | None = None

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.fields = PersonFields()
        self.consent_check = QCheckBox()
        self.consent_error = FieldError()
        self.consent_note = note_label()
        self.fields.changed.connect(self._edited)
        self.consent_check.toggled.connect(self._edited)
        self.consent_check.toggled.connect(lambda _on: self.consent_error.clear_problem())
        self.general_error = FieldError()
        self.general_error.setObjectName("editPersonError")
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.fields)
        body_layout.addWidget(with_error(self.consent_check, self.consent_error, self.consent_note))
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        inputs = [*self.fields.inputs(), self.consent_check, self.save_button, self.cancel_button]
        for first, second in zip(inputs, inputs[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.fields.show_safety_notes(ctx.may(Right.SAFETY_NOTES))
        self._set_editable(False)
        self.resize(640, 720)
        self.retranslate_ui()
        self._read()

    # ---- reading -----------------------------------------------------------------------------

    def _read(self) -> None:
        db, person_id, region = self._ctx.database, self._person_id, self._ctx.desk.phone_region
        who = self._ctx.who

        def show(result: EditableDetails | Invalid) -> None:
            if isinstance(result, Invalid):
                self.general_error.show_problem(result.problems[0])
                return
            self._start = result
            self.fields.set_zones(result.zones)
            self.fields.show_form(result.form)
            self.consent_check.setChecked(result.form.consent)
            self._set_editable(True)
            self.retranslate_ui()
            self.fields.name_edit.setFocus()

        self._ctx.operations.query(
            _refusal_or(lambda: details.editable_details(db, person_id, region, who=who)),
            show,
            failed=lambda failure: self.general_error.show_text(failure.message),
            parent=self,
        )

    def _set_editable(self, editable: bool) -> None:
        self.fields.setEnabled(editable)
        self.save_button.setEnabled(editable)
        # Consent is given during a call, once the script is read: here it can only be withdrawn.
        given = self._start is not None and self._start.form.consent
        self.consent_check.setEnabled(editable and given)

    # ---- the form ----------------------------------------------------------------------------

    def form(self) -> IntakeForm:
        """What the dialog holds now, as the intake's form."""
        start = self._start.form if self._start is not None else IntakeForm()
        form = replace(start)
        self.fields.read_into(form)
        form.consent = self.consent_check.isChecked()
        return form

    def changed(self) -> bool:
        return self._start is not None and self.form() != self._start.form

    def _edited(self) -> None:
        self.general_error.clear_problem()

    # ---- saving ------------------------------------------------------------------------------

    def try_save(self) -> None:
        if self._start is None or not self.save_button.isEnabled():
            return
        db, who, person_id = self._ctx.database, self._ctx.who, self._person_id
        form, before = self.form(), self._start.form
        if form == before:  # nothing changed: nothing to write
            self.saved = []
            self.accept()
            return
        self.save_button.setEnabled(False)  # until the save answers

        def saved(result: list[str] | Invalid) -> None:
            self.save_button.setEnabled(True)
            if isinstance(result, Invalid):
                self._show_refusal(result)
                return
            self.saved = result
            self.accept()

        def failed(failure: Failure) -> None:
            self.save_button.setEnabled(True)
            self.general_error.show_text(failure.message)

        self._ctx.operations.write(
            _refusal_or(lambda: details.update_details(db, who, person_id, form, before=before)),
            saved,
            failed=failed,
            parent=self,
        )

    def _show_refusal(self, refused: Invalid) -> None:
        errors = {**self.fields.errors, "consent": self.consent_error}
        show_problems(errors, refused, self.general_error)
        first = refused.problems[0].field
        widget = self.consent_check if first == "consent" else self.fields.field_widget(first)
        if widget is not None:
            widget.setFocus()

    # ---- closing -----------------------------------------------------------------------------

    def reject(self) -> None:
        """Esc, Cancel or the window's close: without saving; asks first when something changed."""
        if not self.changed():
            super().reject()
            return
        if self.discard_question is not None:
            return
        choices = [  # Enter and Esc both keep editing: the safe answer
            ("discard", _("Discard the changes"), Role.DestructiveRole),
            ("keep", _("Keep editing"), Role.RejectRole),
        ]
        box, _buttons = ask(
            self,
            _("Discard the changes to these details?"),
            _("Nothing you changed here has been saved."),
            choices,
            self._discard_answered,
        )
        self.discard_question = box
        box.open()

    def _discard_answered(self, key: str) -> None:
        self.discard_question = None
        if key == "discard":
            super().reject()

    # ---- texts -------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Edit details"))
        if self._start is not None:
            name = self._start.form.name or self._start.form.phone
            self.heading.setText(
                _("Details of %(name)s (%(code)s)") % {"name": name, "code": self._start.code}
            )
        else:
            self.heading.setText(_("Reading…"))
        self.consent_check.setText(_("Agreed to the consent script"))
        given = self._start is not None and self._start.form.consent
        self.consent_note.setText(
            (
                _("Untick it if they withdraw their consent (script %(version)s).")
                % {"version": self._start.form.consent_version if self._start else ""}
            )
            if given
            else _("Consent is given during a call, once the consent script has been read.")
        )
        self.save_button.setText(_("Save"))
        self.cancel_button.setText(_("Cancel"))
