"""The Volunteers screen: add through the form (accents typed like a user), refusals next to their
field, the filters coordinators ask, deactivate and reactivate, and the screen in Spanish."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain import availability as av
from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.enums import Skill
from aiddesk.paths import DeskPaths
from aiddesk.services import roster
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.roster import RosterFilter, VolunteerFields
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.volunteers.form_dialog import VolunteerDialog
from aiddesk.ui.volunteers.page import VolunteersPage
from aiddesk.ui.volunteers.table_model import COLUMN_KEYS
from tests.ui.settle import settle

NORTH = fixed_id("zone", "north")
SOUTH = fixed_id("zone", "south")
TODAY = dt.date(2026, 11, 23)


def context(db: Database) -> DeskContext:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")


def make_page(qtbot: QtBot, db: Database) -> VolunteersPage:
    page = VolunteersPage(context(db), today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1100, 700)
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


def tick(qtbot: QtBot, box: QAbstractButton) -> None:
    """Click a checkbox on its box (its middle may be empty space when the layout stretches it)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def shown(qtbot: QtBot, page: VolunteersPage, key: str = "name") -> list[str]:
    """The column's texts as listed once the screen has read what it asked for."""
    settle(qtbot, page._ctx)
    column = COLUMN_KEYS.index(key)
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def base(name: str, **changes: object) -> VolunteerFields:
    fields = VolunteerFields(
        name=name,
        languages=("en",),
        zones=(SOUTH,),
        availability=av.from_slots([(2, 1)]),
        trained=True,
        checked_on=dt.date(2026, 1, 10),
    )
    return replace(fields, **changes)  # type: ignore[arg-type]


@pytest.fixture
def team(db: Database) -> Database:
    saturday_morning = av.from_slots([(5, 0)])
    for fields in (
        base("Ana Tran", languages=("vi", "es"), availability=saturday_morning),
        base("Bob Smith", skills=("driver", "has_car"), availability=saturday_morning),
        base("Carmen Ruiz", languages=("es",), availability=av.from_slots([(5, 1)]), zones=(NORTH,)),
        base("Diego Paz", languages=("es",), availability=saturday_morning, trained=False, checked_on=None),
    ):
        roster.add_volunteer(db, "Rosa", fields, today=TODAY)
    return db


def open_add(qtbot: QtBot, page: VolunteersPage) -> VolunteerDialog:
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, page._ctx)
    dialog = page.dialog
    assert isinstance(dialog, VolunteerDialog)
    qtbot.waitExposed(dialog)
    return dialog


def save(qtbot: QtBot, page: VolunteersPage, dialog: VolunteerDialog) -> None:
    """Click Save, then wait for the save and for the list read again after it."""
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    settle(qtbot, page._ctx)


def wait(qtbot: QtBot, page: VolunteersPage) -> None:
    settle(qtbot, page._ctx)


def test_add_a_volunteer_through_the_form(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    assert page.views.currentWidget() is page.empty_label
    dialog = open_add(qtbot, page)
    assert dialog.windowTitle() == "New volunteer"
    type_text(dialog.name_edit, "María José Núñez")
    qtbot.keyClicks(dialog.phone_edit, "(503) 201-4433")
    qtbot.keyClicks(dialog.email_edit, "mjn@example.org")
    spanish = dialog.language_item("es")
    assert spanish is not None and spanish.text() == "Spanish"
    spanish.setCheckState(Qt.CheckState.Checked)
    assert "code" not in dialog.other_language_box.lineEdit().placeholderText()
    type_text(dialog.other_language_box.lineEdit(), "Nepali")  # by name: a language not in the list
    qtbot.mouseClick(dialog.add_language_button, Qt.MouseButton.LeftButton)
    for skill in (Skill.DRIVER, Skill.HAS_CAR):
        tick(qtbot, dialog.skill_checks[skill])
    tick(qtbot, dialog.zone_checks[NORTH])
    tick(qtbot, dialog.availability_grid.box(5, 0))  # Saturday morning
    tick(qtbot, dialog.trained_check)
    dialog.preferred_box.setCurrentIndex(dialog.preferred_box.findData("es"))
    save(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)

    assert shown(qtbot, page) == ["María José Núñez"]
    assert page.selected() is not None and page.selected().name == "María José Núñez"  # type: ignore[union-attr]
    row = {key: page.model.index(0, i).data() for i, key in enumerate(COLUMN_KEYS)}
    assert row["phone"] == "(503) 201-4433"
    assert row["languages"] == "Spanish, Nepali"
    assert row["skills"] == "Driver, Has a car"
    assert row["zones"] == "North"
    assert row["available"] == "Sat"
    assert row["trained"] == "Trained, not checked"
    assert page.count_label.text() == "1 volunteer"
    record = roster.get_volunteer(db, page.selected().id)  # type: ignore[union-attr]
    assert record is not None
    assert record.phone_e164 == "+15032014433" and record.fields.preferred_language == "es"
    assert record.fields.availability == av.from_slots([(5, 0)])


def test_languages_are_picked_by_name_in_the_screens_language(
    qtbot: QtBot, qt_language: None, db: Database
) -> None:
    i18n.set_language("es", "US")
    page = make_page(qtbot, db)
    dialog = open_add(qtbot, page)
    picker = dialog.other_language_box
    names = [picker.itemText(i) for i in range(picker.count())]
    assert "Nepalí" in names and "Tagalo" in names  # every language, named in Spanish
    assert names.index("Nepalí") < names.index("Noruego")  # in the order of its names
    type_text(picker.lineEdit(), "nepali")  # accents aside
    qtbot.mouseClick(dialog.add_language_button, Qt.MouseButton.LeftButton)
    added = dialog.language_item("ne")
    assert added is not None and added.text() == "Nepalí" and added.checkState() == Qt.CheckState.Checked
    type_text(picker.lineEdit(), "Klingon antiguo")
    qtbot.mouseClick(dialog.add_language_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["languages"].isVisible()
    assert dialog.errors["languages"].text() == i18n._(
        "“%(name)s” is not a language AidDesk knows; choose one from the list."
    ) % {"name": "Klingon antiguo"}
    assert dialog.language_item("Klingon antiguo") is None


def test_refusals_show_next_to_their_field_and_the_form_stays_open(qtbot: QtBot, db: Database) -> None:
    page = make_page(qtbot, db)
    dialog = open_add(qtbot, page)
    qtbot.keyClicks(dialog.email_edit, "not-an-address")
    save(qtbot, page, dialog)
    assert page.dialog is dialog and dialog.isVisible()
    assert dialog.errors["name"].text() == "This field cannot be empty."
    assert dialog.errors["email"].text() == "This does not look like an e-mail address (name@example.org)."
    assert not dialog.errors["phone"].isVisible()
    assert roster.search(db, RosterFilter(active_only=False)) == []
    type_text(dialog.name_edit, "Zoë")
    dialog.email_edit.clear()
    save(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert shown(qtbot, page) == ["Zoë"]


def test_a_check_date_that_is_no_date_or_in_the_future_is_refused_at_its_field(
    qtbot: QtBot, db: Database
) -> None:
    page = make_page(qtbot, db)
    dialog = open_add(qtbot, page)
    type_text(dialog.name_edit, "Zoë")
    tick(qtbot, dialog.checked_check)
    dialog.checked_date.line.setText("31/31/2026")
    save(qtbot, page, dialog)
    assert dialog.isVisible() and dialog.errors["checked_on"].text().startswith(
        "This is not a date; type it like "
    )
    dialog.checked_date.line.setText("12/1/2099")
    save(qtbot, page, dialog)
    assert dialog.errors["checked_on"].text() == "The check date cannot be in the future."
    assert roster.search(db, RosterFilter(active_only=False)) == []
    dialog.checked_date.line.setText("11/2/2026")
    save(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    record = roster.get_volunteer(db, page.selected().id)  # type: ignore[union-attr]
    assert record is not None and record.fields.checked_on == dt.date(2026, 11, 2)


def test_edit_keeps_what_was_not_changed(qtbot: QtBot, team: Database) -> None:
    page = make_page(qtbot, team)
    page.select(roster.search(team, RosterFilter(text="Carmen"))[0])
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    dialog = page.dialog
    assert isinstance(dialog, VolunteerDialog)
    assert dialog.windowTitle() == "Edit volunteer"
    assert dialog.name_edit.text() == "Carmen Ruiz"
    assert (
        dialog.availability_grid.box(5, 1).isChecked() and not dialog.availability_grid.box(5, 0).isChecked()
    )
    tick(qtbot, dialog.availability_grid.box(5, 0))
    save(qtbot, page, dialog)
    qtbot.waitUntil(lambda: page.dialog is None)
    record = roster.get_volunteer(team, page.selected().id)  # type: ignore[union-attr]
    assert record is not None
    assert record.fields.availability == av.from_slots([(5, 0), (5, 1)])
    assert record.fields.languages == ("es",) and record.fields.zones == (NORTH,)


def test_filter_speaks_spanish_and_available_saturday_morning(qtbot: QtBot, team: Database) -> None:
    page = make_page(qtbot, team)
    bar = page.filter_bar
    assert shown(qtbot, page) == ["Ana Tran", "Bob Smith", "Carmen Ruiz", "Diego Paz"]
    bar.choose(bar.language_box, "es")
    assert bar.language_box.currentText() == "Spanish"
    assert shown(qtbot, page) == ["Ana Tran", "Carmen Ruiz", "Diego Paz"]
    bar.choose(bar.day_box, 5)
    bar.choose(bar.slot_box, 0)
    assert (bar.day_box.currentText(), bar.slot_box.currentText()) == ("Saturday", "Morning")
    assert shown(qtbot, page) == ["Ana Tran", "Diego Paz"]
    tick(qtbot, bar.untrained_check)
    assert shown(qtbot, page) == ["Diego Paz"]
    tick(qtbot, bar.untrained_check)
    bar.choose(bar.language_box, "")
    tick(qtbot, bar.driver_check)
    assert shown(qtbot, page) == ["Bob Smith"]
    tick(qtbot, bar.driver_check)
    bar.choose(bar.day_box, -1)
    bar.choose(bar.slot_box, -1)
    bar.choose(bar.zone_box, NORTH)
    assert shown(qtbot, page) == ["Carmen Ruiz"]
    bar.choose(bar.zone_box, "")
    type_text(bar.search_edit, "carmen ruíz")
    assert shown(qtbot, page) == ["Carmen Ruiz"]
    assert page.count_label.text() == "1 volunteer"
    bar.search_edit.clear()
    type_text(bar.search_edit, "nobody")
    assert shown(qtbot, page) == []
    assert page.views.currentWidget() is page.empty_label


def test_deactivate_greys_and_hides_then_reactivate(qtbot: QtBot, team: Database) -> None:
    page = make_page(qtbot, team)
    bob = roster.search(team, RosterFilter(text="Bob"))[0]
    page.select(bob)
    assert page.active_button.text() == "Deactivate"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert "Bob Smith" not in shown(qtbot, page)  # active only
    tick(qtbot, page.filter_bar.active_check)
    wait(qtbot, page)
    assert "Bob Smith" in shown(qtbot, page)
    page.select(bob)
    row = page.model.row_of(bob)
    assert page.model.index(row, COLUMN_KEYS.index("active")).data() == "Inactive"
    grey = QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert page.model.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).color() == grey
    assert page.active_button.text() == "Reactivate"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert page.selected().id == bob  # type: ignore[union-attr]  # still chosen
    assert page.model.index(page.model.row_of(bob), COLUMN_KEYS.index("active")).data() == "Active"
    record = roster.get_volunteer(team, bob)
    assert record is not None and record.active


def test_volunteers_and_zones_changed_elsewhere_show_here(qtbot: QtBot, team: Database) -> None:
    """Changes made through the runner anywhere (another screen, a merge by the exchange timer)
    are read again at once when the screen shows, else when it is shown again."""
    page = make_page(qtbot, team)
    ctx = page._ctx
    carmen = roster.search(team, RosterFilter(text="Carmen"))[0]
    bob = roster.search(team, RosterFilter(text="Bob"))[0]
    page.select(carmen)
    ctx.operations.write(lambda: roster.add_volunteer(team, "Ana", base("Elena Ríos"), today=TODAY))
    assert shown(qtbot, page) == ["Ana Tran", "Bob Smith", "Carmen Ruiz", "Diego Paz", "Elena Ríos"]
    assert page.count_label.text() == "5 volunteers"
    assert page.selected().id == carmen  # type: ignore[union-attr]  # the choice stays

    page.hide()
    ctx.operations.write(
        lambda: labels_service.rename_label(team, "Ana", "zone", NORTH, "Northside", "Norte")
    )
    ctx.operations.write(lambda: roster.set_active(team, "Ana", bob, False))
    settle(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    assert shown(qtbot, page) == ["Ana Tran", "Carmen Ruiz", "Diego Paz", "Elena Ríos"]
    assert shown(qtbot, page, "zones")[1] == "Northside"
    assert page.filter_bar.zone_box.findText("Northside") > 0
    assert page.selected().id == carmen  # type: ignore[union-attr]


def test_the_screen_in_spanish(qtbot: QtBot, qt_language: None, team: Database) -> None:
    page = make_page(qtbot, team)
    i18n.set_language("es", "US")
    wait(qtbot, page)
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Código"
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMN_KEYS))]
    assert headers[COLUMN_KEYS.index("phone")] == "Teléfono"
    bob = page.model.row_of(roster.search(team, RosterFilter(text="Bob"))[0])
    assert page.model.index(bob, COLUMN_KEYS.index("skills")).data() == "Maneja, Tiene carro"
    carmen = page.model.row_of(roster.search(team, RosterFilter(text="Carmen"))[0])
    assert page.model.index(carmen, COLUMN_KEYS.index("zones")).data() == "Norte"
    assert page.model.index(carmen, COLUMN_KEYS.index("languages")).data() == "español"
    assert page.model.index(carmen, COLUMN_KEYS.index("available")).data() == "sáb"
    bar = page.filter_bar
    bar.choose(bar.language_box, "es")
    assert bar.language_box.currentText() == "español"
    assert [bar.zone_box.itemText(i) for i in range(1, 3)] == ["Norte", "Sur"]
    assert bar.slot_box.itemText(1) == "Mañana"
    dialog = open_add(qtbot, page)
    assert dialog.availability_grid.day_labels[5].text() == "sáb"
    assert dialog.skill_checks[Skill.HAS_CAR].text() == "Tiene carro"
    dialog.reject()
