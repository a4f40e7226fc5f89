"""The Exchange screen's two flows, step by step: export (choices, file name, the export in the
background, the result) and merge (file, password if locked, dry run, report, merge, result).

Cancel at any step changes nothing: the dry run rolls back, and the merge runs only after "Merge".
The export and merge services (openpyxl, calamine, msoffcrypto) load when first used, not when
the screen is built at start-up."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from aiddesk.i18n import _, current_language, ngettext
from aiddesk.i18n.formatting import format_number
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.services.exchange import proposals, waiting
from aiddesk.services.exchange.desk_codes import same_code_warning
from aiddesk.services.exchange.files import ExportRefused, WorkbookRejected, file_label, is_encrypted
from aiddesk.ui.common.file_dialogs import open_file_name, save_file_name
from aiddesk.ui.common.progress import ProgressRunner
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.export_dialog import ExportDialog
from aiddesk.ui.exchange.merge_dialog import MergeReportDialog, PasswordDialog
from aiddesk.ui.exchange.texts import merge_result_text, waiting_text
from aiddesk.ui.shell.failures import error_name

if TYPE_CHECKING:
    from aiddesk.services.database import Database
    from aiddesk.services.exchange.export import ExportSummary
    from aiddesk.services.exchange.merge import MergeReport

log = logging.getLogger(__name__)

Said = Callable[[], str]  # a result, as a function so it can be said again after a language switch


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def _waiting_counts(db: Database) -> tuple[int, int]:
    return waiting.open_conflict_count(db), proposals.pending_count(db)  # as the Conflicts screen counts


class WorkbookFlows(QObject):
    """`said(text_function, (conflicts, hand_edits))` with each outcome. What a merge changes
    reaches the screens through the change notifier (it runs as a write)."""

    said = Signal(object, object)

    def __init__(
        self, ctx: DeskContext, owner: QWidget, runner: ProgressRunner, today: Callable[[], dt.date]
    ) -> None:
        super().__init__(owner)
        self._ctx = ctx
        self._owner = owner
        self.runner = runner
        self._today = today

    def _say(self, text: Said, waiting: tuple[int, int] = (0, 0)) -> None:
        self.said.emit(text, waiting)

    def _unexpected(self, error: BaseException) -> None:
        log.error("exchange job failed: %s", error_name(error))  # the runner logged where
        self._say(lambda: _("That did not work; nothing was changed. The details are in the log."))

    # ---- export ----------------------------------------------------------------------------

    def export(self) -> None:
        if self.runner.busy:
            return
        db = self._ctx.database
        self._ctx.operations.query(
            lambda: exchange_folder.folder_settings(db).password, self._export_with, parent=self._owner
        )

    def _export_with(self, group_password: str) -> None:
        """The export dialog, once the group password (for a redacted copy) is known."""
        db = self._ctx.database
        today = self._today()
        dialog = ExportDialog(
            since=today - dt.timedelta(days=7), can_redact=bool(group_password), parent=self._owner
        )
        try:
            if dialog.exec() != ExportDialog.DialogCode.Accepted:
                return
            choice = dialog.choice()
        finally:
            dialog.deleteLater()
        path = self._ask_save_path(f"{self._ctx.desk.code}-{today.isoformat()}.xlsx")
        if path is None:
            return
        from aiddesk.services.exchange.export import ExportOptions, export_workbook

        options = ExportOptions(
            since=choice.since, redact=choice.redact, password=choice.password, language=current_language()
        )
        who = self._ctx.who
        self.runner.run(
            _("Saving the workbook…"),
            lambda: export_workbook(db, path, options, group_password=group_password, who=who),
            self._exported,
            self._export_failed,
        )

    def _ask_save_path(self, name: str) -> Path | None:
        chosen = save_file_name(
            self._owner,
            _("Save the workbook as"),
            str(Path(_documents()) / name),
            _("Excel workbooks (*.xlsx)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")

    def _exported(self, summary: ExportSummary) -> None:
        count = sum(summary.rows.values())
        self._say(
            lambda: (
                ngettext("Saved %(count)s record to %(file)s.", "Saved %(count)s records to %(file)s.", count)
                % {"count": format_number(count), "file": str(summary.path)}
            )
        )

    def _export_failed(self, error: BaseException) -> None:
        if isinstance(error, ExportRefused):
            self._say(lambda: _(error.message))
        elif isinstance(error, OSError):
            self._say(
                lambda: _("The workbook could not be saved: %(error)s") % {"error": error.strerror or error}
            )
        else:
            self._unexpected(error)

    # ---- merge -----------------------------------------------------------------------------

    def merge_workbook(self) -> None:
        if self.runner.busy:
            return
        chosen = open_file_name(
            self._owner, _("Merge a workbook"), _documents(), _("Excel workbooks (*.xlsx)")
        )
        if chosen:
            self._dry_run(Path(chosen))

    def _dry_run(self, path: Path, password: str | None = None, problem: str = "") -> None:
        if password is None and _encrypted(path):
            password = self._ask_password(path, problem)
            if password is None:
                return
        from aiddesk.services.exchange import merge as merge_service

        db, who = self._ctx.database, self._ctx.who

        def work() -> tuple[Any, MergeReport]:
            book = merge_service.read(path, password)
            return book, merge_service.merge(db, book, who, dry_run=True)

        def failed(error: BaseException) -> None:
            if isinstance(error, WorkbookRejected) and password is not None:
                self._dry_run(path, None, error.message)  # ask the password again, saying why
            else:
                self._merge_failed(error)

        self.runner.run(_("Reading the workbook…"), work, self._confirm, failed, cancellable=True)

    def _ask_password(self, path: Path, problem: str) -> str | None:
        dialog = PasswordDialog(file_label(path), problem=problem, parent=self._owner)
        try:
            return dialog.password() if dialog.exec() == PasswordDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _confirm(self, result: tuple[Any, MergeReport]) -> None:
        book, report = result
        dialog = MergeReportDialog(report, self._owner)
        try:
            accepted = dialog.exec() == MergeReportDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if not accepted:
            self._say(lambda: _("Nothing was merged."))
            return
        from aiddesk.services.exchange import merge as merge_service

        db, who = self._ctx.database, self._ctx.who
        self.runner.run(
            _("Merging the workbook…"),
            lambda: (
                merge_service.merge(db, book, who, proposals=merge_service.Proposals.KEEP),
                _waiting_counts(db),
                same_code_warning(db),
            ),
            self._merged,
            self._merge_failed,
            writes=True,
            alongside=True,  # a save at the desk is not queued behind the merge's reading
        )

    def _merged(self, result: tuple[MergeReport, tuple[int, int], str]) -> None:
        report, waiting, same_code = result
        self._say(
            lambda: " ".join(t for t in (merge_result_text(report), waiting_text(*waiting)) if t), waiting
        )
        if same_code:
            self.warn(same_code)

    def _merge_failed(self, error: BaseException) -> None:
        if isinstance(error, WorkbookRejected):
            message = error.message
            self._say(lambda: message)
            self.warn(message)
        elif isinstance(error, OSError):
            self._say(
                lambda: _("The workbook could not be read: %(error)s") % {"error": error.strerror or error}
            )
        else:
            self._unexpected(error)

    def warn(self, message: str) -> None:
        QMessageBox.warning(self._owner, _("Merge a workbook"), message)


def _encrypted(path: Path) -> bool:
    try:
        return is_encrypted(path)
    except (OSError, WorkbookRejected):
        return False  # reading it says why
