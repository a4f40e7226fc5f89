"""The Deliveries screen as a dispatcher uses it: plan a run from ready requests, put the stops in
order, start the run, record a failed and a delivered stop, and see the requests move."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt, QTime
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain.defaults import NEED_CATEGORIES, ZONES
from aiddesk.paths import DeskPaths
from aiddesk.services.deliveries import dispatch
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.models import Delivery, Person, Request, Volunteer
from aiddesk.ui.context import DeskContext
from aiddesk.ui.deliveries.page import DeliveriesPage
from tests.ui.settle import settle

DAY = dt.date(2026, 11, 23)
GROCERIES = NEED_CATEGORIES[0].id_for("need_category")
NORTH = ZONES[0].id_for("zone")
PEOPLE = (
    ("TST-0101", "Rosa Díaz", "12 Elm St"),
    ("TST-0102", "Ana Pérez", "4 Oak Ave"),
    ("TST-0103", "Li Wei", "9 Pine Rd"),
)


def fill(db: Database) -> dict[str, str]:
    """Two volunteers and three ready requests; request ids by code."""
    ids: dict[str, str] = {}
    with db.transaction("Ana") as tx:
        tx.session.add(Volunteer(id=tx.new_id(), code="V-1", name="Luis Ortega", preferred_language="es"))
        tx.session.add(Volunteer(id=tx.new_id(), code="V-2", name="Zoe Hill"))
        for n, (code, name, address) in enumerate(PEOPLE):
            person = Person(id=tx.new_id(), code="P" + code, name=name, address=address, zone_id=NORTH)
            request = Request(
                id=tx.new_id(),
                code=code,
                person_id=person.id,
                category_id=GROCERIES,
                status="ready",
                created_at=dt.datetime(2026, 11, 18 + n),  # Rosa waits longest
            )
            tx.session.add_all([person, request])
            ids[code] = request.id
    return ids


def make_page(qtbot: QtBot, db: Database) -> DeliveriesPage:
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Marta")
    page = DeliveriesPage(ctx, today=lambda: DAY)
    qtbot.addWidget(page)
    page.resize(1100, 720)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, ctx)
    return page


def click(qtbot: QtBot, page: DeliveriesPage, button: object) -> None:
    """Click like a user, then wait until what the click asked (reads, changes) has answered."""
    assert button.isEnabled(), button.text()  # type: ignore[attr-defined]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    settle(qtbot, page._ctx)


def select_rows(view: QAbstractItemView, rows: list[int]) -> None:
    selection = view.selectionModel()
    selection.clear()
    for row in rows:
        selection.select(
            view.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def column(page: DeliveriesPage, key: str) -> list[str]:
    model = page.stops_model
    return [model.data(model.index(r, model.column_of(key))) for r in range(model.rowCount())]


def statuses(db: Database, ids: list[str]) -> list[str]:
    with db.session() as s:
        return [s.get(Request, i).status for i in ids]


def plan_in_editor(qtbot: QtBot, page: DeliveriesPage) -> None:
    """Luis takes Ana, then Li, then Rosa (Rosa moved up to the end by hand)."""
    click(qtbot, page, page.plan_button)
    editor = page.run_editor
    assert editor is not None and editor.isVisible()
    editor.volunteer_box.setCurrentIndex(editor.volunteer_box.findText("Luis Ortega"))
    codes = [row.code for row in editor.ready_model.rows()]
    select_rows(editor.ready_table, [codes.index("TST-0101"), codes.index("TST-0102")])
    click(qtbot, page, editor.add_button)
    editor.filter_edit.setText("pine")  # filters the requests read (no reading)
    assert [row.code for row in editor.ready_model.rows()] == ["TST-0103"]
    select_rows(editor.ready_table, [0])
    click(qtbot, page, editor.add_button)
    editor.stops_list.setCurrentRow(0)  # Rosa: move her to the end
    click(qtbot, page, editor.down_button)
    click(qtbot, page, editor.down_button)
    assert [editor.stops_list.item(i).text()[:11] for i in range(3)] == [
        "1. TST-0102",
        "2. TST-0103",
        "3. TST-0101",
    ]
    click(qtbot, page, editor.plan_button)
    qtbot.waitUntil(lambda: page.run_editor is None)
    settle(qtbot, page._ctx)


def test_plan_start_and_record_a_failed_and_a_delivered_stop(qtbot: QtBot, db: Database) -> None:
    ids = fill(db)
    page = make_page(qtbot, db)
    assert page.runs_model.rowCount() == 0
    assert "No runs on Monday, Nov 23, 2026." in page.runs_empty.text()

    plan_in_editor(qtbot, page)
    [run] = page.runs_model.rows()
    assert (run.volunteer_name, run.status, run.stops, run.date) == ("Luis Ortega", "planned", 3, DAY)
    assert page.selected_run() == run
    assert column(page, "person") == ["Ana Pérez", "Li Wei", "Rosa Díaz"]
    assert column(page, "request_status") == ["Assigned"] * 3
    assert "planned with 3 stops" in page.message_label.text()
    assert statuses(db, list(ids.values())) == ["assigned"] * 3

    # The dispatcher swaps the first two stops on the screen.
    page.select_stop_row(0)
    click(qtbot, page, page.down_button)
    assert page.selected_stop().person_name == "Ana Pérez"  # type: ignore[union-attr]  # still chosen
    assert column(page, "person") == ["Li Wei", "Ana Pérez", "Rosa Díaz"]

    click(qtbot, page, page.start_button)
    assert column(page, "request_status") == ["Out for delivery"] * 3
    assert page.selected_run().status == "out"

    # Li was not home.
    page.select_stop_row(0)
    click(qtbot, page, page.record_button)
    recorder = page.stop_recorder
    assert recorder is not None
    qtbot.mouseClick(recorder.outcome_buttons["failed"], Qt.MouseButton.LeftButton)
    assert recorder.reason_box.isEnabled()
    recorder.reason_box.setCurrentIndex(recorder.reason_box.findText("Not home"))
    qtbot.keyClicks(recorder.note_edit, "Neighbour says back Friday")
    click(qtbot, page, recorder.save_button)
    qtbot.waitUntil(lambda: page.stop_recorder is None)
    settle(qtbot, page._ctx)
    assert column(page, "outcome")[0] == "Failed: Not home"
    assert column(page, "request_status")[0] == "Ready"
    assert "TST-0103 is back in the queue" in page.message_label.text()
    assert statuses(db, [ids["TST-0103"]]) == ["ready"]
    with db.session() as s:
        assert s.get(Request, ids["TST-0103"]).status_reason == "Not home — Neighbour says back Friday"

    # Ana got hers; Rosa's was left at the door: the run is done.
    for row, outcome in ((1, "delivered"), (2, "left_at_door")):
        page.select_stop_row(row)
        click(qtbot, page, page.record_button)
        recorder = page.stop_recorder
        qtbot.mouseClick(recorder.outcome_buttons[outcome], Qt.MouseButton.LeftButton)
        click(qtbot, page, recorder.save_button)
        qtbot.waitUntil(lambda: page.stop_recorder is None)
        settle(qtbot, page._ctx)
    assert column(page, "outcome") == ["Failed: Not home", "Delivered", "Left at the door"]
    assert column(page, "request_status") == ["Ready", "Delivered", "Delivered"]
    assert page.selected_run().status == "done"
    assert "the run is done" in page.message_label.text()
    assert not page.record_button.isEnabled() and not page.start_button.isEnabled()
    assert statuses(db, [ids["TST-0102"], ids["TST-0101"]]) == ["delivered", "delivered"]


def test_a_failed_stop_without_a_reason_is_refused_next_to_the_reason(qtbot: QtBot, db: Database) -> None:
    ids = fill(db)
    with db.session() as s:
        luis = s.scalars(select(Volunteer.id).where(Volunteer.name == "Luis Ortega")).one()
    run_id = dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=luis,
        date=DAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[ids["TST-0101"]],
    )
    dispatch.start_run(db, "Marta", run_id)
    page = make_page(qtbot, db)
    page.select_stop_row(0)
    click(qtbot, page, page.record_button)
    recorder = page.stop_recorder
    qtbot.mouseClick(recorder.outcome_buttons["failed"], Qt.MouseButton.LeftButton)
    click(qtbot, page, recorder.save_button)
    assert recorder.isVisible()
    assert recorder.reason_error.isVisible()
    assert recorder.reason_error.text() == "Please say why the delivery failed."
    assert statuses(db, [ids["TST-0101"]]) == ["out_for_delivery"]
    recorder.reject()


def test_a_plan_without_a_volunteer_says_so_and_stores_nothing(qtbot: QtBot, db: Database) -> None:
    fill(db)
    page = make_page(qtbot, db)
    click(qtbot, page, page.plan_button)
    editor = page.run_editor
    select_rows(editor.ready_table, [0])
    click(qtbot, page, editor.add_button)
    click(qtbot, page, editor.plan_button)
    assert editor.isVisible()
    assert editor.volunteer_error.text() == "Please choose a volunteer."
    with db.session() as s:
        assert s.scalars(select(Delivery)).all() == []
    editor.reject()


def test_enter_in_the_planner_filters_and_adds_and_plans_nothing(qtbot: QtBot, db: Database) -> None:
    """Keyboard only: type in the filter and press Enter, as in any search box: the list it
    filtered takes the keys, and Enter there adds the chosen request. Enter in the filter planned
    the run at once (the dialog's default button), with only the stops added so far."""
    fill(db)
    page = make_page(qtbot, db)
    click(qtbot, page, page.plan_button)
    editor = page.run_editor
    assert editor is not None
    editor.activateWindow()
    editor.volunteer_box.setCurrentIndex(editor.volunteer_box.findText("Luis Ortega"))
    select_rows(editor.ready_table, [0])
    click(qtbot, page, editor.add_button)
    editor.filter_edit.setFocus()
    qtbot.waitUntil(editor.filter_edit.hasFocus)
    qtbot.keyClicks(editor.filter_edit, "pine")
    QTest.keyClick(editor.filter_edit, Qt.Key.Key_Return)
    settle(qtbot, page._ctx)
    assert editor.isVisible() and editor.ready_table.hasFocus()
    with db.session() as s:
        assert s.scalars(select(Delivery)).all() == []
    QTest.keyClick(editor.ready_table, Qt.Key.Key_Return)
    assert editor.isVisible()
    assert [editor.stops_list.item(i).text()[:11] for i in range(editor.stops_list.count())] == [
        "1. TST-0101",
        "2. TST-0103",
    ]
    editor.reject()


def test_planning_a_volunteer_who_has_a_run_at_that_time_warns(qtbot: QtBot, db: Database) -> None:
    fill(db)
    page = make_page(qtbot, db)
    plan_in_editor(qtbot, page)  # Luis, 9:00 AM to 12:00 PM
    click(qtbot, page, page.plan_button)
    editor = page.run_editor
    assert editor is not None and not editor.clash_warning.isVisible()
    editor.volunteer_box.setCurrentIndex(editor.volunteer_box.findText("Luis Ortega"))
    settle(qtbot, page._ctx)  # the volunteer's runs are read through the runner
    assert editor.clash_warning.isVisible()
    assert editor.clash_warning.text() == (
        "Luis Ortega already has a run at that time: TST-D0001, 9:00\u202fAM – 12:00\u202fPM."
    )
    editor.start_edit.setTime(QTime(12, 0))  # after it: no clash
    editor.end_edit.setTime(QTime(14, 0))
    settle(qtbot, page._ctx)
    assert not editor.clash_warning.isVisible()
    editor.volunteer_box.setCurrentIndex(editor.volunteer_box.findText("Zoe Hill"))
    editor.start_edit.setTime(QTime(9, 0))
    settle(qtbot, page._ctx)
    assert not editor.clash_warning.isVisible()
    editor.reject()


def test_the_planner_shows_addresses_and_orders_the_stops_by_zone_and_street(
    qtbot: QtBot, db: Database
) -> None:
    ids = fill(db)
    with db.transaction("Ana") as tx:
        south = ZONES[1].id_for("zone")
        for hour, (code, name, address, zone) in enumerate(
            (("TST-0104", "Bo Tran", "2 Elm St", NORTH), ("TST-0105", "Cy Lee", "1 Ash St", south))
        ):
            person = Person(id=tx.new_id(), code="P" + code, name=name, address=address, zone_id=zone)
            request = Request(
                id=tx.new_id(), code=code, person_id=person.id, category_id=GROCERIES, status="ready",
                created_at=dt.datetime(2026, 11, 22, hour),
            )  # fmt: skip
            tx.session.add_all([person, request])
            ids[code] = request.id
    page = make_page(qtbot, db)
    click(qtbot, page, page.plan_button)
    editor = page.run_editor
    assert editor is not None
    model = editor.ready_model
    addresses = [model.data(model.index(r, model.column_of("address"))) for r in range(model.rowCount())]
    assert addresses == ["12 Elm St", "4 Oak Ave", "9 Pine Rd", "2 Elm St", "1 Ash St"]
    editor.choose([ids[c] for c in ("TST-0105", "TST-0101", "TST-0103", "TST-0104", "TST-0102")])
    settle(qtbot, page._ctx)  # requests further down than read are read first
    click(qtbot, page, editor.order_button)
    assert [editor.stops_list.item(i).text() for i in range(5)] == [
        "1. TST-0104 · Bo Tran · 2 Elm St",
        "2. TST-0101 · Rosa Díaz · 12 Elm St",
        "3. TST-0102 · Ana Pérez · 4 Oak Ave",
        "4. TST-0103 · Li Wei · 9 Pine Rd",
        "5. TST-0105 · Cy Lee · 1 Ash St",  # the South zone after the North one
    ]
    editor.reject()


def test_today_and_other_days_and_runs_by_volunteer(qtbot: QtBot, db: Database) -> None:
    ids = fill(db)
    with db.session() as s:
        zoe = s.scalars(select(Volunteer.id).where(Volunteer.name == "Zoe Hill")).one()
    for day, code in ((DAY, "TST-0101"), (DAY + dt.timedelta(days=1), "TST-0102")):
        dispatch.plan_run(
            db,
            "Marta",
            volunteer_id=zoe,
            date=day,
            window_start="13:00",
            window_end="16:00",
            request_ids=[ids[code]],
        )
    page = make_page(qtbot, db)
    assert [r.date for r in page.runs_model.rows()] == [DAY]
    assert page.today_note.text() == "(today)"
    click(qtbot, page, page.next_button)
    assert [r.date for r in page.runs_model.rows()] == [DAY + dt.timedelta(days=1)]
    assert page.today_note.text() == ""
    click(qtbot, page, page.today_button)
    assert [r.date for r in page.runs_model.rows()] == [DAY]
    page.show_volunteer(zoe)
    settle(qtbot, page._ctx)
    assert [r.date for r in page.runs_model.rows()] == [DAY + dt.timedelta(days=1), DAY]


def test_the_day_and_a_run_save_as_pdf(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    ids = fill(db)
    with db.session() as s:
        luis = s.scalars(select(Volunteer.id).where(Volunteer.name == "Luis Ortega")).one()
    dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=luis,
        date=DAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[ids["TST-0101"]],
    )
    page = make_page(qtbot, db)
    assert page.day_print_button.isEnabled() and page.sheet_button.isEnabled()
    page.save_pdf(tmp_path / "day.pdf", day=True)
    settle(qtbot, page._ctx)
    assert (tmp_path / "day.pdf").read_bytes().startswith(b"%PDF")
    assert "Saved 1 route sheet" in page.message_label.text()
    page.save_pdf(tmp_path / "no-such-folder" / "run.pdf", day=False)
    settle(qtbot, page._ctx)
    assert page.error_label.isVisible()
    assert page.error_label.text() == (
        f"Cannot write {tmp_path / 'no-such-folder' / 'run.pdf'}: no such folder."
    )


def test_the_screen_follows_the_language(qtbot: QtBot, db: Database) -> None:
    fill(db)
    page = make_page(qtbot, db)
    need = page.stops_model.column_of("need")
    i18n.set_language("es", "US")
    page.retranslate_ui()
    settle(qtbot, page._ctx)
    assert page.stops_model.headerData(need, Qt.Orientation.Horizontal) == "Necesidad"
    assert "lunes, 23 nov 2026" in page.runs_empty.text()


def test_runs_planned_and_started_elsewhere_show_here(qtbot: QtBot, db: Database) -> None:
    """Another screen (or the exchange timer) changes runs through the runner: this screen reads
    them again at once when it shows, else as soon as it is shown again."""
    ids = fill(db)
    page = make_page(qtbot, db)
    ctx = page._ctx
    luis = luis_id(db)
    assert page.runs_views.currentWidget() is page.runs_empty
    ctx.operations.write(
        lambda: dispatch.plan_run(
            db,
            "Ana",
            volunteer_id=luis,
            date=DAY,
            window_start="09:00",
            window_end="12:00",
            request_ids=[ids["TST-0101"], ids["TST-0102"]],
        )
    )
    settle(qtbot, ctx)
    assert page.runs_views.currentWidget() is page.runs_table
    [run] = page.runs_model.rows()
    assert (run.volunteer_name, run.status) == ("Luis Ortega", "planned")
    assert page.selected_run() == run
    assert column(page, "person") == ["Rosa Díaz", "Ana Pérez"]
    assert page.start_button.isEnabled()

    page.hide()
    ctx.operations.write(lambda: dispatch.start_run(db, "Ana", run.id))
    settle(qtbot, ctx)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, ctx)
    assert page.selected_run().status == "out"  # type: ignore[union-attr]
    assert column(page, "request_status") == ["Out for delivery"] * 2
    assert not page.start_button.isEnabled()


def luis_id(db: Database) -> str:
    with db.session() as s:
        return s.scalars(select(Volunteer.id).where(Volunteer.name == "Luis Ortega")).one()


def test_the_day_prints_on_the_chosen_printer_on_the_gui_thread_a_page_at_a_time(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheets are read on a worker; Qt's objects (the documents, the printer's painter) are made
    only on the GUI thread (on a worker they can deadlock the window: docs/architecture.md), a
    step at a time, so the window still answers between two."""
    from PySide6.QtWidgets import QComboBox, QLineEdit

    from aiddesk.ui.deliveries import printing

    ids = fill(db)
    dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=luis_id(db),
        date=DAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[ids["TST-0101"], ids["TST-0103"]],
    )
    page = make_page(qtbot, db)
    painted_on: list[threading.Thread] = []
    real_steps = printing.render_steps

    def render_steps(sheets: list[object], device: object) -> Iterator[None]:
        for step in real_steps(sheets, device):  # type: ignore[arg-type]
            painted_on.append(threading.current_thread())
            yield step

    monkeypatch.setattr(printing, "render_steps", render_steps)
    dialog = page.print_sheets(day=True)
    assert dialog is not None and dialog.isVisible()
    # Qt's "Print to File (PDF)" stands in for a printer (never a real printer from a test).
    printers = dialog.findChild(QComboBox, "printers")
    printers.setCurrentIndex(printers.findText("Print to File (PDF)"))
    dialog.findChild(QLineEdit, "filename").setText(str(tmp_path / "printed.pdf"))
    dialog.accept()
    settle(qtbot, page._ctx)
    assert page.message_label.text() == "The route sheets went to the printer."
    assert len(painted_on) >= 2 and set(painted_on) == {threading.main_thread()}
    pages = PdfReader(str(tmp_path / "printed.pdf")).pages
    text = " ".join(" ".join(sheet.extract_text().split()) for sheet in pages)
    assert "Hoja de ruta" in text and "Voluntario: Luis Ortega" in text  # Luis reads Spanish
    assert "Rosa" in text and "12 Elm St" in text and "9 Pine Rd" in text
