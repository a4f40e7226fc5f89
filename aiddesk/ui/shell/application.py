"""The QApplication and the small Qt chores around it: icon, Qt's own messages, bringing a window
forward, plain message boxes, and the benchmark's "shown" hook."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from aiddesk import __version__

log = logging.getLogger(__name__)

APP_NAME = "AidDesk"
ORGANIZATION = "AidDesk"
ORGANIZATION_DOMAIN = "aiddesk.org"
ICON_FILE = Path(__file__).resolve().parents[2] / "resources" / "aiddesk.svg"
# How long a thread may keep Python's interpreter lock while another asks for it. The window's
# process runs the exchange pass on a worker thread beside the GUI thread and a volunteer's save:
# each time the save comes back from SQLite (dozens of times per save) it waited up to Python's
# default 5 ms for the pass to let go. At 0.5 ms a save during a pass waited a median 20-28 ms
# more than without one, the longest 87-100 ms; at 5 ms, 42 ms and 133-207 ms (bench_pass_saves,
# the pass itself as fast).
SWITCH_INTERVAL_S = 0.0005

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    logging.getLogger("qt").log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def app_icon() -> QIcon:
    return QIcon(str(ICON_FILE))


def create_application(argv: list[str] | None = None) -> QApplication:
    """The process's QApplication (reused if one exists), named, with the icon; Qt's messages go to
    the log; threads hand the interpreter over quickly (SWITCH_INTERVAL_S)."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setDesktopFileName("org.aiddesk.AidDesk")
    app.setWindowIcon(app_icon())
    qInstallMessageHandler(_qt_message)
    return app


def bring_forward(main_window: QWidget | None) -> None:
    """Another launch asked for us: show the modal dialog in front if there is one, else the main window."""
    target = QApplication.activeModalWidget() or main_window
    if target is None:
        visible = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
        target = visible[0] if visible else None
    if target is None:
        return
    if target.isMinimized():
        target.showNormal()
    target.show()
    target.raise_()
    target.activateWindow()


def show_problem(text: str, *, warning: bool = False, parent: QWidget | None = None) -> None:
    """A plain message box (the text already translated) that waits for OK: a problem that stops the
    start, or with `warning` one that does not."""
    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Critical
    box = QMessageBox(icon, APP_NAME, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("problemBox")
    box.exec()


class _PaintWatcher(QObject):
    """Calls `done` once, after the first paint of the watched window has reached the screen."""

    def __init__(self, window: QWidget, done: Callable[[], None]) -> None:
        super().__init__(window)
        self._done: Callable[[], None] | None = done
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self._done is not None:
            done, self._done = self._done, None
            watched.removeEventFilter(self)
            # Queued: the paint in progress finishes and is flushed before we report.
            QTimer.singleShot(0, done)
        return False


def after_first_paint(window: QWidget, done: Callable[[], None]) -> None:
    """Call `done` once the window's first paint has reached the screen."""
    _PaintWatcher(window, done)


def report_ready_and_quit(window: QWidget, seconds_since_start: Callable[[], float]) -> None:
    """Benchmark hook: once `window` has painted again with its screens, print "ready <seconds>" and quit."""

    def report() -> None:
        print(f"ready {seconds_since_start():.3f}", flush=True)
        QApplication.quit()

    window.update()
    after_first_paint(window, report)


def tour_and_close(window: QWidget, seconds_since_start: Callable[[], float], *, linger_ms: int = 0) -> None:
    """Benchmark hook: print "ready", show each screen in turn (each one's reads done before the
    next), wait `linger_ms`, print "quitting <seconds>" and close the window as Ctrl+Q does."""
    keys = list(getattr(window, "pages", {}))
    operations = window.ctx.operations  # type: ignore[attr-defined]
    print(f"ready {seconds_since_start():.3f}", flush=True)

    def close() -> None:
        print(f"quitting {seconds_since_start():.3f}", flush=True)
        window.close()

    def next_screen() -> None:
        if not operations.idle():
            QTimer.singleShot(20, next_screen)
        elif keys:
            window.show_page(keys.pop(0))  # type: ignore[attr-defined]
            QTimer.singleShot(20, next_screen)
        else:
            QTimer.singleShot(linger_ms, close)

    next_screen()
