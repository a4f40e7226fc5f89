"""The needs of a call: one row per need (category, urgency, recurring, details), added and
removed from the keyboard. Each row becomes its own request."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import Recurring, Urgency
from aiddesk.domain.intake import NeedRow
from aiddesk.i18n import N_, _
from aiddesk.services.labels import Label
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.intake.fields import EnumBox, LabelBox
from aiddesk.ui.retranslate import Retranslating

CHOOSE_NEED = N_("Choose a need…")
PARTS = ("category", "urgency", "recurring", "details")


class NeedRowWidget(Retranslating, QFrame):
    """One need; `changed` after any edit, `remove_requested` from its remove button."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, categories: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.category_box = LabelBox(CHOOSE_NEED)
        self.category_box.set_labels(categories)
        self.urgency_box = EnumBox(Urgency)
        self.recurring_box = EnumBox(Recurring)
        self.details_edit = QLineEdit()
        self.details_edit.setMaxLength(2000)
        self.remove_button = QToolButton()
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # Tab skips it; Ctrl+Shift+Del removes
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.errors: dict[str, FieldError] = {part: FieldError() for part in PARTS}
        self.set_need(NeedRow())
        for part, box in (
            ("category", self.category_box),
            ("urgency", self.urgency_box),
            ("recurring", self.recurring_box),
        ):
            box.currentIndexChanged.connect(self.changed)
            box.activated.connect(self.errors[part].clear_problem)
        self.details_edit.textChanged.connect(self.changed)
        self.details_edit.textEdited.connect(self.errors["details"].clear_problem)

        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.category_box, 0, 0, 1, 2)
        grid.addWidget(self.remove_button, 0, 2)
        grid.addWidget(self.errors["category"], 1, 0, 1, 3)
        grid.addWidget(self.urgency_box, 2, 0)
        grid.addWidget(self.recurring_box, 2, 1, 1, 2)
        grid.addWidget(self.errors["urgency"], 3, 0)
        grid.addWidget(self.errors["recurring"], 3, 1, 1, 2)
        grid.addWidget(self.details_edit, 4, 0, 1, 3)
        grid.addWidget(self.errors["details"], 5, 0, 1, 3)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.retranslate_ui()

    def inputs(self) -> list[QWidget]:
        return [self.category_box, self.urgency_box, self.recurring_box, self.details_edit]

    def part_widget(self, part: str) -> QWidget:
        return dict(zip(PARTS, self.inputs(), strict=True))[part]

    def need(self) -> NeedRow:
        return NeedRow(
            self.category_box.value(),
            self.urgency_box.value(),
            self.recurring_box.value(),
            self.details_edit.text(),
        )

    def set_need(self, need: NeedRow) -> None:
        self.category_box.set_value(need.category_id)
        self.urgency_box.set_value(need.urgency)
        self.recurring_box.set_value(need.recurring)
        self.details_edit.setText(need.details)

    def retranslate_ui(self) -> None:
        self.category_box.retranslate()
        self.urgency_box.retranslate()
        self.recurring_box.retranslate()
        self.category_box.setAccessibleName(_("Need"))
        self.urgency_box.setAccessibleName(_("Urgency"))
        self.recurring_box.setAccessibleName(_("How often"))
        self.details_edit.setAccessibleName(_("Details of the need"))
        self.details_edit.setPlaceholderText(_("Details: what, how much, where"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Remove this need (Ctrl+Shift+Del)"))


class NeedsEditor(Retranslating, QGroupBox):
    """Always at least one row (an empty row saves no request). `changed` after any edit;
    `rows_changed` when a row was added or removed (the tab order changes)."""

    changed = Signal()
    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._categories: list[Label] = []
        self.row_widgets: list[NeedRowWidget] = []
        self.rows_layout = QVBoxLayout()
        self.rows_layout.setSpacing(6)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_need)
        layout = QVBoxLayout(self)
        layout.addLayout(self.rows_layout)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._append(NeedRow())
        self.retranslate_ui()

    # ---- rows ------------------------------------------------------------------------------

    def _append(self, need: NeedRow) -> NeedRowWidget:
        row = NeedRowWidget(self._categories)
        row.set_need(need)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self.remove_row)
        self.row_widgets.append(row)
        self.rows_layout.addWidget(row)
        row.show()  # at once: Tab skips a row that would only show on the next turn of the event loop
        return row

    def add_need(self) -> NeedRowWidget:
        """A new empty row with the focus on its need."""
        row = self._append(NeedRow())
        self.rows_changed.emit()
        self.changed.emit()
        row.category_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return row

    def remove_row(self, row: NeedRowWidget) -> None:
        """Remove a row (the last one left is emptied instead); the focus goes to the row above."""
        if row not in self.row_widgets:
            return
        index = self.row_widgets.index(row)
        if len(self.row_widgets) == 1:
            row.set_need(NeedRow())
            for error in row.errors.values():
                error.clear_problem()
            row.category_box.setFocus()
            return
        self.row_widgets.remove(row)
        self.rows_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self.rows_changed.emit()
        self.changed.emit()
        self.row_widgets[max(0, index - 1)].category_box.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focused_row(self) -> NeedRowWidget | None:
        focus = QApplication.focusWidget()
        for row in self.row_widgets:
            if focus is not None and (focus is row or row.isAncestorOf(focus)):
                return row
        return None

    def needs(self) -> list[NeedRow]:
        return [row.need() for row in self.row_widgets]

    def set_needs(self, needs: list[NeedRow]) -> None:
        wanted = needs or [NeedRow()]
        while len(self.row_widgets) > len(wanted):
            row = self.row_widgets.pop()
            self.rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for index, need in enumerate(wanted):
            if index < len(self.row_widgets):
                self.row_widgets[index].set_need(need)
            else:
                self._append(need)
        self.clear_errors()
        self.rows_changed.emit()

    def set_categories(self, categories: list[Label]) -> None:
        self._categories = categories
        for row in self.row_widgets:
            row.category_box.set_labels(categories)

    def inputs(self) -> list[QWidget]:
        return [w for row in self.row_widgets for w in row.inputs()]

    def field_widget(self, name: str) -> QWidget | None:
        """The input of "needs.<row>.<part>"."""
        row, part = self._address(name)
        return row.part_widget(part) if row is not None else None

    def error_for(self, name: str) -> FieldError | None:
        row, part = self._address(name)
        return row.errors[part] if row is not None else None

    def _address(self, name: str) -> tuple[NeedRowWidget | None, str]:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "needs" and parts[1].isdigit() and parts[2] in PARTS:
            index = int(parts[1])
            if index < len(self.row_widgets):
                return self.row_widgets[index], parts[2]
        return None, ""

    def clear_errors(self) -> None:
        for row in self.row_widgets:
            for error in row.errors.values():
                error.clear_problem()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Needs"))
        self.add_button.setText(_("Add a need (Ctrl+Shift+N)"))
