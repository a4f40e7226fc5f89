"""The "Maybe the same person" tab of the Conflicts screen: a caller entered at two desks is
listed after the exchange; "Not the same person" takes the pair off the list, and "Compare and
merge…" opens the merge of people with both records side by side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from record_makers import NEED
from two_desks import Desk, exchange, north_and_south

from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.intake.calls import save_call
from aiddesk.services.people import same_people
from aiddesk.ui.conflicts.page import ConflictsPage
from aiddesk.ui.context import DeskContext
from tests.ui.settle import settle


@pytest.fixture
def south(tmp_path: Path, migrated_template: Path) -> Iterator[Desk]:
    """María called the north desk and the south desk; the desks then exchanged workbooks."""
    with north_and_south(tmp_path, migrated_template) as (north, south):
        for desk, name, phone in (
            (north, "María García", "617-555-0134"),
            (south, "Maria Garcia", "6175550134"),
        ):
            form = IntakeForm(phone=phone, name=name, needs=[NeedRow(NEED["groceries"])])
            save_call(desk.db, "Ana", form, "US")
        exchange(north, south)
        yield south


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


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.waitUntil(lambda: button.isVisible() and button.height() > 0)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    page = button.window()
    assert isinstance(page, ConflictsPage)
    settle(qtbot, page._ctx)


def rows(page: ConflictsPage) -> list[list[str]]:
    model = page.same_people.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_the_tab_lists_the_pair_and_not_the_same_person_removes_it(qtbot: QtBot, south: Desk) -> None:
    page = make_page(qtbot, south)
    panel = page.same_people
    assert page.tabs.currentWidget() is panel  # the only tab with something waiting
    assert page.tabs.tabText(2) == "Maybe the same person (1)"
    assert page.counts.text() == "0 conflicts · 0 proposed changes · 1 pair of records to compare"
    [(one, other, why)] = rows(page)
    assert (one, other) == (
        "NOR-P0001 María García, (617) 555-0134",
        "SUR-P0001 Maria Garcia, (617) 555-0134",
    )
    assert why == "same phone number"
    assert panel.table.accessibleName() == "Records that may be the same person"
    assert panel.compare_button.text() == "&Compare and merge…"
    assert panel.dismiss_button.isEnabled()  # the first pair is chosen

    click(qtbot, panel.dismiss_button)
    assert rows(page) == []
    assert same_people.suggestions(south.db) == []
    assert page.tabs.tabText(2) == "Maybe the same person (0)"
    assert page.message.text() == (
        "NOR-P0001 and SUR-P0001 are not the same person; this desk will not suggest them again."
    )
    assert page.views.currentWidget() is page.nothing


def test_compare_and_merge_opens_both_records_and_merging_clears_the_pair(qtbot: QtBot, south: Desk) -> None:
    page = make_page(qtbot, south)
    page.activateWindow()
    page.same_people.table.setFocus()
    qtbot.waitUntil(page.same_people.table.hasFocus)
    qtbot.keyClick(page.same_people.table, Qt.Key.Key_Tab)  # from the list to the first button
    qtbot.waitUntil(page.same_people.compare_button.hasFocus)
    qtbot.keyClick(page.same_people.compare_button, Qt.Key.Key_Space)
    dialog = page.merge_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    settle(qtbot, page._ctx)  # what the merge would do is read off the GUI thread
    plan = dialog.plan
    assert plan is not None  # the other record is already chosen: both side by side
    assert {plan.keep.code, plan.other.code} == {"NOR-P0001", "SUR-P0001"}
    assert dialog.merge_button.isEnabled()
    dialog.merge_button.click()
    settle(qtbot, page._ctx)
    assert page.merge_dialog is None  # the merge closed it
    assert rows(page) == []
    assert page.message.text() == f"{plan.other.code} was merged into {plan.keep.code} {plan.keep.name}."
