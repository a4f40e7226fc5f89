"""A person's page from the queue (and back), merging two records of one person through it, and
the page reading again what changed elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.enums import CallChannel, RequestStatus
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.desk.records import dump
from aiddesk.services.intake import lookup
from aiddesk.services.intake.calls import save_call
from aiddesk.store.database import Database
from aiddesk.ui.person.merge_dialog import ROWS, MergePeopleDialog
from aiddesk.ui.requests.table_model import COLUMN_KEYS
from aiddesk.ui.shell.main_window import MainWindow
from tests.record_makers import NEED, NOW, ZONE, add_call, add_person, add_request
from tests.ui.settle import settle
from tests.ui.windows import desk_window

from .test_queue_page import click_row


@pytest.fixture
def twins(db: Database) -> dict[str, str]:
    """María entered twice: once with her phone and zone, once with an e-mail and her address."""
    maria = add_person(
        db, "TST-P1", "María García", phone="+16175550134", phone_raw="617.555.0134", zone_id=ZONE["north"]
    )
    again = add_person(db, "TST-P2", "Maria Garcia", email="maria@example.org", address="4 Oak St")
    add_person(db, "TST-P3", "Ana Tran")
    return {
        "maria": maria,
        "again": again,
        "R1": add_request(
            db, maria, "TST-0001", "new", details="Rice", created_at=NOW - dt.timedelta(days=3)
        ),
        "R2": add_request(db, again, "TST-0002", "ready", created_at=NOW - dt.timedelta(days=1)),
        "C1": add_call(db, maria, "TST-C1", NOW - dt.timedelta(days=3), taken_by="Rosa", notes="First call"),
        "C2": add_call(db, again, "TST-C2", NOW - dt.timedelta(days=1), taken_by="Luis"),
    }


@pytest.fixture
def window(qtbot: QtBot, db: Database, twins: dict[str, str]) -> Iterator[MainWindow]:
    with desk_window(qtbot, db, "Ana") as window:
        window.show_page("requests")
        settle(qtbot, window.ctx)
        yield window


def cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def open_maria(qtbot: QtBot, window: MainWindow, twins: dict[str, str]) -> None:
    queue_page = window.requests_page
    click_row(qtbot, queue_page, twins["R1"])
    settle(qtbot, window.ctx)
    qtbot.mouseClick(queue_page.detail.open_person_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.person_page
    settle(qtbot, window.ctx)


def open_merge(qtbot: QtBot, window: MainWindow) -> MergePeopleDialog:
    qtbot.mouseClick(window.person_page.merge_button, Qt.MouseButton.LeftButton)
    dialog = window.person_page.merge_dialog
    assert isinstance(dialog, MergePeopleDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_the_page_opens_from_the_queue_lists_everything_and_goes_back(
    qtbot: QtBot, window: MainWindow, twins: dict[str, str]
) -> None:
    open_maria(qtbot, window, twins)
    page = window.person_page
    assert page.title.text() == "María García (TST-P1)"
    assert page.values["phones"].text() == "(617) 555-0134"
    assert page.values["zone"].text() == "North"
    assert cells(page.calls_table, 1) == ["Rosa"]
    assert cells(page.calls_table, 4) == ["First call"]
    assert cells(page.requests_table, 0) == ["TST-0001"]
    assert cells(page.requests_table, 4) == ["New"]
    assert page.tabs.tabText(0) == "Calls (1)" and page.tabs.tabText(2) == "Deliveries (0)"
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.requests_page
    # The sidebar entry of the screen underneath leaves the page too.
    open_maria(qtbot, window, twins)
    item = window.sidebar.currentItem()
    qtbot.mouseClick(
        window.sidebar.viewport(), Qt.MouseButton.LeftButton, pos=window.sidebar.visualItemRect(item).center()
    )
    assert window.stack.currentWidget() is window.requests_page


def test_merging_the_second_record_into_the_first(
    qtbot: QtBot, window: MainWindow, twins: dict[str, str], db: Database
) -> None:
    open_maria(qtbot, window, twins)
    dialog = open_merge(qtbot, window)
    assert not dialog.merge_button.isEnabled()
    qtbot.keyClicks(dialog.search_edit, "garcia")
    settle(qtbot, window.ctx)
    found = [dialog.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.results.count())]
    assert found == [twins["again"]]  # never the record itself
    dialog.results.setCurrentRow(0)
    settle(qtbot, window.ctx)
    assert dialog.merge_button.isEnabled()
    rows = [key for key, _caption in ROWS]
    header = [dialog.compare.horizontalHeaderItem(c).text() for c in range(2)]
    assert header == ["Stays: TST-P1", "Merged into it: TST-P2"]
    assert dialog.compare.item(rows.index("email"), 0).text() == "maria@example.org (from the other record)"
    assert dialog.compare.item(rows.index("zone"), 0).text() == "North"
    assert dialog.compare.item(rows.index("requests"), 1).text() == "1"
    assert "filled from the other: Address, E-mail." in dialog.note.text()
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)

    page = window.person_page
    assert page.person_id == twins["maria"]
    assert sorted(cells(page.requests_table, 0)) == ["TST-0001", "TST-0002"]
    assert sorted(cells(page.calls_table, 1)) == ["Luis", "Rosa"]
    assert page.values["email"].text() == "maria@example.org"
    assert cells(page.history_table, 1) == ["Ana"] and cells(page.history_table, 2) == [
        "Merged TST-P2 into TST-P1"
    ]
    assert [m.id for m in lookup.find_callers(db, "maria garcia", "US")] == [twins["maria"]]
    # The queue reads again when shown: the moved request is María's now.
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    queue_page = window.requests_page
    row = queue_page.model.row_of(twins["R2"])
    assert row is not None
    assert queue_page.model.index(row, COLUMN_KEYS.index("person")).data() == "María García"


def test_keeping_the_other_record_leaves_a_merged_page_pointing_at_it(
    qtbot: QtBot, window: MainWindow, twins: dict[str, str]
) -> None:
    open_maria(qtbot, window, twins)
    dialog = open_merge(qtbot, window)
    dialog.choose_other(twins["again"])
    dialog.keep_other.setChecked(True)
    settle(qtbot, window.ctx)
    assert dialog.keep_other.text() == "Keep the other record (TST-P2)"
    assert [dialog.compare.horizontalHeaderItem(c).text() for c in range(2)] == [
        "Stays: TST-P2",
        "Merged into it: TST-P1",
    ]
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    page = window.person_page
    assert page.person_id == twins["again"]
    assert page.values["phones"].text() == "(617) 555-0134"  # filled from the merged record
    page.show_person(twins["maria"])
    settle(qtbot, window.ctx)
    assert page.merged_bar.isVisible() and not page.merge_button.isEnabled()
    assert page.merged_note.text().startswith("This record was merged into Maria Garcia (TST-P2)")
    qtbot.mouseClick(page.open_kept_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    assert page.person_id == twins["again"]


def test_a_refused_merge_says_why_and_changes_nothing(
    qtbot: QtBot, window: MainWindow, twins: dict[str, str], db: Database
) -> None:
    open_maria(qtbot, window, twins)
    dialog = open_merge(qtbot, window)
    before = dump(db)
    dialog.choose_other(twins["maria"])  # itself (the list never offers it; a stale pick could)
    settle(qtbot, window.ctx)
    assert dialog.error.isVisible()
    assert dialog.error.text() == "A person cannot be merged with the same record."
    assert not dialog.merge_button.isEnabled()
    dialog.choose_other(twins["again"])
    settle(qtbot, window.ctx)
    assert dialog.merge_button.isEnabled() and not dialog.error.isVisible()
    from aiddesk.services.people.person import merge_people

    merge_people(db, "Luis", twins["again"], twins["maria"])  # another coordinator was quicker
    before = dump(db)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    assert dialog.isVisible()
    assert (
        dialog.error.text() == "María García (TST-P1) was already merged or deleted; choose a current record."
    )
    assert dump(db) == before


def test_the_page_follows_a_switch_to_spanish(
    qtbot: QtBot, qt_language: None, window: MainWindow, twins: dict[str, str]
) -> None:
    open_maria(qtbot, window, twins)
    page = window.person_page
    i18n.set_language("es", "US")
    settle(qtbot, window.ctx)  # need and zone names are read again in Spanish
    _ = i18n._
    new, code = _(RequestStatus.NEW.label), _("Code")
    assert (new, code) != ("New", "Code")  # translated already
    assert cells(page.requests_table, 4) == [new]
    assert cells(page.calls_table, 2) == [_(CallChannel.PHONE.label)]
    assert page.values["zone"].text() == "Norte"
    assert page.tabs.tabText(1) == _("Requests (%(n)s)") % {"n": 1}
    assert page.requests_table.horizontalHeaderItem(0).text() == code
    assert page.back_button.text() == _("← Back")
    i18n.set_language("en", "US")
    settle(qtbot, window.ctx)
    assert page.tabs.tabText(1) == "Requests (1)" and page.values["zone"].text() == "North"


def test_the_page_reads_again_what_changed_elsewhere(
    qtbot: QtBot, window: MainWindow, twins: dict[str, str], db: Database
) -> None:
    open_maria(qtbot, window, twins)
    page = window.person_page
    operations = window.ctx.operations
    form = IntakeForm(person_id=twins["maria"], name="María García", needs=[NeedRow(NEED["rides"])])
    operations.write(lambda: save_call(db, "Luis", form, "US"))  # another screen takes her call
    settle(qtbot, window.ctx)
    assert sorted(cells(page.calls_table, 1)) == ["Luis", "Rosa"]
    assert page.tabs.tabText(1) == "Requests (2)"

    # Back on the queue, another call for her; her page shows it when it is opened again.
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    operations.write(lambda: save_call(db, "Bea", form, "US"))
    settle(qtbot, window.ctx)
    window.stack.setCurrentWidget(page)  # shown again as it was (no new read asked)
    settle(qtbot, window.ctx)
    assert sorted(cells(page.calls_table, 1)) == ["Bea", "Luis", "Rosa"]
    assert page.tabs.tabText(1) == "Requests (3)"


def test_a_person_who_is_not_on_the_desk_is_said_so(qtbot: QtBot, window: MainWindow) -> None:
    page = window.person_page
    window.show_person("no-such-id")  # a stale link: the person is gone
    settle(qtbot, window.ctx)
    assert window.stack.currentWidget() is page
    assert page.title.text() == "Person"
    assert page.merged_bar.isVisible() and page.merged_note.text() == "This person is not on this desk."
    assert not page.merge_button.isEnabled() and not page.erase_button.isEnabled()
