"""One open conflict, under the list of the Conflicts screen: every competing value with the desk
that typed it and when, which one the lists show now, a "Keep this value" button for each, and
a box to type the right value instead. A record deleted at one desk and changed at another asks
"Keep the record" or "Delete it" and says what was changed.

The widget decides nothing itself: it emits `chosen(values)` or `typed(text)` and the screen
settles the conflict through the service."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Problem
from aiddesk.i18n import _
from aiddesk.services.conflicts import AFTER_DELETE, Choice, OpenConflict, can_type, field_label
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.requests.texts import when_text
from aiddesk.ui.retranslate import Retranslating

SHOWN_STYLE = "border: 1px solid palette(mid); border-radius: 3px; padding: 0 6px; font-style: italic;"
ORIGIN_STYLE = "color: palette(placeholder-text);"
EMPTY_VALUE = "—"


def _wrapped(bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


class _ChoiceRow(QFrame):
    """One competing value: the value (and "shown now" beside the one the lists show), below it
    the desk that typed it and when; its "Keep this value" button on the right."""

    def __init__(self, choice: Choice) -> None:
        super().__init__()
        self.choice = choice
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = _wrapped(bold=True)
        self.origin = _wrapped()
        self.origin.setStyleSheet(ORIGIN_STYLE)
        self.shown = QLabel()
        self.shown.setStyleSheet(SHOWN_STYLE)
        self.keep = QPushButton()
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.value, 1)
        top.addWidget(self.shown, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addLayout(top)
        text.addWidget(self.origin)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(text, 1)
        layout.addWidget(self.keep, 0, Qt.AlignmentFlag.AlignVCenter)
        self.shown.setVisible(choice.shown)  # in its frame by now: never a window of its own

    def retranslate(self) -> None:
        text = self.choice.text or EMPTY_VALUE
        self.value.setText(text)
        # L10N: under a competing value: the desk that typed it, and when
        self.origin.setText(
            _("Typed at %(desk)s, %(when)s") % {"desk": self.choice.desk, "when": when_text(self.choice.when)}
        )
        # L10N: a tag next to the value the lists show while the conflict is open
        self.shown.setText(_("Shown now"))
        self.keep.setText(_("Keep this value"))
        # L10N: the accessible name of a "Keep this value" button: the value it keeps
        self.keep.setAccessibleName(_("Keep “%(value)s”") % {"value": text})


class ConflictDetail(Retranslating, QWidget):
    """`chosen(dict)`: the field values to keep; `typed(str)`: a value typed to keep instead."""

    chosen = Signal(object)
    typed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conflict: OpenConflict | None = None
        self._rows: list[_ChoiceRow] = []
        self.heading = _wrapped(bold=True)
        self.note = _wrapped()

        self.choices_box = QWidget()
        self.choices_list = QVBoxLayout(self.choices_box)
        self.choices_list.setContentsMargins(0, 0, 0, 0)
        self.choices_list.setSpacing(4)

        self.typed_caption = QLabel()
        self.typed_edit = QLineEdit()
        self.typed_caption.setBuddy(self.typed_edit)
        self.use_button = QPushButton()
        self.use_button.clicked.connect(self._use_typed)
        self.typed_edit.returnPressed.connect(self._use_typed)
        self.error = FieldError()
        self.typed_box = QWidget()
        typed_layout = QVBoxLayout(self.typed_box)
        typed_layout.setContentsMargins(0, 0, 0, 0)
        line = QHBoxLayout()
        line.addWidget(self.typed_caption)
        line.addWidget(self.typed_edit, 1)
        line.addWidget(self.use_button)
        typed_layout.addLayout(line)
        typed_layout.addWidget(self.error)

        self.keep_record_button = QPushButton()
        self.delete_button = QPushButton()
        self.keep_record_button.clicked.connect(lambda: self.chosen.emit({"deleted": False}))
        self.delete_button.clicked.connect(lambda: self.chosen.emit({"deleted": True}))
        self.delete_box = QWidget()
        delete_layout = QHBoxLayout(self.delete_box)
        delete_layout.setContentsMargins(0, 0, 0, 0)
        delete_layout.addWidget(self.keep_record_button)
        delete_layout.addWidget(self.delete_button)
        delete_layout.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.choices_box)
        layout.addWidget(self.typed_box)
        layout.addWidget(self.delete_box)
        layout.addStretch(1)
        self.show_conflict(None)

    @property
    def conflict(self) -> OpenConflict | None:
        return self._conflict

    @property
    def keep_buttons(self) -> list[QPushButton]:
        return [row.keep for row in self._rows]

    def show_conflict(self, conflict: OpenConflict | None) -> None:
        self._conflict = conflict
        for row in self._rows:
            row.deleteLater()
        self._rows = []
        self.typed_edit.clear()
        self.error.clear_problem()
        after_delete = conflict is not None and conflict.field == AFTER_DELETE
        if conflict is not None and not after_delete:
            for choice in conflict.choices:
                row = _ChoiceRow(choice)
                row.keep.clicked.connect(lambda _checked=False, c=choice: self._keep(c))
                self.choices_list.addWidget(row)
                row.show()  # now, not queued: the rows are there as soon as the conflict shows
                self._rows.append(row)
        self.choices_box.setVisible(bool(self._rows))
        chain = self.focus_chain()
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.typed_box.setVisible(
            conflict is not None and not after_delete and can_type(conflict.kind, conflict.field)
        )
        self.delete_box.setVisible(after_delete)
        self.retranslate_ui()

    def focus_chain(self) -> list[QWidget]:
        """The controls in the order Tab visits them: each value's Keep button, then the typed value."""
        if self._conflict is not None and self._conflict.field == AFTER_DELETE:
            return [self.keep_record_button, self.delete_button]
        return [*(row.keep for row in self._rows), self.typed_edit, self.use_button]

    def show_problem(self, problem: Problem) -> None:
        self.error.show_problem(problem)
        self.typed_edit.setFocus()

    def _keep(self, choice: Choice) -> None:
        if self._conflict is not None:
            self.chosen.emit({self._conflict.field: choice.value})

    def _use_typed(self) -> None:
        if self._conflict is not None and self._conflict.field != AFTER_DELETE:
            self.typed.emit(self.typed_edit.text())

    # ---- texts -----------------------------------------------------------------------------

    def _after_delete_note(self, conflict: OpenConflict) -> str:
        delete = conflict.choices[0] if conflict.choices else None
        fields = ", ".join(field_label(conflict.kind, name) for name in conflict.edited_fields)
        first = (
            _("On %(when)s, %(desk)s deleted this record.")
            % {"desk": delete.desk, "when": when_text(delete.when)}
            if delete is not None
            else _("A desk deleted this record.")
        )
        # L10N: %(fields)s lists what was changed, like "Phone, Address"
        second = _("Another desk had changed it at the same time: %(fields)s.") % {"fields": fields}
        return " ".join((first, second, _("Keep the record with those changes, or delete it?")))

    def retranslate_ui(self) -> None:
        conflict = self._conflict
        self.typed_caption.setText(_("Or type the right value:"))
        self.typed_edit.setAccessibleName(_("The right value"))
        self.use_button.setText(_("Use this value"))
        self.keep_record_button.setText(_("Keep the record"))
        self.delete_button.setText(_("Delete it"))
        for row in self._rows:
            row.retranslate()
        if conflict is None:
            self.heading.setText(_("Choose a conflict in the list above."))
            self.note.clear()
            return
        # L10N: above a conflict: the record (code and name) and the field, like "TST-P1 — Phone"
        self.heading.setText(
            _("%(record)s — %(field)s") % {"record": conflict.record, "field": conflict.field_label}
        )
        if conflict.field == AFTER_DELETE:
            self.note.setText(self._after_delete_note(conflict))
        else:
            self.note.setText(
                _("Two desks changed this at the same time. Keep the value that is right, or type it.")
            )
