"""The Conflicts screen with real conflicts and hand edits from two desks exchanging workbooks:
what a coordinator sees, keeping a value with a click, a typed value refused next to the box,
keep or delete a record edited after its delete, accepting and rejecting hand edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from two_desks import Desk, exchange, hand_edit, north_and_south

from aiddesk import i18n
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange import conflicts, proposals, waiting
from aiddesk.ui.conflicts.page import ConflictsPage, sidebar_text
from aiddesk.ui.context import DeskContext
from tests.ui.settle import settle


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


@pytest.fixture
def people(desks: tuple[Desk, Desk]) -> dict[str, str]:
    north, south = desks
    ids = {
        "maria": north.add_person("NOR-0001", "María García", address="4 Oak St", household_size=2),
        "ana": north.add_person("NOR-0002", "Ana Tran", phone="+16175550111", phone_raw="617-555-0111"),
    }
    south.merge(north.export())
    return ids


ANY_ROW = mock.ANY


def make_page(qtbot: QtBot, desk: Desk) -> ConflictsPage:
    info = desk_service.get_desk(desk.db)
    assert info is not None
    page = ConflictsPage(DeskContext(desk.db, DeskPaths(desk.folder, desk.folder / "logs"), info, "Rosa"))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page._ctx)
    return page


def page_with_an_address_conflict(
    qtbot: QtBot, desks: tuple[Desk, Desk], people: dict[str, str]
) -> ConflictsPage:
    """María's address changed at both desks at once; the page at the south desk."""
    north, south = desks
    north.edit("person", people["maria"], address="4 Oak St, Apt 2")
    south.edit("person", people["maria"], address="12 Elm Rd")
    exchange(north, south)
    return make_page(qtbot, south)


def table_texts(page: ConflictsPage) -> list[list[str]]:
    model = page.conflicts_model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def click(qtbot: QtBot, button: QPushButton) -> None:
    """A mouse click, once the button is laid out where a user would click it."""
    qtbot.waitUntil(lambda: button.isVisible() and button.height() > 0)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle_page_of(qtbot, button)


def settle_page_of(qtbot: QtBot, widget: QWidget) -> None:
    """Wait for what the page of `widget` started (its decisions go through the runner)."""
    page = widget
    while not isinstance(page, ConflictsPage):
        page = page.parentWidget()
    settle(qtbot, page._ctx)


def test_the_page_lists_a_conflict_and_keep_settles_it(qtbot, desks, people):
    _north, south = desks
    page = page_with_an_address_conflict(qtbot, desks, people)

    assert page.title.text() == "Conflicts"
    assert page.counts.text() == "1 conflict · 0 proposed changes"
    assert page.tabs.tabText(0) == "Changed at two desks (1)"
    ((record, what, shown, others, _when),) = table_texts(page)
    assert (record, what) == ("NOR-0001 María García", "Address")
    assert {shown, others} == {"4 Oak St, Apt 2", "12 Elm Rd"}
    detail = page.detail
    assert detail.heading.text() == "NOR-0001 María García — Address"
    values = {row.value.text(): row.origin.text() for row in detail._rows}
    assert set(values) == {"4 Oak St, Apt 2", "12 Elm Rd"}
    assert values["12 Elm Rd"].startswith("Typed at SUR (Desk SUR), ")
    assert [row.shown.isVisible() for row in detail._rows].count(True) == 1
    assert sidebar_text(waiting.waiting_count(south.db)) == "Conflicts (1)"

    keep = next(row.keep for row in detail._rows if row.value.text() == "12 Elm Rd")
    assert keep.accessibleName() == "Keep “12 Elm Rd”"
    click(qtbot, keep)
    assert south.person(people["maria"]).address == "12 Elm Rd"
    assert conflicts.open_conflicts(south.db) == []
    assert page.message.text() == "NOR-0001 María García: Address settled."
    assert page.views.currentWidget() is page.nothing
    assert page.nothing.text().startswith("Nothing is waiting.")
    assert page.counts.text() == "Nothing is waiting for a decision."


def test_a_bad_typed_value_shows_the_problem_and_changes_nothing(qtbot, desks, people):
    north, south = desks
    north.edit("person", people["maria"], household_size=3)
    south.edit("person", people["maria"], household_size=5)
    exchange(north, south)
    page = make_page(qtbot, south)
    before = south.dump()

    qtbot.keyClicks(page.detail.typed_edit, "lots")
    click(qtbot, page.detail.use_button)
    assert page.detail.error.isVisible()
    assert page.detail.error.text() == "“lots” is not a whole number."
    assert south.dump() == before
    assert len(page.conflicts_model.rows) == 1

    page.detail.typed_edit.clear()
    qtbot.keyClicks(page.detail.typed_edit, "4")
    qtbot.keyClick(page.detail.typed_edit, Qt.Key.Key_Return)  # Enter uses the typed value
    settle(qtbot, page._ctx)
    assert south.person(people["maria"]).household_size == 4
    assert page.conflicts_model.rows == []


def test_edited_after_delete_offers_keep_the_record(qtbot, desks, people):
    north, south = desks
    north.edit("person", people["maria"], deleted=True)
    south.edit("person", people["maria"], address="12 Elm Rd")
    exchange(north, south)
    page = make_page(qtbot, south)
    detail = page.detail
    assert not detail.typed_box.isVisible() and not detail.choices_box.isVisible()
    assert ", NOR (Desk NOR) deleted this record." in detail.note.text()
    assert "changed it at the same time: Address." in detail.note.text()
    click(qtbot, detail.keep_record_button)
    assert south.person(people["maria"]).deleted is False
    assert page.message.text() == "NOR-0001 María García was kept."
    assert conflicts.open_conflicts(south.db) == []


@pytest.fixture
def edited_books(desks: tuple[Desk, Desk], people: dict[str, str]) -> None:
    """Two cells changed by hand in one workbook from the north desk, merged at the south desk."""
    north, south = desks
    book = hand_edit(north.export(), "People", people["maria"], "address", "9 Pine Ave")
    book = hand_edit(book, "People", people["ana"], "phone", "617 555 0122")
    south.merge(book)


def _answer(qtbot: QtBot, page: ConflictsPage, button_text: str) -> None:
    box = page.question
    assert isinstance(box, QMessageBox)
    qtbot.waitExposed(box)
    (button,) = [b for b in box.buttons() if b.text() == button_text]
    button.click()
    settle(qtbot, page._ctx)


def test_proposals_list_and_accept_all_after_a_confirmation(qtbot, desks, people, edited_books):
    _north, south = desks
    page = make_page(qtbot, south)
    assert page.counts.text() == "0 conflicts · 2 proposed changes"
    assert page.tabs.currentWidget() is page.proposals
    model = page.proposals.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert sorted(r[:6] for r in rows) == [
        ["NOR-0001 María García", "People", ANY_ROW, "Address", "4 Oak St", "9 Pine Ave"],
        ["NOR-0002 Ana Tran", "People", ANY_ROW, "Phone", "(617) 555-0111", "617 555 0122"],
    ]
    assert sorted(r[2] for r in rows) == ["3", "4"]  # sheet rows, as the file shows them
    assert all(r[6].endswith("-edited-edited.xlsx") for r in rows)
    assert not page.proposals.accept_button.isEnabled()  # nothing selected yet

    click(qtbot, page.proposals.accept_all_button)
    assert page.question.text() == "Accept all 2 changes typed into workbooks?"
    _answer(qtbot, page, "Cancel")
    assert proposals.pending_count(south.db) == 2

    click(qtbot, page.proposals.accept_all_button)
    _answer(qtbot, page, "Accept all")
    qtbot.waitUntil(lambda: proposals.pending_count(south.db) == 0)
    assert south.person(people["maria"]).address == "9 Pine Ave"
    assert south.person(people["ana"]).phone == "+16175550122"
    assert page.message.text() == "Accepted 2 changes."
    assert page.views.currentWidget() is page.nothing


def test_reject_all_and_reject_one(qtbot, desks, people, edited_books):
    _north, south = desks
    page = make_page(qtbot, south)
    before = south.dump()
    page.proposals.select_rows([1])
    click(qtbot, page.proposals.reject_button)
    assert page.message.text() == "Rejected 1 change."
    assert page.counts.text() == "0 conflicts · 1 proposed change"
    click(qtbot, page.proposals.reject_all_button)
    _answer(qtbot, page, "Reject all")
    qtbot.waitUntil(lambda: proposals.pending_count(south.db) == 0)
    assert south.dump() == before
    assert page.views.currentWidget() is page.nothing


def test_accepting_over_a_newer_local_edit_says_a_conflict_opened(qtbot, desks, people):
    north, south = desks
    book = hand_edit(north.export(), "People", people["maria"], "address", "9 Pine Ave")
    south.edit("person", people["maria"], address="12 Elm Rd")
    south.merge(book)
    page = make_page(qtbot, south)
    page.proposals.select_rows([0])
    click(qtbot, page.proposals.accept_button)
    assert page.message.text().startswith("Accepted 1 change. 1 of them had also been changed here")
    assert page.counts.text() == "1 conflict · 0 proposed changes"
    assert page.tabs.tabText(0) == "Changed at two desks (1)"


def test_keyboard_tab_from_the_list_reaches_the_choices(qtbot, desks, people):
    _north, south = desks
    page = page_with_an_address_conflict(qtbot, desks, people)
    page.activateWindow()
    page.conflicts_table.setFocus()
    qtbot.waitUntil(page.conflicts_table.hasFocus)
    qtbot.keyClick(page.conflicts_table, Qt.Key.Key_Tab)
    first = page.detail.keep_buttons[0]
    qtbot.waitUntil(first.hasFocus)
    kept = page.detail.conflict.choices[0].text
    qtbot.keyClick(first, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: conflicts.open_conflicts(south.db) == [])
    assert south.person(people["maria"]).address == kept


def test_the_page_follows_a_language_switch(qtbot, desks, people, qt_language):
    _north, south = desks
    page = page_with_an_address_conflict(qtbot, desks, people)
    model = page.conflicts_model
    assert model.headerData(1, Qt.Orientation.Horizontal) == "What"
    i18n.set_language("es", "US")
    qtbot.waitUntil(lambda: model.index(0, 1).data() == "Dirección")
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Qué"
    assert page.detail.heading.text() == "NOR-0001 María García — Dirección"
    i18n.set_language("en", "US")
    qtbot.waitUntil(lambda: model.index(0, 1).data() == "Address")


def test_a_merge_run_elsewhere_shows_its_conflict_without_a_refresh(qtbot, desks, people):
    """The page follows the desk's change notifier: a merge through the runner (the Exchange
    screen, the exchange timer) lists the conflict it opened, at once when the page is visible
    and when it is shown again otherwise."""
    north, south = desks
    page = make_page(qtbot, south)
    assert page.views.currentWidget() is page.nothing
    north.edit("person", people["maria"], address="4 Oak St, Apt 2")
    south.edit("person", people["maria"], address="12 Elm Rd")
    book = north.export()
    page._ctx.operations.write(lambda: south.merge(book))
    settle(qtbot, page._ctx)
    assert page.counts.text() == "1 conflict · 0 proposed changes"

    page.hide()
    north.edit("person", people["ana"], address="1 Birch Ln")
    south.edit("person", people["ana"], address="2 Cedar Ct")
    book = north.export()
    page._ctx.operations.write(lambda: south.merge(book))
    settle(qtbot, page._ctx)
    assert page.counts.text() == "1 conflict · 0 proposed changes"  # hidden: read when shown
    page.show()
    settle(qtbot, page._ctx)
    assert page.counts.text() == "2 conflicts · 0 proposed changes"
