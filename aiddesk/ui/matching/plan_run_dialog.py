"""Plan a run from the matching view: the volunteer, the date, the time window and the chosen
requests as stops, in an order the coordinator can change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QLocale, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.stop_order import by_zone_and_street
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language, locale_name
from aiddesk.services.deliveries.dispatch import RunTime
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.field_error import FieldError, clear_when, show_problems
from aiddesk.ui.common.run_clash import ClashWarning
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

ID_ROLE = Qt.ItemDataRole.UserRole
STOP_ROLE = Qt.ItemDataRole.UserRole + 1
TIME_FORMAT = "HH:mm"


@dataclass(frozen=True)
class StopChoice:
    request_id: str
    text: str  # how the stop is listed: code, person, address, need
    zone: str = ""  # to put the stops in order
    address: str = ""


# Starts planning (date, window start "HH:MM", window end, request ids in stop order) through the
# operation runner, which then calls back with the run's reference, or with the failure (Invalid
# naming the field when refused).
PlanRun = Callable[[dt.date, str, str, list[str], Callable[[str], None], Callable[[Failure], None]], None]
# Asks for the volunteer's other runs at that time (date, window start, window end) through the
# runner, and hands them to the callback (for a warning).
Clashes = Callable[[dt.date, str, str, Callable[[list[RunTime]], None]], None]


class PlanRunDialog(Retranslating, QDialog):
    """Closes only when `plan` planned the run; `planned` then holds its reference. A refusal
    shows next to its field and the dialog stays open."""

    def __init__(
        self,
        plan: PlanRun,
        *,
        volunteer_name: str,
        day: dt.date,
        window: tuple[str, str],
        stops: list[StopChoice],
        clashes: Clashes | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._plan = plan
        self._clashes = clashes
        self.planned: str | None = None
        self.volunteer_name = volunteer_name
        self.volunteer_label = QLabel(volunteer_name)
        font = self.volunteer_label.font()
        font.setBold(True)
        self.volunteer_label.setFont(font)
        self.date_edit = DateField(day, weekday=True)
        self.start_edit = QTimeEdit(QTime.fromString(window[0], TIME_FORMAT))
        self.end_edit = QTimeEdit(QTime.fromString(window[1], TIME_FORMAT))
        self.stops_list = QListWidget()
        self.stops_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stops_list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stops_list.setMinimumSize(420, 160)
        for stop in stops:
            item = QListWidgetItem(stop.text)
            item.setData(ID_ROLE, stop.request_id)
            item.setData(STOP_ROLE, stop)
            self.stops_list.addItem(item)
        self.stops_list.setCurrentRow(0)
        self.up_button = QPushButton()
        self.down_button = QPushButton()
        self.remove_button = QPushButton()
        self.order_button = QPushButton()
        self.order_button.clicked.connect(self.order_by_zone_and_street)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(self.remove_current)

        self.errors = {
            name: FieldError() for name in ("date", "window_start", "window_end", "requests", "volunteer")
        }
        self.general_error = FieldError()
        self.volunteer_caption, self.date_caption, self.window_caption, self.stops_caption = (
            QLabel() for _i in range(4)
        )
        self.to_label = QLabel()
        self.order_hint = QLabel()
        self.order_hint.setWordWrap(True)
        self.order_hint.setEnabled(False)  # greyed: a hint

        window_row = QHBoxLayout()
        window_row.addWidget(self.start_edit)
        window_row.addWidget(self.to_label)
        window_row.addWidget(self.end_edit)
        window_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.volunteer_caption, self.volunteer_label)
        form.addRow("", self.errors["volunteer"])
        form.addRow(self.date_caption, self.date_edit)
        form.addRow("", self.errors["date"])
        form.addRow(self.window_caption, window_row)
        form.addRow("", self.errors["window_start"])
        form.addRow("", self.errors["window_end"])
        self.clash_warning = ClashWarning()
        form.addRow("", self.clash_warning)
        for signal in (self.date_edit.dateChanged, self.start_edit.timeChanged, self.end_edit.timeChanged):
            signal.connect(self._check_clash)
        clear_when((self.date_edit.dateChanged,), self.errors["date"], self.general_error)
        clear_when(
            (self.start_edit.timeChanged, self.end_edit.timeChanged),
            self.errors["window_start"],
            self.errors["window_end"],
            self.general_error,
        )
        move_buttons = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            move_buttons.addWidget(button)
        move_buttons.addStretch(1)
        move_buttons.addWidget(self.order_button)
        stops_row = QHBoxLayout()
        stops_row.addWidget(self.stops_list, 1)
        stops_row.addLayout(move_buttons)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_plan)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.stops_caption)
        layout.addLayout(stops_row, 1)
        layout.addWidget(self.order_hint)
        layout.addWidget(self.errors["requests"])
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.stops_list.currentRowChanged.connect(self._update_buttons)
        self.retranslate_ui()
        self._check_clash()

    def _check_clash(self) -> None:
        """Warn when the volunteer already has a run at the chosen time (not a refusal)."""
        day = self.date_edit.value()
        if self._clashes is None or day is None:
            return
        start, end = self.time_window()
        name = self.volunteer_name
        self._clashes(
            day, start, end, while_alive(self, lambda runs: self.clash_warning.show_clashes(name, runs))
        )

    # ---- stops -----------------------------------------------------------------------------

    def request_ids(self) -> list[str]:
        return [str(self.stops_list.item(row).data(ID_ROLE)) for row in range(self.stops_list.count())]

    def move_current(self, step: int) -> None:
        """Move the selected stop up (-1) or down (+1)."""
        row = self.stops_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.stops_list.count():
            return
        item = self.stops_list.takeItem(row)
        self.stops_list.insertItem(target, item)
        self.stops_list.setCurrentRow(target)

    def remove_current(self) -> None:
        row = self.stops_list.currentRow()
        if row >= 0 and self.stops_list.count() > 1:  # a run keeps at least one stop
            self.stops_list.takeItem(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.stops_list.currentRow()
        count = self.stops_list.count()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.remove_button.setEnabled(row >= 0 and count > 1)
        self.order_button.setEnabled(count > 1)

    def order_by_zone_and_street(self) -> None:
        """The stops zone by zone, street by street, by house number (then moved by hand if need be)."""
        current = self.stops_list.currentItem()
        items = [self.stops_list.takeItem(0) for _i in range(self.stops_list.count())]
        ordered = by_zone_and_street(
            items, lambda item: (item.data(STOP_ROLE).zone, item.data(STOP_ROLE).address), current_language()
        )
        for item in ordered:
            self.stops_list.addItem(item)
        if current is not None:
            self.stops_list.setCurrentItem(current)
        self._update_buttons()

    # ---- planning --------------------------------------------------------------------------

    def day(self) -> dt.date:
        return self.date_edit.checked("date")

    def time_window(self) -> tuple[str, str]:
        return self.start_edit.time().toString(TIME_FORMAT), self.end_edit.time().toString(TIME_FORMAT)

    def try_plan(self) -> None:
        start, end = self.time_window()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)  # until it answers
        self._plan(self.day(), start, end, self.request_ids(), self._planned, self._refused)

    def _planned(self, reference: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        self.planned = reference
        self.accept()

    def _refused(self, failure: Failure) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        if isinstance(failure.error, Invalid):
            show_problems(self.errors, failure.error, self.general_error)
        else:
            for error in self.errors.values():
                error.clear_problem()
            self.general_error.show_text(failure.message)

    def retranslate_ui(self) -> None:
        locale = QLocale(locale_name())
        for widget in (self.start_edit, self.end_edit):
            widget.setLocale(locale)
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat(locale.timeFormat(QLocale.FormatType.ShortFormat))
        self.setWindowTitle(_("Plan a run"))
        self.volunteer_caption.setText(_("Volunteer:"))
        self.date_caption.setText(_("Date:"))
        self.window_caption.setText(_("Time window:"))
        # L10N: between the start and the end of a time window: "09:00 to 12:00"
        self.to_label.setText(_("to"))
        self.stops_caption.setText(_("Stops, in the order of the route:"))
        self.order_hint.setText(_("Drag a stop, or use the buttons, to change the order."))
        self.up_button.setText(_("Up"))
        self.down_button.setText(_("Down"))
        self.remove_button.setText(_("Leave out"))
        self.order_button.setText(_("Order by zone and street"))
        self.order_button.setToolTip(_("Zone by zone, then street by street, by house number"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Plan the run"))
        self._update_buttons()
