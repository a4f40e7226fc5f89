"""The Requests screen as a working queue: status chips with counts, filters, the call-back-today
view, the detail panel with history, status moves (refused ones say why), bulk moves, Spanish."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot
from record_makers import NEED, NOW, TODAY, ZONE, add_call, add_person, add_request
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain.enums import CallChannel, Urgency
from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.status import ALLOWED
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.requests import queue
from aiddesk.store.database import Database
from aiddesk.store.models import Event, Request
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.move_dialog import QueueMoveDialog
from aiddesk.ui.requests.page import RequestsPage
from aiddesk.ui.requests.table_model import COLUMN_KEYS
from tests.ui.settle import settle


@pytest.fixture
def desk(db: Database) -> dict[str, str]:
    p1 = add_person(
        db,
        "TST-P1",
        "María García",
        zone_id=ZONE["north"],
        phone="+16175550134",
        phone_raw="617.555.0134",
        language="es",
        needs_interpreter=True,
        address="12 Elm St, Apt 2",
        delivery_notes="Gate code 4411",
        safety_notes="Ex-partner must not learn the address",
    )
    p2 = add_person(db, "TST-P2", "José Núñez", zone_id=ZONE["south"])
    p3 = add_person(db, "TST-P3", "Ana Tran")
    add_call(db, p1, "TST-C1", NOW - dt.timedelta(days=10, hours=1), taken_by="Rosa", notes="Rice and beans")
    ids = {
        "R1": add_request(
            db, p1, "TST-0001", "new", urgency="within_24h", details="Rice and beans",
            created_at=NOW - dt.timedelta(days=10),
        ),
        "R2": add_request(
            db, p1, "TST-0002", "call_back", category_id=NEED["prescriptions"],
            follow_up=TODAY - dt.timedelta(days=1), created_at=NOW - dt.timedelta(days=2),
        ),
        "R3": add_request(db, p2, "TST-0003", "needs_info", urgency="flexible", follow_up=TODAY),
        "R4": add_request(
            db, p2, "TST-0004", "needs_info", category_id=NEED["rides"], urgency="days_2_3",
            follow_up=TODAY + dt.timedelta(days=1), created_at=NOW - dt.timedelta(hours=20),
        ),
        "R5": add_request(db, p3, "TST-0005", "delivered", created_at=NOW - dt.timedelta(days=30)),
        "R6": add_request(
            db, p3, "TST-0006", "call_back", category_id=NEED["rent"], created_at=NOW - dt.timedelta(hours=2)
        ),
    }  # fmt: skip
    return {**ids, "P1": p1, "P2": p2, "P3": p3}


def make_page(qtbot: QtBot, db: Database) -> RequestsPage:
    info = desk_service.get_desk(db)
    assert info is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), info, "Ana")
    page = RequestsPage(ctx, today=lambda: TODAY, now=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, ctx)  # the labels, the first rows and the counts are read on worker threads
    return page


def test_tab_leaves_the_list_with_the_chosen_request_still_chosen(qtbot: QtBot, db: Database, desk) -> None:
    """Keyboard only: a request chosen in the list, Tab goes on to its buttons (Change status) and
    the request stays chosen. Tab walked the cells instead, and at the end of a row chose the next
    request: Change status then moved a request the volunteer never chose."""
    page = make_page(qtbot, db)
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    assert page.select_request(desk["R2"])
    settle(qtbot, page._ctx)
    for _step in range(len(COLUMN_KEYS) + 1):
        if not page.table.hasFocus():
            break
        QTest.keyClick(page.table, Qt.Key.Key_Tab)
    settle(qtbot, page._ctx)
    assert not page.table.hasFocus()
    assert page.selected_ids() == [desk["R2"]]
    assert page.detail.detail is not None and page.detail.detail.request.code == "TST-0002"


def codes(page: RequestsPage) -> list[str]:
    return [page.model.row_at(r).code for r in range(page.model.rowCount())]


def chip_texts(page: RequestsPage) -> dict[str, str]:
    chips = page.chips
    texts = {s.value: chip.text() for s, chip in chips.status_chips.items()}
    texts |= {
        "open": chips.open_chip.text(),
        "all": chips.all_chip.text(),
        "today": chips.call_back_chip.text(),
    }
    return texts


def type_text(widget: QWidget, text: str) -> None:
    """Per character, so accented letters reach the widget (keyClicks aborts on them)."""
    for ch in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def wait(qtbot: QtBot, page: RequestsPage) -> None:
    """Until what the last action asked for was read or written (and the screen followed)."""
    settle(qtbot, page._ctx)


def choose(qtbot: QtBot, page: RequestsPage, box: QComboBox, data: object) -> None:
    """Pick an entry as a user does (activated fires), and wait for the list it asks for."""
    index = box.findData(data)
    assert index >= 0
    box.setCurrentIndex(index)
    box.activated.emit(index)
    wait(qtbot, page)


def click_row(qtbot: QtBot, page: RequestsPage, request_id: str, *, add: bool = False) -> None:
    row = page.model.row_of(request_id)
    assert row is not None
    rect = page.table.visualRect(page.model.index(row, 1))
    modifier = Qt.KeyboardModifier.ControlModifier if add else Qt.KeyboardModifier.NoModifier
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    wait(qtbot, page)  # the detail panel reads the request


def open_move(page: RequestsPage, target: S) -> QueueMoveDialog:
    [action] = [a for a in page.detail.move_menu.actions() if a.data() == target.value]
    action.trigger()  # what choosing it in the "Change status" menu does
    dialog = page.move_dialog
    assert isinstance(dialog, QueueMoveDialog)
    return dialog


def history(page: RequestsPage) -> list[str]:
    items = page.detail.history_list
    return [items.item(i).text() for i in range(items.count())]


# ---- listing, chips and filters ----------------------------------------------------------------


def test_starts_with_the_open_requests_and_counts_every_status(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    assert codes(page) == [
        "TST-0001",
        "TST-0002",
        "TST-0003",
        "TST-0004",
        "TST-0006",
    ]  # longest waiting first
    assert page.count_label.text() == "5 requests"
    texts = chip_texts(page)
    assert (texts["new"], texts["call_back"], texts["needs_info"], texts["delivered"]) == (
        "New · 1",
        "Call back · 2",
        "Needs info · 2",
        "Delivered · 1",
    )
    assert (texts["open"], texts["all"], texts["today"]) == ("Open · 5", "All · 6", "Call back today · 2")
    assert page.chips.open_chip.isChecked() and not page.chips.all_chip.isChecked()


def test_status_chips_show_and_hide_statuses(qtbot: QtBot, desk: dict[str, str], db: Database) -> None:
    page = make_page(qtbot, db)
    chips = page.chips
    qtbot.mouseClick(chips.status_chips[S.CALL_BACK], Qt.MouseButton.LeftButton)  # hide call back
    wait(qtbot, page)
    assert codes(page) == ["TST-0001", "TST-0003", "TST-0004"]
    assert not chips.open_chip.isChecked()
    qtbot.mouseClick(chips.status_chips[S.DELIVERED], Qt.MouseButton.LeftButton)  # and show delivered
    wait(qtbot, page)
    assert codes(page) == ["TST-0005", "TST-0001", "TST-0003", "TST-0004"]
    qtbot.mouseClick(chips.all_chip, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert page.count_label.text() == "6 requests" and chips.all_chip.isChecked()
    for status in S:  # down to one status: the last one cannot be hidden
        if status != S.NEW:
            chips.status_chips[status].click()
    wait(qtbot, page)
    assert codes(page) == ["TST-0001"]
    chips.status_chips[S.NEW].click()
    wait(qtbot, page)
    assert codes(page) == ["TST-0001"] and chips.status_chips[S.NEW].isChecked()


def test_call_back_today_uses_the_desks_date(qtbot: QtBot, desk: dict[str, str], db: Database) -> None:
    page = make_page(qtbot, db)
    qtbot.mouseClick(page.chips.call_back_chip, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert codes(page) == ["TST-0002", "TST-0003"]  # follow-up yesterday and today; not tomorrow, not none
    assert not any(chip.isChecked() for chip in page.chips.status_chips.values())
    # A status chip leaves the view: its count says what it would list.
    assert (chip_texts(page)["new"], chip_texts(page)["today"]) == ("New · 1", "Call back today · 2")
    qtbot.mouseClick(page.chips.status_chips[S.NEW], Qt.MouseButton.LeftButton)  # a status chip leaves it
    wait(qtbot, page)
    assert codes(page) == ["TST-0001"] and not page.chips.call_back_chip.isChecked()


def test_typing_filters_by_name_without_accents_code_or_details(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    search = page.filters.search_edit
    with qtbot.waitSignal(page.filters.changed):
        qtbot.keyClicks(search, "maria")
    wait(qtbot, page)
    assert codes(page) == ["TST-0001", "TST-0002"]
    assert chip_texts(page)["needs_info"] == "Needs info · 0"
    search.clear()
    with qtbot.waitSignal(page.filters.changed):
        type_text(search, "Núñez")
    wait(qtbot, page)
    assert codes(page) == ["TST-0003", "TST-0004"]
    search.clear()
    type_text(search, "tst-0006")
    with qtbot.waitSignal(page.filters.changed, timeout=100):
        QTest.keyClick(search, Qt.Key.Key_Return)  # Enter searches at once
    wait(qtbot, page)
    assert codes(page) == ["TST-0006"]
    search.clear()
    with qtbot.waitSignal(page.filters.changed):
        qtbot.keyClicks(search, "beans")
    wait(qtbot, page)
    assert codes(page) == ["TST-0001"]
    with qtbot.waitSignal(page.filters.changed):
        qtbot.keyClicks(search, "x")
    wait(qtbot, page)
    assert codes(page) == [] and page.views.currentWidget() is page.empty_label
    assert page.empty_label.text().splitlines()[0] == "No requests match these filters."


def test_need_zone_urgency_and_age_filters_combine(qtbot: QtBot, desk: dict[str, str], db: Database) -> None:
    page = make_page(qtbot, db)
    bar = page.filters
    choose(qtbot, page, bar.need_box, NEED["groceries"])
    assert codes(page) == ["TST-0001", "TST-0003"]
    choose(qtbot, page, bar.zone_box, ZONE["south"])
    assert codes(page) == ["TST-0003"]
    choose(qtbot, page, bar.zone_box, queue.NO_ZONE)
    assert codes(page) == []
    choose(qtbot, page, bar.need_box, None)
    assert codes(page) == ["TST-0006"]
    choose(qtbot, page, bar.zone_box, None)
    choose(qtbot, page, bar.urgency_box, "days_2_3")
    assert codes(page) == ["TST-0004"]
    choose(qtbot, page, bar.urgency_box, None)
    choose(qtbot, page, bar.age_box, 3)
    assert codes(page) == ["TST-0001"]  # waiting over 3 days
    assert chip_texts(page)["open"] == "Open · 1"
    qtbot.mouseClick(bar.clear_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert len(codes(page)) == 5 and bar.age_box.currentIndex() == 0


def test_sorting_keeps_the_filters(qtbot: QtBot, desk: dict[str, str], db: Database) -> None:
    page = make_page(qtbot, db)
    choose(qtbot, page, page.filters.zone_box, ZONE["north"])
    header = page.table.horizontalHeader()
    header.setSortIndicator(COLUMN_KEYS.index("code"), Qt.SortOrder.DescendingOrder)
    wait(qtbot, page)
    assert codes(page) == ["TST-0002", "TST-0001"]
    header.setSortIndicator(COLUMN_KEYS.index("follow_up"), Qt.SortOrder.AscendingOrder)
    wait(qtbot, page)
    assert codes(page) == ["TST-0001", "TST-0002"]  # no date first


# ---- the detail panel ---------------------------------------------------------------------------


def test_the_detail_panel_shows_the_person_the_request_and_its_history(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    panel = page.detail
    assert panel.views.currentWidget() is panel.placeholder
    click_row(qtbot, page, desk["R1"])
    person, request = panel.person_values, panel.request_values
    assert panel.person_name.text() == "María García  (TST-P1)"
    assert person["phones"].text() == "(617) 555-0134"
    assert person["language"].text() == "Spanish — needs an interpreter"
    assert person["address"].text() == "12 Elm St, Apt 2"
    assert (person["zone"].text(), person["delivery_notes"].text()) == ("North", "Gate code 4411")
    assert person["safety_notes"].text() == "Ex-partner must not learn the address"
    assert panel.safety_tag.isVisible() and panel.safety_tag.text() == "Coordinators only"
    assert (request["need"].text(), request["details"].text()) == ("Groceries", "Rice and beans")
    assert (request["urgency"].text(), request["status"].text()) == ("Within 24 hours", "New")
    assert request["waiting"].text().startswith("1 week (since Nov 13, 2026, ")
    assert panel.request_box.title() == "Request TST-0001"
    [call] = history(page)
    phone = CallChannel.PHONE.label
    assert call.endswith(f"Rosa\nCall ({phone}): New request\nRice and beans")

    with qtbot.waitSignal(page.open_person) as opened:
        qtbot.mouseClick(panel.open_person_button, Qt.MouseButton.LeftButton)
    assert opened.args == [desk["P1"]]


def test_the_status_menu_offers_only_the_moves_the_domain_allows(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    for name, status in (("R1", S.NEW), ("R3", S.NEEDS_INFO), ("R6", S.CALL_BACK)):
        click_row(qtbot, page, desk[name])
        offered = [a.data() for a in page.detail.move_menu.actions() if not a.isSeparator()]
        assert offered == [s.value for s in S if s in ALLOWED[status]]
        assert status.value not in offered
    chips = page.chips
    chips.status_chips[S.DELIVERED].click()
    wait(qtbot, page)
    click_row(qtbot, page, desk["R5"])
    assert not page.detail.move_button.isEnabled()  # delivered: nowhere to go


# ---- status moves -------------------------------------------------------------------------------


def test_a_refused_move_says_why_and_changes_nothing(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R1"])
    dialog = open_move(page, S.WITHDRAWN)
    assert dialog.reason_caption.text() == "Reason (needed):"
    before = dump(db)
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text() == "Please say why the request is “Withdrawn”."
    assert dump(db) == before
    assert page.detail.request_values["status"].text() == "New"

    # Meanwhile another desk's workbook closed it: the move is refused, again with why.
    queue.move_requests(db, "Luis", [desk["R1"]], S.DUPLICATE, "Same as TST-0002")
    before = dump(db)
    qtbot.keyClicks(dialog.reason_edit, "Her sister helps")
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert dialog.error.text() == "A request that is closed or delivered cannot change status."
    assert dump(db) == before
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert page.move_dialog is None


def test_an_allowed_move_shows_in_the_history_and_travels_as_an_event(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R3"])
    dialog = open_move(page, S.CALL_BACK)
    assert dialog.follow_up_check.isVisible()
    dialog.follow_up_check.setChecked(True)
    dialog.follow_up_edit.setDate(dialog.follow_up_edit.date().addDays(1))  # the day after tomorrow
    qtbot.keyClicks(dialog.reason_edit, "Voicemail")
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)  # the move's changes refresh the list and the panel
    panel = page.detail
    assert panel.request_values["status"].text() == "Call back"
    assert panel.request_values["follow_up"].text() == "Nov 25, 2026"
    assert history(page)[-1].endswith(
        "— Ana\nStatus: Needs info → Call back\nReason: Voicemail\nCall back on Nov 25, 2026"
    )
    assert page.selected_ids() == [desk["R3"]]  # still listed and selected
    assert chip_texts(page)["call_back"] == "Call back · 3"
    with db.session() as s:
        [event] = s.scalars(select(Event).where(Event.record_id == desk["R3"])).all()
        assert (event.what, event.who) == ("status", "Ana")


def test_a_request_moved_out_of_the_list_stays_in_the_panel(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R1"])
    dialog = open_move(page, S.REFERRED_OUT)
    qtbot.keyClicks(dialog.reason_edit, "Food bank on Main St")
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert "TST-0001" not in codes(page)  # closed: not an open request any more
    assert page.detail.request_values["status"].text() == "Referred out"
    assert page.detail.request_values["reason"].text() == "Food bank on Main St"


def test_a_bulk_move_moves_the_allowed_ones_and_lists_the_others(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R1"])
    click_row(qtbot, page, desk["R3"], add=True)
    click_row(qtbot, page, desk["R6"], add=True)
    assert page.selected_ids() == [desk["R1"], desk["R3"], desk["R6"]]
    panel = page.detail
    assert panel.views.currentWidget() is panel.selection_label
    assert panel.selection_label.text().startswith("3 requests selected.")
    dialog = open_move(page, S.CALL_BACK)  # allowed for new and needs info, not for call back itself
    assert dialog.summary.text() == "Move 3 requests to “Call back”."
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    assert dialog.isVisible()
    assert dialog.refused_caption.text() == "2 requests moved. 1 request could not move:"
    assert dialog.refused_list.item(0).text() == "TST-0006: The request is already in this status."
    assert dialog.move_button.text() == "Close"
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    wait(qtbot, page)
    with db.session() as s:
        statuses = dict(s.execute(select(Request.code, Request.status)).all())
    assert [statuses[c] for c in ("TST-0001", "TST-0003", "TST-0006")] == ["call_back"] * 3
    assert chip_texts(page)["call_back"] == "Call back · 4"
    assert page.selected_ids() == [desk["R1"], desk["R3"], desk["R6"]]


def test_enter_in_the_reason_confirms_the_move(qtbot: QtBot, desk: dict[str, str], db: Database) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R1"])
    dialog = open_move(page, S.REFERRED_OUT)
    dialog.reason_edit.setFocus()
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # no reason yet: refused, with why, and stays
    wait(qtbot, page)
    assert dialog.isVisible() and dialog.error.text() == "Please say why the request is “Referred out”."
    qtbot.keyClicks(dialog.reason_edit, "Food bank on Main St")
    with qtbot.waitSignal(dialog.finished):
        QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    wait(qtbot, page)  # the move's changes refresh the panel (and the closed dialog goes)
    assert page.detail.request_values["status"].text() == "Referred out"
    assert page.detail.request_values["reason"].text() == "Food bank on Main St"


def test_enter_confirms_a_bulk_move_and_then_closes_its_report(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R1"])
    click_row(qtbot, page, desk["R6"], add=True)
    dialog = open_move(page, S.CALL_BACK)
    qtbot.keyClicks(dialog.reason_edit, "Voicemail")
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Enter)  # the keypad's Enter too
    wait(qtbot, page)
    assert dialog.refused_caption.text() == "1 request moved. 1 request could not move:"
    with qtbot.waitSignal(dialog.finished):
        QTest.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)
    wait(qtbot, page)
    with db.session() as s:
        statuses = dict(s.execute(select(Request.code, Request.status)).all())
    assert statuses["TST-0001"] == "call_back"


def test_a_typed_call_back_day_is_the_day_typed_and_a_past_one_is_refused(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R3"])
    dialog = open_move(page, S.CALL_BACK)
    dialog.follow_up_check.setChecked(True)
    qtbot.keyClicks(dialog.reason_edit, "Voicemail")
    dialog.activateWindow()
    dialog.follow_up_edit.setFocus()
    day = dialog.follow_up_edit.focusProxy() or dialog.follow_up_edit  # where the keys go
    qtbot.waitUntil(lambda: QApplication.focusWidget() is day)
    QTest.keyClick(day, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # over what is there
    before = dump(db)
    qtbot.keyClicks(day, "11/20/26")  # three days before the desk's today
    QTest.keyClick(day, Qt.Key.Key_Return)
    wait(qtbot, page)
    assert dialog.isVisible()
    assert dialog.error.text() == "The day to call back has passed; choose today or a later day."
    assert dump(db) == before
    QTest.keyClick(day, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(day, "tomorrow")
    QTest.keyClick(day, Qt.Key.Key_Return)
    wait(qtbot, page)
    assert dialog.isVisible() and dialog.error.text() == "This is not a date; type it like 11/20/2026."
    QTest.keyClick(day, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(day, "12/20/26")
    with qtbot.waitSignal(dialog.finished):
        QTest.keyClick(day, Qt.Key.Key_Return)
    wait(qtbot, page)
    assert page.detail.request_values["follow_up"].text() == "Dec 20, 2026"


def test_selecting_rows_with_the_selection_model_updates_the_panel(
    qtbot: QtBot, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    selection = page.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in (0, 1):
        selection.select(page.model.index(row, 0), flags)
    wait(qtbot, page)
    offered = [a.data() for a in page.detail.move_menu.actions() if not a.isSeparator()]
    assert offered == [s.value for s in S if s in ALLOWED[S.NEW] | ALLOWED[S.CALL_BACK]]
    selection.clearSelection()
    wait(qtbot, page)
    assert page.detail.views.currentWidget() is page.detail.placeholder
    assert not page.detail.move_button.isEnabled()


# ---- Spanish ------------------------------------------------------------------------------------


def test_one_date_format_and_one_date_time_format_per_language(
    qtbot: QtBot, qt_language: None, desk: dict[str, str], db: Database
) -> None:
    """The table, the panel, the history and the date field write a day the same way."""
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R2"])
    for language, day, moment in (
        ("en", "Nov 22, 2026", r"Nov 13, 2026, \d{1,2}:\d{2}\s[AP]M"),
        ("es", "22 nov 2026", r"13 nov 2026, \d{1,2}:\d{2}\s[ap]\.\s?m\."),
    ):
        i18n.set_language(language, "US")
        wait(qtbot, page)  # the rows and the detail are read again in the language
        row = page.model.row_of(desk["R2"])
        assert row is not None
        assert page.model.index(row, COLUMN_KEYS.index("follow_up")).data() == day
        assert page.detail.request_values["follow_up"].text() == day
        first_call = history(page)[0]
        assert re.match(moment, first_call), first_call  # the date as above, then the time
        dialog = open_move(page, S.NEEDS_INFO)
        tomorrow = {"en": "Nov 24, 2026", "es": "24 nov 2026"}[language]
        assert dialog.follow_up_edit.line.text() == tomorrow
        dialog.reject()


def test_everything_follows_a_switch_to_spanish(
    qtbot: QtBot, qt_language: None, desk: dict[str, str], db: Database
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page, desk["R2"])
    i18n.set_language("es", "US")
    wait(qtbot, page)  # the rows, labels and the detail are read again in Spanish
    _ = i18n._

    def spanish(english: str) -> str:
        """The Spanish of a message the catalog already translates (so a missed switch shows)."""
        text = _(english)
        assert text != english
        return text

    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMN_KEYS))]
    assert headers == [
        *(spanish(h) for h in ("Code", "Person", "Need", "Zone", "Urgency", "Status")),
        _("Follow-up"),
        spanish("Age"),
    ]
    row = page.model.row_of(desk["R2"])
    assert row is not None
    cells = [page.model.index(row, c).data() for c in range(len(COLUMN_KEYS))]
    call_back, this_week = spanish(S.CALL_BACK.label), spanish(Urgency.THIS_WEEK.label)
    # Need and zone labels from SQL in Spanish, dates and ages from Babel in Spanish.
    assert cells[2:8] == ["Recoger medicinas", "Norte", this_week, call_back, "22 nov 2026", "2 días"]
    assert chip_texts(page)["call_back"] == _("%(name)s · %(count)s") % {"name": call_back, "count": 2}
    assert page.chips.open_chip.text().startswith(i18n.pgettext("requests", "Open"))
    assert page.count_label.text() == i18n.ngettext("%(count)s request", "%(count)s requests", 5) % {
        "count": "5"
    }
    assert page.count_label.text() != "5 requests"
    bar = page.filters
    assert [bar.urgency_box.itemText(i) for i in range(1, 5)] == [spanish(u.label) for u in Urgency]
    assert bar.need_box.itemText(1) == "Mandado / despensa"
    assert bar.clear_button.text() == _("Clear filters")
    panel = page.detail
    assert panel.request_values["status"].text() == call_back
    assert panel.request_values["need"].text() == "Recoger medicinas"  # read again in Spanish
    assert panel.person_values["language"].text() == _("%(language)s — needs an interpreter") % {
        "language": "español"
    }
    assert panel.request_values["follow_up"].text() == "22 nov 2026"
    assert panel.move_button.text() == _("Change status")
    assert page.title.text() == spanish("Requests")
    assert page.selected_ids() == [desk["R2"]]  # the selection survives the switch
    i18n.set_language("en", "US")
    wait(qtbot, page)
    assert panel.move_button.text() == "Change status"
    assert panel.request_values["need"].text() == "Prescription pickup"
