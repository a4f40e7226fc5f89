"""The Requests screen: the working queue.

Status chips with counts, filters (text, need, zone, urgency, age), the table
(filtered and sorted in SQL, read in windows), and beside it the selected
request with its person and history and the status moves the domain allows —
for one request or for a selection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.access import Right
from aiddesk.domain.changes import Kind
from aiddesk.domain.enums import RequestStatus
from aiddesk.i18n import _, current_language, ngettext
from aiddesk.i18n.formatting import format_number
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import Focus, QueueQuery, RequestDetail
from aiddesk.services.requests.status import MoveResult
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.person.edit_dialog import EditPersonDialog
from aiddesk.ui.requests.detail_panel import QueueDetailPanel
from aiddesk.ui.requests.filter_bar import QueueFilterBar
from aiddesk.ui.requests.move_dialog import QueueMoveDialog
from aiddesk.ui.requests.print_menu import QueuePrintButton
from aiddesk.ui.requests.status_chips import QueueStatusChips
from aiddesk.ui.requests.table_model import COLUMN_KEYS, RequestsModel, utcnow
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

# Fixed starting widths (the user may drag them); never sized to the contents of a big model.
COLUMN_WIDTHS: dict[str, int] = {
    "code": 80,
    "person": 150,
    "need": 140,
    "zone": 85,
    "urgency": 150,  # "En menos de 24 horas" fits
    "status": 170,  # "Enviado a otra organización" fits
    "follow_up": 100,
    "age": 70,
}
DETAIL_HEIGHT = 300


class RequestsPage(Refreshes, Retranslating, QWidget):
    """`open_person(person_id)` when the user asks for a person's page (detail panel or double-click).

    `today` gives the desk's local date (the "call back today" view); `now` naive UTC."""

    open_person = Signal(str)
    shows = frozenset({Kind.REQUEST, Kind.PERSON, Kind.LABEL})

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._keep_selected: list[str] = []
        self._shown_after_move: str | None = None
        self._select_after_reset: str | None = None
        self.move_dialog: QueueMoveDialog | None = None
        self.edit_dialog: EditPersonDialog | None = None
        self.model = RequestsModel(ctx.database, self, today=today, now=now, operations=ctx.operations)

        self.title = page_title()
        self.count_label = QLabel()
        self.chips = QueueStatusChips()
        self.filters = QueueFilterBar()

        self.table = record_table(
            self.model,
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
            widths=[COLUMN_WIDTHS[key] for key in COLUMN_KEYS],
        )
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        # Show the model's own starting order, then let header clicks call model.sort().
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self.model.sort)

        self.detail = QueueDetailPanel(ctx.desk.phone_region)
        self.detail.setMinimumHeight(200)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1000, DETAIL_HEIGHT])

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.splitter)
        self.views.addWidget(self.empty_label)

        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addWidget(self.filters.focus_box, 0, Qt.AlignmentFlag.AlignBottom)
        self.print_button = QueuePrintButton(self)
        self.print_note = QLabel()
        self.print_note.setWordWrap(True)
        self.print_note.hide()
        self.print_button.printer.said.connect(self._said)
        heading.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.chips)
        layout.addWidget(self.filters)
        layout.addWidget(self.print_note)
        layout.addWidget(self.views, 1)

        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._after_reset)
        self.model.rowsInserted.connect(self._show_count)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._open_row_person)
        self.chips.changed.connect(self.apply_filters)
        self.filters.changed.connect(self.apply_filters)
        self.detail.open_person.connect(self.open_person)
        self.detail.edit_person.connect(self.ask_edit_person)
        self.detail.move_to.connect(self.ask_move)

        self._load_labels()
        self.model.set_query(self.current_query())
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- filters ---------------------------------------------------------------------------

    def current_query(self) -> QueueQuery:
        """The query the chips and the filter bar describe."""
        return QueueQuery(
            statuses=self.chips.statuses,
            category_ids=self.filters.category_ids,
            zone_ids=self.filters.zone_ids,
            urgencies=self.filters.urgencies,
            older_than_days=self.filters.older_than_days,
            text=self.filters.text,
            call_back_today=self.chips.call_back_today,
            focus=self.filters.focus,
        )

    def show_filtered(
        self, statuses: frozenset[RequestStatus], focus: Focus = Focus.NONE, select: str | None = None
    ) -> None:
        """List the requests in `statuses` (and `focus`), every other filter cleared, and select
        `select` once listed (the overview's numbers)."""
        self._select_after_reset = select
        self.chips.set_statuses(statuses)
        self.filters.show_only(focus)
        self.apply_filters()

    def _said(self, text: str) -> None:
        self.print_note.setText(text)
        self.print_note.show()

    def apply_filters(self) -> None:
        """List the requests the chips and filters describe, with fresh counts."""
        self.model.set_query(self.current_query())

    def _load_labels(self) -> None:
        db = self._ctx.database

        def read() -> tuple[list[labels_service.Label], list[labels_service.Label]]:
            return labels_service.list_labels(db, "need_category"), labels_service.list_labels(db, "zone")

        self._ctx.operations.query(
            read, while_alive(self, lambda lists: self.filters.set_labels(*lists)), key="queue-labels"
        )

    def refresh(self) -> None:
        """Read everything again (after new records or renamed labels)."""
        self._load_labels()
        self.model.refresh()

    # ---- selection and detail --------------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def selected_ids(self) -> list[str]:
        return [self.model.row_at(row).id for row in self.selected_rows()]

    def select_request(self, request_id: str) -> bool:
        """Select the row of `request_id` among the rows read; False when it is not listed."""
        row = self.model.row_of(request_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _remember_selection(self) -> None:
        chosen, self._select_after_reset = self._select_after_reset, None
        self._keep_selected = [chosen] if chosen is not None else self.selected_ids()

    def _after_reset(self) -> None:
        selection = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        rows = [r for r in (self.model.row_of(i) for i in self._keep_selected) if r is not None]
        selection.blockSignals(True)
        selection.clearSelection()
        for row in rows:
            selection.select(self.model.index(row, 0), flags)
        selection.blockSignals(False)
        self.table.viewport().update()
        shown, self._shown_after_move = self._shown_after_move, None
        if shown is not None and not rows:
            self._show_request(shown)
        else:
            self._selection_changed()
        if self.model.counts is not None:
            self.chips.set_counts(self.model.counts)
        self._show_count()

    def apply_role(self) -> None:
        """Someone signed in: the selected request is read again with their rights (the detail a
        coordinator read shows its safety notes; a phone volunteer who signs in after must not
        find them on the screen)."""
        self.detail.show_safety_notes(self._ctx.may(Right.SAFETY_NOTES))
        self._selection_changed()

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        if not rows:
            self.detail.show_nothing()
        elif len(rows) == 1:
            self._show_request(self.model.row_at(rows[0]).id)
        else:
            statuses = [self.model.row_at(r).status for r in rows]
            self.detail.show_selection(len(rows), queue.allowed_targets(statuses))

    def _show_request(self, request_id: str) -> None:
        db, language, who = self._ctx.database, current_language(), self._ctx.who

        def show(detail: RequestDetail | None) -> None:
            if detail is None:
                self.detail.show_nothing()
            else:
                self.detail.show_safety_notes(self._ctx.may(Right.SAFETY_NOTES))
                self.detail.show_detail(detail, self.model.now())

        self._ctx.operations.query(
            lambda: queue.request_detail(db, request_id, language=language, who=who),
            while_alive(self, show),  # the screen may have closed meanwhile
            key="queue-detail",
        )

    def _open_row_person(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.open_person.emit(self.model.row_at(rows[0]).person_id)

    def ask_edit_person(self, person_id: str) -> EditPersonDialog:
        """Edit the selected request's person; the queue and its panel read again once saved."""
        dialog = EditPersonDialog(self._ctx, person_id, parent=self)
        self.edit_dialog = dialog
        dialog.finished.connect(lambda _code: self._after_edit(dialog))
        dialog.open()
        return dialog

    def _after_edit(self, dialog: EditPersonDialog) -> None:
        self.edit_dialog = None
        dialog.deleteLater()

    # ---- status moves ----------------------------------------------------------------------

    def ask_move(self, target: RequestStatus) -> QueueMoveDialog | None:
        """Open the dialog that moves the selected requests to `target`."""
        rows = self.selected_rows()
        shown = self.detail.detail
        if rows:
            ids = [self.model.row_at(r).id for r in rows]
            codes = [self.model.row_at(r).code for r in rows]
        elif shown is not None:  # moved out of the list earlier and still shown
            ids, codes = [shown.request.id], [shown.request.code]
        else:
            return None

        db, who, today = self._ctx.database, self._ctx.who, self._today()

        def move(
            status: RequestStatus,
            reason: str,
            follow_up: dt.date | None,
            done: Callable[[MoveResult], None],
            failed: Callable[[Failure], None],
        ) -> None:
            self._ctx.operations.write(
                lambda: queue.move_requests(db, who, ids, status, reason, follow_up, today=today),
                done,
                failed=failed,
                parent=self.move_dialog,
            )

        dialog = QueueMoveDialog(move, target, codes, today=self._today(), parent=self)
        self.move_dialog = dialog
        dialog.finished.connect(lambda _code: self._after_move(dialog, ids))
        dialog.open()
        return dialog

    def _after_move(self, dialog: QueueMoveDialog, ids: list[str]) -> None:
        self.move_dialog = None
        dialog.deleteLater()
        result = dialog.result_of_move
        if result is None or not result.moved:
            return
        # The move's changes refresh the list (keeping the moved requests selected when they are
        # still listed); one moved out of the list stays shown, with its new status.
        if len(ids) == 1:
            self._shown_after_move = ids[0]

    # ---- texts -----------------------------------------------------------------------------

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText(
            ngettext("%(count)s request", "%(count)s requests", total) % {"count": format_number(total)}
        )
        self.count_label.setVisible(total > 0)
        self.views.setCurrentWidget(self.splitter if total > 0 else self.empty_label)
        counts = self.model.counts
        nothing_at_all = (
            counts is not None
            and counts.total(tuple(RequestStatus)) == 0
            and not self.filters.is_filtering()
            and not self.chips.call_back_today
        )
        if nothing_at_all:
            self.empty_label.setText(
                _("No requests yet.") + "\n" + _("Requests taken at the phone desk will be listed here.")
            )
        else:
            self.empty_label.setText(
                _("No requests match these filters.")
                + "\n"
                + _("Choose other statuses or clear the filters.")
            )

    def retranslate_ui(self) -> None:
        self.title.setText(_("Requests"))
        self.table.setAccessibleName(_("Requests"))
        self.model.retranslate()
        self._show_count()
