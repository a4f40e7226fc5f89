"""The unexpected-error dialog and the hooks that log a traceback and show it instead of a crash."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from aiddesk import __version__
from aiddesk.i18n import _
from aiddesk.ui.retranslate import Retranslating

log = logging.getLogger(__name__)


def describe(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The details a helper needs: version, platform and the traceback."""
    import platform  # only when something went wrong: it is slow to import

    header = f"AidDesk {__version__} · Python {platform.python_version()} · {platform.platform()}"
    return header + "\n\n" + "".join(traceback.format_exception(exc_type, exc, tb))


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


class ExceptionHook(QObject):
    """sys.excepthook and threading.excepthook: log the traceback, then show ErrorDialog on the GUI thread.

    Errors raised in Qt slots and virtual methods reach sys.excepthook too (PySide calls it)."""

    _from_thread = Signal(str)

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: ErrorDialog | None = None
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._previous: tuple[object, object] | None = None

    def install(self) -> ExceptionHook:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self
        threading.excepthook = self.thread_hook
        return self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QCoreApplication.quit()
            return
        self.report(exc_type, exc, tb)

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def report(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """Log the traceback, then tell the user (on the GUI thread, whichever thread failed)."""
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        details = describe(exc_type, exc, tb)
        app = QCoreApplication.instance()
        if app is None or not isinstance(app, QApplication):
            sys.stderr.write(
                _("Something went wrong. What you saved is safe. Details were written to %(path)s")
                % {"path": str(self.log_file)}
                + "\n"
            )
            return
        if threading.current_thread() is threading.main_thread():  # Qt's GUI thread
            self._show(details)
        else:
            self._from_thread.emit(details)

    def _show(self, details: str) -> None:
        try:
            if self.dialog is not None and self.dialog.isVisible():
                self.dialog.add_details(details)
                return
            self.dialog = ErrorDialog(self.log_file, details, QApplication.activeWindow())
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.destroyed.connect(self._forget)
            self.dialog.show()
            self.dialog.raise_()
        except Exception:  # the hook must never raise: that would recurse into itself
            log.exception("could not show the error dialog")

    def _forget(self) -> None:
        self.dialog = None

    def show_modal(self, exc: BaseException) -> None:
        """For a failure before the event loop runs: log it and wait until the user closes the dialog."""
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        dialog = ErrorDialog(self.log_file, describe(type(exc), exc, exc.__traceback__))
        dialog.exec()
