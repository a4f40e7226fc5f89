"""While the window is open: a backup at the first start of each day and every few hours of
use (when something changed), and, after the start, the whole-database integrity check. All of
it on a worker thread; a damaged database found by the check is reported with `damaged`."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from aiddesk.services import backups
from aiddesk.ui.shell.failures import error_name
from aiddesk.ui.shell.operations import Failure, Operations

log = logging.getLogger(__name__)

LOOK_EVERY_MS = 10 * 60_000  # is a periodic backup due?
FIRST_LOOK_MS = 5_000  # after the window is up


class BackupKeeper(QObject):
    """`damaged(Verdict)` when the background check finds the database damaged;
    `backed_up(BackupFile)` after each automatic backup."""

    damaged = Signal(object)
    backed_up = Signal(object)

    def __init__(
        self,
        database: Path,
        parent: QObject | None = None,
        *,
        interval_ms: int = LOOK_EVERY_MS,
        key: backups.DeskKey | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.key = key  # an encrypted desk's: its check reads it, its backups are encrypted
        self.operations = Operations(None, self)  # file work: nothing for the screens to refresh
        self.checked = False
        self._stopping = threading.Event()  # the window is closing: the running check gives up
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.back_up_if_due)

    def start(self, first_ms: int = FIRST_LOOK_MS) -> None:
        """The whole check, then the day's backup if due; then a look every few minutes."""
        QTimer.singleShot(first_ms, self, self.check_then_back_up)
        self.timer.start()

    def check_then_back_up(self) -> None:
        if self._stopping.is_set():
            return
        stop = self._stopping.is_set
        self.operations.write(
            # in_use: the window has the database open; a file of our own on it would drop
            # SQLite's locks (another process could then delete the WAL under the window)
            lambda: backups.full_check(self.database, key=self.key, stop=stop, in_use=True),
            self._checked,
            failed=self._broke,
        )

    def _checked(self, verdict: backups.Verdict) -> None:
        if self._stopping.is_set():
            return
        self.checked = True
        if verdict.damaged:
            log.error("the background check found the database damaged: %s %s", verdict.state, verdict.detail)
            self.timer.stop()
            self.damaged.emit(verdict)
            return
        self._back_up()

    def back_up_if_due(self) -> None:
        """On the timer: unless the check or a backup is still running."""
        if self.operations.idle():
            self._back_up()

    def _back_up(self) -> None:
        if self._stopping.is_set():
            return
        stop = self._stopping.is_set
        self.operations.write(
            lambda: backups.back_up_if_due(self.database, key=self.key, stop=stop),
            self._made,
            failed=self._broke,
        )

    def _made(self, made: backups.BackupFile | None) -> None:
        if made is not None:
            self.backed_up.emit(made)

    def _broke(self, failure: Failure) -> None:
        if isinstance(failure.error, backups.BackupStopped):
            log.info("automatic backup given up: the window is closing")
            return
        log.warning("automatic backup or check failed: %s", error_name(failure.error))

    def stop(self) -> None:
        """Before the database closes: no new job, and the running one ended. A whole-database
        check (or the check of a new backup) gives up at once instead of running to its end
        (18 s on a desk of 100,000 people); it is done again at the next start. The copy itself
        (about 3 s at that size) is let finish: SQLite's backup cannot be stopped midway."""
        self._stopping.set()
        self.timer.stop()
        self.operations.wait()
