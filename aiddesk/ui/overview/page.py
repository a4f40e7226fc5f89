"""The Overview screen, the coordinator's first: today at a glance, the charts of the last 90
days, and the printable lists of the day.

The figures (aiddesk.services.reports.overview) and the charts (a 90-day period report drawn by
aiddesk.services.reports.charts) load on worker threads through the desk's operation runner; nothing here waits on
the database or on matplotlib. The screen says when its figures were read and reads them again
when shown, on Refresh, and when the records change (`refresh()`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import RECORD_KINDS, Changes, Kind
from aiddesk.domain.enums import DeliveryStatus, RequestStatus
from aiddesk.i18n import N_, _, current_language, ngettext
from aiddesk.i18n.formatting import format_age, format_date, format_number, format_time
from aiddesk.services.reports.overview import WAITING, Overview
from aiddesk.services.requests.queue import OPEN_STATUSES, Focus
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.context import DeskContext
from aiddesk.ui.overview.views import QueueView
from aiddesk.ui.reports.pdf_document import Printable
from aiddesk.ui.reports.printing import MENU_BUTTON_STYLE, ListPrinter
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes, Spaced

log = logging.getLogger(__name__)

CHART_DAYS = 90
CHART_WIDTH = 560  # pixels on screen, at most (two side by side, narrower in a smaller window)
CHART_MIN_WIDTH = 320
FIGURES_GAP_MS = 1000  # while changes keep coming, the figures are read again once a second at most
# The tiles at the top: (key, label), in order.
TILES: tuple[tuple[str, str], ...] = (
    ("calls_today", N_("Calls today")),
    ("requests_today", N_("New requests today")),
    ("call_backs_today", N_("Call-backs due today")),
    ("call_backs_overdue", N_("Call-backs overdue")),
    ("failed_to_replan", N_("Failed deliveries to plan again")),
    ("conflicts_waiting", N_("Conflicts waiting")),
)
# What each tile's number opens: the queue with (statuses, focus), or a screen; None: nothing
# (the calls of the day have no list of their own yet).
TILE_TARGETS: dict[str, QueueView | str | None] = {
    "calls_today": None,
    "requests_today": QueueView(frozenset(RequestStatus), Focus.NEW_TODAY),
    "call_backs_today": QueueView(frozenset(OPEN_STATUSES), Focus.DUE_TODAY),
    "call_backs_overdue": QueueView(frozenset(OPEN_STATUSES), Focus.OVERDUE),
    "failed_to_replan": QueueView(frozenset(OPEN_STATUSES), Focus.FAILED),
    "conflicts_waiting": "conflicts",
}
TILE_STYLE = """
QPushButton#tileNumber { font-size: 22pt; font-weight: bold; text-align: left; border: none;
  color: palette(link); padding: 0px; }
QPushButton#tileNumber:disabled { color: palette(window-text); }
QPushButton#tileNumber:hover { text-decoration: underline; }
QPushButton[link="true"] { border: none; color: palette(link); text-align: left; padding: 1px 0px; }
QPushButton[link="true"]:hover { text-decoration: underline; }
"""


def _link(text: str = "") -> QPushButton:
    """A flat button that reads like a link: a number that opens what it counted."""
    button = QPushButton(text)
    button.setProperty("link", True)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the list (it walked every cell)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMaximumHeight(210)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    """The table's rows as `rows` say, made again only when they changed: after each save
    elsewhere the figures are read again, and making the cells and measuring the columns again
    took the GUI thread tens of milliseconds at 20,000 people (issue 13)."""
    shown = [[_text(table, r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]
    if shown == rows:
        return
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


class OverviewPage(Refreshes, Retranslating, QWidget):
    """Each number asks the window to show what it counted: `open_queue(QueueView)` the Requests
    screen filtered to it, `open_screen(key)` another screen ("conflicts", "exchange"),
    `open_run(day, run_id)` the Deliveries screen on that day with the run chosen."""

    # Any record, a proposal (the conflicts waiting), another desk's workbook.
    shows = RECORD_KINDS | {Kind.PROPOSAL, Kind.KNOWN_DESK}
    open_queue = Signal(object)
    open_screen = Signal(str)
    open_run = Signal(object, str)

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None),
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._today = today
        self._now = now
        self.data: Overview | None = None
        self.charts: list[Any] = []  # report_charts.Chart, once drawn
        self._read_at: dt.datetime | None = None
        self._error = ""
        self._figures_language = ""  # the language the figures were last asked in (need names)
        self._charts_language = ""  # and the charts
        self._drawing = False  # the charts are being drawn on a worker thread
        self._draw_again = False  # and were asked for again meanwhile

        self.title = page_title()
        self.status = QLabel()
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.refresh_button)

        self.setStyleSheet(TILE_STYLE)
        self.tiles: dict[str, tuple[QPushButton, QLabel]] = {}
        tiles = QGridLayout()
        for n, (key, _label) in enumerate(TILES):
            number, caption = QPushButton("—"), QLabel()
            number.setObjectName("tileNumber")
            number.setFlat(True)
            target = TILE_TARGETS[key]
            if target is None:
                number.setEnabled(False)
            else:
                number.setCursor(Qt.CursorShape.PointingHandCursor)
                number.clicked.connect(lambda _c=False, t=target: self._open(t))
            caption.setWordWrap(True)
            box = QVBoxLayout()
            box.addWidget(number)
            box.addWidget(caption)
            frame = QGroupBox()
            frame.setLayout(box)
            tiles.addWidget(frame, 0, n)
            self.tiles[key] = (number, caption)
        # Requests waiting: all of them, then one number per status, each opening the queue.
        self.waiting_link = _link()
        self.waiting_link.clicked.connect(lambda: self._open(QueueView(frozenset(WAITING))))
        self.status_links: dict[RequestStatus, QPushButton] = {}
        status_grid = QGridLayout()
        status_grid.addWidget(self.waiting_link, 0, 0, 1, 2)
        for n, status in enumerate(s for s in RequestStatus if s in OPEN_STATUSES):
            link = _link()
            link.clicked.connect(lambda _c=False, st=status: self._open(QueueView(frozenset({st}))))
            status_grid.addWidget(link, 1 + n // 2, n % 2)
            self.status_links[status] = link
        self.status_box = QGroupBox()
        self.status_box.setLayout(status_grid)

        self.runs = _table(5)
        self.runs.cellClicked.connect(self._run_clicked)
        self.runs.setCursor(Qt.CursorShape.PointingHandCursor)
        self.runs_box = QGroupBox()
        QVBoxLayout(self.runs_box).addWidget(self.runs)
        self.oldest = _table(4)
        self.oldest.cellClicked.connect(self._oldest_clicked)
        self.oldest.setCursor(Qt.CursorShape.PointingHandCursor)
        self.oldest_box = QGroupBox()
        QVBoxLayout(self.oldest_box).addWidget(self.oldest)
        self.desks = QLabel()
        self.desks.setWordWrap(True)
        self.exchange_link = _link()
        self.exchange_link.clicked.connect(lambda: self.open_screen.emit("exchange"))
        self.desks_box = QGroupBox()
        desks_layout = QVBoxLayout(self.desks_box)
        desks_layout.addWidget(self.desks)
        desks_layout.addWidget(self.exchange_link)

        self.printer = ListPrinter(ctx, self)
        self.call_back_button = QToolButton()
        self.packing_button = QToolButton()
        self.report_button = QPushButton()
        self.report_button.clicked.connect(self.open_report_dialog)
        self.report_dialog: QDialog | None = None
        self.call_back_menu, self.packing_menu = QMenu(self), QMenu(self)
        self.print_call_backs_action = self.call_back_menu.addAction("")
        self.print_call_backs_action.triggered.connect(self.print_call_back_list)
        self.save_call_backs_action = self.call_back_menu.addAction("")
        self.save_call_backs_action.triggered.connect(lambda: self.save_call_back_list())
        self.print_packing_action = self.packing_menu.addAction("")
        self.print_packing_action.triggered.connect(self.print_packing_list)
        self.save_packing_action = self.packing_menu.addAction("")
        self.save_packing_action.triggered.connect(lambda: self.save_packing_list())
        for button, menu in (
            (self.call_back_button, self.call_back_menu),
            (self.packing_button, self.packing_menu),
        ):
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setStyleSheet(MENU_BUTTON_STYLE)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.printer.said.connect(self.saved.setText)
        lists = QHBoxLayout()
        lists.addWidget(self.call_back_button)
        lists.addWidget(self.packing_button)
        lists.addWidget(self.report_button)
        lists.addStretch(1)

        self.chart_labels: list[QLabel] = []
        self.charts_note = QLabel()
        self.charts_grid = QGridLayout()
        self.charts_box = QGroupBox()
        charts_layout = QVBoxLayout(self.charts_box)
        charts_layout.addWidget(self.charts_note)
        charts_layout.addLayout(self.charts_grid)

        middle = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.status_box)
        left.addWidget(self.runs_box)
        right = QVBoxLayout()
        right.addWidget(self.oldest_box)
        right.addWidget(self.desks_box)
        middle.addLayout(left, 1)
        middle.addLayout(right, 1)

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(tiles)
        body.addLayout(lists)
        body.addWidget(self.saved)
        body.addLayout(middle)
        body.addWidget(self.charts_box)
        body.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self._chart_pixmaps: list[QPixmap] = []
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self._figures_again = Spaced(
            self, ctx.operations, self._read_figures_if_shown, FIGURES_GAP_MS, key="overview-figures"
        )
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- loading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self._stale = False  # read again below in any case
        super().showEvent(event)
        self.refresh()

    def changes_arrived(self, changes: Changes) -> None:
        """While shown, a change elsewhere reads the figures again, at most once a second (the
        charts of 90 days wait for the next showing or Refresh: they cost seconds at 100,000
        people); hidden, the next showing reads everything."""
        if changes.touches(self.shows) and self.isVisible():
            self._figures_again.ask()

    def _read_figures_if_shown(self) -> None:
        if self.isVisible():
            self._read_figures()

    def _read_figures(self) -> None:
        if self._ctx.db is None:
            return
        self._figures_again.ran()
        db, today, language, who = self._ctx.database, self._today(), current_language(), self._ctx.who
        from aiddesk.services.reports.overview import overview

        self.status.setText(_("Reading…"))
        self._figures_language = language
        self._ctx.operations.query(
            lambda: overview(db, today, language=language, who=who),
            self._show,
            failed=self._failed,
            key="overview",
            again=True,  # a burst of saves: one more read after the one running, not one each
        )

    def refresh(self) -> None:
        """Read the figures again and draw the charts again, on worker threads."""
        if self._ctx.db is None:
            return
        self._read_figures()
        self._draw()

    def _draw(self) -> None:
        db, today, language, who = self._ctx.database, self._today(), current_language(), self._ctx.who
        if self._drawing:  # one drawing at a time: two took both reading threads for many
            self._draw_again = True  # seconds (every screen's reads waited); the next one follows
            return
        self._drawing, self._draw_again = True, False
        self._charts_language = language

        def drawn(charts: list[Any]) -> None:
            self._drawing = False
            if self._draw_again:
                self._draw()  # asked again meanwhile (a language switch, Refresh): draw anew
            else:
                self._show_charts(charts)

        def broke(failure: Failure) -> None:
            self._drawing = False
            self._failed(failure)

        self._ctx.operations.query(
            lambda: _draw_charts(db, today, language, who),
            while_alive(self, drawn),
            failed=while_alive(self, broke),
            key="overview-charts",
        )

    def _failed(self, failure: Failure) -> None:
        self._error = _("The overview could not be read: %(error)s") % {"error": failure.message}
        self.status.setText(self._error)

    def _show(self, data: Overview) -> None:
        self.data = data
        self._read_at = self._now()
        self._error = ""
        self._fill()

    def _show_charts(self, charts: list[Any]) -> None:
        self.charts = charts
        while self.charts_grid.count():
            item = self.charts_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.chart_labels = []
        self._chart_pixmaps = []
        for n, chart in enumerate(charts):
            pixmap = QPixmap()
            pixmap.loadFromData(chart.png, "PNG")
            self._chart_pixmaps.append(pixmap)
            label = QLabel()
            label.setToolTip(chart.title)
            label.setAccessibleName(chart.title)
            self.charts_grid.addWidget(label, n // 2, n % 2)
            self.chart_labels.append(label)
        self._scale_charts()

    def _scale_charts(self) -> None:
        """Two charts side by side fill the screen's width (no sideways scrolling)."""
        width = max(CHART_MIN_WIDTH, min(CHART_WIDTH, (self.scroll_area.viewport().width() - 70) // 2))
        for label, pixmap in zip(self.chart_labels, self._chart_pixmaps, strict=True):
            if label.pixmap().width() != width:
                label.setPixmap(pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._scale_charts()

    # ---- showing ----------------------------------------------------------------------------

    def _fill(self) -> None:
        data = self.data
        if data is None:
            return
        for key, (number, _caption) in self.tiles.items():
            number.setText(format_number(getattr(data, key)))
        waiting = sum(c.count for c in data.by_status if c.status in WAITING)
        self.waiting_link.setText(
            ngettext(
                "%(count)s request waits for someone at the desk",
                "%(count)s requests wait for someone at the desk",
                waiting,
            )
            % {"count": format_number(waiting)}
        )
        for count in data.by_status:
            link = self.status_links.get(count.status)
            if link is not None:
                # L10N: on the overview: a status and how many requests have it, e.g. "New: 12"
                link.setText(
                    _("%(status)s: %(count)s")
                    % {"status": _(count.status.label), "count": format_number(count.count)}
                )
        _fill(
            self.runs,
            [
                [
                    run.code,
                    _window(run.window_start, run.window_end),
                    run.volunteer_name,
                    _(_run_status(run.status)),
                    _("%(recorded)s of %(stops)s") % {"recorded": run.recorded, "stops": run.stops},
                ]
                for run in data.runs_today
            ],
        )
        now = self._now()
        _fill(
            self.oldest,
            [
                [w.code, w.need, _(RequestStatus(w.status).label), format_age(w.created_at, now)]
                for w in data.oldest_waiting
            ],
        )
        if data.other_desks:
            self.desks.setText(
                "\n".join(
                    _("%(code)s (%(name)s): %(when)s")
                    % {"code": d.code, "name": d.name, "when": _when(d.last_merged_at)}
                    for d in data.other_desks
                )
            )
        else:
            self.desks.setText(_("No workbook from another desk was merged here yet."))
        self.exchange_link.setText(_("Open the exchange"))
        if self._read_at is not None:
            self.status.setText(_("Read at %(time)s") % {"time": format_time(_local(self._read_at).time())})

    def retranslate_ui(self) -> None:
        self.title.setText(_("Overview"))
        self.refresh_button.setText(_("Refresh"))
        for key, label in TILES:
            self.tiles[key][1].setText(_(label))
        self.status_box.setTitle(_("Requests waiting, by status"))
        self.runs_box.setTitle(_("Today's runs"))
        self.runs.setHorizontalHeaderLabels(
            [_("Run"), _("Window"), _("Volunteer"), _("Status"), _("Recorded")]
        )
        self.oldest_box.setTitle(_("Waiting longest"))
        self.oldest.setHorizontalHeaderLabels([_("Code"), _("Need"), _("Status"), _("Waiting")])
        self.desks_box.setTitle(_("Other desks' last workbook"))
        self.charts_box.setTitle(_("The last 90 days"))
        self.charts_note.setText(_("Open requests are counted as they are now."))
        self.call_back_button.setText(_("Call-back list"))
        self.packing_button.setText(_("Packing list"))
        self.report_button.setText(_("Period report…"))
        self.print_call_backs_action.setText(_("Print…"))
        self.save_call_backs_action.setText(_("Save as PDF…"))
        self.print_packing_action.setText(_("Print…"))
        self.save_packing_action.setText(_("Save as PDF…"))
        self.exchange_link.setText(_("Open the exchange"))
        self.runs.setToolTip(_("Click a run to open it on the Deliveries screen."))
        self.oldest.setToolTip(_("Click a request to open it in the queue."))
        if self._error:
            self.status.setText(self._error)
        self._fill()
        # the figures (need names) and the charts come in the language asked: ask again, which
        # also supersedes a reading still under way in the language before (it came in English)
        asked = {self._figures_language, self._charts_language} - {""}
        if asked - {current_language()} and self.isVisible():
            self.refresh()

    # ---- where the numbers lead ---------------------------------------------------------------

    def _open(self, target: QueueView | str) -> None:
        if isinstance(target, str):
            self.open_screen.emit(target)
        else:
            self.open_queue.emit(target)

    def _run_clicked(self, row: int, _column: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.runs_today):
            self.open_run.emit(self.data.today, self.data.runs_today[row].id)

    def _oldest_clicked(self, row: int, _column: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.oldest_waiting):
            request = self.data.oldest_waiting[row]
            self.open_queue.emit(QueueView(frozenset(WAITING), select=request.id))

    # ---- the printable lists and the period report ----------------------------------------------

    def _call_back_parts(self) -> Callable[[], list[Printable]]:
        from aiddesk.services.reports.print_lists import call_back_list
        from aiddesk.ui.reports.lists_pdf import call_back_printable

        db, day, language = self._ctx.database, self._today(), current_language()
        return lambda: [call_back_printable(call_back_list(db, day, language=language))]

    def _packing_parts(self) -> Callable[[], list[Printable]]:
        from aiddesk.services.reports.print_lists import packing_list
        from aiddesk.ui.reports.lists_pdf import packing_printables

        db, day, language = self._ctx.database, self._today(), current_language()
        return lambda: packing_printables(packing_list(db, day, language=language))

    def print_call_back_list(self) -> None:
        self.printer.print_preview(self._call_back_parts())

    def save_call_back_list(self, path: Path | None = None) -> None:
        """Ask where (unless `path` is given), then read the list on a worker thread, paint its PDF on
        the GUI thread a page at a time and save it on a worker thread (ui.reports.printing)."""
        self.printer.save_pdf(self._call_back_parts(), f"call-backs-{self._today().isoformat()}.pdf", path)

    def print_packing_list(self) -> None:
        self.printer.print_preview(self._packing_parts())

    def save_packing_list(self, path: Path | None = None) -> None:
        self.printer.save_pdf(self._packing_parts(), f"packing-{self._today().isoformat()}.pdf", path)

    def open_report_dialog(self) -> QDialog:
        from aiddesk.ui.reports.report_dialog import ReportDialog

        if self.report_dialog is None:
            dialog = ReportDialog(self._ctx, self, today=self._today())
            dialog.finished.connect(lambda _code: self._report_closed(dialog))
            self.report_dialog = dialog
        self.report_dialog.open()
        return self.report_dialog

    def _report_closed(self, dialog: QDialog) -> None:
        if self.report_dialog is dialog:
            self.report_dialog = None
        dialog.deleteLater()


def _draw_charts(db: Any, today: dt.date, language: str, who: str) -> list[Any]:
    """On a worker thread: the last 90 days' report, drawn (matplotlib loads only here)."""
    from aiddesk.services.reports.charts import report_charts
    from aiddesk.services.reports.figures import period_report

    report = period_report(db, today - dt.timedelta(days=CHART_DAYS - 1), today, language=language, who=who)
    return report_charts(report)


def _run_status(status: str) -> str:
    try:
        return DeliveryStatus(status).label
    except ValueError:
        return status


def _local(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _when(utc: dt.datetime) -> str:
    local = _local(utc)
    return f"{format_date(local.date())} {format_time(local.time())}"


def _window(start: str, end: str) -> str:
    try:
        return f"{format_time(dt.time.fromisoformat(start))}–{format_time(dt.time.fromisoformat(end))}"
    except ValueError:
        return f"{start}–{end}"
