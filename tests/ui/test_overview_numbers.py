"""Every number of the overview opens what it counted: a desk with requests opens on the overview,
and clicking a number shows the Requests screen listing exactly those requests (expected sets
written here from the records' definitions, not read from the app), or the screen it names.
The same filters are offered by hand in the queue's filter bar, in English and Spanish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.enums import RequestStatus
from aiddesk.services.requests.queue import Focus
from aiddesk.store.database import Database
from aiddesk.ui.shell.main_window import MainWindow
from tests.record_makers import NEED, add_person, add_request
from tests.ui.settle import settle
from tests.ui.windows import desk_window

NOW = dt.datetime.now(dt.UTC).replace(tzinfo=None)
TODAY = dt.date.today()
OLD = NOW - dt.timedelta(days=3)

# code: (status, follow-up day, created, deleted)
RECORDS: dict[str, tuple[str, dt.date | None, dt.datetime, bool]] = {
    "T-A": ("call_back", TODAY, NOW, False),  # due today, new today
    "T-B": ("needs_info", TODAY - dt.timedelta(days=2), OLD - dt.timedelta(days=5), False),  # overdue
    "T-C": ("call_back", TODAY + dt.timedelta(days=1), OLD, False),  # not due yet
    "T-D": ("new", TODAY, NOW, False),  # a follow-up day, but not waiting for a call; new today
    "T-E": ("failed", None, OLD, False),  # to plan again
    "T-F": ("ready", None, OLD, False),  # ready, never failed
    "T-G": ("call_back", TODAY, NOW, True),  # deleted: never counts
    "T-H": ("delivered", None, NOW, False),  # new today, closed
}
LIVE = {code: r for code, r in RECORDS.items() if not r[3]}
FOLLOW_UP = {"needs_info", "call_back"}
EXPECTED = {
    "requests_today": {c for c, (_s, _f, made, _d) in LIVE.items() if made >= NOW - dt.timedelta(minutes=5)},
    "call_backs_today": {c for c, (s, f, _m, _d) in LIVE.items() if s in FOLLOW_UP and f == TODAY},
    "call_backs_overdue": {c for c, (s, f, _m, _d) in LIVE.items() if s in FOLLOW_UP and f and f < TODAY},
    "failed_to_replan": {c for c, (s, _f, _m, _d) in LIVE.items() if s == "failed"},
}


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    rosa = add_person(db, "T-P1", "Rosa Díaz", phone="+16175550134", consent=True)
    for code, (status, follow_up, made, deleted) in RECORDS.items():
        add_request(db, rosa, code, status, follow_up=follow_up, created_at=made, deleted=deleted)
    with desk_window(qtbot, db, "Ana") as window:
        qtbot.waitUntil(lambda: window.overview_page.data is not None, timeout=30_000)
        settle(qtbot, window.ctx)
        yield window


def listed(window: MainWindow) -> set[str]:
    model = window.requests_page.model
    return {model.row_at(row).code for row in range(model.rowCount())}


def test_a_desk_with_requests_opens_on_the_overview(window: MainWindow) -> None:
    assert window.current_page_key() == "overview"
    assert window.stack.currentWidget() is window.overview_page


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_tile_opens_exactly_the_requests_it_counted(qtbot: QtBot, window: MainWindow, key: str) -> None:
    number = window.overview_page.tiles[key][0]
    assert number.text() == str(len(EXPECTED[key]))
    qtbot.mouseClick(number, Qt.MouseButton.LeftButton)
    settle(qtbot, window.ctx)
    assert window.current_page_key() == "requests"
    assert listed(window) == EXPECTED[key]
    assert window.requests_page.model.total == len(EXPECTED[key])


def test_each_status_number_opens_that_status(qtbot: QtBot, window: MainWindow) -> None:
    for status, link in window.overview_page.status_links.items():
        expected = {c for c, (s, _f, _m, _d) in LIVE.items() if s == status.value}
        assert link.text().endswith(f": {len(expected)}")
        window.show_page("overview")
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
        settle(qtbot, window.ctx)
        assert window.current_page_key() == "requests"
        assert listed(window) == expected, status


def test_the_oldest_waiting_request_opens_selected(qtbot: QtBot, window: MainWindow) -> None:
    page = window.overview_page
    assert page.oldest.item(0, 0).text() == "T-B"  # made 8 days ago, needs info
    rect = page.oldest.visualItemRect(page.oldest.item(0, 0))
    qtbot.mouseClick(page.oldest.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, window.ctx)
    assert window.current_page_key() == "requests"
    assert [window.requests_page.model.row_at(r).code for r in window.requests_page.selected_rows()] == [
        "T-B"
    ]


def test_conflicts_and_exchange_numbers_open_their_screens(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.overview_page.tiles["conflicts_waiting"][0], Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "conflicts"
    window.show_page("overview")
    qtbot.mouseClick(window.overview_page.exchange_link, Qt.MouseButton.LeftButton)
    assert window.current_page_key() == "exchange"


def test_the_same_filters_by_hand_in_both_languages(qtbot: QtBot, window: MainWindow) -> None:
    window.show_page("requests")
    bar = window.requests_page.filters
    bar.focus_box.setCurrentIndex(bar.focus_box.findData(Focus.OVERDUE.value))
    bar.focus_box.activated.emit(bar.focus_box.currentIndex())
    settle(qtbot, window.ctx)
    assert listed(window) == EXPECTED["call_backs_overdue"]
    assert bar.focus_box.currentText() == "Call-back overdue"
    i18n.set_language("es")
    try:
        window.requests_page.retranslate_ui()
        bar.retranslate_ui()
        assert bar.focus_box.currentText() == "Llamada atrasada"
        assert bar.focus_box.itemText(0) == "Cualquier seguimiento"
    finally:
        i18n.set_language("en")
    bar.clear()
    settle(qtbot, window.ctx)
    assert RequestStatus.NEW in window.requests_page.chips.statuses
    assert listed(window) == {c for c, (s, _f, _m, _d) in LIVE.items() if s not in {"delivered"}}


def test_a_run_of_today_opens_on_deliveries(qtbot: QtBot, db: Database) -> None:
    from aiddesk.services.deliveries import dispatch
    from aiddesk.store.models import Volunteer

    rosa = add_person(db, "T-P1", "Rosa Díaz")
    ready = [add_request(db, rosa, f"T-Q{n}", "ready") for n in range(2)]
    with db.transaction("Ana") as tx:
        luis = Volunteer(id=tx.new_id(), code="T-V1", name="Luis Ortega", active=True)
        tx.session.add(luis)
    runs = [
        dispatch.plan_run(
            db, "Ana", volunteer_id=luis.id, date=TODAY, window_start=start, window_end=end, request_ids=[rid]
        )
        for rid, (start, end) in zip(ready, (("09:00", "12:00"), ("13:00", "16:00")), strict=True)
    ]
    with desk_window(qtbot, db, "Ana") as window:
        page = window.overview_page
        qtbot.waitUntil(lambda: page.runs.rowCount() == 2, timeout=30_000)
        rect = page.runs.visualItemRect(page.runs.item(1, 0))
        qtbot.mouseClick(page.runs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        settle(qtbot, window.ctx)
        assert window.current_page_key() == "deliveries"
        selected = window.deliveries_page.selected_run()
        assert selected is not None and selected.id == runs[1] and selected.date == TODAY


def test_a_write_elsewhere_updates_the_numbers_shown(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    from aiddesk.store.models import Request

    page = window.overview_page
    assert page.tiles["call_backs_overdue"][0].text() == "1"
    rosa = add_person(db, "T-P9", "Ana Ruiz")  # not through the runner: nothing is told

    def add() -> None:
        with db.transaction("Ana") as tx:
            tx.session.add(
                Request(
                    id=tx.new_id(),
                    code="T-Z",
                    person_id=rosa,
                    category_id=NEED["groceries"],
                    status="call_back",
                    follow_up=TODAY - dt.timedelta(days=1),
                    created_at=OLD,
                )
            )

    window.ctx.operations.write(add, lambda _r: None)
    settle(qtbot, window.ctx)
    assert page.isVisible()
    assert page.tiles["call_backs_overdue"][0].text() == "2"
