"""Picking a language by its name, in the screen's language: every language Babel names, in the
order of their names, with a completer ("nep" offers Nepali / nepalí). A name in English or the
screen's language, accents aside, or a language code also finds it."""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from aiddesk.domain.sorting import name_sort_key
from aiddesk.i18n import _, current_language, locale_name
from aiddesk.ui.intake.language_box import code_for

_PLAIN_CODE = re.compile(r"^[a-z]{2,3}$")  # languages, not their regional variants (en_AU)


@cache
def language_choices(locale: str, language: str) -> tuple[tuple[str, str], ...]:
    """(name shown, code) of every language, named and sorted for `locale` / `language`."""
    from babel import Locale

    codes = [
        code for code in Locale.parse(locale).languages if isinstance(code, str) and _PLAIN_CODE.match(code)
    ]
    named = [(display_name_in(code, locale), code) for code in codes]
    return tuple(sorted(named, key=lambda pair: name_sort_key(pair[0], language)))


def display_name_in(code: str, locale: str) -> str:
    from babel import Locale

    name = Locale.parse(locale).languages.get(code, code)
    return name[:1].upper() + name[1:]


def known_language(code: str, locale: str) -> bool:
    from babel import Locale

    return code in Locale.parse(locale).languages


class LanguagePicker(QComboBox):
    """Editable: type a name and pick it. `chosen()` is the code of the language typed or picked,
    or None when the text names no language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.retranslate()

    def typed(self) -> str:
        return self.currentText().strip()

    def chosen(self) -> str | None:
        text = self.typed()
        if not text:
            return None
        index = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            return str(self.itemData(index))
        code = code_for(text, locale_name())  # a name in English or this language, or a code
        return code if known_language(code, locale_name()) else None

    def clear_text(self) -> None:
        self.setCurrentIndex(-1)
        self.setEditText("")

    def retranslate(self) -> None:
        typed = self.typed()
        self.blockSignals(True)
        self.clear()
        for name, code in language_choices(locale_name(), current_language()):
            self.addItem(name, code)
        self.setCurrentIndex(-1)
        self.setEditText(typed)
        self.blockSignals(False)
        edit = self.lineEdit()
        if edit is not None:  # an editable box always has one
            edit.setPlaceholderText(_("Another language: type its name"))
