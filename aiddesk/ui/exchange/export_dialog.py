"""Export…: which records (all, or changed since a date), a redacted copy for people outside
the network, and an optional password typed twice. The file name is asked next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange.folder import check_export_password
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.retranslate import Retranslating


@dataclass(frozen=True)
class ExportChoice:
    since: dt.date | None  # None: every record
    redact: bool
    password: str | None


def hint_label() -> QLabel:
    """A wrapped hint (not a control), in the normal text colour: greyed-out text is hard to read."""
    label = QLabel()
    label.setWordWrap(True)
    return label


class ExportDialog(Retranslating, QDialog):
    """Closes with Accepted when the choices are sound; `choice()` then says what they were.
    `can_redact` is False when no group password is set (the pseudonyms are made with it)."""

    def __init__(self, *, since: dt.date, can_redact: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._can_redact = can_redact
        self.all_button = QRadioButton()
        self.since_button = QRadioButton()
        self.all_button.setChecked(True)
        self.which = QButtonGroup(self)
        self.which.addButton(self.all_button)
        self.which.addButton(self.since_button)
        self.since_edit = DateField(since)
        self.since_edit.setEnabled(False)
        self.since_button.toggled.connect(self.since_edit.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_button)
        since_row.addWidget(self.since_edit)
        since_row.addStretch(1)
        which_layout = QVBoxLayout()
        which_layout.addWidget(self.all_button)
        which_layout.addLayout(since_row)
        self.which_box = QGroupBox()
        self.which_box.setLayout(which_layout)

        self.redact_box = QCheckBox()
        self.redact_box.setEnabled(can_redact)
        self.redact_hint = hint_label()

        self.password_box = QCheckBox()
        self.password_edit = QLineEdit()
        self.again_edit = QLineEdit()
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(200)
            edit.setEnabled(False)
            self.password_box.toggled.connect(edit.setEnabled)
        self.password_caption, self.again_caption = QLabel(), QLabel()
        self.errors = {"password": FieldError(), "again": FieldError()}
        self.general_error = FieldError()
        self.password_hint = hint_label()
        password_form = QFormLayout()
        password_form.addRow(self.password_caption, self.password_edit)
        password_form.addRow("", self.errors["password"])
        password_form.addRow(self.again_caption, self.again_edit)
        password_form.addRow("", self.errors["again"])

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.which_box)
        layout.addWidget(self.redact_box)
        layout.addWidget(self.redact_hint)
        layout.addSpacing(8)
        layout.addWidget(self.password_box)
        layout.addLayout(password_form)
        layout.addWidget(self.password_hint)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def since(self) -> dt.date | None:
        if not self.since_button.isChecked():
            return None
        return self.since_edit.checked("since")

    def choice(self) -> ExportChoice:
        password = self.password_edit.text() if self.password_box.isChecked() else None
        return ExportChoice(self.since(), self.redact_box.isChecked(), password)

    def try_accept(self) -> None:
        try:
            self.since()  # a day that cannot be read is said here
            if self.password_box.isChecked():
                check_export_password(self.password_edit.text(), self.again_edit.text())
        except Invalid as refused:
            show_problems(self.errors, refused, self.general_error)
            return
        for error in (*self.errors.values(), self.general_error):
            error.clear_problem()
        self.accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Export a workbook"))
        self.which_box.setTitle(_("Which records"))
        self.all_button.setText(_("Every record"))
        self.since_button.setText(_("Only records changed since"))
        self.redact_box.setText(_("Redacted copy for sharing outside the network"))
        if self._can_redact:
            self.redact_hint.setText(
                _("Names, phones and addresses are left out or replaced by codes; it cannot be merged back.")
            )
        else:
            self.redact_hint.setText(
                _(
                    "A redacted copy replaces names by codes that only the desks of your network can "
                    "match. The codes are made with the group password: set it in Settings first."
                )
            )
        self.password_box.setText(_("Protect the file with a password"))
        self.password_caption.setText(_("Password:"))
        self.again_caption.setText(_("Password again:"))
        self.password_hint.setText(
            _("Whoever opens the file needs this password. Tell it by phone, not in the same e-mail.")
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Choose where to save…"))
