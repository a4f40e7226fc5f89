"""While the window is open: once retention was confirmed in Settings, its run at the start and
then once a day (a look every half hour whether the day's run is still due), through the desk's
operation runner, so the screens refresh with what it changed."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from aiddesk.services import retention
from aiddesk.services.database import Database
from aiddesk.ui.shell.operations import Failure, Operations

log = logging.getLogger(__name__)

LOOK_EVERY_MS = 30 * 60_000  # is the day's run due?
FIRST_LOOK_MS = 20_000  # after the window is up (after the backup keeper's first look)


class RetentionKeeper(QObject):
    """`ran(RetentionPlan)` after each run that was due."""

    ran = Signal(object)

    def __init__(
        self,
        database: Database,
        operations: Operations,
        parent: QObject | None = None,
        *,
        interval_ms: int = LOOK_EVERY_MS,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.operations = operations
        self._looking = False
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_if_due)

    def start(self, first_ms: int = FIRST_LOOK_MS) -> None:
        QTimer.singleShot(first_ms, self, self.run_if_due)
        self.timer.start()

    def run_if_due(self) -> None:
        if self._stopped or self._looking:
            return
        self._looking = True
        db = self.database
        self.operations.write(lambda: retention.run_if_due(db), self._done, failed=self._broke)

    def _done(self, plan: retention.RetentionPlan | None) -> None:
        self._looking = False
        if plan is not None:
            log.info("retention ran: %d requests, %d people", len(plan.requests), len(plan.people))
            self.ran.emit(plan)

    def _broke(self, failure: Failure) -> None:
        self._looking = False
        log.warning("retention's daily run failed: %s", type(failure.error).__name__)

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
