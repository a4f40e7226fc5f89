"""Keep Qt in step with the gettext language: Qt's own strings and QLocale."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from aiddesk.i18n import current_region, translations_for
from aiddesk.i18n.qt_messages import qm_catalog, translated


class QtLanguage:
    """Installs qtbase_<lang>.qm (Qt's dialog buttons, its file dialog) and, in front of it,
    AidDesk's own words for what that catalog leaves in English (i18n/qt_messages.py), sets
    QLocale's default and tells every window that the language changed (their retranslate_ui
    runs). Back in English, both are removed."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translators: list[QTranslator] = []
        self._own_catalog = b""  # QTranslator reads it in place: kept while installed

    def apply(self, language: str) -> None:
        QLocale.setDefault(QLocale(f"{language}_{current_region()}"))
        for translator in self._translators:
            self._app.removeTranslator(translator)
        self._translators = []  # deleted here (this object owns them), before their catalogs go
        if language != "en":
            qt = QTranslator()
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(f"qtbase_{language}", folder):
                self._install(qt)
            words = translated(translations_for(language))
            if words:
                own = QTranslator()
                catalog = qm_catalog(words)
                if own.load(catalog):
                    self._own_catalog = catalog
                    self._install(own)  # installed last: asked first
        # Synchronously, so the switch is complete when this returns; QWidget passes
        # LanguageChange on to its children.
        for window in QApplication.topLevelWidgets():
            QCoreApplication.sendEvent(window, QEvent(QEvent.Type.LanguageChange))

    def _install(self, translator: QTranslator) -> None:
        self._translators.append(translator)
        self._app.installTranslator(translator)
