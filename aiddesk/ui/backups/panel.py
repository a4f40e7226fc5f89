"""Settings: the Backups panel. Each backup with its date, why it was made, its size and whether
it passed its check; "Restore…" puts one back (after a confirmation; the database as it is now
is backed up first; the desk then takes a new desk id and the window reopens); "Back up now
to…" writes a checked backup into a folder the user picks, a USB stick say. Slow work runs off
the GUI thread behind a progress dialog."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _
from aiddesk.services import backups
from aiddesk.services.disk_space import DISK_FULL, disk_full
from aiddesk.ui.backups import request_restart
from aiddesk.ui.backups.texts import checked_text, new_desk_id_text, reason_text, size_text, when_text
from aiddesk.ui.common.file_dialogs import existing_folder
from aiddesk.ui.common.progress import ProgressRunner
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.export_dialog import hint_label
from aiddesk.ui.retranslate import Retranslating

log = logging.getLogger(__name__)

PATH_ROLE = Qt.ItemDataRole.UserRole


def _ask_folder(parent: QWidget) -> str:
    return existing_folder(parent, _("Choose where to put the backup"))


def _confirm(parent: QWidget, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, _("Restore a backup"), text, parent=parent)
    restore = box.addButton(_("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(QMessageBox.StandardButton.NoButton)
    box.exec()
    return box.clickedButton() is restore


def _tell(parent: QWidget, text: str) -> None:
    QMessageBox.information(parent, _("Backups"), text)


class BackupsPanel(Retranslating, QGroupBox):
    """The list of backups and what can be done with them. `ask_folder`, `confirm`, `tell` and
    `restart` are the dialogs and the reopening (tests answer them)."""

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        ask_folder: Callable[[QWidget], str] = _ask_folder,
        confirm: Callable[[QWidget, str], bool] = _confirm,
        tell: Callable[[QWidget, str], None] = _tell,
        restart: Callable[[], None] = request_restart,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._ask_folder = ask_folder
        self._confirm = confirm
        self._tell = tell
        self._restart = restart
        self.runner = ProgressRunner(self, ctx.operations, lambda: _("Backups"))
        self.runner.busy_changed.connect(self._update_buttons)
        self.intro = hint_label()
        self.table = QTableWidget(0, 4)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Restore, the backup chosen stays
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(160)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel()
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_selected)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.back_up_to_folder)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        self.found: list[backups.BackupFile] = []
        self.retranslate_ui()

    # ---- the list ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Read the backups folder again (a few dozen file names: quick)."""
        self.found = backups.list_backups(self._ctx.database.path)
        self._fill()

    def _fill(self) -> None:
        selected = self.selected()
        self.table.setRowCount(len(self.found))
        for row, item in enumerate(self.found):
            cells = (
                when_text(item.created),
                reason_text(item.reason),
                size_text(item.size),
                checked_text(item),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(PATH_ROLE, str(item.path))
                cell.setToolTip(str(item.path))
                if column == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, cell)
            if selected is not None and item.path == selected.path:
                self.table.selectRow(row)
        self.table.setVisible(bool(self.found))
        self.empty_label.setVisible(not self.found)
        self._update_buttons()

    def selected(self) -> backups.BackupFile | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.found[row] if 0 <= row < len(self.found) else None

    def _update_buttons(self, *_args: Any) -> None:
        busy = self.runner.busy
        self.restore_button.setEnabled(not busy and self.selected() is not None)
        self.copy_button.setEnabled(not busy)

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.show()

    # ---- restore -----------------------------------------------------------------------------

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.runner.busy:
            return
        when = when_text(chosen.created)
        text = "\n\n".join(
            [
                _("Put back the backup of %(when)s (%(reason)s)?")
                % {"when": when, "reason": reason_text(chosen.reason)},
                _(
                    "What was saved at this desk after %(when)s will not be in it. The database as it "
                    "is now is kept as a backup first, so nothing is thrown away."
                )
                % {"when": when},
                new_desk_id_text(),
            ]
        )
        if not self._confirm(self, text):
            return
        database, key, who = self._ctx.database.path, self._ctx.database.key, self._ctx.who
        self.runner.run(
            _("Restoring the backup…"),
            lambda: backups.restore(database, chosen.path, who=who, key=key),
            self._restored,
            self._restore_failed,
            writes=True,  # after any save still waiting: the restored file replaces the database
        )

    def _restored(self, restored: backups.Restored) -> None:
        log.info("restored %s from the Settings screen", restored.backup)
        self._tell(
            self,
            _("The backup is back in place. AidDesk now opens the desk again.") + "\n\n" + new_desk_id_text(),
        )
        self._restart()

    def _restore_failed(self, error: BaseException) -> None:
        if isinstance(error, backups.BackupRejected):
            self._say(backups.rejected_text(error, _))
        else:
            self._say(
                _("The backup could not be restored; the database was not changed. Details are in the log.")
            )
        self.refresh()

    # ---- back up to a folder -----------------------------------------------------------------

    def back_up_to_folder(self) -> None:
        if self.runner.busy:
            return
        chosen = self._ask_folder(self)
        if not chosen:
            return
        database, key = self._ctx.database.path, self._ctx.database.key
        self.runner.run(
            _("Making a backup…"),
            lambda: backups.back_up_to(database, Path(chosen), key=key),
            lambda path: self._say(_("Backup made and checked: %(file)s") % {"file": str(path)}),
            self._copy_failed,
            writes=True,  # one copy at a time, after the saves asked before it
        )

    def _copy_failed(self, error: BaseException) -> None:
        if disk_full(error):
            self._say(_(DISK_FULL))
        elif isinstance(error, OSError):
            self._say(
                _("The backup could not be written there: %(reason)s")
                % {"reason": error.strerror or str(error)}
            )
        else:
            self._say(
                _("The backup could not be made: the copy did not pass its check. Details are in the log.")
            )

    # ---- texts -------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setTitle(_("Backups"))
        self.intro.setText(
            _(
                "AidDesk makes a checked backup of this desk at the first start of each day, every few "
                "hours of work, and before every merge, import, upgrade and restore. It keeps the "
                "recent ones and thins out the older ones."
            )
        )
        self.table.setHorizontalHeaderLabels([_("Made on"), _("Why"), _("Size"), _("Checked")])
        self.empty_label.setText(_("No backups yet."))
        self.restore_button.setText(_("Restore…"))
        self.copy_button.setText(_("Back up now to…"))
        self._fill()
