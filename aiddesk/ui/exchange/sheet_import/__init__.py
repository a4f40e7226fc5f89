"""Importing a spreadsheet from elsewhere (a Google form's answers, an old roster): a wizard that
maps its columns and answers, shows every row with the people it may repeat, and stores the
rows a person approved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.sheet_import.wizard import SheetImportWizard

__all__ = ["SheetImportWizard", "open_sheet_import"]


def open_sheet_import(parent: QWidget | None, ctx: DeskContext) -> SheetImportWizard:
    """Show the import wizard over `parent` (window-modal); it deletes itself when closed."""
    wizard = SheetImportWizard(
        ctx.database, ctx.who, ctx.operations, backup_dir=ctx.paths.backups, parent=parent
    )
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
