"""The Matching screen: select ready requests, see who could take them (ranked, with reasons,
the ruled out apart), plan a run from there; the vetting setting; the screen in Spanish."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain import availability as av
from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.enums import RequestStatus, Skill
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.paths import DeskPaths
from aiddesk.services import roster
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.requests import queue
from aiddesk.services.roster import VolunteerFields
from aiddesk.store.database import Database
from aiddesk.store.models import Delivery, Person, Request, Stop
from aiddesk.ui.context import DeskContext
from aiddesk.ui.matching.page import MatchingPage
from aiddesk.ui.matching.plan_run_dialog import PlanRunDialog
from aiddesk.ui.matching.ready_model import ReadyRequestsModel
from aiddesk.ui.settings.page import SettingsPage
from tests.ui.settle import settle

NORTH = fixed_id("zone", "north")
SOUTH = fixed_id("zone", "south")
FRIDAY = dt.date(2026, 11, 27)  # so the run is planned for tomorrow, Saturday
SATURDAY = dt.date(2026, 11, 28)


def context(db: Database) -> DeskContext:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")


def add_request(
    db: Database,
    code: str,
    name: str,
    need: str = "groceries",
    *,
    zone: str = NORTH,
    language: str = "es",
    urgency: str = "this_week",
    status: str = "ready",
) -> str:
    with db.transaction("Rosa") as tx:
        person = Person(id=tx.new_id(), code=f"P-{code}", name=name, zone_id=zone, language=language)
        request = Request(
            id=tx.new_id(),
            code=code,
            person_id=person.id,
            status=status,
            urgency=urgency,
            # Waiting since earlier the lower the code: the list order is known.
            category_id=fixed_id("need_category", need),
            created_at=dt.datetime(2026, 11, 20, 10, int(code[-1])),
        )
        tx.session.add_all([person, request])
    return request.id


def add_volunteer(db: Database, name: str, **changes: object) -> str:
    values: dict[str, Any] = {
        "name": name,
        "languages": ("es",),
        "skills": (Skill.SHOPPING.value, Skill.DRIVER.value),
        "zones": (NORTH,),
        "availability": av.from_slots([(5, 0)]),
        "trained": True,
        "checked_on": dt.date(2026, 1, 1),
        "max_runs_week": 2,
    }
    values.update(changes)
    return roster.add_volunteer(db, "Rosa", VolunteerFields(**values), today=FRIDAY)


@pytest.fixture
def desk(db: Database) -> dict[str, str]:
    """Three ready requests (one urgent), one assigned, and four volunteers (one full this week)."""
    ids = {
        "groceries": add_request(db, "TST-R1", "Rosa Díaz"),
        "urgent": add_request(
            db, "TST-R2", "Ana Lee", "rides", zone=SOUTH, language="en", urgency="within_24h"
        ),
        "pills": add_request(db, "TST-R3", "José Núñez", "prescriptions"),
        "assigned": add_request(db, "TST-R4", "Bo Tran", status="assigned"),
        "ana": add_volunteer(db, "Ana Ortiz"),
        "bob": add_volunteer(db, "Bob Smith", languages=("en",)),
        "cy": add_volunteer(db, "Cy Moreno"),
        "dee": add_volunteer(
            db, "Dee Páez", trained=False, checked_on=None, zones=(NORTH, SOUTH), languages=("es", "en")
        ),
    }
    with db.transaction("Rosa") as tx:
        for day in (dt.date(2026, 11, 24), dt.date(2026, 11, 25)):
            tx.session.add(Delivery(id=tx.new_id(), code=f"TST-D{day.day}", volunteer_id=ids["cy"], date=day))
    return ids


def make_page(qtbot: QtBot, db: Database, **kwargs: Any) -> MatchingPage:
    page = MatchingPage(context(db), today=lambda: FRIDAY, **kwargs)
    qtbot.addWidget(page)
    page.resize(1200, 720)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, page._ctx)
    return page


def click_row(
    qtbot: QtBot, table: QTableView, row: int, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """Click a row like a user, then wait for what it asked (the suggestions)."""
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    page = table.window()
    assert isinstance(page, MatchingPage)
    settle(qtbot, page._ctx)


def column(table: QTableView, index: int) -> list[str]:
    model = table.model()
    return [model.index(row, index).data() for row in range(model.rowCount())]


def test_select_a_ready_request_and_see_ranked_suggestions_with_reasons(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    page = make_page(qtbot, db)
    assert column(page.requests_table, 0) == ["TST-R2", "TST-R1", "TST-R3"]  # urgent first; no assigned one
    assert page.requests_count.text() == "3 ready"
    assert page.suggestion_views.currentWidget() is page.nothing_selected
    assert page.date_edit.date().toPython() == SATURDAY
    assert page.slot_box.currentText() == "Morning, 9:00\u202fAM–12:00\u202fPM"

    click_row(qtbot, page.requests_table, 1)  # TST-R1: groceries for a Spanish speaker in the north
    assert page.suggestions_caption.text() == "Who could take TST-R1"
    assert column(page.ranked_table, 0) == ["Ana Ortiz", "Dee Páez", "Bob Smith"]
    assert column(page.ranked_table, 2)[0] == (
        "speaks Spanish · same zone · shops or drives · free Saturday morning · runs this week: 0 of 2"
    )
    assert column(page.ranked_table, 2)[2].startswith("does not speak Spanish · same zone")
    assert column(page.excluded_table, 0) == ["Cy Moreno"]
    assert column(page.excluded_table, 1) == ["already has 2 runs this week (at most 2)"]
    assert page.excluded_caption.text() == "Ruled out (1)"
    assert page.detail_label.text().startswith("Ana Ortiz (TST-V0001): speaks Spanish · same zone")
    assert page.plan_button.isEnabled()

    click_row(qtbot, page.requests_table, 2)  # TST-R3: a prescription pickup needs a vetted volunteer
    assert column(page.ranked_table, 0) == ["Ana Ortiz", "Bob Smith"]
    assert dict(zip(column(page.excluded_table, 0), column(page.excluded_table, 1), strict=True)) == {
        "Cy Moreno": "already has 2 runs this week (at most 2)",
        "Dee Páez": "not vetted for prescription pickup",
    }


def test_the_day_and_time_change_the_suggestions(qtbot: QtBot, db: Database, desk: dict[str, str]) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)
    assert "free Saturday morning" in column(page.ranked_table, 2)[0]
    page.slot_box.setCurrentIndex(page.slot_box.findData(1))  # afternoon
    settle(qtbot, page._ctx)
    assert all("not free Saturday afternoon" in why for why in column(page.ranked_table, 2))
    page.date_edit.setDate(page.date_edit.date().addDays(1))  # Sunday
    page.slot_box.setCurrentIndex(page.slot_box.findData(-1))  # any time that day
    settle(qtbot, page._ctx)
    assert all("not free on Sunday" in why for why in column(page.ranked_table, 2))


def test_a_selection_is_scored_against_every_request(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 0)
    click_row(qtbot, page.requests_table, 1, Qt.KeyboardModifier.ControlModifier)
    assert page.selected_request_ids() == [desk["urgent"], desk["groceries"]]
    assert page.suggestions_caption.text() == "Who could take these 2 requests"
    assert "the request they fit worst" in page.how_label.text()
    assert column(page.ranked_table, 0)[0] == "Dee Páez"  # speaks both, serves both zones
    ana = column(page.ranked_table, 0).index("Ana Ortiz")
    assert "speaks Spanish (1 of 2 requests)" in column(page.ranked_table, 2)[ana]


def plan_from_page(qtbot: QtBot, page: MatchingPage) -> PlanRunDialog:
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, PlanRunDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_plan_a_run_from_the_suggestions(qtbot: QtBot, db: Database, desk: dict[str, str]) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)  # TST-R1
    click_row(qtbot, page.requests_table, 2, Qt.KeyboardModifier.ControlModifier)  # TST-R3
    assert column(page.ranked_table, 0)[0] == "Ana Ortiz"
    dialog = plan_from_page(qtbot, page)
    assert dialog.volunteer_label.text() == "Ana Ortiz"
    assert dialog.day() == SATURDAY and dialog.time_window() == ("09:00", "12:00")
    stops = [dialog.stops_list.item(i).text() for i in range(dialog.stops_list.count())]
    assert stops == ["TST-R1 · Rosa Díaz · Groceries", "TST-R3 · José Núñez · Prescription pickup"]
    dialog.stops_list.setCurrentRow(1)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)  # the pickup first
    assert dialog.request_ids() == [desk["pills"], desk["groceries"]]
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None)
    settle(qtbot, page._ctx)

    assert column(page.requests_table, 0) == ["TST-R2"]  # the two left the ready list
    assert page.planned_label.text() == "Run planned for Ana Ortiz on Saturday, Nov 28, 2026 with 2 stops."
    with db.session() as s:
        assert {s.get(Request, desk[k]).status for k in ("groceries", "pills")} == {"assigned"}
        run = s.scalars(select(Delivery).where(Delivery.volunteer_id == desk["ana"])).one()
        assert (run.date, run.window_start, run.window_end) == (SATURDAY, "09:00", "12:00")
        stops_in_order = s.scalars(
            select(Stop.request_id).where(Stop.delivery_id == run.id).order_by(Stop.position)
        )
        assert list(stops_in_order) == [desk["pills"], desk["groceries"]]


def test_a_refused_run_says_why_and_the_dialog_stays_open(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_plan_run(db_: Database, who: str, **kwargs: Any) -> str:
        calls.append({"who": who, **kwargs})
        if len(calls) == 1:
            raise Invalid([Problem("window_end", "The window must end after it starts.")])
        return "TST-D1"

    page = make_page(qtbot, db, plan_run=fake_plan_run)
    click_row(qtbot, page.requests_table, 1)
    dialog = plan_from_page(qtbot, page)
    dialog.end_edit.setTime(dialog.start_edit.time())
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    settle(qtbot, page._ctx)
    assert page.dialog is dialog and dialog.isVisible()
    assert dialog.errors["window_end"].text() == "The window must end after it starts."
    assert calls[0] == {
        "who": "Rosa",
        "volunteer_id": desk["ana"],
        "date": SATURDAY,
        "window_start": "09:00",
        "window_end": "09:00",
        "request_ids": [desk["groceries"]],
    }
    dialog.end_edit.setTime(dialog.end_edit.time().addSecs(3 * 3600))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.dialog is None)
    assert calls[1]["window_end"] == "12:00"


def test_requests_and_volunteers_changed_elsewhere_show_here(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    """Changes made through the runner anywhere (another screen, the exchange timer) are read
    again at once when the screen shows, else when it is shown again; the choice stays."""
    page = make_page(qtbot, db)
    ctx = page._ctx
    click_row(qtbot, page.requests_table, 1)  # TST-R1
    assert column(page.ranked_table, 0) == ["Ana Ortiz", "Dee Páez", "Bob Smith"]
    ctx.operations.write(
        lambda: queue.move_requests(db, "Rosa", [desk["assigned"]], RequestStatus.READY, "Run called off")
    )
    settle(qtbot, ctx)
    assert column(page.requests_table, 0) == ["TST-R2", "TST-R1", "TST-R3", "TST-R4"]
    assert page.requests_count.text() == "4 ready"
    assert page.selected_request_ids() == [desk["groceries"]]

    page.hide()
    ctx.operations.write(lambda: add_volunteer(db, "Eva Ramos"))
    settle(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, ctx)
    assert page.selected_request_ids() == [desk["groceries"]]
    assert "Eva Ramos" in column(page.ranked_table, 0)
    assert page.plan_button.isEnabled()


def test_a_request_further_down_than_the_rows_read_is_read_then_chosen(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    """After a refresh the chosen requests are chosen again, even beyond the rows read so far
    (the windows up to them are read on worker threads first); one no longer ready is not."""
    ctx = context(db)
    model = ReadyRequestsModel(db, window=1, operations=ctx.operations)
    model.refresh()
    settle(qtbot, ctx)
    assert (model.rowCount(), model.total) == (1, 3)
    found: list[int] = []
    model.reveal(desk["pills"], found.append)
    settle(qtbot, ctx)
    assert found == [2] and model.row_at(2).code == "TST-R3"
    model.reveal(desk["assigned"], found.append)
    settle(qtbot, ctx)
    assert found == [2]


def test_which_needs_require_vetting_is_set_in_settings(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    settings_desk = context(db)
    settings = SettingsPage(settings_desk)
    qtbot.addWidget(settings)
    settle(qtbot, settings_desk)
    editor = settings.vetting_editor
    pills = editor.checks[fixed_id("need_category", "prescriptions")]
    groceries = editor.checks[fixed_id("need_category", "groceries")]
    assert pills.isChecked() and not groceries.isChecked()
    assert groceries.text() == "Groceries"
    groceries.click()
    settle(qtbot, settings_desk)  # saved
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)  # groceries
    assert "Dee Páez" not in column(page.ranked_table, 0)
    assert "not vetted for groceries" in column(page.excluded_table, 1)


def test_the_screen_in_spanish(qtbot: QtBot, qt_language: None, db: Database, desk: dict[str, str]) -> None:
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)
    i18n.set_language("es", "US")
    settle(qtbot, page._ctx)  # the rows are read again in Spanish
    assert page.selected_request_ids() == [desk["groceries"]]  # the choice survives the switch
    model = page.requests_table.model()
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in (0, 1, 2, 3, 5)] == [
        "Código",
        "Persona",
        "Necesidad",
        "Zona",
        "Urgencia",
    ]
    assert column(page.requests_table, 2) == [
        "Aventón / transporte",
        "Mandado / despensa",
        "Recoger medicinas",
    ]
    assert column(page.requests_table, 4)[1] == "español"
    why = column(page.ranked_table, 2)[0]
    assert "español" in why and "libre el sábado en la mañana" in why  # in Spanish, the day whole
    assert page.slot_box.currentText().startswith("Mañana")
    assert column(page.excluded_table, 0) == ["Cy Moreno"]
    assert not page.grab().isNull()  # paints in Spanish


def test_two_volunteers_of_one_name_are_told_apart(qtbot: QtBot, db: Database, desk: dict[str, str]) -> None:
    add_volunteer(db, "Ana Ortiz", zones=(SOUTH,))  # a second Ana Ortiz
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 0)
    names = column(page.ranked_table, 0) + column(page.excluded_table, 0)
    anas = sorted(n for n in names if n.startswith("Ana Ortiz"))
    assert anas == ["Ana Ortiz (TST-V0001)", "Ana Ortiz (TST-V0005)"]
    assert "Bob Smith" in names  # a name nobody else has is shown as it is


def test_planning_warns_when_the_volunteer_has_a_run_at_that_time(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    with db.transaction("Rosa") as tx:
        tx.session.add(
            Delivery(
                id=tx.new_id(),
                code="TST-D0007",
                volunteer_id=desk["ana"],
                date=SATURDAY,
                window_start="10:00",
                window_end="11:00",
            )
        )
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)  # TST-R1
    click_row(qtbot, page.ranked_table, column(page.ranked_table, 0).index("Ana Ortiz"))
    dialog = plan_from_page(qtbot, page)
    settle(qtbot, page._ctx)  # the volunteer's runs are read through the runner
    assert dialog.volunteer_label.text() == "Ana Ortiz"
    assert dialog.clash_warning.isVisible()
    assert dialog.clash_warning.text() == (
        "Ana Ortiz already has a run at that time: TST-D0007, 10:00\u202fAM – 11:00\u202fAM."
    )
    dialog.start_edit.setTime(QTime(13, 0))
    dialog.end_edit.setTime(QTime(15, 0))
    settle(qtbot, page._ctx)
    assert not dialog.clash_warning.isVisible()  # an afternoon run does not clash
    dialog.reject()


def test_the_plan_dialog_shows_addresses_and_orders_the_stops_by_zone_and_street(
    qtbot: QtBot, db: Database, desk: dict[str, str]
) -> None:
    with db.transaction("Rosa") as tx:
        for person_id, address in ((desk["groceries"], "40 Pine Rd"), (desk["pills"], "7 Elm St")):
            request = tx.session.get(Request, person_id)
            tx.session.get(Person, request.person_id).address = address
    page = make_page(qtbot, db)
    click_row(qtbot, page.requests_table, 1)  # TST-R1, Pine Rd
    click_row(qtbot, page.requests_table, 2, Qt.KeyboardModifier.ControlModifier)  # TST-R3, Elm St
    dialog = plan_from_page(qtbot, page)
    stops = [dialog.stops_list.item(i).text() for i in range(dialog.stops_list.count())]
    assert stops == [
        "TST-R1 · Rosa Díaz · 40 Pine Rd · Groceries",
        "TST-R3 · José Núñez · 7 Elm St · Prescription pickup",
    ]
    qtbot.mouseClick(dialog.order_button, Qt.MouseButton.LeftButton)
    assert dialog.request_ids() == [desk["pills"], desk["groceries"]]  # Elm St before Pine Rd
    dialog.reject()
