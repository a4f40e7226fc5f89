"""The exchange folder in the background: a pass every minute (and when the network comes back,
where Qt can tell), each on a worker thread; the status bar's note; a notification when
conflicts or hand edits wait.

All exchange work of the window (passes, and the Exchange screen's exports and merges) runs
through `jobs`, one job at a time, so two merges never compete for the database."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QSystemTrayIcon, QWidget

from aiddesk.domain.changes import Changes, Kind
from aiddesk.i18n import _
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.services.exchange import proposals as proposals_service
from aiddesk.services.exchange import waiting as waiting_service
from aiddesk.services.exchange.desk_codes import same_code_warning
from aiddesk.services.exchange.folder import FolderStatus, PassProgress, PassSummary
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.pass_progress import PassProgressBar
from aiddesk.ui.exchange.texts import locked_notice, status_bar_text, waiting_text
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.failures import error_name
from aiddesk.ui.shell.operations import Failure

if TYPE_CHECKING:
    from aiddesk.services.database import Database

log = logging.getLogger(__name__)

INTERVAL_MS = 60_000
FIRST_PASS_MS = 3_000  # after the window is up
AFTER_NETWORK_MS = 5_000  # a network share takes a moment to come back
NOTICE_MS = 30_000

RunPass = Callable[["Database", str, PassProgress], PassSummary]


def _run_pass(db: Database, who: str, progress: PassProgress) -> PassSummary:
    # The desk's own background exchange (set up by an administrator) runs whoever is at the
    # desk: it goes on the record under their name, without their role's limits.
    return exchange_folder.run_pass(db, str(who), progress=progress)


class PassOutcome:
    """What a background pass hands back: its summary, the folder's state after it, and how
    many conflicts and hand edits wait in all (counted only when the pass found some)."""

    def __init__(
        self, summary: PassSummary, status: FolderStatus, waiting: tuple[int, int], same_code: str = ""
    ) -> None:
        self.summary = summary
        self.status = status
        self.waiting = waiting
        self.same_code = same_code  # the warning that another desk uses this desk's code, or ""


class ExchangeTimer(QObject):
    """`pass_finished(PassSummary)` after each pass; `pass_failed(message)` with a one-line
    translated message when a pass broke (the details go to the log); `status_changed(text)`
    with the status bar's note; `notice(text)` when conflicts or hand edits wait;
    `pass_progress(PassStep)` as a pass goes (emitted on the pass's thread, queued to the GUI's)."""

    pass_started = Signal()
    pass_progress = Signal(object)  # PassStep
    pass_finished = Signal(object)
    pass_failed = Signal(str)
    status_changed = Signal(str)
    notice = Signal(str)

    def __init__(
        self,
        ctx: DeskContext,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
        run_pass: RunPass = _run_pass,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._run_pass = run_pass
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self.running = False
        self.status: FolderStatus | None = None
        self.last_summary: PassSummary | None = None
        self.last_failure = ""
        self._locked_said: tuple[str, ...] = ()  # the files locked with another password last said
        self._same_code_said = ""  # the warning that another desk uses this desk's code, once said
        self._network_watched = False
        self.status_label: QLabel | None = None  # set by install_exchange_timer
        self.progress_bar: PassProgressBar | None = None  # set by install_exchange_timer
        if ctx.db is not None:
            ctx.operations.notifier.changed.connect(self._changes_arrived)

    # ---- control ---------------------------------------------------------------------------

    def start(self, first_pass_ms: int = FIRST_PASS_MS) -> None:
        """Poll from now on (the database must be attached); the first pass comes soon after."""
        self.timer.start()
        self._watch_network()
        QTimer.singleShot(first_pass_ms, self, self.tick)

    def stop(self, wait_ms: int = 30_000) -> None:
        """No more passes; wait for the running operations so the database can close."""
        self.timer.stop()
        if self._ctx.db is not None:
            self._ctx.operations.wait(wait_ms)

    def tick(self) -> bool:
        """Look at the folder (off the GUI thread: a network folder may be slow to answer), then
        a pass when it is set up and reachable and no pass is running. True if a look started."""
        db = self._ctx.db
        if self.running or db is None:
            return False
        self.running = True

        def looked(status: FolderStatus) -> None:
            self._show_status(status)
            if status.configured and status.reachable and not status.password_missing:
                self._start_pass()
            else:
                self.running = False

        def broke(failure: Failure) -> None:
            self.running = False
            log.error("could not read the exchange folder's state: %s", error_name(failure.error))

        self._ctx.operations.query(lambda: exchange_folder.status(db), looked, failed=broke)
        return True

    def run_now(self) -> bool:
        """The "Exchange now" button: a pass at once (False when one is running or there is no folder)."""
        return self.tick()

    def _start_pass(self) -> bool:
        db, who = self._ctx.database, self._ctx.who
        run = self._run_pass
        step = self.pass_progress.emit

        def work() -> PassOutcome:
            summary = run(db, who, step)
            waiting = (0, 0)
            if summary.conflicts or summary.proposals:
                waiting = (waiting_service.open_conflict_count(db), proposals_service.pending_count(db))
            status = exchange_folder.status(db)
            if summary.offline:  # the folder looked there but could not be written
                status = dataclasses.replace(status, reachable=False)
            same_code = same_code_warning(db) if summary.merged else ""
            return PassOutcome(summary, status, waiting, same_code)

        self.running = True
        self.pass_started.emit()
        self._ctx.operations.write(work, self._finished, failed=self._failed, alongside=True)
        return True

    def _finished(self, outcome: PassOutcome) -> None:
        self.running = False
        self.last_summary = outcome.summary
        self.last_failure = ""
        self._show_status(outcome.status)
        self.pass_finished.emit(outcome.summary)
        locked = tuple(outcome.summary.locked)
        if locked and locked != self._locked_said:  # said once, not every minute
            self.notice.emit(locked_notice(len(locked)))
        self._locked_said = locked
        if outcome.same_code and outcome.same_code != self._same_code_said:  # said once
            self.notice.emit(outcome.same_code)
            self._same_code_said = outcome.same_code
        text = waiting_text(*outcome.waiting)
        if text:
            self.notice.emit(text)

    def _failed(self, failure: Failure) -> None:
        self.running = False
        self.last_failure = _(
            "The exchange with the folder did not work this time; AidDesk will try again in a minute."
        )
        log.error("exchange pass failed: %s", error_name(failure.error))
        self.pass_failed.emit(self.last_failure)
        self.notice.emit(self.last_failure)

    # ---- texts -----------------------------------------------------------------------------

    def _show_status(self, status: FolderStatus) -> None:
        self.status = status
        self.status_changed.emit(self.status_text())

    def status_text(self) -> str:
        return status_bar_text(self.status) if self.status is not None else ""

    def refresh_status(self) -> None:
        """Read the folder's state again (after the settings changed, or the network)."""
        db = self._ctx.db
        if db is not None:
            self._ctx.operations.query(
                lambda: exchange_folder.status(db), self._show_status, key="folder-status", again=True
            )

    def _changes_arrived(self, changes: Changes) -> None:
        if changes.touches({Kind.DESK}):  # the folder or the password may have changed
            self.refresh_status()

    # ---- network ---------------------------------------------------------------------------

    def _watch_network(self) -> None:
        """A pass soon after the network comes back, where Qt has a backend that tells (many
        Linux desktops have none: then the minute's tick is enough)."""
        if self._network_watched:
            return
        self._network_watched = True
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return
            info = QNetworkInformation.instance()
            if info is None:
                return
            info.reachabilityChanged.connect(self._network_changed)
        except Exception:  # no backend, no plugin: polling alone
            log.info("no network information backend; the exchange polls every minute", exc_info=True)

    def _network_changed(self, reachability: object) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability in (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Local):
            QTimer.singleShot(AFTER_NETWORK_MS, self, self.tick)
        else:
            self.refresh_status()


class ExchangeStatusLabel(Retranslating, QLabel):
    """The status bar's note about the exchange folder, in the UI language."""

    def __init__(self, timer: ExchangeTimer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exchangeStatus")
        self.setContentsMargins(8, 0, 8, 0)
        self._timer = timer
        timer.status_changed.connect(self.setText)

    def retranslate_ui(self) -> None:
        self.setText(self._timer.status_text())


class _Notifier(QObject):
    """Shows notices: a message from a tray icon where the desktop has a tray, else in the status bar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._tray: QSystemTrayIcon | None = None

    def show(self, text: str) -> None:
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self._tray is None:
                self._tray = QSystemTrayIcon(self._window.windowIcon(), self)
                self._tray.messageClicked.connect(self._bring_window)
            self._tray.show()
            self._tray.showMessage("AidDesk", text, QSystemTrayIcon.MessageIcon.Information, NOTICE_MS)
        self._window.statusBar().showMessage(text, NOTICE_MS)

    def _bring_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()


def install_exchange_timer(
    window: QMainWindow, ctx: DeskContext, *, first_pass_ms: int = FIRST_PASS_MS
) -> ExchangeTimer:
    """The timer for a main window whose database is attached: its note in the status bar,
    notifications, and a stop (waiting for a running pass) before the application quits."""
    timer = ExchangeTimer(ctx, window)
    timer.status_label = ExchangeStatusLabel(timer)
    window.statusBar().addWidget(timer.status_label)
    timer.progress_bar = PassProgressBar(timer, covers=timer.status_label)
    window.statusBar().addWidget(timer.progress_bar)
    notifier = _Notifier(window)
    timer.notice.connect(notifier.show)
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(timer.stop)
    timer.start(first_pass_ms)
    return timer
