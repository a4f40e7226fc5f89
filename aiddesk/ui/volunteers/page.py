"""The Volunteers screen: the roster with its search and filters; add, edit, deactivate, reactivate.

Reads and saves go through the desk's operation runner; the screen reads again when an
operation anywhere changed volunteers or zones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import Kind
from aiddesk.domain.roster import VolunteerFields
from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_number
from aiddesk.services import roster
from aiddesk.services.database import Database
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk.labels import Label
from aiddesk.services.roster import VolunteerRecord, VolunteerRow
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, show_failure
from aiddesk.ui.shell.refreshing import Refreshes
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


# What the form needs: the volunteer (None for a new one), the desk's zones, the languages in use.
FormChoices = tuple[VolunteerRecord | None, list[Label], list[str]]


def _read_choices(db: Database) -> tuple[list[Label], list[str]]:
    """On a worker thread: the desk's zones and the languages volunteers speak."""
    return labels_service.list_labels(db, "zone"), roster.languages_in_use(db)


class VolunteersPage(Refreshes, Retranslating, QWidget):
    """The roster; adds, edits, deactivates and reactivates volunteers."""

    shows = frozenset({Kind.VOLUNTEER, Kind.LABEL})

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self.dialog: VolunteerDialog | None = None  # the add/edit form while it is open
        self._opening = False  # the form's choices are being read
        self._keep_selected: str | None = None  # the volunteer chosen before the list was read again
        self._select_next: str | None = None  # a volunteer just saved: chosen once the list is read
        self.model = VolunteersModel(ctx.database, self, operations=ctx.operations)
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

        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
        self.filter_bar.changed.connect(self._filter_changed)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._load_choices()
        self.model.set_filter(self.filter_bar.filter())
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- reading ---------------------------------------------------------------------------

    def _load_choices(self) -> None:
        db = self._ctx.database
        self._ctx.operations.query(
            lambda: _read_choices(db), while_alive(self, self._show_choices), key="volunteers-choices"
        )

    def _show_choices(self, choices: tuple[list[Label], list[str]]) -> None:
        zones, languages = choices
        self.model.set_zones(zones)
        self.filter_bar.set_zones(zones)
        self.filter_bar.set_languages(languages)

    def refresh(self) -> None:
        """Read the roster again (after new records or renamed zones), keeping the one chosen."""
        self._load_choices()
        self.model.set_filter(self.filter_bar.filter())

    def _remember_selection(self) -> None:
        selected = self.selected()
        self._keep_selected = selected.id if selected is not None else None

    def _after_reset(self) -> None:
        chosen = self._select_next or self._keep_selected
        self._select_next = self._keep_selected = None
        if chosen is not None:
            self.select(chosen)
        self._show_count()
        self._update_buttons()

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
        """Choose this volunteer when listed (once read, when further down than the rows read)."""
        self.model.reveal(volunteer_id, self._select_row)

    def _select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    # ---- actions ---------------------------------------------------------------------------

    def add(self) -> None:
        """Open the form for a new volunteer (once the zones and languages are read)."""
        db, who, today = self._ctx.database, self._ctx.who, self._today()
        self._open(None, lambda fields: roster.add_volunteer(db, who, fields, today=today))

    def edit_selected(self) -> None:
        """Open the form of the chosen volunteer, as stored now."""
        row = self.selected()
        if row is None:
            return
        db, who, today = self._ctx.database, self._ctx.who, self._today()
        self._open(row.id, lambda fields: roster.edit_volunteer(db, who, row.id, fields, today=today))

    def _open(self, volunteer_id: str | None, store: Callable[[VolunteerFields], str | None]) -> None:
        """Read what the form needs, then open it (window-modal). `store` saves the fields (on the
        writer thread) and returns the id of a new volunteer."""
        if self.dialog is not None or self._opening:
            return
        db = self._ctx.database

        def read() -> FormChoices:
            record = roster.get_volunteer(db, volunteer_id) if volunteer_id is not None else None
            return (record, *_read_choices(db))

        def show(choices: FormChoices) -> None:
            self._opening = False
            record, zones, languages = choices
            if volunteer_id is not None and record is None:  # gone meanwhile (merged, erased)
                self.refresh()
                return
            self._show_form(record, zones, languages, store, volunteer_id)

        def failed(failure: Failure) -> None:
            self._opening = False
            show_failure(self, failure)

        self._opening = True
        self._ctx.operations.query(
            read, while_alive(self, show), failed=while_alive(self, failed), parent=self
        )

    def _show_form(
        self,
        record: VolunteerRecord | None,
        zones: list[Label],
        languages: list[str],
        store: Callable[[VolunteerFields], str | None],
        volunteer_id: str | None,
    ) -> None:
        def save(
            fields: VolunteerFields, done: Callable[[object], None], failed: Callable[[Failure], None]
        ) -> None:
            def saved(new_id: str | None) -> None:
                self._select_next = new_id or volunteer_id  # chosen when the list is read again
                while_alive(dialog, done)(new_id)

            self._ctx.operations.write(
                lambda: store(fields),
                while_alive(self, saved),
                failed=while_alive(dialog, failed),
                parent=dialog,
            )

        dialog = VolunteerDialog(
            save, zones=zones, languages=languages, record=record, today=self._today(), parent=self
        )
        self.dialog = dialog

        def on_finished() -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(on_finished)
        dialog.open()

    def toggle_active(self) -> None:
        """Deactivate the selected volunteer (they stay in the roster, greyed) or reactivate them."""
        row = self.selected()
        if row is None:
            return
        db, who = self._ctx.database, self._ctx.who
        self.active_button.setEnabled(False)  # until the change answers (the list is read again)
        self._ctx.operations.write(
            lambda: roster.set_active(db, who, row.id, not row.active),
            while_alive(self, lambda _none: self._update_buttons()),
            failed=while_alive(self, self._toggle_refused),
            parent=self,
        )

    def _toggle_refused(self, failure: Failure) -> None:
        self._update_buttons()
        show_failure(self, failure)

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
