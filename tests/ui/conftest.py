"""Fixtures shared by the screens' tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from aiddesk import i18n
from aiddesk.i18n.qt_bridge import QtLanguage


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[None]:
    """Qt follows i18n.set_language, as the app wires it (its dialogs' words, AidDesk's own words
    for them, the locale); back to English afterwards."""
    remove = i18n.on_language_change(QtLanguage(qapp).apply)
    yield
    i18n.set_language("en", "US")
    remove()
