"""The Settings screen: desk settings with their validation, need categories and zones, the
consent script and the needs that require vetting; what changed elsewhere shows here too."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from aiddesk.domain import defaults
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request
from aiddesk.store.repositories.bulk import insert_synced
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.table_model import COLUMN_KEYS
from aiddesk.ui.settings.label_dialog import LabelDialog
from aiddesk.ui.settings.labels_editor import LabelsEditor
from aiddesk.ui.settings.page import SettingsPage
from aiddesk.ui.shell.main_window import MainWindow
from tests.ui.settle import settle
from tests.ui.windows import desk_window


def context(db: Database) -> DeskContext:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")


def make_page(qtbot: QtBot, db: Database, **kwargs: object) -> SettingsPage:
    page = SettingsPage(context(db), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1000, 720)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page._ctx)
    return page


def type_text(widget: QWidget, text: str) -> None:
    """Type like a user, accents included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def retype(edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    QTest.keyClick(edit, Qt.Key.Key_Delete)
    type_text(edit, text)


def click(qtbot: QtBot, widget: QWidget) -> None:
    """Click, then wait for what the click asked of the database."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    window = widget.window()
    while window.parentWidget() is not None:  # a dialog: its screen's context
        window = window.parentWidget().window()
    ctx = window.ctx if isinstance(window, MainWindow) else getattr(window, "_ctx", None)
    if ctx is not None:
        settle(qtbot, ctx)


def open_dialog(qtbot: QtBot, editor: LabelsEditor, button: QWidget) -> LabelDialog:
    click(qtbot, button)
    dialog = editor.dialog
    assert isinstance(dialog, LabelDialog)
    qtbot.waitExposed(dialog)
    return dialog


def save_dialog(qtbot: QtBot, dialog: LabelDialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    editor = dialog.parentWidget()
    assert isinstance(editor, LabelsEditor)
    settle(qtbot, editor._ctx)


def rows(editor: LabelsEditor) -> list[tuple[str, str, str]]:
    model = editor.model
    return [tuple(model.index(r, c).data() for c in range(3)) for r in range(model.rowCount())]  # type: ignore[misc]


def stored(db: Database, kind: str) -> list[tuple[str, str, bool]]:
    return [(lb.label_en, lb.label_es, lb.retired) for lb in labels_service.list_labels(db, kind)]


def test_add_a_category_with_both_names(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    editor = page.categories_editor
    before = len(rows(editor))
    dialog = open_dialog(qtbot, editor, editor.add_button)
    assert dialog.windowTitle() == "New need category"
    type_text(dialog.english_edit, "Baby formula")
    type_text(dialog.spanish_edit, "Fórmula para bebé")
    save_dialog(qtbot, dialog)
    assert editor.dialog is None
    assert len(rows(editor)) == before + 1
    assert rows(editor)[-1] == ("Baby formula", "Fórmula para bebé", "In use")
    assert editor.selected_label() is not None and editor.selected_label().label_en == "Baby formula"  # type: ignore[union-attr]
    assert ("Baby formula", "Fórmula para bebé", False) in stored(db, "need_category")
    # It may now be marked as needing a vetted volunteer.
    assert page.vetting_editor.checks[editor.selected_label().id].text() == "Baby formula"  # type: ignore[union-attr]


def test_rename_a_zone(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    editor = page.zones_editor
    assert not editor.rename_button.isEnabled()  # nothing chosen yet
    editor.table.selectRow(0)
    dialog = open_dialog(qtbot, editor, editor.rename_button)
    assert (dialog.english_edit.text(), dialog.spanish_edit.text()) == ("North", "Norte")
    retype(dialog.english_edit, "North Hills")
    retype(dialog.spanish_edit, "Lomas del Norte")
    save_dialog(qtbot, dialog)
    assert rows(editor)[0] == ("North Hills", "Lomas del Norte", "In use")
    assert stored(db, "zone")[0] == ("North Hills", "Lomas del Norte", False)


def test_tab_goes_from_the_chosen_label_to_its_buttons(qtbot: QtBot, db: Database) -> None:
    """Keyboard only: a zone chosen, Tab goes on to Add, Rename, Retire with that zone still
    chosen (Tab walked the cells and chose the next zone: Retire then retired another one)."""
    page = make_page(qtbot, db)
    editor = page.zones_editor
    page.activateWindow()
    editor.table.setFocus()
    qtbot.waitUntil(editor.table.hasFocus)
    editor.table.selectRow(0)
    for _step in range(editor.model.columnCount() + 1):
        if not editor.table.hasFocus():
            break
        QTest.keyClick(editor.table, Qt.Key.Key_Tab)
    assert not editor.table.hasFocus()
    assert [index.row() for index in editor.table.selectionModel().selectedRows()] == [0]


def test_retire_shows_retired_and_restore_brings_it_back(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    editor = page.categories_editor
    editor.table.selectRow(2)
    assert editor.retire_button.text() == "Retire"
    click(qtbot, editor.retire_button)
    assert rows(editor)[2] == ("Ride", "Aventón / transporte", "(retired)")
    assert stored(db, "need_category")[2][2] is True
    assert editor.model.index(2, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert editor.retire_button.text() == "Restore"
    click(qtbot, editor.retire_button)
    assert rows(editor)[2] == ("Ride", "Aventón / transporte", "In use")
    assert stored(db, "need_category")[2][2] is False


def test_duplicate_name_is_refused_with_a_message_and_nothing_stored(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    editor = page.categories_editor
    before = stored(db, "need_category")
    dialog = open_dialog(qtbot, editor, editor.add_button)
    type_text(dialog.english_edit, "groceries")  # "Groceries" exists; case does not matter
    type_text(dialog.spanish_edit, "Víveres")
    save_dialog(qtbot, dialog)
    assert dialog.isVisible()  # stays open to fix the name
    assert dialog.english_error.isVisible()
    assert dialog.english_error.text() == "“groceries” is already in the list."
    assert not dialog.spanish_error.isVisible()
    assert stored(db, "need_category") == before

    retype(dialog.english_edit, "Groceries for pets")
    save_dialog(qtbot, dialog)
    assert editor.dialog is None  # closed
    assert len(stored(db, "need_category")) == len(before) + 1


def test_empty_names_are_refused(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    editor = page.zones_editor
    before = stored(db, "zone")
    dialog = open_dialog(qtbot, editor, editor.add_button)
    save_dialog(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.english_error.text() == "Please type a name in English or in Spanish."
    assert stored(db, "zone") == before
    click(qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel))
    assert editor.dialog is None
    assert stored(db, "zone") == before


def test_desk_code_is_checked_and_nothing_half_saved(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    retype(page.name_edit, "Centro Comunitario Este")
    retype(page.code_edit, "c-1")
    click(qtbot, page.save_button)
    assert page.code_error.isVisible()
    assert page.code_error.text() == "A desk code is 2 to 6 capital letters or digits, like CC1."
    assert not page.name_error.isVisible()
    assert not page.saved_label.isVisible()
    desk = desk_service.get_desk(db)
    assert desk is not None and (desk.name, desk.code) == ("Test Desk", "TST")

    retype(page.code_edit, "ce2")  # lower case is accepted and shown in capitals
    click(qtbot, page.save_button)
    assert not page.code_error.isVisible()
    assert page.saved_label.isVisible() and page.saved_label.text() == "Saved."
    assert page.code_edit.text() == "CE2"
    desk = desk_service.get_desk(db)
    assert desk is not None and (desk.name, desk.code) == ("Centro Comunitario Este", "CE2")


def test_empty_desk_name_is_refused(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    retype(page.name_edit, "")
    click(qtbot, page.save_button)
    assert page.name_error.isVisible()
    assert page.name_error.text() == "This field cannot be empty."
    assert desk_service.get_desk(db).name == "Test Desk"  # type: ignore[union-attr]


def test_phone_region_is_named_and_saved(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    box = page.region_box
    names = [box.itemText(i) for i in range(box.count())]
    assert names[: len(desk_service.REGIONS)] == [
        box.itemText(box.findData(code)) for code in desk_service.REGIONS
    ]
    assert box.currentText() == "United States (US)"
    assert "Mexico (MX)" in names
    box.setCurrentIndex(box.findData("MX"))
    click(qtbot, page.save_button)
    assert desk_service.get_desk(db).phone_region == "MX"  # type: ignore[union-attr]


def test_data_folder_is_shown_and_opened(qtbot: QtBot, db: Database) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    page = make_page(qtbot, db, open_url=open_url)
    assert page.data_path.text() == str(db.path.parent)
    assert page.data_path.isReadOnly()
    click(qtbot, page.open_folder_button)
    assert [Path(url.toLocalFile()) for url in opened] == [db.path.parent]
    assert not page.open_folder_error.isVisible()


def test_folder_that_cannot_be_opened_says_so(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db, open_url=lambda url: False)
    click(qtbot, page.open_folder_button)
    assert page.open_folder_error.isVisible()


def test_renamed_category_reaches_the_requests_screen(qtbot: QtBot, db: Database) -> None:
    person_id = str(uuid.uuid4())
    groceries = defaults.NEED_CATEGORIES[0]
    with db.transaction("test") as tx:
        stamp = tx.stamp()
        insert_synced(tx.session, Person, [{"id": person_id, "code": "TST-P1", "name": "Ana"}], stamp)
        insert_synced(
            tx.session,
            Request,
            [
                {
                    "id": str(uuid.uuid4()),
                    "code": "TST-0001",
                    "person_id": person_id,
                    "category_id": groceries.id_for("need_category"),
                    "created_at": dt.datetime(2026, 1, 1),
                }
            ],
            stamp,
        )
    with desk_window(qtbot, db) as window:
        window.show_page("requests")
        settle(qtbot, window.ctx)
        need = window.requests_page.model.index(0, COLUMN_KEYS.index("need"))
        assert need.data() == "Groceries"
        editor = window.settings_page.categories_editor
        window.show_page("settings")
        settle(qtbot, window.ctx)
        editor.table.selectRow(0)
        dialog = open_dialog(qtbot, editor, editor.rename_button)
        retype(dialog.english_edit, "Food bags")
        save_dialog(qtbot, dialog)
        window.show_page("requests")
        settle(qtbot, window.ctx)
        need = window.requests_page.model.index(0, COLUMN_KEYS.index("need"))
        assert need.data() == "Food bags"


def test_labels_changed_elsewhere_show_here(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    operations = page._ctx.operations
    operations.write(lambda: labels_service.add_label(db, "Luis", "zone", "Harbor", "Puerto"))
    settle(qtbot, page._ctx)
    assert rows(page.zones_editor)[-1] == ("Harbor", "Puerto", "In use")

    page.hide()  # read again when shown: a category from another desk's workbook, say
    operations.write(lambda: labels_service.add_label(db, "Luis", "need_category", "Diapers", "Pañales"))
    settle(qtbot, page._ctx)
    page.show()
    settle(qtbot, page._ctx)
    assert rows(page.categories_editor)[-1] == ("Diapers", "Pañales", "In use")
    assert "Diapers" in [check.text() for check in page.vetting_editor.checks.values()]


def test_consent_script_is_saved_as_a_new_version_and_an_empty_one_refused(
    qtbot: QtBot, db: Database
) -> None:
    page = make_page(qtbot, db)
    editor = page.consent_editor
    assert editor.english_edit.toPlainText().startswith("Before we go on")
    editor.english_edit.setPlainText("")
    click(qtbot, editor.save_button)
    assert editor.english_error.isVisible() and not editor.saved_label.isVisible()
    assert editor.version == "aiddesk-1"
    editor.english_edit.setPlainText("We keep your name and number.")
    click(qtbot, editor.save_button)
    assert not editor.english_error.isVisible() and editor.saved_label.isVisible()
    assert editor.version != "aiddesk-1"
    assert editor.version_label.text() == f"Version: {editor.version}"


def test_vetting_choice_is_saved_at_once(qtbot: QtBot, db: Database) -> None:
    from aiddesk.services import matching

    page = make_page(qtbot, db)
    groceries = defaults.NEED_CATEGORIES[0].id_for("need_category")
    box = page.vetting_editor.checks[groceries]
    assert not box.isChecked()
    box.click()
    settle(qtbot, page._ctx)
    assert groceries in matching.vetted_categories(db)
    box.click()
    settle(qtbot, page._ctx)
    assert groceries not in matching.vetted_categories(db)
