"""A combobox of the desk regions (phone numbers, dates and numbers), named in the UI language."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from aiddesk.i18n import locale_name
from aiddesk.services.desk import REGIONS
from aiddesk.ui.retranslate import Retranslating


def region_name(code: str) -> str:
    """'US' -> 'United States' / 'Estados Unidos' (Babel); the code itself when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale_name()).territories.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


class RegionBox(Retranslating, QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code in REGIONS:
            self._add(code)

    def region(self) -> str:
        return str(self.currentData())

    def set_region(self, code: str) -> None:
        index = self.findData(code)
        if index < 0:  # a region outside the list (set elsewhere): keep it selectable
            self._add(code)
            index = self.count() - 1
        self.setCurrentIndex(index)

    def _add(self, code: str) -> None:
        self.addItem(f"{region_name(code)} ({code})", code)

    def retranslate_ui(self) -> None:
        for index in range(self.count()):
            code = str(self.itemData(index))
            self.setItemText(index, f"{region_name(code)} ({code})")
