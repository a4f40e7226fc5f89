"""Start of a shift: who is at the desk? Pick a recent name or type one; it goes on everything saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.desk import DeskInfo
from aiddesk.domain.validation import Invalid, Problem, shift_name
from aiddesk.i18n import N_, _
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.retranslate import Retranslating


class ShiftDialog(Retranslating, QDialog):
    """Asks who is at the desk; `who` holds the checked name after accept() (the caller records
    the shift). It needs no database, so it can show before the store has loaded.

    The name field starts empty on purpose: with the last volunteer's name filled in, the next one
    would press Enter and sign their work with someone else's name."""

    def __init__(self, recent_users: list[str], desk: DeskInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shiftDialog")
        self._desk = desk
        self.who: str | None = None

        self.question = QLabel()
        self.question.setObjectName("shiftQuestion")
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.question.setFont(font)
        self.desk_line = QLabel()
        self.desk_line.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.name = QComboBox()
        self.name.setObjectName("shiftName")
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItems(recent_users)
        self.name.setCurrentIndex(-1)
        self.name.setEditText("")
        completer = QCompleter(self.name.model(), self.name)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.name.setCompleter(completer)
        self.hint.setBuddy(self.name)
        self.name_error = FieldError()

        self.start_button = QPushButton()
        self.start_button.setObjectName("startShift")
        self.start_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.desk_line)
        layout.addSpacing(6)
        layout.addWidget(self.hint)
        layout.addWidget(self.name)
        layout.addWidget(self.name_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.name.setFocus()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Start a shift"))
        self.question.setText(_("Who is at the desk?"))
        self.desk_line.setText(
            _("Desk: %(name)s (%(code)s)") % {"name": self._desk.name, "code": self._desk.code}
        )
        self.hint.setText(
            _("Pick your name from the list or type it. It is recorded on everything you save.")
        )
        line_edit = self.name.lineEdit()
        if line_edit is not None:  # always: the box is editable
            line_edit.setPlaceholderText(_("Your name"))
        self.start_button.setText(_("Start shift"))

    def _fit_height(self) -> None:
        """Grow to show every line of a wrapped message: a window's layout sizes it by the
        one-line height of a word-wrapped label, and the rest of the message was cut off."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def accept(self) -> None:
        try:
            if not self.name.currentText().strip():
                raise Invalid([Problem("name", N_("Please pick your name or type it."))])
            self.who = shift_name(self.name.currentText())
        except Invalid as exc:
            self.name_error.show_problem(exc.problems[0])
            self._fit_height()
            self.name.setFocus()
            return
        self.name_error.clear_problem()
        super().accept()
