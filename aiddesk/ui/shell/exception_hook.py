"""The hooks that log a traceback and show the unexpected-error dialog instead of a crash.

Installed before anything else at the window's start, so it loads only what it needs to listen;
the dialog (ui/shell/error_dialog.py, with the Qt widget classes and enums it uses) is imported
when there is something to show."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from aiddesk import __version__
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.ui.shell.error_dialog import ErrorDialog

log = logging.getLogger(__name__)


def describe(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The details a helper needs: version, platform and the traceback."""
    import platform  # only when something went wrong: it is slow to import

    header = f"AidDesk {__version__} · Python {platform.python_version()} · {platform.platform()}"
    return header + "\n\n" + "".join(traceback.format_exception(exc_type, exc, tb))


class ExceptionHook(QObject):
    """sys.excepthook and threading.excepthook: log the traceback, then show ErrorDialog on the GUI thread.

    Errors raised in Qt slots and virtual methods reach sys.excepthook too (PySide calls it)."""

    _from_thread = Signal(str)

    def __init__(self, log_file: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self.dialog: ErrorDialog | None = None
        # Emitted only from other threads to this object of the GUI thread: Qt queues it (the
        # automatic connection), so the dialog is made on the GUI thread.
        self._from_thread.connect(self._show)
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
        from PySide6.QtWidgets import QApplication

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
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QApplication

            from aiddesk.ui.shell.error_dialog import ErrorDialog

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
        from aiddesk.ui.shell.error_dialog import ErrorDialog

        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        dialog = ErrorDialog(self.log_file, describe(type(exc), exc, exc.__traceback__))
        dialog.exec()
