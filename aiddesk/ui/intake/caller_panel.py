"""The side panel of the intake screen: earlier callers matching what is typed, and who the call
is attached to."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _
from aiddesk.services.intake import CallerMatch
from aiddesk.ui.intake.caller_matches_model import CallerMatchesModel
from aiddesk.ui.intake.fields import note_label
from aiddesk.ui.retranslate import Retranslating


class CallerPanel(Retranslating, QFrame):
    """`pick_requested(row)` when a listed person is chosen (click, Enter in the list, or the page's
    shortcuts); `detach_requested` from the "new caller" button."""

    pick_requested = Signal(int)
    detach_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._typed = ""
        self._attached: tuple[str, str] | None = None  # (name, code)
        self.model = CallerMatchesModel(self)

        self.attached_label = QLabel()
        self.attached_label.setObjectName("attachedCaller")
        self.attached_label.setWordWrap(True)
        self.new_caller_button = QPushButton()
        self.new_caller_button.clicked.connect(self.detach_requested)
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.hint = note_label()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSpacing(2)
        self.list.clicked.connect(lambda index: self.pick_requested.emit(index.row()))
        self.list.activated.connect(lambda index: self.pick_requested.emit(index.row()))
        self.empty_label = note_label()

        layout = QVBoxLayout(self)
        layout.addWidget(self.attached_label)
        layout.addWidget(self.new_caller_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.list, 1)
        layout.addStretch(0)  # takes the room while the list is hidden
        self.show_matches([], "", "US")
        self.show_attached(None)
        self.retranslate_ui()

    # ---- matches ---------------------------------------------------------------------------

    def show_matches(self, matches: list[CallerMatch], typed: str, region: str) -> None:
        self._typed = typed.strip()
        self.model.set_matches(matches, region)
        self.list.setVisible(bool(matches))
        self._show_empty()

    def move_selection(self, step: int) -> None:
        """Select the next (step 1) or previous (-1) person in the list."""
        count = self.model.rowCount()
        if not count:
            return
        current = self.selected_row()
        row = 0 if current < 0 else min(max(current + step, 0), count - 1)
        index = self.model.index(row, 0)
        self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)

    def selected_row(self) -> int:
        rows = self.list.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def match_at(self, row: int) -> CallerMatch | None:
        return self.model.match_at(row)

    # ---- attached --------------------------------------------------------------------------

    def show_attached(self, person: tuple[str, str] | None) -> None:
        """(name, code) of the person the call is for, or None for a new caller."""
        self._attached = person
        self.new_caller_button.setVisible(person is not None)
        self._show_attached_text()

    def _show_attached_text(self) -> None:
        if self._attached is None:
            self.attached_label.setText(_("New caller: saving adds them to the desk."))
        else:
            name, code = self._attached
            self.attached_label.setText(
                _("This call is for %(name)s (%(code)s).")
                % {"name": name or _("(no name given)"), "code": code}
            )

    def _show_empty(self) -> None:
        has_matches = self.model.rowCount() > 0
        self.empty_label.setVisible(not has_matches)
        if not self._typed:
            self.empty_label.setText(_("Type a phone number or a name: earlier callers show here."))
        else:
            self.empty_label.setText(_("No earlier caller matches “%(typed)s”.") % {"typed": self._typed})

    def retranslate_ui(self) -> None:
        self.title.setText(_("Earlier callers"))
        self.hint.setText(
            _("Ctrl+Down and Ctrl+Up choose, Ctrl+Enter takes the call for them; or Alt+1 to Alt+9.")
        )
        self.new_caller_button.setText(_("New caller"))
        self.new_caller_button.setToolTip(_("This call is not for them: undo the choice"))
        self.list.setAccessibleName(_("Earlier callers"))
        self.model.retranslate()
        self._show_attached_text()
        self._show_empty()
