"""The hand edits waiting on the Conflicts screen: cells someone changed in an exported workbook
(in Excel or LibreOffice), with the value exported and the value typed. Accept or reject the
selected ones, or all of them. The panel only shows and asks: the screen does the deciding."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QWidget

from aiddesk.i18n import N_, _, pgettext
from aiddesk.services.exchange.waiting import PendingRow
from aiddesk.ui.common.list_panel import ListPanel
from aiddesk.ui.retranslate import Retranslating

EMPTY_CELL = "—"
COLUMNS = (
    (lambda: pgettext("list column", "Record"), lambda r: r.record),
    (N_("Sheet"), lambda r: r.edit.sheet),
    (N_("Row"), lambda r: str(r.edit.row)),
    (N_("Column"), lambda r: r.column),
    (N_("Value exported"), lambda r: r.edit.was or EMPTY_CELL),
    (N_("Value typed"), lambda r: r.edit.typed or EMPTY_CELL),
    (N_("File"), lambda r: r.edit.source),
)
WIDTHS = (150, 90, 45, 140, 170, 170)


class ProposalsPanel(Retranslating, ListPanel[PendingRow]):
    """`accept(ids)` / `reject(ids)` for the selected proposals; `accept_all()` / `reject_all()`."""

    accept = Signal(list)
    reject = Signal(list)
    accept_all = Signal()
    reject_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            COLUMNS, WIDTHS, selection=QAbstractItemView.SelectionMode.ExtendedSelection, parent=parent
        )
        self.table.doubleClicked.connect(lambda _index: self._emit(self.accept))
        self.accept_button = QPushButton()
        self.reject_button = QPushButton()
        self.accept_all_button = QPushButton()
        self.reject_all_button = QPushButton()
        self.accept_button.clicked.connect(lambda: self._emit(self.accept))
        self.reject_button.clicked.connect(lambda: self._emit(self.reject))
        self.accept_all_button.clicked.connect(self.accept_all)
        self.reject_all_button.clicked.connect(self.reject_all)
        for button in (self.accept_button, self.reject_button):
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)
        for button in (self.accept_all_button, self.reject_all_button):
            self.buttons.addWidget(button)
        self.retranslate_ui()

    def set_rows(self, rows: list[PendingRow]) -> None:
        self.show_rows(rows)
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        return [
            self.model.row_at(index.row()).edit.id for index in self.table.selectionModel().selectedRows()
        ]

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows of the list (as clicks with Ctrl would)."""
        self.table.clearSelection()
        selection = self.table.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0), flags)

    def _emit(self, signal: SignalInstance) -> None:
        ids = self.selected_ids()
        if ids:
            signal.emit(ids)

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)
        waiting = self.model.rowCount() > 0
        self.accept_all_button.setEnabled(waiting)
        self.reject_all_button.setEnabled(waiting)

    def retranslate_ui(self) -> None:
        self.intro.setText(
            _(
                "Someone changed these cells by hand in a workbook, in Excel or LibreOffice. "
                "Accept a change to store it here, or reject it to keep what the records say."
            )
        )
        self.empty_label.setText(_("No changes typed into workbooks are waiting."))
        self.accept_button.setText(_("&Accept"))
        self.accept_button.setToolTip(_("Store the selected changes (select several with Ctrl or Shift)."))
        self.reject_button.setText(_("&Reject"))
        self.reject_button.setToolTip(_("Leave the records as they are and forget the selected changes."))
        self.accept_all_button.setText(_("Accept all…"))
        self.reject_all_button.setText(_("Reject all…"))
        self.table.setAccessibleName(_("Changes typed into workbooks"))
        self.model.retranslate()
