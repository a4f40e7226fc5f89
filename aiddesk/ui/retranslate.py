"""Runtime language switch for widgets: retranslate_ui() runs on every QEvent.LanguageChange.

QtLanguage.apply (aiddesk.i18n.qt_bridge) sends LanguageChange to every top-level
window and QWidget passes it on to its children, so a widget that mixes this in
recomputes its texts from _() as soon as `aiddesk.i18n.set_language()` returns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _WidgetBase = QWidget
else:
    _WidgetBase = object


class Retranslating(_WidgetBase):
    """Mix in before the Qt class (`class Page(Retranslating, QWidget)`) and implement
    retranslate_ui(); call it once at the end of __init__ for the first texts."""

    def retranslate_ui(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
