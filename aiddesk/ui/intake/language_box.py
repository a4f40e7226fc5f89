"""The caller's language: any language, from a list of common ones or typed freely."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from aiddesk.domain.intake import fold
from aiddesk.domain.sorting import name_sort_key
from aiddesk.i18n import N_, _, current_language, locale_name
from aiddesk.i18n.formatting import language_name
from aiddesk.ui.intake.fields import shrinkable

# Languages often heard on US mutual-aid lines (English and Spanish first, the rest by name).
COMMON = (
    "en",
    "es",
    "zh",
    "yue",
    "vi",
    "tl",
    "ko",
    "ru",
    "ar",
    "ht",
    "pt",
    "fr",
    "so",
    "am",
    "uk",
    "fa",
    "hi",
)
NOT_KNOWN = N_("Not known")


def display_name(code: str) -> str:
    """The language's name in the UI language, capitalised for a list ("Vietnamita")."""
    name = language_name(code)
    return name[:1].upper() + name[1:]


@cache
def _codes_by_name(locale: str) -> dict[str, str]:
    """Language names (folded) in `locale` and in English -> code."""
    from babel import Locale

    names: dict[str, str] = {}
    for name_locale in ("en", locale):
        for code, name in Locale.parse(name_locale).languages.items():
            names.setdefault(fold(name), code)
    return names


def code_for(text: str, locale: str) -> str:
    """The code of a language typed by name or code ("Tagalog", "tagalo", "tl" -> "tl");
    what was typed when it names no language Babel knows."""
    typed = text.strip()
    if not typed:
        return ""
    names = _codes_by_name(locale)
    if typed.lower() in names.values():
        return typed.lower()
    return names.get(fold(typed), typed)


class LanguageBox(QComboBox):
    """`language()` is a code (en, es, vi ...), a language typed freely, or "" when not known."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        shrinkable(self)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.retranslate()
        self.currentTextChanged.connect(self.changed)

    def language(self) -> str:
        text = self.currentText().strip()
        if not text or text == self.itemText(0):
            return ""
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index > 0:
            return str(self.itemData(index))
        return code_for(text, locale_name())

    def set_language(self, code: str) -> None:
        index = self.findData(code) if code else 0
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setEditText(display_name(code))

    def retranslate(self) -> None:
        """Names in the UI language, keeping the choice."""
        chosen = self.language() if self.count() else ""
        self.blockSignals(True)
        self.clear()
        self.addItem(_(NOT_KNOWN), "")
        first, rest = COMMON[:2], COMMON[2:]
        for code in (
            *first,
            *sorted(rest, key=lambda c: name_sort_key(language_name(c), current_language())),
        ):
            self.addItem(display_name(code), code)
        self.set_language(chosen)
        self.blockSignals(False)
