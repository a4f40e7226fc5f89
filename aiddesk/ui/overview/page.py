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
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import DeliveryStatus, RequestStatus
from aiddesk.i18n import N_, _, current_language, ngettext
from aiddesk.i18n.formatting import format_age, format_date, format_number, format_time
from aiddesk.services.reports.overview import Overview
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

log = logging.getLogger(__name__)

CHART_DAYS = 90
CHART_WIDTH = 440  # pixels on screen: two side by side fit the default window (1200 wide)
# The tiles at the top: (key, label), in order.
TILES: tuple[tuple[str, str], ...] = (
    ("calls_today", N_("Calls today")),
    ("requests_today", N_("New requests today")),
    ("call_backs_today", N_("Call-backs due today")),
    ("call_backs_overdue", N_("Call-backs overdue")),
    ("failed_to_replan", N_("Failed deliveries to plan again")),
    ("conflicts_waiting", N_("Conflicts waiting")),
)
TILE_STYLE = "QLabel#tileNumber { font-size: 22pt; font-weight: bold; }"


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.setMaximumHeight(210)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


class OverviewPage(Retranslating, QWidget):
    """`open_conflicts` and `open_call_backs` ask the window to show those screens."""

    open_conflicts = Signal()
    open_call_backs = Signal()

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
        self._charts_language = ""

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
        self.tiles: dict[str, tuple[QLabel, QLabel]] = {}
        tiles = QGridLayout()
        for n, (key, _label) in enumerate(TILES):
            number, caption = QLabel("—"), QLabel()
            number.setObjectName("tileNumber")
            caption.setWordWrap(True)
            box = QVBoxLayout()
            box.addWidget(number)
            box.addWidget(caption)
            frame = QGroupBox()
            frame.setLayout(box)
            tiles.addWidget(frame, 0, n)
            self.tiles[key] = (number, caption)
        self.conflicts_button = QPushButton()
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.call_backs_button = QPushButton()
        self.call_backs_button.clicked.connect(self.open_call_backs)

        self.by_status = QLabel()
        self.by_status.setWordWrap(True)
        self.status_box = QGroupBox()
        QVBoxLayout(self.status_box).addWidget(self.by_status)

        self.runs = _table(5)
        self.runs_box = QGroupBox()
        QVBoxLayout(self.runs_box).addWidget(self.runs)
        self.oldest = _table(4)
        self.oldest_box = QGroupBox()
        QVBoxLayout(self.oldest_box).addWidget(self.oldest)
        self.desks = QLabel()
        self.desks.setWordWrap(True)
        self.desks_box = QGroupBox()
        QVBoxLayout(self.desks_box).addWidget(self.desks)

        self.print_call_backs = QPushButton()
        self.print_call_backs.clicked.connect(self.save_call_back_list)
        self.print_packing = QPushButton()
        self.print_packing.clicked.connect(self.save_packing_list)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        lists = QHBoxLayout()
        lists.addWidget(self.print_call_backs)
        lists.addWidget(self.print_packing)
        lists.addWidget(self.call_backs_button)
        lists.addWidget(self.conflicts_button)
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
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.retranslate_ui()

    # ---- loading ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the figures again (and draw the charts again), on worker threads."""
        if self._ctx.db is None:
            return
        db, today, language, who = self._ctx.database, self._today(), current_language(), self._ctx.who
        from aiddesk.services.reports.overview import overview

        self.status.setText(_("Reading…"))
        ops = self._ctx.operations
        ops.query(
            lambda: overview(db, today, language=language, who=who),
            self._show,
            failed=self._failed,
            key="overview",
        )
        ops.query(
            lambda: _draw_charts(db, today, language, who),
            self._show_charts,
            failed=self._failed,
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
        self._charts_language = current_language()
        while self.charts_grid.count():
            item = self.charts_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.chart_labels = []
        for n, chart in enumerate(charts):
            pixmap = QPixmap()
            pixmap.loadFromData(chart.png, "PNG")
            label = QLabel()
            label.setPixmap(pixmap.scaledToWidth(CHART_WIDTH, Qt.TransformationMode.SmoothTransformation))
            label.setToolTip(chart.title)
            label.setAccessibleName(chart.title)
            self.charts_grid.addWidget(label, n // 2, n % 2)
            self.chart_labels.append(label)

    # ---- showing ----------------------------------------------------------------------------

    def _fill(self) -> None:
        data = self.data
        if data is None:
            return
        for key, (number, _caption) in self.tiles.items():
            number.setText(format_number(getattr(data, key)))
        parts = [f"{_(c.status.label)}: {format_number(c.count)}" for c in data.by_status]
        self.by_status.setText(
            ngettext("%(count)s request waits:", "%(count)s requests wait:", data.waiting)
            % {"count": format_number(data.waiting)}
            + " "
            + " · ".join(parts)
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
        self.print_call_backs.setText(_("Call-back list (PDF)…"))
        self.print_packing.setText(_("Packing list (PDF)…"))
        self.call_backs_button.setText(_("Open today's call-backs"))
        self.conflicts_button.setText(_("Open the conflicts"))
        if self._error:
            self.status.setText(self._error)
        self._fill()
        if self.charts and self._charts_language != current_language() and self.isVisible():
            self.refresh()  # the charts are drawn in the language: draw them again

    # ---- the printable lists ------------------------------------------------------------------

    def _ask_file(self, suggested: str) -> Path | None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save as PDF"), suggested, _("PDF files (*.pdf)"))
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def save_call_back_list(self, path: Path | None = None) -> None:
        """Ask where (unless `path` is given), then read the list and write its PDF on a worker thread."""
        from aiddesk.services.reports.print_lists import call_back_list
        from aiddesk.ui.reports.lists_pdf import write_call_back_pdf

        db, day, language = self._ctx.database, self._today(), current_language()
        data_dir = self._ctx.paths.data_dir
        target = path or self._ask_file(f"call-backs-{day.isoformat()}.pdf")
        if target is not None:
            self._write(
                lambda: write_call_back_pdf(
                    call_back_list(db, day, language=language), target, data_dir=data_dir
                ),
                target,
            )

    def save_packing_list(self, path: Path | None = None) -> None:
        from aiddesk.services.reports.print_lists import packing_list
        from aiddesk.ui.reports.lists_pdf import write_packing_pdf

        db, day, language = self._ctx.database, self._today(), current_language()
        data_dir = self._ctx.paths.data_dir
        target = path or self._ask_file(f"packing-{day.isoformat()}.pdf")
        if target is not None:
            self._write(
                lambda: write_packing_pdf(
                    packing_list(db, day, language=language), target, data_dir=data_dir
                ),
                target,
            )

    def _write(self, write: Callable[[], None], target: Path) -> None:
        """Run `write` (read the list, lay it out, save the PDF) through the runner; say how it went."""

        def written(_none: None) -> None:
            self.saved.setText(_("Saved %(file)s.") % {"file": str(target)})

        def refused(failure: Failure) -> None:
            from aiddesk.ui.deliveries.printing import PrintFailed

            error = failure.error
            if isinstance(error, PrintFailed):
                self.saved.setText(str(error))
            elif isinstance(error, OSError):
                self.saved.setText(
                    _("Could not write %(file)s: %(reason)s")
                    % {"file": str(target), "reason": error.strerror or str(error)}
                )
            else:
                self.saved.setText(failure.message)

        self._ctx.operations.query(write, written, failed=refused, parent=self)


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
