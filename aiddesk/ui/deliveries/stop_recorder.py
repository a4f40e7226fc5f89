"""Recording what happened at one stop: delivered, left at the door, or failed with a reason
(saved through the desk's operation runner, on the writer thread)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import FailureReason, StopOutcome
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.deliveries import dispatch
from aiddesk.services.deliveries.dispatch import StopRecorded, StopRow
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

OUTCOMES = (StopOutcome.DELIVERED, StopOutcome.LEFT_AT_DOOR, StopOutcome.FAILED)
MAX_NOTE = 500


class StopRecorder(Retranslating, QDialog):
    """Records the stop when accepted (`recorded(StopRecorded)`); a refusal shows next to its field."""

    recorded = Signal(object)

    def __init__(self, ctx: DeskContext, stop: StopRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._stop = stop
        self.recorded_stop: StopRecorded | None = None
        self.stop_label = QLabel()
        self.stop_label.setWordWrap(True)
        self.outcome_caption, self.reason_caption, self.note_caption = QLabel(), QLabel(), QLabel()
        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[StopOutcome, QRadioButton] = {}
        outcome_row = QHBoxLayout()
        for outcome in OUTCOMES:
            button = QRadioButton()
            self.outcome_buttons[outcome] = button
            self.outcome_group.addButton(button)
            outcome_row.addWidget(button)
        outcome_row.addStretch(1)
        self.outcome_group.buttonToggled.connect(lambda *_args: self._update_reason())
        self.reason_box = QComboBox()
        self.reason_box.setMinimumWidth(220)
        for reason in FailureReason:
            self.reason_box.addItem("", reason.value)
        self.reason_box.setCurrentIndex(-1)
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(MAX_NOTE)
        self.note_edit.setMinimumWidth(380)
        self.outcome_error, self.reason_error, self.note_error, self.general_error = (
            FieldError() for _i in range(4)
        )
        # A refusal goes once its question is answered (a choice made, the note typed again).
        self.outcome_group.buttonToggled.connect(lambda *_args: self._answered(self.outcome_error))
        self.reason_box.currentIndexChanged.connect(lambda _i: self._answered(self.reason_error))
        self.note_edit.textEdited.connect(lambda _t: self._answered(self.note_error))
        form = QFormLayout()
        form.addRow(self.outcome_caption, outcome_row)
        form.addRow("", self.outcome_error)
        form.addRow(self.reason_caption, self.reason_box)
        form.addRow("", self.reason_error)
        form.addRow(self.note_caption, self.note_edit)
        form.addRow("", self.note_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_record)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stop_label)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._update_reason()
        self.retranslate_ui()

    def outcome(self) -> StopOutcome | None:
        return next((o for o, b in self.outcome_buttons.items() if b.isChecked()), None)

    def choose(self, outcome: StopOutcome, reason: FailureReason | None = None, note: str = "") -> None:
        """Fill the form (as a user would by clicking)."""
        self.outcome_buttons[outcome].setChecked(True)
        if reason is not None:
            self.reason_box.setCurrentIndex(self.reason_box.findData(reason.value))
        self.note_edit.setText(note)

    def _update_reason(self) -> None:
        failed = self.outcome() == StopOutcome.FAILED
        self.reason_box.setEnabled(failed)
        self.reason_caption.setEnabled(failed)
        if not failed:  # no reason is asked for any more
            self.reason_error.clear_problem()

    def _answered(self, error: FieldError) -> None:
        error.clear_problem()
        self.general_error.clear_problem()

    def try_record(self) -> None:
        """Record the stop (on the writer thread); the dialog closes when it was recorded."""
        outcome = self.outcome()
        chosen = outcome.value if outcome is not None else ""
        reason = str(self.reason_box.currentData() or "") if outcome == StopOutcome.FAILED else ""
        note = self.note_edit.text()
        db, who, stop_id = self._ctx.database, self._ctx.who, self._stop.id
        self.save_button.setEnabled(False)  # until the write answers
        self._ctx.operations.write(
            lambda: dispatch.record_stop(db, who, stop_id, chosen, failure_reason=reason, note=note),
            while_alive(self, self._recorded),
            failed=while_alive(self, self._refused),
            parent=self,
        )

    def _recorded(self, result: StopRecorded) -> None:
        self.save_button.setEnabled(True)
        self.recorded_stop = result
        self.recorded.emit(result)
        self.accept()

    def _refused(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        errors = {"outcome": self.outcome_error, "failure_reason": self.reason_error, "note": self.note_error}
        if isinstance(failure.error, Invalid):
            show_problems(errors, failure.error, self.general_error)
        else:
            for error in errors.values():
                error.clear_problem()
            self.general_error.show_text(failure.message)

    def retranslate_ui(self) -> None:
        stop = self._stop
        self.setWindowTitle(_("Record a stop"))
        self.stop_label.setText(
            # L10N: the stop being recorded: its number, request code, person and address
            _("Stop %(position)d · %(code)s · %(person)s · %(address)s")
            % {
                "position": stop.position,
                "code": stop.request_code,
                "person": stop.person_name,
                "address": " ".join(stop.address.split()),
            }
        )
        self.outcome_caption.setText(_("What happened:"))
        for outcome, button in self.outcome_buttons.items():
            button.setText(_(outcome.label))
        self.reason_caption.setText(_("Why it failed:"))
        for i in range(self.reason_box.count()):
            self.reason_box.setItemText(i, _(FailureReason(self.reason_box.itemData(i)).label))
        self.reason_box.setPlaceholderText(_("Choose a reason"))
        self.note_caption.setText(_("Note:"))
        self.note_edit.setPlaceholderText(_("What the driver said (optional)"))
        self.save_button.setText(_("Record"))
