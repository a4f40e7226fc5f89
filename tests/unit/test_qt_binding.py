"""The Qt binding must not corrupt Python: PySide6 6.12.0 dropped a reference to None
on every call of a method returning nothing, and the process aborted after a while."""

import sys

from PySide6.QtWidgets import QWidget


def test_void_qt_calls_keep_none_alive(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(2000):
        widget.update()
        widget.setWindowTitle("AidDesk")
    assert abs(sys.getrefcount(None) - before) < 100
