"""An unexpected error is logged with its traceback and shown as a plain dialog naming the log file,
never as a traceback; errors from Qt slots and from other threads get the same treatment."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from aiddesk.logging_setup import LogSetup, setup_logging
from aiddesk.ui.shell.error_dialog import ExceptionHook

pytestmark = pytest.mark.qt_no_exception_capture  # these tests raise into the hook on purpose


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[LogSetup]:
    setup = setup_logging(tmp_path / "logs", crash_log=False)
    yield setup
    setup.close()


@pytest.fixture
def hook(qapp: QApplication, logs: LogSetup) -> Iterator[ExceptionHook]:
    hook = ExceptionHook(logs.log_file).install()
    yield hook
    hook.uninstall()
    if hook.dialog is not None:
        hook.dialog.close()
    QApplication.processEvents()


def raise_and_report(message: str) -> None:
    try:
        raise ValueError(message)
    except ValueError:
        sys.excepthook(*sys.exc_info())


def test_the_hook_logs_the_traceback_and_shows_where_it_is(
    qtbot, hook: ExceptionHook, logs: LogSetup
) -> None:
    assert sys.excepthook is hook
    raise_and_report("boom in the queue")

    dialog = hook.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    message = dialog.message.text()
    assert message.startswith("Something went wrong. What you saved is safe.")
    assert str(logs.log_file) in message
    assert "Traceback" not in message and "ValueError" not in message and "boom" not in message

    for handler in logging.getLogger().handlers:
        handler.flush()
    logged = logs.log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "ValueError: boom in the queue" in logged


def test_copy_details_puts_the_traceback_on_the_clipboard(qtbot, hook: ExceptionHook) -> None:
    raise_and_report("copy me")
    dialog = hook.dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().text()
    assert "Traceback (most recent call last)" in copied
    assert "ValueError: copy me" in copied
    assert dialog.copied.isVisible()

    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Close), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hook.dialog is None)


def test_an_error_in_a_qt_slot_reaches_the_dialog(qtbot, hook: ExceptionHook) -> None:
    def failing_slot() -> None:
        raise RuntimeError("slot failed")

    QTimer.singleShot(0, failing_slot)
    qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())
    assert "RuntimeError: slot failed" in hook.dialog.details  # type: ignore[union-attr]


def test_an_error_in_another_thread_is_shown_on_the_gui_thread(qtbot, hook: ExceptionHook) -> None:
    def work() -> None:
        raise KeyError("from a worker")

    worker = threading.Thread(target=work, name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: hook.dialog is not None and hook.dialog.isVisible())
    assert "KeyError: 'from a worker'" in hook.dialog.details  # type: ignore[union-attr]


def test_a_second_error_joins_the_open_dialog_instead_of_stacking(qtbot, hook: ExceptionHook) -> None:
    raise_and_report("first")
    first = hook.dialog
    raise_and_report("second")
    assert hook.dialog is first
    assert "ValueError: first" in first.details and "ValueError: second" in first.details  # type: ignore[union-attr]
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]
    assert len(dialogs) == 1


def test_uninstall_puts_the_previous_hooks_back(qapp: QApplication, logs: LogSetup) -> None:
    before = (sys.excepthook, threading.excepthook)
    hook = ExceptionHook(logs.log_file).install()
    hook.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
