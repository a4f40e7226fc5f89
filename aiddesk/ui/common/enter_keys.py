"""Enter that does what a field means, instead of pressing the dialog's default button."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterKeys(QObject):
    """An event filter: a plain Enter in one of the widgets calls its action and goes no further
    (a dialog would take it for its default button)."""

    def __init__(
        self, actions: Mapping[QWidget, Callable[[], object]], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._actions = dict(actions)
        for widget in self._actions:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in ENTER_KEYS
            and event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier == Qt.KeyboardModifier.NoModifier
        ):
            action = self._actions.get(watched)  # type: ignore[call-overload]
            if action is not None:
                action()
                return True
        return super().eventFilter(watched, event)
