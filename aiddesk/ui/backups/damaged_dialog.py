"""The dialog for a damaged database: what is wrong in plain words, the newest sound backup
(looked for off the GUI thread), and a Restore button. Nothing is changed unless the user
chooses to restore; the damaged file is then kept in the backups folder."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from aiddesk.i18n import _
from aiddesk.services import backups
from aiddesk.ui.backups.texts import damage_text, new_desk_id_text, reason_text, when_text
from aiddesk.ui.common.path_text import breakable
from aiddesk.ui.common.progress import ProgressRunner
from aiddesk.ui.shell.desk_lock import OVER_THE_LOCK
from aiddesk.ui.shell.operations import Failure, Operations

log = logging.getLogger(__name__)


class DamagedDatabaseDialog(QDialog):
    """Accepted once a backup was restored (`restored` holds what happened); rejected otherwise."""

    def __init__(
        self,
        database: Path,
        verdict: backups.Verdict,
        parent: QWidget | None = None,
        *,
        key: backups.DeskKey | None = None,
    ) -> None:
        super().__init__(parent)
        self.setProperty(OVER_THE_LOCK, True)  # found while nobody is signed in: said at once
        self.database = database
        self.key = key  # an encrypted desk's: its backups are read with it
        self.verdict = verdict
        self.backup: backups.BackupFile | None = None
        self.restored: backups.Restored | None = None
        self.searched = False
        self.setWindowTitle(_("The database is damaged"))
        self.setMinimumWidth(560)
        # No desk is open: a runner of its own for the file work (nothing for screens to refresh).
        self.operations = Operations(None, self)
        self.runner = ProgressRunner(self, self.operations, lambda: _("The database is damaged"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.advice = QLabel(_("Looking for the newest sound backup…"))
        self.advice.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton = self.buttons.addButton(
            _("Restore this backup"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button: QPushButton = self.buttons.addButton(
            _("Close AidDesk"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem)
        layout.addWidget(self.advice)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.problem.setText(
            _("AidDesk cannot use its database %(file)s.") % {"file": breakable(database)}
            + " "
            + damage_text(verdict.state)
            + " "
            + _("Nothing was changed, and no new desk was made in its place.")
        )
        self.operations.query(
            lambda: backups.newest_sound(database, key=key), self._found, failed=self._not_found
        )

    def _found(self, found: backups.BackupFile | None) -> None:
        self.searched = True
        self.backup = found
        if found is None:
            self.advice.setText(
                _(
                    "There is no sound backup in %(folder)s. If you have a backup elsewhere (a USB stick), "
                    "restore it with: aiddesk restore FILE. To start a new, empty desk, move the damaged "
                    "file out of the data folder first."
                )
                % {"folder": breakable(backups.folder_of(self.database))}
            )
            self._grow()
            return
        self.advice.setText(
            "\n\n".join(
                [
                    _("The newest sound backup is from %(when)s (%(reason)s): %(file)s")
                    % {
                        "when": when_text(found.created),
                        "reason": reason_text(found.reason),
                        "file": breakable(found.path),
                    },
                    _(
                        "Restoring it puts that copy back in place; what was saved after it is not in it. "
                        "The damaged file is kept in the backups folder."
                    ),
                    new_desk_id_text(),
                ]
            )
        )
        self.restore_button.setEnabled(True)
        self.restore_button.setDefault(True)
        self._grow()

    def _grow(self) -> None:
        """As high as its texts (the advice arrives after the dialog is shown): none is cut off."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _not_found(self, _failure: Failure) -> None:
        self._found(None)

    def restore(self) -> None:
        if self.backup is None or self.runner.busy:
            return
        chosen = self.backup.path
        self.restore_button.setEnabled(False)
        self.runner.run(
            _("Restoring the backup…"),
            lambda: backups.restore(self.database, chosen, key=self.key),
            self._restored,
            self._failed,
            writes=True,
        )

    def _restored(self, restored: backups.Restored) -> None:
        log.info("restored %s over a damaged database", restored.backup)
        self.restored = restored
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.error.setText(
            backups.rejected_text(error, _)
            if isinstance(error, backups.BackupRejected)
            else _("The backup could not be restored. Details are in the log.")
        )
        self.error.show()
        self.restore_button.setEnabled(True)
        self._grow()

    def reject(self) -> None:
        if not self.runner.busy:  # a restore under way finishes (and the dialog says so) first
            super().reject()

    def done(self, result: int) -> None:
        self.operations.wait()  # a search or restore still running finishes first
        super().done(result)
