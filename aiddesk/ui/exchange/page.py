"""The Exchange screen: export a workbook, merge one another desk sent (dry run, report, then
the merge), import a spreadsheet from elsewhere, and the exchange folder's state.

Exports and merges run on a worker thread (the exchange timer's, one job at a time) behind a
progress dialog; the window stays responsive and nothing touches widgets off the GUI thread.
The flows themselves live in aiddesk.ui.exchange.workbook_flows."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from aiddesk.domain.changes import Kind
from aiddesk.i18n import _
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.ui.common.elided_label import ElidedLabel
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.progress import ProgressRunner
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.export_dialog import hint_label
from aiddesk.ui.exchange.texts import folder_state_text, pass_lines
from aiddesk.ui.exchange.timer import ExchangeTimer
from aiddesk.ui.exchange.workbook_flows import Said, WorkbookFlows
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.refreshing import Refreshes

log = logging.getLogger(__name__)

SHEET_IMPORT = "aiddesk.ui.exchange.sheet_import"
RESULT_STYLE = "background: palette(alternate-base); padding: 6px;"


def _can_import() -> bool:
    return importlib.util.find_spec(SHEET_IMPORT) is not None


class ExchangePage(Refreshes, Retranslating, QWidget):
    """Workbooks and the exchange folder. What its merges and the timer's passes change reaches
    the other screens through the change notifier; `open_conflicts` and `open_settings` ask the
    window to show those screens."""

    shows = frozenset({Kind.DESK, Kind.KNOWN_DESK})  # the folder settings; the desks met
    open_conflicts = Signal()
    open_settings = Signal()

    def __init__(
        self, ctx: DeskContext, parent: QWidget | None = None, *, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._timer = ExchangeTimer(ctx, self)  # not polling; the window's timer replaces it (attach_timer)
        self._connect_timer()
        self.runner = ProgressRunner(self, ctx.operations, lambda: _("Exchange"))
        self.runner.busy_changed.connect(self._set_busy)
        self.flows = WorkbookFlows(ctx, self, self.runner, today)
        self.flows.said.connect(self._say)
        self._result: Said | None = None  # the last result, said again after a language switch
        self.title = page_title()

        # ---- workbooks
        self.intro = hint_label()
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.flows.export)
        self.merge_button = QPushButton()
        self.merge_button.clicked.connect(self.flows.merge_workbook)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.import_sheet)
        self.import_button.setEnabled(_can_import())
        buttons = QHBoxLayout()
        for button in (self.export_button, self.merge_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setStyleSheet(RESULT_STYLE)
        self.result.hide()
        self.conflicts_button = QPushButton()
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.conflicts_button.hide()
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.conflicts_button, 0, Qt.AlignmentFlag.AlignTop)
        books = QVBoxLayout()
        books.addWidget(self.intro)
        books.addLayout(buttons)
        books.addLayout(result_row)
        self.books_box = QGroupBox()
        self.books_box.setLayout(books)

        # ---- exchange folder
        self.folder_hint = hint_label()
        self.folder_caption = QLabel()
        self.folder_path = ElidedLabel()
        self.folder_state = QLabel()
        font = self.folder_state.font()
        font.setBold(True)
        self.folder_state.setFont(font)
        self.exchange_button = QPushButton()
        self.exchange_button.clicked.connect(self.exchange_now)
        self.settings_button = QPushButton()
        self.settings_button.clicked.connect(self.open_settings)
        self.pass_summary = QLabel()
        self.pass_summary.setWordWrap(True)
        self.pass_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.folder_caption)
        path_row.addWidget(self.folder_path, 1)
        action_row = QHBoxLayout()
        action_row.addWidget(self.exchange_button)
        action_row.addWidget(self.settings_button)
        action_row.addStretch(1)
        folder = QVBoxLayout()
        folder.addWidget(self.folder_hint)
        folder.addLayout(path_row)
        folder.addWidget(self.folder_state)
        folder.addLayout(action_row)
        folder.addWidget(self.pass_summary)
        self.folder_box = QGroupBox()
        self.folder_box.setLayout(folder)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.books_box)
        layout.addWidget(self.folder_box)
        layout.addStretch(1)
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    # ---- the exchange timer ----------------------------------------------------------------

    def attach_timer(self, timer: ExchangeTimer) -> None:
        """Use the window's timer: its passes show here, and exports and merges wait their turn
        behind a running pass (one exchange job at a time)."""
        if timer is self._timer:
            return
        self._timer.pass_finished.disconnect(self._pass_finished)
        self._timer.pass_failed.disconnect(self.refresh)
        self._timer.pass_started.disconnect(self.refresh)
        self._timer = timer
        self._connect_timer()
        self.refresh()

    def _connect_timer(self) -> None:
        self._timer.pass_finished.connect(self._pass_finished)
        self._timer.pass_failed.connect(self.refresh)
        self._timer.pass_started.connect(self.refresh)

    @property
    def timer(self) -> ExchangeTimer:
        return self._timer

    def exchange_now(self) -> None:
        self._timer.run_now()
        self.refresh()

    def _pass_finished(self, _summary: exchange_folder.PassSummary) -> None:
        self.refresh()

    # ---- state -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the folder's state again (off the GUI thread: a network folder may be slow to
        answer) and show it with the last pass's summary."""
        db = self._ctx.db
        if db is None:
            return
        self._ctx.operations.query(
            lambda: exchange_folder.status(db), self._show_status, key="exchange-page", again=True
        )

    def _show_status(self, status: exchange_folder.FolderStatus) -> None:
        timer = self._timer
        self.folder_path.set_full_text(status.folder or "—")
        self.folder_state.setText(folder_state_text(status))
        self.settings_button.setVisible(not status.configured or status.password_missing)
        ready = status.configured and not status.password_missing and status.reachable
        self.exchange_button.setEnabled(ready and not timer.running)
        if timer.running:
            self.pass_summary.setText(_("Exchanging with the folder…"))
        elif timer.last_failure:
            self.pass_summary.setText(timer.last_failure)
        elif timer.last_summary is not None and status.configured and not status.password_missing:
            self.pass_summary.setText("\n".join(pass_lines(timer.last_summary)))
        else:
            self.pass_summary.clear()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self._stale = True  # the folder may have come or gone: look again whenever shown
        super().showEvent(event)

    def _say(self, result: Said, waiting: tuple[int, int]) -> None:
        self._result = result
        self.result.setText(result())
        self.result.show()
        self.conflicts_button.setVisible(any(waiting))

    def _set_busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.merge_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy and _can_import())

    # ---- import a spreadsheet --------------------------------------------------------------

    def import_sheet(self) -> None:
        try:
            from aiddesk.ui.exchange.sheet_import import open_sheet_import
        except ImportError:
            log.warning("the sheet import is not available", exc_info=True)
            return
        open_sheet_import(self, self._ctx)  # window-modal, not blocking; what it stores refreshes the screens

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("Exchange"))
        self.books_box.setTitle(_("Workbooks"))
        self.intro.setText(
            _(
                "Desks share their records through Excel workbooks: save a copy of this desk's records, or "
                "merge a workbook another desk sent you. Nothing typed at any desk is lost."
            )
        )
        self.export_button.setText(_("Export…"))
        self.merge_button.setText(_("Merge a workbook…"))
        self.import_button.setText(_("Import a spreadsheet…"))
        self.import_button.setToolTip(_("Bring in a list kept in another spreadsheet, row by row."))
        self.conflicts_button.setText(_("Open the Conflicts screen"))
        self.folder_box.setTitle(_("Exchange folder"))
        self.folder_hint.setText(
            _(
                "A folder every desk can reach (a shared folder, or one a sync service keeps up to date). "
                "Each minute this desk leaves its workbook there and merges the others'."
            )
        )
        self.folder_caption.setText(_("Folder:"))
        self.exchange_button.setText(_("Exchange now"))
        self.settings_button.setText(_("Open Settings"))
        if self._result is not None:
            self.result.setText(self._result())
        self.refresh()
