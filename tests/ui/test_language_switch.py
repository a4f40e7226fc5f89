"""Switching the language at runtime: every text, menu, header and Qt's own buttons follow, with
the real Spanish catalog, Qt's own (qtbase_es.qm), Babel's names and numbers, QLocale and the
SQL labels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.ui.requests.table_model import COLUMN_KEYS
from aiddesk.ui.settings.label_dialog import LabelDialog
from aiddesk.ui.shell.main_window import DEFAULT_SIZE, MainWindow
from tests.ui.settle import settle
from tests.ui.windows import desk_window


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    with desk_window(qtbot, db) as window:
        yield window


def choose_language(qtbot: QtBot, window: MainWindow, language: str) -> None:
    box = window.settings_page.language_box
    box.setCurrentIndex(box.findData(language))
    settle(qtbot, window.ctx)  # saved with the desk, then the switch


def visible_texts(window: MainWindow) -> dict[str, object]:
    page = window.settings_page
    return {
        "title": window.windowTitle(),
        "sidebar": [window.sidebar.item(r).text() for r in range(window.sidebar.count())],
        "menus": [a.text() for a in window.menuBar().actions()],
        "quit": window.quit_action.text(),
        "desk": window.desk_status.text(),
        "who": window.who_status.text(),
        "need header": window.requests_page.model.headerData(
            COLUMN_KEYS.index("need"), Qt.Orientation.Horizontal
        ),
        "requests title": window.requests_page.title.text(),
        "empty": window.requests_page.empty_label.text().splitlines()[0],
        "language caption": page.language_caption.text(),
        "categories": page.categories_editor.title(),
        "retire": page.categories_editor.retire_button.text(),
    }


ENGLISH_TEXTS = {
    "title": "AidDesk — Test Desk",
    "sidebar": [
        "Overview",
        "Intake",
        "Requests",
        "Matching",
        "Deliveries",
        "Volunteers",
        "Exchange",
        "Conflicts",
        "Audit trail",
        "Settings",
    ],
    "menus": ["&File", "&Help"],
    "quit": "&Quit",
    "desk": "Desk: Test Desk (TST)",
    "who": "At the desk: Rosa",
    "need header": "Need",
    "requests title": "Requests",
    "empty": "No requests yet.",
    "language caption": "Language:",
    "categories": "Need categories",
    "retire": "Retire",
}
SPANISH_TEXTS = {
    "title": "AidDesk — Test Desk",  # the same words in Spanish
    "sidebar": [
        "Resumen",
        "Llamadas",
        "Pedidos",
        "Asignar",
        "Entregas",
        "Voluntarios",
        "Intercambio",
        "Cambios en conflicto",
        "Registro de actividad",
        "Ajustes",
    ],
    "menus": ["&Archivo", "A&yuda"],
    "quit": "&Salir",
    "desk": "Puesto: Test Desk (TST)",
    "who": "Atiende: Rosa",
    "need header": "Necesidad",
    "requests title": "Pedidos",
    "empty": "Todavía no hay pedidos.",
    "language caption": "Idioma:",
    "categories": "Tipos de necesidad",
    "retire": "Dejar de usar",
}


def test_choosing_spanish_switches_everything_at_once_and_back(
    qtbot: QtBot, qt_language: None, db: Database, window: MainWindow
) -> None:
    window.show_page("requests")
    settle(qtbot, window.ctx)
    window.show_page("settings")
    editor = window.settings_page.categories_editor
    editor.add_button.click()  # a dialog already open when the language changes follows too
    dialog = editor.dialog
    assert isinstance(dialog, LabelDialog)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert visible_texts(window) == ENGLISH_TEXTS
    assert cancel.text() == "Cancel"

    choose_language(qtbot, window, "es")
    assert i18n.current_language() == "es"
    assert QLocale().name() == "es_US"
    assert desk_service.get_desk(db).language == "es"  # type: ignore[union-attr]  # saved with the desk
    assert visible_texts(window) == SPANISH_TEXTS
    assert dialog.english_caption.text() == "Nombre en inglés:"
    assert cancel.text() == "Cancelar"  # Qt's own translation (qtbase_es.qm)
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Guardar"

    choose_language(qtbot, window, "en")
    assert i18n.current_language() == "en"
    assert QLocale().name() == "en_US"
    assert desk_service.get_desk(db).language == "en"  # type: ignore[union-attr]
    assert visible_texts(window) == ENGLISH_TEXTS
    assert cancel.text() == "Cancel"


def test_messages_already_shown_are_retranslated(
    qtbot: QtBot, qt_language: None, db: Database, window: MainWindow
) -> None:
    page = window.settings_page
    page.code_edit.setText("x")
    page.save_button.click()
    settle(qtbot, window.ctx)
    assert page.code_error.text() == "A desk code is 2 to 6 capital letters or digits, like CC1."
    i18n.set_language("es", "US")
    assert page.code_error.text() == (
        "El código del puesto lleva de 2 a 6 letras mayúsculas o números, por ejemplo CC1."
    )


def test_formats_and_names_follow_without_the_catalog(
    qtbot: QtBot, qt_language: None, db: Database, window: MainWindow
) -> None:
    """With the real catalog, whatever it holds: Babel's names and Qt's buttons are Spanish."""
    page = window.settings_page
    assert page.region_box.currentText() == "United States (US)"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    i18n.set_language("es", "US")
    assert i18n.current_language() == "es"
    assert QLocale().name() == "es_US"
    assert page.language_box.currentText() == "Español"
    assert page.region_box.currentText() == "Estados Unidos (US)"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Cancelar"
    i18n.set_language("en", "US")
    assert page.language_box.currentText() == "English"
    assert page.region_box.currentText() == "United States (US)"


@pytest.mark.parametrize("language", ["en", "es"])
def test_screenshots_of_both_pages(
    qtbot: QtBot, qt_language: None, db: Database, window: MainWindow, tmp_path: Path, language: str
) -> None:
    i18n.set_language(language, "US")
    for key in window.pages:
        window.show_page(key)
        shot = tmp_path / f"main-{key}-{language}.png"
        assert window.grab().save(str(shot))
        assert shot.stat().st_size > 10_000
    # Nothing needs more room than the default window gives it.
    hint = window.minimumSizeHint()
    assert hint.width() <= DEFAULT_SIZE[0] and hint.height() <= DEFAULT_SIZE[1], hint
