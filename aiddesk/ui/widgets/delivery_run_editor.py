"""Planning a delivery run: volunteer, date, time window, and stops picked from ready requests
and put in order by hand."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.sorting import told_apart
from aiddesk.domain.stop_order import by_zone_and_street
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language, ngettext
from aiddesk.services import dispatch
from aiddesk.store.repositories.deliveries import ReadyRow
from aiddesk.ui.context import DeskContext
from aiddesk.ui.models.deliveries_model import ReadyModel
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.widgets.date_field import DateField
from aiddesk.ui.widgets.field_error import FieldError, show_problems
from aiddesk.ui.widgets.record_table import record_table
from aiddesk.ui.widgets.run_clash import ClashWarning

ROW_ROLE = Qt.ItemDataRole.UserRole
DEFAULT_WINDOW = ("09:00", "12:00")
READY_WIDTHS = (85, 140, 170, 150, 80)  # code, person, address, need, zone (urgency stretches)


def stop_caption(position: int, row: ReadyRow) -> str:
    # L10N: one stop in the list of a run being planned: position, request code, person, address
    return _("%(position)d. %(code)s · %(person)s · %(address)s") % {
        "position": position,
        "code": row.code,
        "person": row.person_name,
        "address": " ".join(row.address.split()),
    }


class RunEditor(Retranslating, QDialog):
    """Plans a run when accepted (`planned(run_id)`); a refusal is shown next to its field and
    the dialog stays open."""

    planned = Signal(str)

    def __init__(self, ctx: DeskContext, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.run_id: str | None = None
        self.resize(1120, 640)

        self.volunteer_box = QComboBox()
        self.volunteer_box.setMinimumWidth(260)
        volunteers = dispatch.volunteers_for_runs(ctx.database, language=current_language())
        for volunteer, shown in zip(
            volunteers, told_apart([(v.name, v.code) for v in volunteers]), strict=True
        ):
            self.volunteer_box.addItem(shown, volunteer.id)  # with the code when two share a name
        self.volunteer_box.setCurrentIndex(-1)
        self.date_edit = DateField(day, weekday=True)
        self.date_edit.setMinimumWidth(260)
        self.start_edit = QTimeEdit(QTime.fromString(DEFAULT_WINDOW[0], "HH:mm"))
        self.end_edit = QTimeEdit(QTime.fromString(DEFAULT_WINDOW[1], "HH:mm"))
        self.volunteer_error, self.window_error, self.requests_error, self.general_error = (
            FieldError() for _i in range(4)
        )
        self.volunteer_caption, self.date_caption, self.window_caption = QLabel(), QLabel(), QLabel()
        self.to_label = QLabel()
        window_row = QHBoxLayout()
        window_row.addWidget(self.start_edit)
        window_row.addWidget(self.to_label)
        window_row.addWidget(self.end_edit)
        window_row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.volunteer_caption, self.volunteer_box)
        form.addRow("", self.volunteer_error)
        form.addRow(self.date_caption, self.date_edit)
        form.addRow(self.window_caption, window_row)
        form.addRow("", self.window_error)
        self.clash_warning = ClashWarning()
        form.addRow("", self.clash_warning)
        self.volunteer_box.currentIndexChanged.connect(self._check_clash)
        self.date_edit.dateChanged.connect(self._check_clash)
        self.start_edit.timeChanged.connect(self._check_clash)
        self.end_edit.timeChanged.connect(self._check_clash)

        # ready requests to pick from
        self.ready_model = ReadyModel(self)
        self.ready_model.load(ctx.database)
        self.ready_caption = QLabel()
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.ready_model.set_filter)
        self.ready_table = record_table(
            self.ready_model, selection=QAbstractItemView.SelectionMode.ExtendedSelection, widths=READY_WIDTHS
        )
        self.ready_table.doubleClicked.connect(lambda _index: self.add_selected())
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_selected)

        # the stops, in order
        self.stops_caption = QLabel()
        self.stops_list = QListWidget()
        self.stops_list.setMinimumWidth(360)
        self.stops_list.setWordWrap(True)
        self.up_button, self.down_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        self.order_button = QPushButton()
        self.order_button.clicked.connect(self.order_by_zone_and_street)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(self.remove_selected)
        self.stops_list.currentRowChanged.connect(self._update_buttons)
        order_row = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            order_row.addWidget(button)
        order_row.addStretch(1)
        order_row.addWidget(self.order_button)

        picker = QGridLayout()
        picker.addWidget(self.ready_caption, 0, 0)
        picker.addWidget(self.stops_caption, 0, 2)
        picker.addWidget(self.filter_edit, 1, 0)
        picker.addWidget(self.ready_table, 2, 0)
        picker.addWidget(self.add_button, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        picker.addWidget(self.stops_list, 1, 2, 2, 1)
        picker.addLayout(order_row, 3, 2)
        picker.setColumnStretch(0, 3)
        picker.setColumnStretch(2, 2)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.plan_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_plan)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(picker, 1)
        layout.addWidget(self.requests_error)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self.retranslate_ui()

    # ---- choosing stops ------------------------------------------------------------------------

    def chosen(self) -> list[ReadyRow]:
        return [self.stops_list.item(i).data(ROW_ROLE) for i in range(self.stops_list.count())]

    def choose(self, request_ids: list[str]) -> None:
        """Add these ready requests as stops, in this order (e.g. from the matching view)."""
        by_id = {row.id: row for row in self.ready_model.rows()}
        self._add([by_id[i] for i in request_ids if i in by_id])

    def add_selected(self) -> None:
        rows = sorted({index.row() for index in self.ready_table.selectionModel().selectedRows()})
        self._add([self.ready_model.row_at(r) for r in rows])

    def _add(self, rows: list[ReadyRow]) -> None:
        if not rows:
            return
        for row in rows:
            item = QListWidgetItem()
            item.setData(ROW_ROLE, row)
            self.stops_list.addItem(item)
        self.ready_model.drop({row.id for row in rows})
        self.ready_table.clearSelection()
        self._renumber()
        self.stops_list.setCurrentRow(self.stops_list.count() - 1)

    def move_selected(self, step: int) -> None:
        row = self.stops_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.stops_list.count():
            return
        item = self.stops_list.takeItem(row)
        self.stops_list.insertItem(target, item)
        self._renumber()
        self.stops_list.setCurrentRow(target)

    def order_by_zone_and_street(self) -> None:
        """The stops zone by zone, street by street, by house number (then moved by hand if need be)."""
        items = [self.stops_list.takeItem(0) for _i in range(self.stops_list.count())]
        rows = by_zone_and_street(
            items, lambda item: (item.data(ROW_ROLE).zone, item.data(ROW_ROLE).address), current_language()
        )
        for item in rows:
            self.stops_list.addItem(item)
        self._renumber()

    def remove_selected(self) -> None:
        row = self.stops_list.currentRow()
        if row < 0:
            return
        item = self.stops_list.takeItem(row)
        self.ready_model.give_back([item.data(ROW_ROLE)])
        self._renumber()

    def _renumber(self) -> None:
        for i in range(self.stops_list.count()):
            item = self.stops_list.item(i)
            item.setText(stop_caption(i + 1, item.data(ROW_ROLE)))
        count = self.stops_list.count()
        self.stops_caption.setText(
            ngettext("The run: %(count)d stop, in order", "The run: %(count)d stops, in order", count)
            % {"count": count}
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.stops_list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.stops_list.count() - 1)
        self.remove_button.setEnabled(row >= 0)
        self.order_button.setEnabled(self.stops_list.count() > 1)

    def _check_clash(self) -> None:
        """Warn when the chosen volunteer already has a run at the chosen time (not a refusal)."""
        volunteer_id = self.volunteer_box.currentData()
        day = self.date_edit.value()
        if not volunteer_id or day is None:
            self.clash_warning.show_clashes("", [])
            return
        start, end = self.start_edit.time().toString("HH:mm"), self.end_edit.time().toString("HH:mm")
        runs = dispatch.clashing_runs(self._ctx.database, str(volunteer_id), day, start, end)
        self.clash_warning.show_clashes(self.volunteer_box.currentText(), runs)

    # ---- planning --------------------------------------------------------------------------------

    def try_plan(self) -> None:
        try:
            self.run_id = dispatch.plan_run(
                self._ctx.database,
                self._ctx.who,
                volunteer_id=self.volunteer_box.currentData() or "",
                date=self.date_edit.checked("date"),
                window_start=self.start_edit.time().toString("HH:mm"),
                window_end=self.end_edit.time().toString("HH:mm"),
                request_ids=[row.id for row in self.chosen()],
            )
        except Invalid as refused:
            errors = {
                "volunteer": self.volunteer_error,
                "window_start": self.window_error,
                "window_end": self.window_error,
                "requests": self.requests_error,
            }
            show_problems(errors, refused, self.general_error)
            return
        self.planned.emit(self.run_id)
        self.accept()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Plan a delivery run"))
        self.volunteer_caption.setText(_("Volunteer:"))
        self.volunteer_box.setPlaceholderText(_("Choose a volunteer"))
        self.date_caption.setText(_("Date:"))
        self.window_caption.setText(_("Time window:"))
        # L10N: between the start and the end of a time window ("09:00 to 12:00")
        self.to_label.setText(_("to"))
        self.ready_caption.setText(_("Ready requests (most pressing first)"))
        self.filter_edit.setPlaceholderText(_("Filter by name, code, address, need or zone"))
        self.add_button.setText(_("Add →"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.remove_button.setText(_("Take off"))
        self.order_button.setText(_("Order by zone and street"))
        self.order_button.setToolTip(_("Zone by zone, then street by street, by house number"))
        self.plan_button.setText(_("Plan the run"))
        self.ready_model.retranslate()
        self._renumber()
