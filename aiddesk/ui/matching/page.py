"""The Matching screen: the ready requests, and for the ones selected the volunteers who could
take them, ranked, each with the reasons in words; those ruled out are listed apart with why.
From a suggestion, "Plan a run…" puts the selected requests on a run for that volunteer.

Reads and the planning go through the desk's operation runner; the screen reads again when
an operation anywhere changed requests, people, volunteers, runs, labels or the desk's
vetting setting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain import availability
from aiddesk.domain.changes import Kind
from aiddesk.domain.matching import Suggestion
from aiddesk.domain.sorting import repeated_names
from aiddesk.i18n import _, current_language, ngettext
from aiddesk.i18n.formatting import format_day, format_number, format_time
from aiddesk.services import matching
from aiddesk.services.deliveries.dispatch import RunTime
from aiddesk.services.matching import ReadyRow, Suggestions
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.availability import slot_name
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.matching.plan_run_dialog import PlanRunDialog, StopChoice
from aiddesk.ui.matching.ready_model import COLUMN_KEYS as REQUEST_KEYS
from aiddesk.ui.matching.ready_model import ReadyRequestsModel
from aiddesk.ui.matching.suggestions_model import SuggestionsModel
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

SHOWN = 100  # suggestions listed (of each kind); the rest are counted
ANY_TIME = -1
REQUEST_WIDTHS = {
    "code": 90,
    "person": 140,
    "need": 140,
    "zone": 80,
    "language": 90,
    "urgency": 120,
    "age": 70,
}
# plan_run(db, who, *, volunteer_id, date, window_start, window_end, request_ids) -> the run's reference
PlanRunService = Callable[..., str]


def _plan_run_service(*args: Any, **kwargs: Any) -> str:
    from aiddesk.services.deliveries import dispatch

    return dispatch.plan_run(*args, **kwargs)


def stop_text(row: ReadyRow) -> str:
    """A stop of the run being planned: code, person, address (when known), need."""
    address = " ".join(row.address.split())
    return " · ".join(part for part in (row.code, row.person_name, address, row.need) if part)


def _clock(hhmm: str) -> str:
    """ "17:00" as the UI's locale writes a time: "5:00 PM" / "17:00"."""
    return format_time(dt.time.fromisoformat(hhmm), "short")


def _table(
    model: Any, selection: QAbstractItemView.SelectionMode, *, wrapped: tuple[int, ...] = ()
) -> QTableView:
    return record_table(model, selection=selection, wrapped=wrapped)


class MatchingPage(Refreshes, Retranslating, QWidget):
    """The ready requests and who could take them; plans runs."""

    # The vetting setting is the desk's (kind DESK); runs this week count the volunteer's runs.
    shows = frozenset({Kind.REQUEST, Kind.PERSON, Kind.VOLUNTEER, Kind.DELIVERY, Kind.LABEL, Kind.DESK})

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        plan_run: PlanRunService = _plan_run_service,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._plan_run = plan_run
        self.suggestions: Suggestions | None = None
        self._suggested_for: list[str] = []  # the requests `suggestions` were read for
        self._keep_selected: list[str] = []  # the requests chosen before the list was read again
        self.dialog: PlanRunDialog | None = None
        self._planned: tuple[str, dt.date, int] | None = None  # the last run planned here

        self.title = page_title()

        # ---- when
        tomorrow = today() + dt.timedelta(days=1)
        self.date_caption = QLabel()
        self.date_edit = DateField(tomorrow, weekday=True)
        self.slot_caption = QLabel()
        self.slot_box = QComboBox()
        self.slot_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        when = QHBoxLayout()
        when.addWidget(self.date_caption)
        when.addWidget(self.date_edit)
        when.addSpacing(12)
        when.addWidget(self.slot_caption)
        when.addWidget(self.slot_box)
        when.addStretch(1)

        # ---- the ready requests
        self.requests_model = ReadyRequestsModel(ctx.database, self, operations=ctx.operations)
        self.requests_table = _table(self.requests_model, QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, key in enumerate(REQUEST_KEYS):
            self.requests_table.horizontalHeader().resizeSection(column, REQUEST_WIDTHS[key])
        self.requests_caption = QLabel()
        self.requests_count = QLabel()
        self.no_requests = QLabel()
        self.no_requests.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_requests.setWordWrap(True)
        self.requests_views = QStackedWidget()
        self.requests_views.addWidget(self.requests_table)
        self.requests_views.addWidget(self.no_requests)
        requests_head = QHBoxLayout()
        requests_head.addWidget(self.requests_caption)
        requests_head.addStretch(1)
        requests_head.addWidget(self.requests_count)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addLayout(requests_head)
        left_layout.addWidget(self.requests_views, 1)

        # ---- the suggestions
        self.ranked_model = SuggestionsModel(parent=self)
        self.excluded_model = SuggestionsModel(excluded=True, parent=self)
        # the reasons (the last column) wrap: the whole reason shows, in either language
        self.ranked_table = _table(
            self.ranked_model, QAbstractItemView.SelectionMode.SingleSelection, wrapped=(2,)
        )
        self.excluded_table = _table(
            self.excluded_model, QAbstractItemView.SelectionMode.NoSelection, wrapped=(1, 2)
        )
        for table, widths in ((self.ranked_table, (160, 65)), (self.excluded_table, (160,))):
            for column, width in enumerate(widths):
                table.horizontalHeader().resizeSection(column, width)
        # why a volunteer is ruled out and what speaks for them share the width, both wrapped: at
        # 1000 px (or in Spanish) a fixed "ruled out because" left the last one a sliver, cut off
        for column in (1, 2):
            self.excluded_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self.ranked_table.doubleClicked.connect(self.plan_run)
        self.suggestions_caption = QLabel()
        self.suggestions_caption.setWordWrap(True)
        self.how_label = QLabel()
        self.how_label.setWordWrap(True)
        self.how_label.setEnabled(False)  # greyed: how to read the list
        self.ranked_more = QLabel()
        self.detail_label = QLabel()  # the chosen volunteer's reasons in full
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)
        self.detail_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail_label.setMargin(6)
        self.excluded_caption = QLabel()
        self.excluded_more = QLabel()
        self.plan_button = QPushButton()
        self.plan_button.clicked.connect(self.plan_run)
        self.planned_label = QLabel()
        self.planned_label.setWordWrap(True)
        self.planned_label.hide()
        self.nothing_selected = QLabel()
        self.nothing_selected.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing_selected.setWordWrap(True)

        shown = QWidget()
        shown_layout = QVBoxLayout(shown)
        shown_layout.setContentsMargins(0, 0, 0, 0)
        shown_layout.addWidget(self.suggestions_caption)
        shown_layout.addWidget(self.how_label)
        shown_layout.addWidget(self.ranked_table, 3)
        shown_layout.addWidget(self.ranked_more)
        shown_layout.addWidget(self.detail_label)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan_button)
        plan_row.addStretch(1)
        shown_layout.addLayout(plan_row)
        shown_layout.addWidget(self.excluded_caption)
        shown_layout.addWidget(self.excluded_table, 2)
        shown_layout.addWidget(self.excluded_more)
        self.suggestion_views = QStackedWidget()
        self.suggestion_views.addWidget(self.nothing_selected)
        self.suggestion_views.addWidget(shown)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.planned_label)
        right_layout.addWidget(self.suggestion_views, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(when)
        layout.addWidget(self.splitter, 1)

        self._fill_slots()
        self.slot_box.setCurrentIndex(0)  # morning
        self.requests_model.modelAboutToBeReset.connect(self._remember_selection)
        self.requests_model.modelReset.connect(self._after_reset)
        self.requests_table.selectionModel().selectionChanged.connect(self.update_suggestions)
        self.requests_table.selectionModel().selectionChanged.connect(self._forget_planned)
        self.ranked_table.selectionModel().selectionChanged.connect(self._update_plan_button)
        self.ranked_table.selectionModel().selectionChanged.connect(self._show_detail)
        self.date_edit.dateChanged.connect(self.update_suggestions)
        self.slot_box.currentIndexChanged.connect(self.update_suggestions)
        self.requests_model.refresh()
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- choices ---------------------------------------------------------------------------

    def _fill_slots(self) -> None:
        chosen = self.slot_box.currentData()
        self.slot_box.blockSignals(True)
        self.slot_box.clear()
        for slot, (start, end) in availability.SLOT_WINDOWS.items():
            start, end = _clock(start), _clock(end)
            # L10N: a time of day and its usual window: "Morning, 9:00 AM–12:00 PM"
            self.slot_box.addItem(
                _("%(slot)s, %(start)s–%(end)s") % {"slot": slot_name(slot), "start": start, "end": end}, slot
            )
        self.slot_box.addItem(_("Any time that day"), ANY_TIME)
        self.slot_box.setCurrentIndex(max(self.slot_box.findData(chosen), 0) if chosen is not None else 0)
        self.slot_box.blockSignals(False)

    def day(self) -> dt.date:
        return self.date_edit.current()

    def time_window(self) -> tuple[str, str] | None:
        """The planned time window; None for any time that day."""
        slot = self.slot_box.currentData()
        return None if slot is None or slot == ANY_TIME else availability.SLOT_WINDOWS[int(slot)]

    def selected_request_ids(self) -> list[str]:
        """The selected ready requests, in the order they are listed."""
        rows = sorted(index.row() for index in self.requests_table.selectionModel().selectedRows())
        return [self.requests_model.row_at(row).id for row in rows]

    def select_requests(self, request_ids: list[str]) -> None:
        """Select these requests (as a coordinator's clicks would); one not read yet is selected
        once its window is read, one no longer ready is left out."""
        self.requests_table.clearSelection()
        for request_id in request_ids:
            self.requests_model.reveal(request_id, self._add_to_selection)

    def _add_to_selection(self, row: int) -> None:
        self.requests_table.selectionModel().select(
            self.requests_model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )

    def selected_suggestion(self) -> Suggestion | None:
        rows = self.ranked_table.selectionModel().selectedRows()
        return self.ranked_model.suggestion_at(rows[0].row()) if rows else None

    # ---- suggestions -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the ready requests again (after new requests, runs or roster changes); the chosen
        ones that are still ready stay chosen, and their suggestions are read again."""
        self.requests_model.refresh()

    def _remember_selection(self) -> None:
        self._keep_selected = self.selected_request_ids()

    def _after_reset(self) -> None:
        kept, self._keep_selected = self._keep_selected, []
        selection = self.requests_table.selectionModel()
        selection.blockSignals(True)  # one reading of the suggestions, below
        self.select_requests(kept)
        selection.blockSignals(False)
        self.requests_table.viewport().update()
        self._show_request_count()
        self.update_suggestions()

    def update_suggestions(self) -> None:
        """Read who could take the selected requests (on a worker thread; a newer choice
        supersedes a reading still under way)."""
        ids = self.selected_request_ids()
        self._update_plan_button()  # not before the suggestions for this choice are in
        if not ids:
            self._show_suggestions([], None)
            return
        db, day, window, language = self._ctx.database, self.day(), self.time_window(), current_language()
        self._ctx.operations.query(
            lambda: matching.suggest(db, ids, day=day, window=window, language=language),
            while_alive(self, lambda found: self._show_suggestions(ids, found)),
            key="matching-suggestions",
        )

    def _show_suggestions(self, ids: list[str], found: Suggestions | None) -> None:
        self.suggestions, self._suggested_for = found, ids
        ranking = found.ranking if found is not None else None
        shown = (*ranking.ranked, *ranking.excluded) if ranking else ()
        repeated = repeated_names(s.candidate.name for s in shown)  # told apart by their code
        self.ranked_model.set_suggestions(ranking.ranked[:SHOWN] if ranking else [], repeated)
        self.excluded_model.set_suggestions(ranking.excluded[:SHOWN] if ranking else [], repeated)
        if self.ranked_model.rowCount() > 0:
            self.ranked_table.selectRow(0)
        self.suggestion_views.setCurrentIndex(1 if ids else 0)
        self._show_suggestion_texts()
        self._update_plan_button()
        self._show_detail()

    # ---- planning --------------------------------------------------------------------------

    def _clashing_runs(
        self, volunteer_id: str, day: dt.date, start: str, end: str, show: Callable[[list[RunTime]], None]
    ) -> None:
        """The volunteer's other runs at that time, read through the runner, to `show`."""
        from aiddesk.services.deliveries import dispatch

        db = self._ctx.database
        self._ctx.operations.query(
            lambda: dispatch.clashing_runs(db, volunteer_id, day, start, end), show, key="plan-run-clash"
        )

    def plan_run(self) -> None:
        """Open the dialog that plans a run for the chosen volunteer with the selected requests."""
        suggestion = self.selected_suggestion()
        ids = self.selected_request_ids()
        if suggestion is None or not ids or ids != self._suggested_for:
            return
        volunteer = suggestion.candidate
        rows = {
            row.id: row
            for row in (self.requests_model.row_at(i) for i in range(self.requests_model.rowCount()))
        }
        stops = [
            StopChoice(i, stop_text(rows[i]), rows[i].zone, rows[i].address)
            if i in rows
            else StopChoice(i, i)
            for i in ids
        ]

        db, who, plan_run = self._ctx.database, self._ctx.who, self._plan_run

        def plan(
            day: dt.date,
            start: str,
            end: str,
            request_ids: list[str],
            done: Callable[[str], None],
            failed: Callable[[Failure], None],
        ) -> None:
            self._ctx.operations.write(
                lambda: plan_run(
                    db,
                    who,
                    volunteer_id=volunteer.id,
                    date=day,
                    window_start=start,
                    window_end=end,
                    request_ids=request_ids,
                ),
                while_alive(dialog, done),
                failed=while_alive(dialog, failed),
                parent=dialog,
            )

        dialog = PlanRunDialog(
            plan,
            volunteer_name=self.ranked_model.text(suggestion, "name"),  # with the code if the name repeats
            day=self.day(),
            window=self.time_window() or availability.SLOT_WINDOWS[0],
            stops=stops,
            clashes=lambda day, start, end, show: self._clashing_runs(volunteer.id, day, start, end, show),
            parent=self,
        )
        self.dialog = dialog

        def on_accepted() -> None:
            # The planned requests leave the list when it is read again (the change notifier).
            count = len(dialog.request_ids())
            self._planned = (dialog.volunteer_name, dialog.day(), count)
            self._show_planned()
            self.requests_table.clearSelection()

        def on_finished() -> None:
            self.dialog = None
            dialog.deleteLater()

        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(on_finished)
        dialog.open()

    def _forget_planned(self) -> None:
        """Requests chosen for another run: the last run's confirmation has had its moment."""
        if self.selected_request_ids():
            self._planned = None
            self.planned_label.hide()

    def _show_planned(self) -> None:
        if self._planned is None:
            return
        name, day, count = self._planned
        self.planned_label.setText(
            ngettext(
                "Run planned for %(name)s on %(date)s with %(count)d stop.",
                "Run planned for %(name)s on %(date)s with %(count)d stops.",
                count,
            )
            % {"name": name, "date": format_day(day), "count": count}
        )
        self.planned_label.show()

    # ---- texts -----------------------------------------------------------------------------

    def _show_detail(self) -> None:
        chosen = self.selected_suggestion()
        if chosen is None:
            self.detail_label.hide()
            return
        volunteer = chosen.candidate
        # L10N: the chosen volunteer and why: "Ana Díaz (CC1-V0012): speaks Spanish · same zone"
        self.detail_label.setText(
            _("%(name)s (%(code)s): %(reasons)s")
            % {
                "name": volunteer.name,
                "code": volunteer.code,
                "reasons": self.ranked_model.text(chosen, "why"),
            }
        )
        self.detail_label.show()

    def _update_plan_button(self) -> None:
        ids = self.selected_request_ids()
        self.plan_button.setEnabled(
            self.selected_suggestion() is not None and bool(ids) and ids == self._suggested_for
        )

    def _show_request_count(self) -> None:
        total = self.requests_model.total
        self.requests_count.setText(
            ngettext("%(count)s ready", "%(count)s ready", total) % {"count": format_number(total)}
        )
        self.requests_views.setCurrentWidget(self.requests_table if total else self.no_requests)

    def _show_suggestion_texts(self) -> None:
        found = self.suggestions
        if found is None:
            return
        needs = found.needs
        if len(needs) == 1:
            self.suggestions_caption.setText(_("Who could take %(code)s") % {"code": needs[0].code})
            self.how_label.setText(_("Ranked by zone, language, skills, free time and runs this week."))
        else:
            self.suggestions_caption.setText(
                ngettext(
                    "Who could take these %(count)d request",
                    "Who could take these %(count)d requests",
                    len(needs),
                )
                % {"count": len(needs)}
            )
            self.how_label.setText(
                _(
                    "One run for all of them: each volunteer is ranked by the request they fit worst, "
                    "and a reason that holds for only some requests says for how many."
                )
            )
        ranking = found.ranking
        for label, items, empty in (
            (self.ranked_more, ranking.ranked, _("Nobody can take this: see who is ruled out below.")),
            (self.excluded_more, ranking.excluded, _("Nobody is ruled out.")),
        ):
            if not items:
                label.setText(empty)
            elif len(items) > SHOWN:
                label.setText(
                    _("Showing the first %(shown)s of %(total)s.")
                    % {"shown": format_number(SHOWN), "total": format_number(len(items))}
                )
            else:
                label.setText("")
            label.setVisible(bool(label.text()))
        self.excluded_caption.setText(
            _("Ruled out (%(count)s)") % {"count": format_number(len(ranking.excluded))}
        )

    def retranslate_ui(self) -> None:
        self.title.setText(_("Matching"))
        self.date_caption.setText(_("Run on:"))
        self.slot_caption.setText(_("Time:"))
        self._fill_slots()
        self.requests_caption.setText(_("Ready requests"))
        self.requests_table.setToolTip(
            _("Select one request, or several for one run (Ctrl or Shift + click).")
        )
        self.no_requests.setText(
            _("No request is ready.") + "\n" + _("Requests marked ready are listed here.")
        )
        self.nothing_selected.setText(_("Select one or more ready requests to see who could take them."))
        self.plan_button.setText(_("Plan a run…"))
        self.plan_button.setToolTip(_("Put the selected requests on a run for the chosen volunteer."))
        self.requests_model.retranslate()  # reads the rows again when the locale changed
        self._show_detail()
        self.ranked_model.retranslate()
        self.excluded_model.retranslate()
        self._show_request_count()
        self._show_suggestion_texts()
        self._show_planned()
