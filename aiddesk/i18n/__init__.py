"""Translation: _ / N_ / ngettext / pgettext and the runtime language switch.

The UI language is process state, like gettext's own: `set_language()` swaps
the active catalog and every later `_()` call answers in that language."""

from __future__ import annotations

import functools
import gettext as _gettext
from collections.abc import Callable

from aiddesk.i18n.catalog import load_translations

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}  # names shown in their own language
DEFAULT_LANGUAGE = "en"


class _Active:
    """The catalog in use and the desk's region (for locale formatting)."""

    def __init__(self) -> None:
        self.language = DEFAULT_LANGUAGE
        self.region = "US"
        self.translations: _gettext.NullTranslations = _gettext.NullTranslations()
        self.listeners: list[Callable[[str], None]] = []


_active = _Active()


def set_language(language: str, region: str | None = None) -> None:
    """Switch the UI language at once (unknown languages fall back to English)."""
    if language not in LANGUAGES:
        language = DEFAULT_LANGUAGE
    _active.language = language
    if region:
        _active.region = region.upper()
    _active.translations = load_translations(language)
    for listener in list(_active.listeners):
        listener(language)


def on_language_change(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call `listener(language)` after every switch; returns a function that stops it."""
    _active.listeners.append(listener)

    def remove() -> None:
        if listener in _active.listeners:
            _active.listeners.remove(listener)

    return remove


def current_language() -> str:
    return _active.language


def current_region() -> str:
    return _active.region


def locale_name() -> str:
    """Babel/Qt locale for formatting: UI language with the desk's region, e.g. es_US."""
    return _known_locale(_active.language, _active.region)


def translations_for(language: str) -> _gettext.NullTranslations:
    """The catalog of `language` without switching the UI (printouts in a volunteer's language)."""
    if language == _active.language:
        return _active.translations
    return load_translations(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def locale_for(language: str) -> str:
    """Babel locale for `language` with the desk's region, e.g. es_US."""
    return _known_locale(language if language in LANGUAGES else DEFAULT_LANGUAGE, _active.region)


@functools.cache
def _known_locale(language: str, region: str) -> str:
    """`language_REGION` when Babel knows it; else the language's world-wide form (en_001: English
    with the day before the month, as in Mexico or El Salvador), else the language alone. Babel has
    no en_MX, en_SV, en_GT, en_HN nor es_GB: on such a desk every date in English (or in Spanish in
    Great Britain) raised UnknownLocaleError (a route sheet for an English-speaking volunteer could
    not be printed). Babel loads here, on the first date formatted, not at start-up."""
    from babel import localedata

    for name in (f"{language}_{region}", f"{language}_001"):
        if localedata.exists(name):
            return name
    return language


def _(message: str) -> str:
    return _active.translations.gettext(message)


def N_(message: str) -> str:
    """Mark a module-level label for extraction; translate it with _() when shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context for extraction; translate it with pgettext when shown."""
    return context, message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active.translations.pgettext(context, message)
