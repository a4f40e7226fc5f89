"""Help at hand: F1 shows the guide to the screen in front, in the desk's language (following the
live switch); the Help menu's phone-desk cheat sheet prints on one page, in either language, and
its PDF is saved owner-only."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.i18n import _
from aiddesk.store.database import Database
from aiddesk.ui.shell.help.guides import GUIDES
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle
from tests.ui.windows import desk_window

SPANISH_TITLES = {  # what a Spanish-speaking volunteer reads (from the real catalog)
    "intake": "Llamadas: cómo tomar una llamada",
    "requests": "Pedidos: la lista",
    "settings": "Ajustes",
}


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    with desk_window(qtbot, db) as window:
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        yield window


def press_f1(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.keyClick(window.stack.currentWidget(), Qt.Key.Key_F1)
    dock = window.help.dock
    assert dock is not None and dock.isVisible()
    return dock.browser.toPlainText()


def screens(window: MainWindow) -> list[str]:
    return [*window.pages, "person"]


def show(window: MainWindow, key: str) -> None:
    if key == "person":
        window.stack.setCurrentWidget(window.person_page)
    else:
        window.show_page(key)


@pytest.mark.parametrize("language", ["en", "es"])
def test_f1_shows_the_guide_to_each_screen(qtbot: QtBot, window: MainWindow, language: str) -> None:
    i18n.set_language(language, "US")
    for key in screens(window):
        assert key in GUIDES, f"the {key} screen has no guide"
        show(window, key)
        settle(qtbot, window.ctx)
        shown = press_f1(qtbot, window)
        title = _(GUIDES[key].title)
        assert title in shown, key
        assert _(GUIDES[key].purpose[0]) in shown, key
        assert "F1" in shown
        others = [_(GUIDES[k].title) for k in screens(window) if k != key]
        assert not any(other in shown.splitlines() for other in others), key
        if language == "es":
            assert GUIDES[key].title not in shown, key  # not left in English
            if key in SPANISH_TITLES:
                assert SPANISH_TITLES[key] in shown


def test_the_open_guide_follows_the_screen_and_the_language(
    qtbot: QtBot, window: MainWindow, qt_language: None
) -> None:
    window.show_page("intake")
    assert "Intake: taking a call" in press_f1(qtbot, window)
    window.show_page("requests")
    dock = window.help.dock
    assert dock is not None
    assert "Requests: the queue" in dock.browser.toPlainText()
    i18n.set_language("es", "US")
    assert SPANISH_TITLES["requests"] in dock.browser.toPlainText()
    assert dock.windowTitle() == _("Guide to this screen") != "Guide to this screen"


def test_the_help_menu_has_the_guide_on_f1_and_the_cheat_sheet(window: MainWindow, qt_language: None) -> None:
    actions = {a.text(): a for a in window.help_menu.actions()}
    assert actions["&Guide to this screen"].shortcut().toString() == "F1"
    assert "Phone-desk &cheat sheet…" in actions
    i18n.set_language("es", "US")
    texts = [a.text() for a in window.help_menu.actions()]
    assert _("&Guide to this screen") in texts and "&Guide to this screen" not in texts


def test_the_guide_and_cheat_sheet_come_with_the_screens(qtbot: QtBot, db: Database) -> None:
    """The window's frame shows before the store loads (the fast start); its Help menu then offers
    only what works, and the guide and the cheat sheet arrive with the screens."""
    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.ui.context import DeskContext
    from tests.ui.windows import close_window

    desk = desk_service.get_desk(db)
    assert desk is not None
    window = MainWindow(DeskContext(None, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa"))
    try:
        window.show()
        qtbot.waitExposed(window)
        assert [a.text() for a in window.help_menu.actions()] == ["&About AidDesk"]
        window.attach_database(db)
        settle(qtbot, window.ctx)
        texts = [a.text() for a in window.help_menu.actions() if not a.isSeparator()]
        assert texts == ["&Guide to this screen", "Phone-desk &cheat sheet…", "&About AidDesk"]
        assert "Intake" in press_f1(qtbot, window)
    finally:
        close_window(qtbot, window)


EXPECTED = {
    "en": [
        "Phone-desk cheat sheet",
        "Taking a call",
        "Consent: what to say",
        "A safety concern",
        "Ending your shift",
        "Ctrl+S",
        "Save the call",
        "Safety notes",
        "Page 1 of 1",
    ],
    "es": [
        "Hoja de ayuda del teléfono",
        "Cómo tomar una llamada",
        "Consentimiento: qué decir",
        "Si alguien corre peligro",
        "Al terminar su turno",
        "Ctrl+S",
        "Guardar la llamada",
        "Notas de seguridad",
        "Página 1 de 1",
    ],
}


def normalized(value: str) -> str:
    return " ".join(value.split())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_cheat_sheet_is_one_page_in_the_language(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, language: str, qt_language: None
) -> None:
    i18n.set_language(language, "US")
    dialog = window.help.show_cheat_sheet()
    assert dialog is not None and dialog.isVisible()
    assert dialog.save_button.text() == _("Save as PDF…")
    target = tmp_path / f"sheet-{language}.pdf"
    dialog.save_pdf(target)
    settle(qtbot, window.ctx)
    assert dialog.status.text() == _("Saved %(file)s.") % {"file": str(target)}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    reader = PdfReader(str(target))
    assert len(reader.pages) == 1
    content = normalized(reader.pages[0].extract_text())
    for expected in EXPECTED[language]:
        assert normalized(expected) in content, expected
    other = "es" if language == "en" else "en"
    assert EXPECTED[other][1] not in content
    dialog.reject()
