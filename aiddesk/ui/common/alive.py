"""Answers from the operation runner that arrive after their screen or dialog was closed.

A read or a change runs on a worker thread while the user may close the dialog that asked
for it (Cancel while its choices are still being read, the window closing). The answer must
then be dropped quietly: touching a deleted widget raises, and the error dialog would show
a failure where nothing went wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject

T = TypeVar("T")


def while_alive(owner: QObject, callback: Callable[[T], None]) -> Callable[[T], None]:
    """`callback`, called only while `owner` (the widget it touches) still exists."""

    def call(value: T) -> None:
        if shiboken6.isValid(owner):
            callback(value)

    return call
