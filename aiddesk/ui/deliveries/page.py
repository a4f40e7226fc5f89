"""The Deliveries screen: runs by day (today first) or by volunteer, the stops of a run, and
what a dispatcher does with them: plan, reorder, start, record each stop, cancel, print sheets.

Everything it reads and changes goes through the desk's operation runner (never on the GUI
thread); it refreshes itself when an operation anywhere changed runs, stops, requests, people,
volunteers or labels. Route sheets are read, laid out and painted on a worker thread too (a
day of 50 runs takes about a second), with a progress dialog when it lasts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import Kind
from aiddesk.domain.enums import DeliveryStatus, RequestStatus, StopOutcome
from aiddesk.domain.sorting import told_apart
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language, current_region, ngettext
from aiddesk.i18n.formatting import format_day
from aiddesk.services.database import Database
from aiddesk.services.deliveries import dispatch, route_sheets
from aiddesk.services.deliveries.dispatch import RunRow, StopRecorded, StopRow, VolunteerChoice
from aiddesk.services.deliveries.route_sheets import RouteSheet
from aiddesk.services.disk_space import disk_full
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.field_error import problem_text
from aiddesk.ui.common.file_dialogs import file_dialog
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.deliveries.run_editor import RunEditor
from aiddesk.ui.deliveries.stop_recorder import StopRecorder
from aiddesk.ui.deliveries.table_models import RunsModel, StopsModel, enum_label, window_text
from aiddesk.ui.reports.packing_actions import PackingListActions
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, OnWorker
from aiddesk.ui.shell.refreshing import Refreshes

RUN_WIDTHS = (95, 115, 175, 210, 80)  # run, date, time, volunteer, stops (status stretches)
STOP_WIDTHS = (55, 90, 150, 195, 150, 235)  # stop, request, person, address, need, outcome
MODE_DAY, MODE_VOLUNTEER = 0, 1
Text = Callable[[], str]
# What one read of the screen brings: the runs listed, the run chosen among them, its stops.
Shown = tuple[list[RunRow], str | None, list[StopRow]]


def _table(model: RunsModel | StopsModel, widths: tuple[int, ...]) -> QTableView:
    return record_table(model, widths=widths)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def _sheets(db: Database, day: dt.date, run_id: str | None, language: str) -> list[RouteSheet]:
    """The day's sheets, or one run's (on a worker thread); runs in the order `language` sorts."""
    if run_id is None:
        return route_sheets.sheets_for_day(db, day, language=language)
    sheet = route_sheets.sheet_for_run(db, run_id)
    return [sheet] if sheet is not None else []


class DeliveriesPage(Refreshes, Retranslating, QWidget):
    """The runs of a day or of a volunteer; what a run's stops need done."""

    shows = frozenset({Kind.DELIVERY, Kind.STOP, Kind.REQUEST, Kind.PERSON, Kind.VOLUNTEER, Kind.LABEL})

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._message: Text | None = None
        self._error: Text | None = None
        self.run_editor: RunEditor | None = None
        self.stop_recorder: StopRecorder | None = None
        self.cancel_dialog: QInputDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self._pending_run: str | None = None  # a run just planned: selected once the runs are read
        self._wanted_volunteer: str | None = None  # shown once the volunteers are read
        self._read_language = ""  # the language the stops were read in (needs are named in it)
        self._writing = False  # a change asked from here has not answered yet

        self.title = page_title()

        # ---- which runs
        self.mode_box = QComboBox()
        self.mode_box.addItems(["", ""])
        self.mode_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.date_edit = DateField(today(), weekday=True)
        self.date_edit.setMinimumWidth(250)
        self.date_edit.dateChanged.connect(lambda _date: self.read_runs())
        self.previous_button, self.next_button = QToolButton(), QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.previous_button.clicked.connect(lambda: self.show_day(self.day() - dt.timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.show_day(self.day() + dt.timedelta(days=1)))
        self.today_button = QPushButton()
        self.today_button.clicked.connect(self.show_today)
        self.today_note = QLabel()
        day_row = QHBoxLayout()
        day_row.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.previous_button,
            self.date_edit,
            self.next_button,
            self.today_button,
            self.today_note,
        ):
            day_row.addWidget(widget)
        day_controls = QWidget()
        day_controls.setLayout(day_row)
        self.volunteer_box = QComboBox()
        self.volunteer_box.setMinimumWidth(240)
        self.volunteer_box.currentIndexChanged.connect(lambda _i: self.read_runs())
        self.which = QStackedWidget()
        self.which.addWidget(day_controls)
        self.which.addWidget(self.volunteer_box)
        self.plan_button = QPushButton()
        self.plan_button.clicked.connect(self.plan_run)
        self.day_print_button = QPushButton()
        self.day_menu = QMenu(self)
        self.day_print_action = self.day_menu.addAction("")
        self.day_print_action.triggered.connect(lambda: self.print_sheets(day=True))
        self.day_pdf_action = self.day_menu.addAction("")
        self.day_pdf_action.triggered.connect(lambda: self.ask_pdf(day=True))
        self.day_menu.addSeparator()
        self.packing = PackingListActions(ctx, self, self.day_menu, self.day)
        self.packing.printer.said.connect(lambda text: self._say(lambda: text))
        self.day_print_button.setMenu(self.day_menu)
        top = QHBoxLayout()
        top.addWidget(self.mode_box)
        top.addWidget(self.which)
        top.addStretch(1)
        top.addWidget(self.plan_button)
        top.addWidget(self.day_print_button)

        # ---- runs
        self.runs_model = RunsModel(self)
        self.runs_table = _table(self.runs_model, RUN_WIDTHS)
        self.runs_table.selectionModel().selectionChanged.connect(lambda *_a: self._run_selected())
        self.runs_empty = QLabel()
        self.runs_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.runs_empty.setWordWrap(True)
        self.runs_views = QStackedWidget()
        self.runs_views.addWidget(self.runs_table)
        self.runs_views.addWidget(self.runs_empty)

        # ---- the selected run
        self.run_label = QLabel()
        font = self.run_label.font()
        font.setBold(True)
        self.run_label.setFont(font)
        self.run_label.setWordWrap(True)
        self.start_button, self.record_button = QPushButton(), QPushButton()
        self.up_button, self.down_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        self.cancel_button = QPushButton()
        self.start_button.clicked.connect(self.start_selected)
        self.record_button.clicked.connect(self.record_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button.clicked.connect(self.remove_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.sheet_button = QPushButton()
        self.sheet_menu = QMenu(self)
        self.sheet_print_action = self.sheet_menu.addAction("")
        self.sheet_print_action.triggered.connect(lambda: self.print_sheets(day=False))
        self.sheet_pdf_action = self.sheet_menu.addAction("")
        self.sheet_pdf_action.triggered.connect(lambda: self.ask_pdf(day=False))
        self.sheet_button.setMenu(self.sheet_menu)
        actions = QHBoxLayout()
        for button in (
            self.start_button,
            self.record_button,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.cancel_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.sheet_button)
        self.stops_model = StopsModel(self)
        self.stops_table = _table(self.stops_model, STOP_WIDTHS)
        self.stops_table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.stops_table.doubleClicked.connect(lambda _index: self.record_selected())
        run_box = QWidget()
        run_layout = QVBoxLayout(run_box)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.addWidget(self.run_label)
        run_layout.addLayout(actions)
        run_layout.addWidget(self.stops_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.runs_views)
        self.splitter.addWidget(run_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #1b5e20;")
        self.error_label = QLabel()
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.error_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)

        self.retranslate_ui()
        self.refresh()
        self.follow_changes(ctx.operations.notifier)

    # ---- which runs ------------------------------------------------------------------------------

    def day(self) -> dt.date:
        return self.date_edit.current()

    def show_day(self, day: dt.date) -> None:
        """The runs of `day` (the day view)."""
        if self.mode_box.currentIndex() != MODE_DAY:
            self.mode_box.setCurrentIndex(MODE_DAY)
        if self.day() != day:
            self.date_edit.setDate(day)  # reads the runs
        else:
            self.read_runs()

    def show_run(self, day: dt.date, run_id: str) -> None:
        """The runs of `day` with the run `run_id` chosen once read (the overview's runs)."""
        self._pending_run = run_id
        self.show_day(day)

    def show_today(self) -> None:
        """The dispatcher's view: today's runs (this computer's local date)."""
        self.show_day(self._today())

    def show_volunteer(self, volunteer_id: str) -> None:
        """One volunteer's runs, the latest first."""
        index = self.volunteer_box.findData(volunteer_id)
        self.volunteer_box.blockSignals(True)
        self.volunteer_box.setCurrentIndex(index)
        self.volunteer_box.blockSignals(False)
        if index < 0:  # not listed yet (a new volunteer): read the list again, then show theirs
            self._wanted_volunteer = volunteer_id
            self._load_volunteers()
        if self.mode_box.currentIndex() != MODE_VOLUNTEER:
            self.mode_box.setCurrentIndex(MODE_VOLUNTEER)  # reads the runs
        else:
            self.read_runs()

    def _mode_changed(self, mode: int) -> None:
        self.which.setCurrentIndex(mode)
        self.read_runs()

    def _load_volunteers(self) -> None:
        """Read the volunteers to choose from (active ones and anyone who had a run)."""
        db, language = self._ctx.database, current_language()
        self._ctx.operations.query(
            lambda: dispatch.volunteers_with_runs(db, language=language),
            while_alive(self, self._show_volunteers),
            key="deliveries-volunteers",
        )

    def _show_volunteers(self, volunteers: list[VolunteerChoice]) -> None:
        before = self.volunteer_box.currentData()
        wanted, self._wanted_volunteer = self._wanted_volunteer, None
        self.volunteer_box.blockSignals(True)
        self.volunteer_box.clear()
        for volunteer, shown in zip(
            volunteers, told_apart([(v.name, v.code) for v in volunteers]), strict=True
        ):
            self.volunteer_box.addItem(shown, volunteer.id)  # with the code when two share a name
        self.volunteer_box.setCurrentIndex(max(self.volunteer_box.findData(wanted or before), 0))
        self.volunteer_box.blockSignals(False)
        if self.mode_box.currentIndex() == MODE_VOLUNTEER and self.volunteer_box.currentData() != before:
            self.read_runs()

    # ---- reading ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the volunteers and the runs again (after changes made here or anywhere else)."""
        self._load_volunteers()
        self.read_runs()

    def read_runs(self) -> None:
        """Read the runs listed and the stops of the selected run (the first when none is, or it
        is no longer listed), keeping the selected stop when it is still there."""
        db, language = self._ctx.database, current_language()
        by_volunteer = self.mode_box.currentIndex() == MODE_VOLUNTEER
        volunteer = self.volunteer_box.currentData() if by_volunteer else None
        day = self.day()
        run, stop = self.selected_run(), self.selected_stop()
        pending = self._pending_run
        wanted = pending or (run.id if run is not None else None)
        keep_stop = stop.id if stop is not None else None

        def read() -> Shown:
            if by_volunteer:
                runs = dispatch.runs_of_volunteer(db, volunteer) if volunteer else []
            else:
                runs = dispatch.runs_on(db, day)
            ids = [r.id for r in runs]
            chosen = wanted if wanted in ids else (ids[0] if ids else None)
            stops = dispatch.stops_of_run(db, chosen, language=language) if chosen is not None else []
            return runs, chosen, stops

        def show(shown: Shown) -> None:
            if self._pending_run == pending:
                self._pending_run = None
            self._read_language = language
            self._show_runs(*shown, keep_stop)

        self._ctx.operations.query(read, while_alive(self, show), key="deliveries-runs")

    def _show_runs(
        self, runs: list[RunRow], chosen: str | None, stops: list[StopRow], keep_stop: str | None
    ) -> None:
        self.runs_model.set_rows(runs)
        self.stops_model.show_run(chosen, stops)  # before selecting: the selection reads nothing more
        self.runs_views.setCurrentWidget(self.runs_table if runs else self.runs_empty)
        self._select_row(self.runs_table, self.runs_model.row_of(chosen) if chosen is not None else -1)
        self._select_row(
            self.stops_table, self.stops_model.row_of(keep_stop) if keep_stop is not None else -1
        )
        self._show_texts()

    def _select_row(self, table: QTableView, row: int) -> None:
        model = table.model()
        if 0 <= row < model.rowCount():
            table.selectionModel().select(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            table.scrollTo(model.index(row, 0))
        else:
            table.clearSelection()

    def select_run_row(self, row: int) -> None:
        """Select the run at `row` (its stops are read)."""
        self._select_row(self.runs_table, row)

    def select_run(self, run_id: str) -> None:
        self.select_run_row(self.runs_model.row_of(run_id))

    def select_stop_row(self, row: int) -> None:
        self._select_row(self.stops_table, row)
        self._update_actions()

    def selected_run(self) -> RunRow | None:
        rows = self.runs_table.selectionModel().selectedRows()
        return self.runs_model.row_at(rows[0].row()) if rows else None

    def selected_stop(self) -> StopRow | None:
        rows = self.stops_table.selectionModel().selectedRows()
        return self.stops_model.row_at(rows[0].row()) if rows else None

    def _run_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            self.stops_model.show_run(None, [])
        elif run.id != self.stops_model.run_id:
            # Another run chosen: its stops (and the runs, fresh) are read; no stop of the run
            # chosen before stays on the screen to be acted on meanwhile, and no message about it.
            self.stops_model.show_run(run.id, [])
            self._message = self._error = None
            self.read_runs()
        self._show_texts()

    def _update_actions(self) -> None:
        run, stop = self.selected_run(), self.selected_stop()
        status = run.status if run is not None else ""
        is_open = status in (DeliveryStatus.PLANNED, DeliveryStatus.OUT) and not self._writing
        stop_row = self.stops_model.row_of(stop.id) if stop is not None else -1
        self.start_button.setEnabled(
            status == DeliveryStatus.PLANNED and bool(run and run.stops) and not self._writing
        )
        self.record_button.setEnabled(
            status == DeliveryStatus.OUT
            and stop is not None
            and stop.outcome == StopOutcome.PENDING
            and not self._writing
        )
        self.up_button.setEnabled(is_open and stop_row > 0)
        self.down_button.setEnabled(is_open and 0 <= stop_row < self.stops_model.rowCount() - 1)
        self.remove_button.setEnabled(
            status == DeliveryStatus.PLANNED and stop is not None and not self._writing
        )
        self.cancel_button.setEnabled(is_open)
        self.sheet_button.setEnabled(run is not None and status != DeliveryStatus.CANCELLED)
        self.day_print_button.setEnabled(
            self.mode_box.currentIndex() == MODE_DAY
            and any(r.status != DeliveryStatus.CANCELLED for r in self.runs_model.rows())
        )

    # ---- acting ----------------------------------------------------------------------------------

    def _say(self, message: Text | None = None, error: Text | None = None) -> None:
        self._message, self._error = message, error
        self._show_texts()

    def _refused(self, failure: Failure) -> None:
        if isinstance(failure.error, Invalid):
            problems = list(failure.error.problems)
            self._say(error=lambda: " ".join(problem_text(p) for p in problems))
        else:
            message = failure.message
            self._say(error=lambda: message)

    def _change(self, work: Callable[[], object], said: Text | None) -> None:
        """Run a change on the writer thread, then say `said` (or clear the messages). The runs
        are read again through the change notifier, like after a change made anywhere else."""
        self._writing = True
        self._update_actions()

        def done(_result: object) -> None:
            self._writing = False
            self._say(said)

        def refused(failure: Failure) -> None:
            self._writing = False
            self._refused(failure)

        self._ctx.operations.write(
            work, while_alive(self, done), failed=while_alive(self, refused), parent=self
        )

    def plan_run(self) -> RunEditor:
        """Open the run editor for the day shown (window-modal); the new run shows when planned."""
        day = self.day() if self.mode_box.currentIndex() == MODE_DAY else self._today()
        editor = RunEditor(self._ctx, max(day, self._today()), self)
        self.run_editor = editor
        editor.planned.connect(self._planned)
        editor.finished.connect(self._editor_closed)
        editor.open()
        return editor

    def _planned(self, run_id: str) -> None:
        db = self._ctx.database

        def show(summary: RunRow | None) -> None:
            if summary is None:
                return
            self._pending_run = run_id
            self._say(
                lambda: (
                    ngettext(
                        "Run %(code)s planned with %(count)d stop.",
                        "Run %(code)s planned with %(count)d stops.",
                        summary.stops,
                    )
                    % {"code": summary.code, "count": summary.stops}
                )
            )
            self.show_day(summary.date)

        self._ctx.operations.query(lambda: dispatch.run_summary(db, run_id), while_alive(self, show))

    def _editor_closed(self) -> None:
        if self.run_editor is not None:
            self.run_editor.deleteLater()
            self.run_editor = None

    def start_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        db, who, count = self._ctx.database, self._ctx.who, run.stops - run.recorded
        self._change(
            lambda: dispatch.start_run(db, who, run.id),
            lambda: (
                ngettext(
                    "Run %(code)s is out: %(count)d request is out for delivery.",
                    "Run %(code)s is out: %(count)d requests are out for delivery.",
                    count,
                )
                % {"code": run.code, "count": count}
            ),
        )

    def record_selected(self) -> StopRecorder | None:
        """Open the stop recorder for the selected stop (window-modal)."""
        run, stop = self.selected_run(), self.selected_stop()
        if run is None or stop is None or not self.record_button.isEnabled():
            return None
        recorder = StopRecorder(self._ctx, stop, self)
        self.stop_recorder = recorder
        recorder.recorded.connect(self._recorded)
        recorder.finished.connect(self._recorder_closed)
        recorder.open()
        return recorder

    def _recorder_closed(self) -> None:
        if self.stop_recorder is not None:
            self.stop_recorder.deleteLater()
            self.stop_recorder = None

    def _recorded(self, result: StopRecorded) -> None:
        def message() -> str:
            if result.request_status == RequestStatus.READY:
                text = _("Request %(code)s is back in the queue, ready for another run.")
            else:
                text = _("Request %(code)s is delivered.")
            parts = [text % {"code": result.request_code}]
            if result.next_request_code:
                parts.append(_("Next week's request %(code)s is open.") % {"code": result.next_request_code})
            if result.run_done:
                parts.append(_("Every stop is recorded: the run is done."))
            return " ".join(parts)

        self._say(message)

    def move_selected(self, step: int) -> None:
        run, stop = self.selected_run(), self.selected_stop()
        if run is None or stop is None:
            return
        ids = [s.id for s in self.stops_model.rows()]
        row = ids.index(stop.id)
        target = row + step
        if not 0 <= target < len(ids):
            return
        ids[row], ids[target] = ids[target], ids[row]
        db, who = self._ctx.database, self._ctx.who
        self._change(lambda: dispatch.reorder_stops(db, who, run.id, ids), None)

    def remove_selected(self) -> None:
        stop = self.selected_stop()
        if stop is None:
            return
        db, who = self._ctx.database, self._ctx.who
        self._change(
            lambda: dispatch.remove_stop(db, who, stop.id),
            lambda: _("Request %(code)s is off the run and back in the queue.") % {"code": stop.request_code},
        )

    def cancel_selected(self) -> QInputDialog | None:
        """Ask why (window-modal), then cancel the run: its pending requests go back to ready."""
        run = self.selected_run()
        if run is None:
            return None
        dialog = QInputDialog(self)
        dialog.setWindowTitle(_("Cancel run %(code)s") % {"code": run.code})
        dialog.setLabelText(_("Why is the run cancelled? Its stops not yet done go back to the queue."))
        dialog.setOkButtonText(_("Cancel the run"))
        dialog.setCancelButtonText(_("Keep the run"))
        self.cancel_dialog = dialog
        db, who = self._ctx.database, self._ctx.who

        def accepted() -> None:
            reason = dialog.textValue()
            self._change(
                lambda: dispatch.cancel_run(db, who, run.id, reason),
                lambda: _("Run %(code)s is cancelled.") % {"code": run.code},
            )

        dialog.accepted.connect(accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # ---- printing --------------------------------------------------------------------------------

    def _sheets_wanted(self, *, day: bool) -> tuple[dt.date, str | None] | None:
        """The day whose sheets to print, and the run (None: all runs of the day)."""
        if day:
            return self.day(), None
        run = self.selected_run()
        return (run.date, run.id) if run is not None else None

    def print_sheets(self, *, day: bool) -> QPrintDialog | None:
        """Choose a printer in Qt's print dialog (window-modal), then print the day's sheets (or
        the selected run's) there: read on a worker thread, laid out and painted on the GUI thread
        a page at a time (Qt objects: ui.deliveries.printing)."""
        from aiddesk.ui.deliveries.printing import PrintFailed, check_fonts, open_print_dialog, render_steps

        wanted = self._sheets_wanted(day=day)
        if wanted is None:
            return None
        try:
            check_fonts()
        except PrintFailed as failed:
            message = str(failed)
            self._say(error=lambda: message)
            return None
        db, (sheets_day, run_id), language = self._ctx.database, wanted, current_language()

        def print_on(printer: QPrinter) -> None:
            def job() -> Generator[OnWorker | None, Any, int]:
                sheets = yield OnWorker(lambda: _sheets(db, sheets_day, run_id, language))
                yield from render_steps(sheets, printer)
                return len(sheets)

            self._ctx.operations.steps(
                job(),
                while_alive(
                    self, lambda _count: self._say(lambda: _("The route sheets went to the printer."))
                ),
                failed=while_alive(self, self._print_failed),
                parent=self,
                progress=_("Printing the route sheets…"),
            )

        return open_print_dialog(self, print_on)

    def ask_pdf(self, *, day: bool) -> QFileDialog:
        """Ask where to save the sheets as a PDF (window-modal), then write it."""
        run = self.selected_run()
        name = (
            f"route-sheets-{self.day().isoformat()}.pdf"
            if day or run is None
            else f"route-sheet-{run.code}-{run.date.isoformat()}.pdf"
        )
        dialog = file_dialog(self, _("Save route sheets as PDF"), str(Path.home() / name), save=True)
        dialog.setDefaultSuffix("pdf")
        dialog.setNameFilter(_("PDF files (*.pdf)"))
        self.file_dialog = dialog
        dialog.fileSelected.connect(lambda path: self.save_pdf(Path(path), day=day))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def save_pdf(self, path: Path, *, day: bool) -> None:
        """Write the day's sheets (or the selected run's) to `path`: read on a worker thread, laid
        out and painted on the GUI thread a sheet or a page at a time, saved on a worker thread (a
        day of 50 runs takes about a second: a progress dialog shows); then say what happened."""
        from aiddesk.services.desk.documents import save_document
        from aiddesk.ui.deliveries.printing import sheets_pdf_steps

        wanted = self._sheets_wanted(day=day)
        if wanted is None:
            return
        db, (sheets_day, run_id), region = self._ctx.database, wanted, current_region()
        data_dir = self._ctx.paths.data_dir
        language = current_language()
        title = _("Route sheets, %(date)s") % {"date": format_day(sheets_day)}

        def job() -> Generator[OnWorker | None, Any, int]:
            sheets = yield OnWorker(lambda: _sheets(db, sheets_day, run_id, language))
            data = yield from sheets_pdf_steps(sheets, title=title, region=region)
            yield OnWorker(lambda: save_document(data, path, data_dir))
            return len(sheets)

        def saved(count: int) -> None:
            self._say(
                lambda: (
                    ngettext(
                        "Saved %(count)d route sheet to %(file)s.",
                        "Saved %(count)d route sheets to %(file)s.",
                        count,
                    )
                    % {"count": count, "file": str(path)}
                )
            )

        self._ctx.operations.steps(
            job(),
            while_alive(self, saved),
            failed=while_alive(self, lambda failure: self._print_failed(failure, path)),
            parent=self,
            progress=_("Saving the route sheets…"),
        )

    def _print_failed(self, failure: Failure, path: Path | None = None) -> None:
        from aiddesk.ui.deliveries.printing import PrintFailed

        error = failure.error
        if isinstance(error, PrintFailed):
            message = str(error)
            self._say(error=lambda: message)
        elif isinstance(error, OSError) and path is not None and not disk_full(error):  # a full disk: in full
            reason = error.strerror or str(error)
            self._say(
                error=lambda: _("Could not save %(file)s: %(reason)s") % {"file": str(path), "reason": reason}
            )
        else:
            message = failure.message
            self._say(error=lambda: message)

    # ---- texts -----------------------------------------------------------------------------------

    def _show_texts(self) -> None:
        run = self.selected_run()
        if run is None:
            self.run_label.setText(_("Choose a run to see its stops."))
        else:
            self.run_label.setText(
                # L10N: the selected run: code, volunteer, date, time window, status
                _("Run %(code)s · %(volunteer)s · %(date)s · %(window)s · %(status)s")
                % {
                    "code": run.code,
                    "volunteer": run.volunteer_name,
                    "date": format_day(run.date),
                    "window": window_text(run.window_start, run.window_end),
                    "status": enum_label(DeliveryStatus, run.status),
                }
            )
        if self.mode_box.currentIndex() == MODE_VOLUNTEER:
            self.runs_empty.setText(_("No runs for this volunteer yet."))
        else:
            self.runs_empty.setText(
                _("No runs on %(date)s.") % {"date": format_day(self.day())}
                + "\n"
                + _("Plan a run to send ready requests out with a volunteer.")
            )
        is_today = self.day() == self._today()
        self.today_note.setText(_("(today)") if is_today else "")
        self.message_label.setText(self._message() if self._message else "")
        self.message_label.setVisible(self._message is not None)
        self.error_label.setText(self._error() if self._error else "")
        self.error_label.setVisible(self._error is not None)
        self._update_actions()

    def retranslate_ui(self) -> None:
        self.title.setText(_("Deliveries"))
        self.mode_box.setItemText(MODE_DAY, _("Runs of a day"))
        self.mode_box.setItemText(MODE_VOLUNTEER, _("Runs of a volunteer"))
        self.previous_button.setToolTip(_("The day before"))
        self.next_button.setToolTip(_("The day after"))
        self.today_button.setText(_("Today"))
        self.plan_button.setText(_("Plan a run…"))
        self.day_print_button.setText(_("Print the day"))
        self.day_print_action.setText(_("Print all runs of the day…"))
        self.day_pdf_action.setText(_("Save all runs of the day as PDF…"))
        self.packing.retranslate_ui()
        self.start_button.setText(_("Start the run"))
        self.record_button.setText(_("Record stop…"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.remove_button.setText(_("Take off the run"))
        self.cancel_button.setText(_("Cancel the run…"))
        self.sheet_button.setText(_("Route sheet"))
        self.sheet_print_action.setText(_("Print this run's sheet…"))
        self.sheet_pdf_action.setText(_("Save this run's sheet as PDF…"))
        self.runs_model.retranslate()
        self.stops_model.retranslate()
        self._show_texts()
        if self._read_language and self._read_language != current_language():
            self.read_runs()  # the needs of the stops, named in the new language
