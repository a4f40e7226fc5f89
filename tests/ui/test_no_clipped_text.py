"""No text is cut off: every screen and dialog, at the default window size (1200×760), in English
and Spanish, on a demo desk (a 6-character desk code, so codes like "CCRUZ1-R0001"; long Spanish
names). A label, button, check box, group box title, placeholder, combo box, header or cell whose
text is wider than its room fails the test with the screen, the widget and the text."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sheet_samples import write_csv

from aiddesk import i18n
from aiddesk.demo import desk as demo
from aiddesk.domain.enums import RequestStatus
from aiddesk.services import backups
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.ui.backups.damaged_dialog import DamagedDatabaseDialog
from aiddesk.ui.common.record_table import ColumnsFitText
from aiddesk.ui.exchange.export_dialog import ExportDialog
from aiddesk.ui.exchange.merge_dialog import PasswordDialog
from aiddesk.ui.exchange.sheet_import import open_sheet_import
from aiddesk.ui.overview.page import OverviewPage
from aiddesk.ui.shell.error_dialog import ErrorDialog
from aiddesk.ui.shell.first_run_dialog import FirstRunDialog
from aiddesk.ui.shell.main_window import DEFAULT_SIZE, PAGES, MainWindow
from aiddesk.ui.shell.shift_dialog import ShiftDialog
from tests.ui.clipping import Clip, clipped
from tests.ui.settle import settle
from tests.ui.windows import desk_window

TODAY = dt.date.today()
SHOTS = os.environ.get("AIDDESK_SHOTS", "")
DESK_CODE = "CCRUZ1"  # six characters, the longest a desk code is


@pytest.fixture
def demo_db(empty_db: Database) -> Database:
    demo.ensure_desk(empty_db, seed=7, desk_code=DESK_CODE)
    demo.fill(empty_db, "demo", seed=7, people=120, today=TODAY)
    return empty_db


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, qt_language: None) -> Iterator[MainWindow]:
    with desk_window(qtbot, demo_db) as window:
        window.resize(*DEFAULT_SIZE)
        settle(qtbot, window.ctx)
        yield window


def _copy(template: Path, folder: Path) -> Path:
    folder.mkdir()
    shutil.copyfile(template, folder / "aiddesk.db")
    return folder / "aiddesk.db"


def looked_at(qtbot: QtBot, widget: QWidget, where: str) -> list[Clip]:
    QTest.qWait(20)  # layouts settle (posted layout requests)
    qtbot.waitUntil(lambda: not any(fit.measuring() for fit in widget.findChildren(ColumnsFitText)))
    QApplication.processEvents()
    if SHOTS:  # to look at them: AIDDESK_SHOTS=/some/folder
        name = f"{i18n.current_language()}-{widget.width()}x{widget.height()}-{where}".replace(" ", "_")
        widget.grab().save(str(Path(SHOTS) / f"{name.replace(',', '').replace(':', '')}.png"))
    return clipped(widget, where)


def page(qtbot: QtBot, window: MainWindow, key: str) -> list[Clip]:
    window.show_page(key)
    settle(qtbot, window.ctx)
    return looked_at(qtbot, window, key)


def opened(qtbot: QtBot, window: MainWindow, open_it: Callable[[], QWidget | None], where: str) -> list[Clip]:
    """Open a dialog, look at it, close it."""
    dialog = open_it()
    assert dialog is not None, where
    qtbot.waitExposed(dialog)
    settle(qtbot, window.ctx)
    found = looked_at(qtbot, dialog, where)
    if isinstance(dialog, QDialog):
        dialog.reject()
    else:
        dialog.close()
    settle(qtbot, window.ctx)
    return found


def alone(qtbot: QtBot, dialog: QWidget, where: str) -> list[Clip]:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    found = looked_at(qtbot, dialog, where)
    dialog.close()
    return found


def every_screen(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> list[Clip]:
    found: list[Clip] = []
    assert (window.width(), window.height()) == DEFAULT_SIZE  # nothing made the window grow
    for key, _entry in PAGES:
        found += page(qtbot, window, key)

    # the request queue with a request chosen (its detail panel), and its Change status dialog
    requests = window.requests_page
    window.show_page("requests")
    requests.table.selectRow(0)
    settle(qtbot, window.ctx)
    found += looked_at(qtbot, window, "requests, a request chosen")
    found += opened(qtbot, window, lambda: requests.ask_move(RequestStatus.NEEDS_INFO), "change status")
    person_id = requests.model.row_at(0).person_id

    # the person page and its merge dialog
    window.show_person(person_id)
    settle(qtbot, window.ctx)
    found += looked_at(qtbot, window, "person")
    found += opened(qtbot, window, window.person_page.ask_merge, "merge people")

    # matching: a ready request chosen, a volunteer suggested, the plan run dialog
    matching = window.matching_page
    window.show_page("matching")
    settle(qtbot, window.ctx)
    if matching.requests_table.model().rowCount() > 0:
        matching.requests_table.selectRow(0)
        settle(qtbot, window.ctx)
        matching.ranked_table.selectRow(0)
        settle(qtbot, window.ctx)
        found += looked_at(qtbot, window, "matching, a request chosen")
        if matching.plan_button.isEnabled():

            def plan() -> QWidget | None:
                matching.plan_run()
                return matching.dialog

            found += opened(qtbot, window, plan, "plan run")

    # deliveries: the run editor and the stop recorder
    deliveries = window.deliveries_page
    window.show_page("deliveries")
    settle(qtbot, window.ctx)
    found += opened(qtbot, window, deliveries.plan_run, "run editor")
    for row in range(deliveries.runs_table.model().rowCount()):
        deliveries.select_run_row(row)
        settle(qtbot, window.ctx)
        deliveries.select_stop_row(0)
        settle(qtbot, window.ctx)
        if deliveries.record_button.isEnabled():
            found += looked_at(qtbot, window, "deliveries, a stop chosen")
            found += opened(qtbot, window, deliveries.record_selected, "stop recorder")
            break

    # volunteers: the volunteer form, new and filled in
    volunteers = window.volunteers_page
    window.show_page("volunteers")
    settle(qtbot, window.ctx)

    def volunteer_form(edit: bool) -> Callable[[], QWidget | None]:
        def open_it() -> QWidget | None:
            if edit:
                volunteers.table.selectRow(0)
                volunteers.edit_selected()
            else:
                volunteers.add()
            settle(qtbot, window.ctx)
            return volunteers.dialog

        return open_it

    found += opened(qtbot, window, volunteer_form(False), "new volunteer")
    found += opened(qtbot, window, volunteer_form(True), "edit volunteer")

    # settings: the label dialog of a list editor
    window.show_page("settings")
    settle(qtbot, window.ctx)
    categories = window.settings_page.categories_editor

    def label_dialog() -> QWidget | None:
        categories.add()
        return categories.dialog

    found += opened(qtbot, window, label_dialog, "new label")

    # the overview (its own screen, wherever the window puts it)
    overview = window.pages.get("overview")
    if overview is None:
        overview = OverviewPage(window.ctx)
        window.stack.addWidget(overview)
    window.stack.setCurrentWidget(overview)
    settle(qtbot, window.ctx)
    found += looked_at(qtbot, window, "overview")

    # the sheet import wizard, every page
    wizard = open_sheet_import(window, window.ctx)
    qtbot.waitExposed(wizard)
    found += looked_at(qtbot, wizard, "sheet import: file")
    wizard.file_page.open_file(str(write_csv(tmp_path / "Solicitudes de ayuda (respuestas).csv")))
    settle(qtbot, window.ctx)
    found += looked_at(qtbot, wizard, "sheet import: file chosen")
    for step in ("columns", "values", "preview"):
        wizard.next()
        settle(qtbot, window.ctx)
        qtbot.wait(50)
        found += looked_at(qtbot, wizard, f"sheet import: {step}")
    wizard.reject()
    settle(qtbot, window.ctx)

    # the dialogs of the exchange and of the start
    db = window.ctx.database
    desk = desk_service.get_desk(db)
    assert desk is not None
    found += alone(qtbot, ExportDialog(since=TODAY, can_redact=True), "export")
    found += alone(qtbot, PasswordDialog("CCRUZ1-2026-12-07.xlsx"), "workbook password")
    found += alone(
        qtbot,
        PasswordDialog("CCRUZ1-2026-12-07.xlsx", problem=i18n._("The password is wrong.")),
        "workbook password, wrong",
    )
    shift = ShiftDialog(desk_service.recent_users(db), desk)
    found += alone(qtbot, shift, "shift")
    shift = ShiftDialog(desk_service.recent_users(db), desk)
    qtbot.addWidget(shift)
    shift.show()
    qtbot.waitExposed(shift)
    shift.name.setEditText("Ann\x07")
    qtbot.mouseClick(shift.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shift.name_error.isVisible)
    found += looked_at(qtbot, shift, "shift, a refused name")
    shift.close()
    found += alone(qtbot, ErrorDialog(tmp_path / "aiddesk.log", "Traceback …"), "error")
    broken = tmp_path / "broken" / "aiddesk.db"
    broken.parent.mkdir()
    broken.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    found += alone(qtbot, DamagedDatabaseDialog(broken, backups.examine(broken)), "damaged database")
    return found


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_text_is_cut_off_anywhere(
    qtbot: QtBot, window: MainWindow, language: str, tmp_path: Path, migrated_template: Path
) -> None:
    i18n.set_language(language, "US")
    settle(qtbot, window.ctx)
    found = every_screen(qtbot, window, tmp_path)
    empty = open_database(_copy(migrated_template, tmp_path / "new"))
    try:
        found += alone(qtbot, FirstRunDialog(empty), "first run")
    finally:
        empty.close()
    assert not found, "text cut off:\n" + "\n".join(str(clip) for clip in found)


def test_the_check_catches_a_narrowed_label_button_and_column(qtbot: QtBot, window: MainWindow) -> None:
    """The check can fail: a label, a button and the code column made too narrow are each reported."""
    window.show_page("requests")
    settle(qtbot, window.ctx)
    assert not [c for c in looked_at(qtbot, window, "requests") if "Code" in c.text]
    page = window.requests_page
    label = QLabel("A label far too long for the room it is given", page)
    label.setObjectName("narrowed")
    label.setGeometry(0, 0, 60, 30)
    label.show()
    page.table.setColumnWidth(0, 30)
    found = looked_at(qtbot, window, "requests")
    widgets = {clip.widget.split(" ")[0] for clip in found}
    assert "QLabel#narrowed" in widgets
    assert any(clip.text.startswith(DESK_CODE) for clip in found)  # a cell of the code column
    assert any(clip.text == "Code" for clip in found)  # its header
    chip = page.chips.open_chip
    chip.setFixedWidth(30)
    page.chips.updateGeometry()
    qtbot.waitUntil(lambda: chip.width() == 30)
    assert any(clip.text == chip.text() for clip in looked_at(qtbot, window, "requests"))


def test_spanish_intake_fits_the_default_window(qtbot: QtBot, window: MainWindow) -> None:
    """The consent box, the needs, the combo boxes, the notes and the placeholders are whole."""
    i18n.set_language("es", "US")
    settle(qtbot, window.ctx)
    found = page(qtbot, window, "intake")
    assert not found, "\n".join(str(clip) for clip in found)
    intake = window.intake_page
    assert intake.form_content.width() <= intake.form_scroll.viewport().width()  # nothing off the right edge


@pytest.mark.parametrize("language", ["en", "es"])
def test_on_a_small_screen_the_intake_form_stacks_its_columns(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """1024 pixels wide (maximised on a small screen, the window manager overrides the window's
    minimum): the consent, the needs and the call go under the caller, every field within reach;
    wide again, side by side."""
    i18n.set_language(language, "US")
    intake = window.intake_page
    window.setMinimumSize(1, 1)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    found = page(qtbot, window, "intake")
    assert not intake.form_content.side_by_side()
    assert not found, "\n".join(str(clip) for clip in found)
    viewport = intake.form_scroll.viewport()
    for part in (intake.caller, intake.consent_box, intake.needs_editor, intake.call_box):
        right_edge = part.mapTo(intake.form_content, part.rect().topRight()).x()
        assert right_edge <= viewport.width(), type(part).__name__  # nothing off the right edge
    window.resize(*DEFAULT_SIZE)
    page(qtbot, window, "intake")
    assert intake.form_content.side_by_side()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_small_screen_holds_the_whole_window_and_the_queue_s_filters_wrap(
    qtbot: QtBot, window: MainWindow, language: str
) -> None:
    """A 1024-pixel screen holds the window (its widest screen, the request queue, put its filters
    on one row of 960 pixels); there the filters take two rows, nothing cut off; wide, one row."""
    i18n.set_language(language, "US")
    settle(qtbot, window.ctx)
    assert window.minimumSizeHint().width() <= 1024
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    found = page(qtbot, window, "requests")
    assert not window.requests_page.filters.one_row()
    assert not found, "\n".join(str(clip) for clip in found)
    window.resize(*DEFAULT_SIZE)
    page(qtbot, window, "requests")
    assert window.requests_page.filters.one_row()


@pytest.mark.parametrize("size", [DEFAULT_SIZE, (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "es"])
def test_codes_are_whole_in_every_table(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int], language: str
) -> None:
    i18n.set_language(language, "US")
    window.resize(*size)
    settle(qtbot, window.ctx)
    found = []
    for key in ("requests", "matching", "deliveries", "volunteers", "conflicts", "audit"):
        found += [clip for clip in page(qtbot, window, key) if DESK_CODE in clip.text]
    found += opened(qtbot, window, window.deliveries_page.plan_run, "run editor")
    found = [clip for clip in found if DESK_CODE in clip.text]
    assert not found, "\n".join(str(clip) for clip in found)
