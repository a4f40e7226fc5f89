"""Keyboard helpers of the Intake screen: Enter moves to the next field, and page shortcuts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterMovesOn(QObject):
    """An event filter: a plain Enter in a watched field calls `move_on` instead (Ctrl+Enter and
    the others are left to the shortcuts)."""

    def __init__(self, move_on: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._move_on = move_on

    def watch(self, widget: QWidget) -> None:
        widget.removeEventFilter(self)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        plain = Qt.KeyboardModifier.NoModifier
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in ENTER_KEYS
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == plain
        ):
            self._move_on()
            return True
        return super().eventFilter(watched, event)


def add_shortcuts(
    widget: QWidget, bindings: list[tuple[QKeySequence | str, Callable[[], object]]]
) -> list[QShortcut]:
    """Shortcuts that work while the focus is anywhere inside `widget`."""
    shortcuts = []
    for keys, slot in bindings:
        shortcut = QShortcut(QKeySequence(keys), widget)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        shortcuts.append(shortcut)
    return shortcuts
