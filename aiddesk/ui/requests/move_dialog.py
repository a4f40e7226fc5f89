"""The dialog that moves one or more requests to a new status: a reason when the move needs one,
a day to call back for "needs info" and "call back", and what was refused, with why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.status import MoveRefused
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, ngettext
from aiddesk.services.requests.queue import needs_reason, takes_follow_up
from aiddesk.services.requests.status import MoveResult
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.field_error import FieldError, clear_when
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

# Starts the move (target, reason, follow-up day or None) through the operation runner, which
# then calls back with what happened, or with the failure (Invalid for a refused reason text).
Move = Callable[
    [RequestStatus, str, dt.date | None, Callable[[MoveResult], None], Callable[[Failure], None]], None
]


class QueueMoveDialog(Retranslating, QDialog):
    """Moves on "Move". A single request that is refused stays here with why (nothing changed);
    for several, the moved ones are done and the refused ones are listed with why.

    `result_of_move` holds the last MoveResult (None until a move ran)."""

    def __init__(
        self,
        move: Move,
        target: RequestStatus,
        codes: list[str],
        *,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._move = move
        self._target = target
        self._codes = codes
        self.result_of_move: MoveResult | None = None
        self._refusal: MoveRefused | None = None  # why a single request was refused
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.reason_caption = QLabel()
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setMinimumWidth(360)
        self.follow_up_check = QCheckBox()
        self.follow_up_edit = DateField(today + dt.timedelta(days=1))
        self.follow_up_edit.setEnabled(False)
        self.follow_up_check.toggled.connect(self.follow_up_edit.setEnabled)
        self.error = FieldError()
        clear_when(
            (self.reason_edit.textEdited, self.follow_up_check.toggled, self.follow_up_edit.dateChanged),
            self.error,
        )
        self.refused_caption = QLabel()
        self.refused_caption.setWordWrap(True)
        self.refused_list = QListWidget()
        self.refused_list.setWordWrap(True)
        self.refused_list.setMinimumHeight(140)
        self.refused_caption.hide()
        self.refused_list.hide()

        form = QFormLayout()
        form.addRow(self.reason_caption, self.reason_edit)
        form.addRow(self.follow_up_check, self.follow_up_edit)
        if not takes_follow_up(target):
            self.follow_up_check.hide()
            self.follow_up_edit.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = QPushButton()
        self.buttons.addButton(self.move_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_move)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.refused_caption)
        layout.addWidget(self.refused_list)
        layout.addWidget(self.buttons)
        # Enter moves (and closes the list of refused ones): the default button is set once the
        # button is inside the dialog, else QDialog makes the first button (Cancel) the default.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.move_button.setDefault(True)
        self.retranslate_ui()

    @property
    def follow_up(self) -> dt.date | None:
        if not (takes_follow_up(self._target) and self.follow_up_check.isChecked()):
            return None
        return self.follow_up_edit.value()

    def try_move(self) -> None:
        if self.result_of_move is not None and len(self._codes) > 1:
            self.accept()  # the list of refused ones was read: "Close"
            return
        self.error.clear_problem()
        self._refusal = None
        if self.follow_up_check.isChecked() and (problem := self.follow_up_edit.problem("follow_up")):
            self.error.show_problem(problem)
            return
        self.move_button.setEnabled(False)  # until the move (on a worker thread) answers
        self._move(self._target, self.reason_edit.text(), self.follow_up, self._moved, self._failed)

    def _failed(self, failure: Failure) -> None:
        self.move_button.setEnabled(True)
        if isinstance(failure.error, Invalid):
            self.error.show_problem(failure.error.problems[0])
        else:
            self.error.show_text(failure.message)

    def _moved(self, result: MoveResult) -> None:
        self.move_button.setEnabled(True)
        if len(self._codes) == 1:
            if result.refused:
                self._refusal = result.refused[0][1]
                self.retranslate_ui()
                return
            self.result_of_move = result
            self.accept()
            return
        self.result_of_move = result
        if not result.refused:
            self.accept()
            return
        self._show_refused(result)

    def _show_refused(self, result: MoveResult) -> None:
        for widget in (self.reason_caption, self.reason_edit, self.follow_up_check, self.follow_up_edit):
            widget.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.refused_caption.show()
        self.refused_list.show()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        target = _(self._target.label)
        self.setWindowTitle(_("Change status"))
        if len(self._codes) == 1:
            self.summary.setText(
                _("Move request %(code)s to “%(status)s”.") % {"code": self._codes[0], "status": target}
            )
        else:
            self.summary.setText(
                ngettext(
                    "Move %(count)s request to “%(status)s”.",
                    "Move %(count)s requests to “%(status)s”.",
                    len(self._codes),
                )
                % {"count": len(self._codes), "status": target}
            )
        self.reason_caption.setText(_("Reason (needed):") if needs_reason(self._target) else _("Reason:"))
        self.reason_edit.setAccessibleName(_("Reason"))
        self.follow_up_check.setText(_("Call back on:"))
        self.follow_up_edit.setAccessibleName(_("Call back on"))
        self.move_button.setText(_("Move"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        result = self.result_of_move
        if result is not None and result.refused:
            self.move_button.setText(_("Close"))
            moved = ngettext("%(count)s request moved.", "%(count)s requests moved.", len(result.moved)) % {
                "count": len(result.moved)
            }
            refused = ngettext(
                "%(count)s request could not move:", "%(count)s requests could not move:", len(result.refused)
            ) % {"count": len(result.refused)}
            self.refused_caption.setText(f"{moved} {refused}")
            self.refused_list.clear()
            for code, why in result.refused:
                # L10N: a request that could not change status, and why
                self.refused_list.addItem(_("%(code)s: %(why)s") % {"code": code, "why": why.message(_)})
        if self._refusal is not None:
            self.error.setText(self._refusal.message(_))
            self.error.show()
