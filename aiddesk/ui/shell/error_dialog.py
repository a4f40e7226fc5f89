"""The unexpected-error dialog (the hooks that show it: ui/shell/exception_hook.py, which imports
this module only when there is something to show)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.exception_hook import ExceptionHook, describe

__all__ = ["ErrorDialog", "ExceptionHook", "describe"]


class ErrorDialog(Retranslating, QDialog):
    """Says what happened in plain words, where the details are, and offers to copy them."""

    def __init__(self, log_file: Path, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.details = details
        self.setObjectName("errorDialog")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setMinimumWidth(360)
        self.copied = QLabel()
        self.copied.setObjectName("copiedNote")
        self.copied.setWordWrap(True)
        self.copy_button = QPushButton()
        self.copy_button.setObjectName("copyDetails")
        self.copy_button.clicked.connect(self.copy_details)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.copied)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("AidDesk: something went wrong"))
        self.message.setText(
            _("Something went wrong. What you saved is safe. Details were written to %(path)s")
            % {"path": str(self.log_file)}
        )
        self.copy_button.setText(_("Copy details"))
        if self.copied.text():
            self.copied.setText(_("The details are copied; paste them into a message to whoever helps you."))

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copied.setText(_("The details are copied; paste them into a message to whoever helps you."))

    def add_details(self, details: str) -> None:
        """Another error while this one is open: keep its details too rather than stacking dialogs."""
        self.details += "\n\n" + details
