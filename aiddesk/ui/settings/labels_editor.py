"""Editor of the need categories or the zones: add, rename, retire and restore (read and saved
through the desk's operation runner)."""

from __future__ import annotations

from collections.abc import Callable

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
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk.labels import Label
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.settings.label_dialog import LabelDialog
from aiddesk.ui.settings.labels_model import STATE_COLUMN, LabelsModel
from aiddesk.ui.shell.operations import Failure, show_failure

TITLES: dict[str, str] = {"need_category": N_("Need categories"), "zone": N_("Zones")}
ADD_TITLES: dict[str, str] = {"need_category": N_("New need category"), "zone": N_("New zone")}
RENAME_TITLES: dict[str, str] = {"need_category": N_("Rename need category"), "zone": N_("Rename zone")}


class LabelsEditor(Retranslating, QGroupBox):
    """One list (kind "need_category" or "zone"). What it saves reaches every screen through the
    change notifier (kind LABEL); the Settings screen then reads it again."""

    def __init__(self, ctx: DeskContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self.dialog: LabelDialog | None = None  # the add/rename dialog while it is open
        self._select_next: str | None = None  # the label to select once the list is read again

        self.model = LabelsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons, the label chosen stays
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
        """Read the list again, keeping the chosen label (or choosing `select_id`)."""
        if select_id is not None:
            self._select_next = select_id
        db, kind = self._ctx.database, self.kind

        def show(labels: list[Label]) -> None:
            chosen = self.selected_label()
            keep = self._select_next or (chosen.id if chosen is not None else None)
            self._select_next = None
            self.model.set_labels(labels)
            if keep is not None:
                self.select(keep)
            self._update_buttons()

        self._ctx.operations.query(
            lambda: labels_service.list_labels(db, kind), show, key=f"settings-labels-{kind}"
        )

    def select(self, label_id: str) -> None:
        row = self.model.row_of(label_id)
        if row >= 0:
            self.table.selectRow(row)

    def selected_label(self) -> Label | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.label_at(rows[0].row()) if rows else None

    # ---- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        db, who, kind = self._ctx.database, self._ctx.who, self.kind

        def save(
            label_en: str, label_es: str, saved: Callable[[], None], refused: Callable[[Failure], None]
        ) -> None:
            def added(label_id: str) -> None:
                self.reload(select_id=label_id)
                saved()

            self._ctx.operations.write(
                lambda: labels_service.add_label(db, who, kind, label_en, label_es),
                added,
                failed=refused,
                parent=self.dialog,
            )

        self._open_dialog(LabelDialog(save, ADD_TITLES[kind], parent=self))

    def rename(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        db, who, kind = self._ctx.database, self._ctx.who, self.kind

        def save(
            label_en: str, label_es: str, saved: Callable[[], None], refused: Callable[[Failure], None]
        ) -> None:
            def renamed(_none: None) -> None:
                self.reload(select_id=label.id)
                saved()

            self._ctx.operations.write(
                lambda: labels_service.rename_label(db, who, kind, label.id, label_en, label_es),
                renamed,
                failed=refused,
                parent=self.dialog,
            )

        dialog = LabelDialog(
            save, RENAME_TITLES[kind], label_en=label.label_en, label_es=label.label_es, parent=self
        )
        self._open_dialog(dialog)

    def toggle_retired(self) -> None:
        label = self.selected_label()
        if label is None:
            return
        db, who, kind, retired = self._ctx.database, self._ctx.who, self.kind, not label.retired
        self.retire_button.setEnabled(False)  # until the list is read again
        self._ctx.operations.write(
            lambda: labels_service.set_retired(db, who, kind, label.id, retired),
            lambda _none: self.reload(select_id=label.id),
            failed=self._refused,
            parent=self,
        )

    def _refused(self, failure: Failure) -> None:
        self._update_buttons()
        show_failure(self, failure)

    def _open_dialog(self, dialog: LabelDialog) -> None:
        self.dialog = dialog

        def on_finished() -> None:
            self.dialog = None
            dialog.deleteLater()

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
