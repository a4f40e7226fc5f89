"""First run: the desk is created from what the user typed, bad input is refused with the translated
message next to the field, and choosing Español switches the whole dialog (Qt's buttons too) at once."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from aiddesk import i18n
from aiddesk.i18n.qt_bridge import QtLanguage
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.ui.shell.first_run_dialog import FirstRunDialog
from tests.ui.settle import settle

CODE_MESSAGE = "A desk code is 2 to 6 capital letters or digits, like CC1."


@pytest.fixture
def qt_language(qapp: QApplication) -> Iterator[QtLanguage]:
    """Qt follows every language switch, as in the running app."""
    bridge = QtLanguage(qapp)
    stop = i18n.on_language_change(bridge.apply)
    yield bridge
    stop()
    bridge.apply("en")


def open_dialog(qtbot, db: Database) -> FirstRunDialog:  # type: ignore[no-untyped-def]
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def fill(qtbot, dialog: FirstRunDialog, name: str, code: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.code, code)


def click_create(qtbot, dialog: FirstRunDialog) -> None:  # type: ignore[no-untyped-def]
    """Click "Create desk" and wait for the answer (the desk is created off the GUI thread)."""
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog.operations)


def cancel_button(dialog: FirstRunDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)


def test_creates_the_desk_with_the_typed_name_code_and_language(
    qtbot, empty_db: Database, qt_language
) -> None:
    dialog = open_dialog(qtbot, empty_db)
    fill(qtbot, dialog, "Eastside Center", "cc1")
    assert dialog.code.text() == "CC1"  # typed in lower case, shown as it will be stored
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    click_create(qtbot, dialog)

    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = desk_service.get_desk(empty_db)
    assert stored is not None
    assert (stored.name, stored.code, stored.language) == ("Eastside Center", "CC1", "es")
    assert uuid.UUID(stored.desk_id).version == 4
    assert dialog.desk == stored


def test_each_desk_gets_its_own_random_id(qtbot, tmp_path: Path, migrated_template: Path) -> None:
    ids = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copyfile(migrated_template, tmp_path / folder / "aiddesk.db")
        db = open_database(tmp_path / folder / "aiddesk.db")
        try:
            dialog = open_dialog(qtbot, db)
            fill(qtbot, dialog, "Same Name", "CC1")
            click_create(qtbot, dialog)
            ids.append(dialog.desk.desk_id if dialog.desk else None)
        finally:
            db.close()
    assert None not in ids
    assert ids[0] != ids[1]


def test_a_bad_code_is_refused_next_to_the_field_and_nothing_is_created(qtbot, empty_db: Database) -> None:
    dialog = open_dialog(qtbot, empty_db)
    fill(qtbot, dialog, "Eastside Center", "C-1")
    click_create(qtbot, dialog)

    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.code_error.isVisible()
    assert dialog.code_error.text() == CODE_MESSAGE
    assert not dialog.name_error.isVisible()
    assert desk_service.get_desk(empty_db) is None

    # Fixing the code lets the same dialog finish.
    dialog.code.clear()
    fill(qtbot, dialog, "", "CC1")
    click_create(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert desk_service.get_desk(empty_db) is not None


def test_an_empty_name_is_refused(qtbot, empty_db: Database) -> None:
    dialog = open_dialog(qtbot, empty_db)
    fill(qtbot, dialog, "   ", "CC1")
    click_create(qtbot, dialog)
    assert dialog.name_error.isVisible()
    assert dialog.name_error.text() == "This field cannot be empty."
    assert desk_service.get_desk(empty_db) is None


def test_the_refusal_is_shown_in_the_chosen_language(qtbot, empty_db: Database, qt_language) -> None:
    dialog = open_dialog(qtbot, empty_db)
    fill(qtbot, dialog, "Centro", "X")
    click_create(qtbot, dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    assert dialog.code_error.text() == i18n._(CODE_MESSAGE)  # the Spanish catalog's wording
    assert dialog.code_error.isVisible()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_refusal_makes_room_for_itself(qtbot, empty_db: Database, qt_language, language: str) -> None:
    """The dialog grows for the message under the code: nothing overlaps, nothing is cut off."""
    from PySide6.QtTest import QTest

    from tests.ui.clipping import clipped

    dialog = open_dialog(qtbot, empty_db)
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    fill(qtbot, dialog, "Casa Comunitaria Este", "C-1!XYZW9")
    click_create(qtbot, dialog)
    QTest.qWait(20)  # the layout's posted request
    QApplication.processEvents()
    hint, error = dialog.code_hint.geometry(), dialog.code_error.geometry()
    assert error.top() > hint.bottom()
    assert hint.height() >= dialog.code_hint.heightForWidth(hint.width())
    assert error.height() >= dialog.code_error.heightForWidth(error.width())
    assert not clipped(dialog, "first run, code refused")


def test_choosing_espanol_switches_the_app_and_the_dialog_at_once(
    qtbot, empty_db: Database, qt_language
) -> None:
    dialog = open_dialog(qtbot, empty_db)
    assert cancel_button(dialog).text() == "Cancel"
    assert dialog.windowTitle() == "Set up this desk"

    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    assert i18n.current_language() == "es"
    assert cancel_button(dialog).text() == "Cancelar"  # Qt's own button, through qtbase_es.qm
    assert dialog.windowTitle() == i18n._("Set up this desk")
    assert dialog.create_button.text() == i18n._("Create desk")
    assert [dialog.language.itemText(i) for i in range(2)] == ["English", "Español"]

    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert i18n.current_language() == "en"
    assert cancel_button(dialog).text() == "Cancel"
    assert dialog.windowTitle() == "Set up this desk"


def test_cancel_creates_nothing(qtbot, empty_db: Database) -> None:
    dialog = open_dialog(qtbot, empty_db)
    fill(qtbot, dialog, "Eastside Center", "CC1")
    qtbot.mouseClick(cancel_button(dialog), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert desk_service.get_desk(empty_db) is None


def test_a_failure_that_is_no_refusal_is_said_in_the_dialog(qtbot, empty_db: Database) -> None:
    dialog = open_dialog(qtbot, empty_db)
    desk_service.create_desk(empty_db, name="Other", code="OT1")  # set up meanwhile, from elsewhere
    fill(qtbot, dialog, "Eastside Center", "CC1")
    click_create(qtbot, dialog)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.other_error.isVisible()
    assert dialog.other_error.text().startswith("Something went wrong, and what you asked was not done.")
    assert dialog.create_button.isEnabled() and cancel_button(dialog).isEnabled()
    assert desk_service.get_desk(empty_db).name == "Other"  # type: ignore[union-attr]
