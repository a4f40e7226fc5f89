"""Planning a delivery run: volunteer, date, time window, and stops picked from ready requests
and put in order by hand. The volunteers and the ready requests are read, and the run planned,
through the desk's operation runner (never on the GUI thread)."""

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

from aiddesk.domain.changes import Kind
from aiddesk.domain.sorting import told_apart
from aiddesk.domain.stop_order import by_zone_and_street
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language, ngettext
from aiddesk.services.deliveries import dispatch
from aiddesk.services.deliveries.dispatch import ReadyRow, VolunteerChoice
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.enter_keys import EnterKeys
from aiddesk.ui.common.field_error import FieldError, clear_when, show_problems
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.common.run_clash import ClashWarning
from aiddesk.ui.context import DeskContext
from aiddesk.ui.deliveries.table_models import ReadyModel
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

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


class RunEditor(Refreshes, Retranslating, QDialog):
    """Plans a run when accepted (`planned(run_id)`); a refusal is shown next to its field and
    the dialog stays open. While open it follows the desk's changes: a request made ready (or
    taken) elsewhere appears in (or leaves) the list."""

    planned = Signal(str)
    shows = frozenset({Kind.REQUEST, Kind.PERSON, Kind.VOLUNTEER, Kind.LABEL})

    def __init__(self, ctx: DeskContext, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.run_id: str | None = None
        self.resize(1120, 640)

        self.volunteer_box = QComboBox()
        self.volunteer_box.setMinimumWidth(260)
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
        clear_when((self.volunteer_box.currentIndexChanged,), self.volunteer_error, self.general_error)
        clear_when(
            (self.date_edit.dateChanged, self.start_edit.timeChanged, self.end_edit.timeChanged),
            self.window_error,
            self.general_error,
        )
        self.date_edit.dateChanged.connect(self._check_clash)
        self.start_edit.timeChanged.connect(self._check_clash)
        self.end_edit.timeChanged.connect(self._check_clash)

        # ready requests to pick from
        self.ready_model = ReadyModel(self)
        self._wanted: list[str] = []  # asked for (choose) before the ready requests were read
        self.ready_caption = QLabel()
        self.filter_edit = QLineEdit()
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.ready_model.set_filter)
        self.ready_table = record_table(
            self.ready_model, selection=QAbstractItemView.SelectionMode.ExtendedSelection, widths=READY_WIDTHS
        )
        self.ready_table.doubleClicked.connect(lambda _index: self.add_selected())
        # Enter in the filter goes to the list it filtered, Enter in the list adds the chosen ones
        # (Enter in the filter planned the run at once, with the stops added so far)
        self._enter = EnterKeys({self.filter_edit: self._to_ready, self.ready_table: self.add_selected}, self)
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
        self.refresh()
        self.follow_changes(ctx.operations.notifier)

    # ---- reading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the volunteers who may take a run and the ready requests (again)."""
        db, language = self._ctx.database, current_language()

        def read() -> tuple[list[VolunteerChoice], list[ReadyRow]]:
            return (
                dispatch.volunteers_for_runs(db, language=language),
                dispatch.ready_for_runs(db, language=language),
            )

        self._ctx.operations.query(read, while_alive(self, self._show_choices))

    def _show_choices(self, read: tuple[list[VolunteerChoice], list[ReadyRow]]) -> None:
        volunteers, ready = read
        chosen = self.volunteer_box.currentData()
        self.volunteer_box.clear()
        for volunteer, shown in zip(
            volunteers, told_apart([(v.name, v.code) for v in volunteers]), strict=True
        ):
            self.volunteer_box.addItem(shown, volunteer.id)  # with the code when two share a name
        self.volunteer_box.setCurrentIndex(self.volunteer_box.findData(chosen) if chosen else -1)
        self.ready_model.load(ready, leave_out={row.id for row in self.chosen()})
        wanted, self._wanted = self._wanted, []
        if wanted:
            self.choose(wanted)

    # ---- choosing stops ------------------------------------------------------------------------

    def chosen(self) -> list[ReadyRow]:
        return [self.stops_list.item(i).data(ROW_ROLE) for i in range(self.stops_list.count())]

    def choose(self, request_ids: list[str]) -> None:
        """Add these ready requests as stops, in this order (once the ready requests are read)."""
        if self.ready_model.loaded_once:
            by_id = {row.id: row for row in self.ready_model.rows()}
            self._add([by_id[i] for i in request_ids if i in by_id])
        else:
            self._wanted.extend(request_ids)

    def _to_ready(self) -> None:
        self.ready_table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.ready_table.selectionModel().hasSelection() and self.ready_model.rowCount():
            self.ready_table.selectRow(0)

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
        self.requests_error.clear_problem()  # "choose at least one" is answered
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
        db, name = self._ctx.database, self.volunteer_box.currentText()
        self._ctx.operations.query(
            lambda: dispatch.clashing_runs(db, str(volunteer_id), day, start, end),
            while_alive(self, lambda runs: self.clash_warning.show_clashes(name, runs)),
            key=f"run-clash-{id(self)}",
        )

    # ---- planning --------------------------------------------------------------------------------

    def try_plan(self) -> None:
        """Plan the run (on the writer thread); the dialog closes when it was planned."""
        problem = self.date_edit.problem("date")
        if problem is not None:
            self.general_error.show_problem(problem)
            return
        day = self.date_edit.checked("date")
        db, who = self._ctx.database, self._ctx.who
        volunteer_id = self.volunteer_box.currentData() or ""
        start, end = self.start_edit.time().toString("HH:mm"), self.end_edit.time().toString("HH:mm")
        request_ids = [row.id for row in self.chosen()]
        self.plan_button.setEnabled(False)  # until the write answers
        self._ctx.operations.write(
            lambda: dispatch.plan_run(
                db,
                who,
                volunteer_id=volunteer_id,
                date=day,
                window_start=start,
                window_end=end,
                request_ids=request_ids,
            ),
            while_alive(self, self._planned),
            failed=while_alive(self, self._refused),
            parent=self,
        )

    def _planned(self, run_id: str) -> None:
        self.plan_button.setEnabled(True)
        self.run_id = run_id
        self.planned.emit(run_id)
        self.accept()

    def _refused(self, failure: Failure) -> None:
        self.plan_button.setEnabled(True)
        errors = {
            "volunteer": self.volunteer_error,
            "window_start": self.window_error,
            "window_end": self.window_error,
            "requests": self.requests_error,
        }
        for error in (*errors.values(), self.general_error):
            error.clear_problem()
        if isinstance(failure.error, Invalid):
            show_problems(errors, failure.error, self.general_error)
        else:
            self.general_error.show_text(failure.message)

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
