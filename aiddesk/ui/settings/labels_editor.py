"""Editor of the need categories or the zones: add, rename, retire and restore."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import N_, _
from aiddesk.services import labels as labels_service
from aiddesk.services.labels import Label
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.settings.label_dialog import LabelDialog
from aiddesk.ui.settings.labels_model import STATE_COLUMN, LabelsModel

TITLES: dict[str, str] = {"need_category": N_("Need categories"), "zone": N_("Zones")}
ADD_TITLES: dict[str, str] = {"need_category": N_("New need category"), "zone": N_("New zone")}
RENAME_TITLES: dict[str, str] = {"need_category": N_("Rename need category"), "zone": N_("Rename zone")}


class LabelsEditor(Retranslating, QGroupBox):
    """One list (kind "need_category" or "zone"); emits `changed` after every saved change."""

    changed = Signal()

    def __init__(self, ctx: DeskContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self.dialog: LabelDialog | None = None  # the add/rename dialog while it is open

        self.model = LabelsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STATE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)  # a short list
        self.table.doubleClicked.connect(self.rename)

        self.add_button = QPushButton()
        self.rename_button = QPushButton()
        self.retire_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.retire_button.clicked.connect(self.toggle_retired)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.retire_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.reload()
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.retranslate_ui()

    # ---- reading ---------------------------------------------------------------------------

    def reload(self, select_id: str | None = None) -> None:
        self.model.set_labels(labels_service.list_labels(self._ctx.database, self.kind))
        if select_id is not None:
            self.select(select_id)
        self._update_buttons()

    def select(self, label_id: str) -> None:
        row = self.model.row_of(label_id)
        if row >= 0:
            self.table.selectRow(row)

    def selected_label(self) -> Label | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.label_at(rows[0].row()) if rows else None

    # ---- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        added: list[str] = []

        def save(label_en: str, label_es: str) -> None:
            added.append(
                labels_service.add_label(self._ctx.database, self._ctx.who, self.kind, label_en, label_es)
            )

        self._open_dialog(LabelDialog(save, ADD_TITLES[self.kind], parent=self), lambda: added[-1])

    def rename(self) -> None:
        label = self.selected_label()
        if label is None:
            return

        def save(label_en: str, label_es: str) -> None:
            labels_service.rename_label(
                self._ctx.database, self._ctx.who, self.kind, label.id, label_en, label_es
            )

        dialog = LabelDialog(
            save, RENAME_TITLES[self.kind], label_en=label.label_en, label_es=label.label_es, parent=self
        )
        self._open_dialog(dialog, lambda: label.id)

    def toggle_retired(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        labels_service.set_retired(self._ctx.database, self._ctx.who, self.kind, label.id, not label.retired)
        self.reload(select_id=label.id)
        self.changed.emit()

    def _open_dialog(self, dialog: LabelDialog, saved_id: Callable[[], str]) -> None:
        self.dialog = dialog

        def on_accepted() -> None:
            self.reload(select_id=saved_id())
            self.changed.emit()

        def on_finished() -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(on_finished)
        dialog.open()

    # ---- texts -----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        label = self.selected_label()
        self.rename_button.setEnabled(label is not None)
        self.retire_button.setEnabled(label is not None)
        self.retire_button.setText(_("Restore") if label is not None and label.retired else _("Retire"))

    def retranslate_ui(self) -> None:
        self.setTitle(_(TITLES[self.kind]))
        self.add_button.setText(_("Add…"))
        self.rename_button.setText(_("Rename…"))
        self._update_buttons()
        self.model.retranslate()
