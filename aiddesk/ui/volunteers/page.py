"""The Volunteers screen: the roster with its search and filters; add, edit, deactivate, reactivate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.roster import VolunteerFields
from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_number
from aiddesk.services import labels as labels_service
from aiddesk.services import roster
from aiddesk.services.roster import VolunteerRow
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.volunteers.filter_bar import VolunteerFilterBar
from aiddesk.ui.volunteers.form_dialog import VolunteerDialog
from aiddesk.ui.volunteers.table_model import COLUMN_KEYS, VolunteersModel

# Fixed starting widths (the user may drag them); never sized to the contents of a big model.
COLUMN_WIDTHS: dict[str, int] = {
    "code": 75,
    "name": 145,
    "active": 65,
    "phone": 105,
    "languages": 110,
    "skills": 130,
    "zones": 95,
    "available": 105,
    "trained": 135,
    "max_runs": 45,
}


class VolunteersPage(Retranslating, QWidget):
    """`roster_changed` after a volunteer was added, edited, deactivated or reactivated."""

    roster_changed = Signal()

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self.dialog: VolunteerDialog | None = None  # the add/edit form while it is open
        self.model = VolunteersModel(ctx.database, self)
        self.model.set_region(ctx.desk.phone_region)

        self.title = page_title()
        self.filter_bar = VolunteerFilterBar()
        self.count_label = QLabel()

        self.table = record_table(self.model, widths=[COLUMN_WIDTHS[key] for key in COLUMN_KEYS])
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self._sort)
        self.table.doubleClicked.connect(self.edit_selected)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty_label)

        self.add_button = QPushButton()
        self.edit_button = QPushButton()
        self.active_button = QPushButton()
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.active_button.clicked.connect(self.toggle_active)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.filter_bar)
        layout.addLayout(buttons)
        layout.addWidget(self.views, 1)

        self.model.modelReset.connect(self._show_count)
        self.model.modelReset.connect(self._update_buttons)
        self.filter_bar.changed.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._load_choices()
        self.model.set_filter(self.filter_bar.filter())
        self.retranslate_ui()

    # ---- reading ---------------------------------------------------------------------------

    def _load_choices(self) -> None:
        zones = labels_service.list_labels(self._ctx.database, "zone")
        self.model.set_zones(zones)
        self.filter_bar.set_zones(zones)
        self.filter_bar.set_languages(roster.languages_in_use(self._ctx.database))

    def refresh(self) -> None:
        """Read the roster again (after new records or renamed zones)."""
        selected = self.selected()
        self._load_choices()
        self.model.set_filter(self.filter_bar.filter())
        if selected is not None:
            self.select(selected.id)

    def _filter_changed(self) -> None:
        self.model.set_filter(self.filter_bar.filter())

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)
        header = self.table.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (
            self.model.sort_column,
            self.model.sort_order,
        ):
            header.blockSignals(True)  # a column that does not sort keeps the indicator where it was
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
            header.blockSignals(False)

    def selected(self) -> VolunteerRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, volunteer_id: str) -> None:
        row = self.model.row_of(volunteer_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # ---- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        added: list[str] = []

        def save(fields: VolunteerFields) -> None:
            added.append(roster.add_volunteer(self._ctx.database, self._ctx.who, fields, today=self._today()))

        self._open(None, save, lambda: added[-1] if added else None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        record = roster.get_volunteer(self._ctx.database, row.id)
        if record is None:
            self.refresh()
            return

        def save(fields: VolunteerFields) -> None:
            roster.edit_volunteer(self._ctx.database, self._ctx.who, row.id, fields, today=self._today())

        self._open(record, save, lambda: row.id)

    def _open(
        self,
        record: roster.VolunteerRecord | None,
        save: Callable[[VolunteerFields], None],
        saved_id: Callable[[], str | None],
    ) -> None:
        dialog = VolunteerDialog(
            save,
            zones=labels_service.list_labels(self._ctx.database, "zone"),
            languages=roster.languages_in_use(self._ctx.database),
            record=record,
            today=self._today(),
            parent=self,
        )
        self.dialog = dialog

        def on_accepted() -> None:
            self.refresh()
            chosen = saved_id()
            if chosen is not None:
                self.select(chosen)
            self.roster_changed.emit()

        def on_finished() -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(on_finished)
        dialog.open()

    def toggle_active(self) -> None:
        """Deactivate the selected volunteer (they stay in the roster, greyed) or reactivate them."""
        row = self.selected()
        if row is None:
            return
        roster.set_active(self._ctx.database, self._ctx.who, row.id, not row.active)
        self.refresh()
        self.select(row.id)
        self.roster_changed.emit()

    # ---- texts -----------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.active_button.setEnabled(row is not None)
        self.active_button.setText(_("Reactivate") if row is not None and not row.active else _("Deactivate"))

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText(
            ngettext("%(count)s volunteer", "%(count)s volunteers", total) % {"count": format_number(total)}
        )
        self.views.setCurrentWidget(self.table if total > 0 else self.empty_label)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Volunteers"))
        self.add_button.setText(_("Add…"))
        self.edit_button.setText(_("Edit…"))
        self.active_button.setToolTip(
            _("A volunteer is never deleted: deactivated, they keep their runs and are no longer suggested.")
        )
        self.empty_label.setText(
            _("No volunteers match.") + "\n" + _("Add one, or change the filters above.")
        )
        chosen = self.selected()
        self.model.retranslate()  # reads the rows again when the locale changed
        if chosen is not None and self.selected() is None:
            self.select(chosen.id)
        self._update_buttons()
        self._show_count()
