"""Keep Qt in step with the gettext language: Qt's own strings and QLocale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from aiddesk.i18n import current_region


class QtLanguage:
    """Installs qtbase_<lang>.qm (Qt's dialog buttons), sets QLocale's default and
    tells every window that the language changed (their retranslate_ui runs)."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None

    def apply(self, language: str) -> None:
        QLocale.setDefault(QLocale(f"{language}_{current_region()}"))
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        if language != "en":
            translator = QTranslator(self._app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(f"qtbase_{language}", folder):
                self._translator = translator
                self._app.installTranslator(translator)
        # Synchronously, so the switch is complete when this returns; QWidget passes
        # LanguageChange on to its children.
        for window in QApplication.topLevelWidgets():
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))
