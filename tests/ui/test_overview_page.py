"""The Overview screen as a coordinator sees it: the figures arrive from a worker thread (the
screen never waits on them), the six charts follow, a language switch redraws everything in
Spanish, and the day's lists are saved as PDFs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.enums import RequestStatus
from aiddesk.paths import DeskPaths
from aiddesk.services.deliveries import dispatch
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Person, Request, Volunteer
from aiddesk.ui.context import DeskContext
from aiddesk.ui.overview.page import OverviewPage
from tests.record_makers import NEED
from tests.ui.settle import settle

TODAY = dt.date(2026, 11, 23)
NOON = dt.datetime(2026, 11, 23, 17, 0)  # UTC: today in the Americas and in Europe


@pytest.fixture
def page(db: Database, qtbot: QtBot, tmp_path: Path) -> OverviewPage:
    with db.transaction("Ana") as tx:
        rosa = Person(id=tx.new_id(), code="TST-P1", name="Rosa Díaz", phone="+16175550134", consent=True)
        tx.session.add(rosa)
        for n in range(3):
            tx.session.add(Call(id=tx.new_id(), code=f"TST-C{n}", person_id=rosa.id, taken_at=NOON))
        tx.session.add(
            Request(
                id=tx.new_id(),
                code="TST-R1",
                person_id=rosa.id,
                category_id=NEED["groceries"],
                status="call_back",
                follow_up=TODAY,
                status_reason="After 5 pm",
                created_at=NOON,
            )
        )
        ready = Request(
            id=tx.new_id(),
            code="TST-R2",
            person_id=rosa.id,
            category_id=NEED["hot_meals"],
            status="ready",
            created_at=NOON - dt.timedelta(days=3),
        )
        tx.session.add(ready)
        luis = Volunteer(
            id=tx.new_id(), code="TST-V1", name="Luis Ortega", active=True, preferred_language="es"
        )
        tx.session.add(luis)
    dispatch.plan_run(
        db,
        "Marta",
        volunteer_id=luis.id,
        date=TODAY,
        window_start="09:00",
        window_end="12:00",
        request_ids=[ready.id],
    )
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(tmp_path, tmp_path / "logs"), desk, "Ana")
    screen = OverviewPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(screen)
    return screen


def loaded(page: OverviewPage, qtbot: QtBot) -> None:
    page.show()
    qtbot.waitUntil(lambda: page.data is not None and len(page.chart_labels) == 6, timeout=60_000)


def test_today_at_a_glance(page: OverviewPage, qtbot: QtBot) -> None:
    loaded(page, qtbot)
    assert page.tiles["calls_today"][0].text() == "3"
    assert page.tiles["requests_today"][0].text() == "1"
    assert page.tiles["call_backs_today"][0].text() == "1"
    assert page.tiles["calls_today"][1].text() == "Calls today"
    assert page.runs.rowCount() == 1 and page.runs.item(0, 2).text() == "Luis Ortega"
    assert page.runs.item(0, 4).text() == "0 of 1"
    assert page.oldest.item(0, 0).text() == "TST-R1"
    assert page.status_links[RequestStatus.CALL_BACK].text() == "Call back: 1"
    assert page.status.text().startswith("Read at ")
    assert all(not label.pixmap().isNull() for label in page.chart_labels)
    settle(qtbot, page._ctx)


def test_a_language_switch_redraws_it_in_spanish(page: OverviewPage, qtbot: QtBot, qt_language: None) -> None:
    loaded(page, qtbot)
    first = page.charts
    i18n.set_language("es", "US")
    assert page.title.text() == "Resumen"
    assert page.tiles["calls_today"][1].text() == "Llamadas de hoy"
    assert page.runs.horizontalHeaderItem(0).text() == "Ruta"
    assert page.status_links[RequestStatus.CALL_BACK].text() == "Volver a llamar: 1"
    qtbot.waitUntil(lambda: page.charts is not first and len(page.chart_labels) == 6, timeout=60_000)
    assert page.chart_labels[0].toolTip() == "Llamadas por día"
    settle(qtbot, page._ctx)


def test_the_days_lists_are_saved_as_pdf(page: OverviewPage, qtbot: QtBot, tmp_path: Path) -> None:
    loaded(page, qtbot)
    calls = tmp_path / "calls.pdf"
    page.save_call_back_list(calls)
    settle(qtbot, page._ctx, timeout=30_000)
    assert calls.exists()
    assert page.saved.text() == f"Saved {calls}."
    text = " ".join(PdfReader(str(calls)).pages[0].extract_text().split())
    assert "Rosa Díaz" in text and "After 5 pm" in text
    packing = tmp_path / "packing.pdf"
    page.save_packing_list(packing)
    settle(qtbot, page._ctx, timeout=30_000)
    assert packing.exists()
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(packing)).pages]
    assert "Groceries" not in pages[1] and "Comida caliente 1" in pages[1]  # Luis reads Spanish
    assert "Rosa" not in " ".join(pages)
    settle(qtbot, page._ctx)


def test_a_switch_while_it_still_reads_shows_it_all_in_spanish(
    page: OverviewPage, qtbot: QtBot, qt_language: None
) -> None:
    """The language switched right after the screen showed, its first reading still under way:
    the need names of the oldest requests and the charts came in English and stayed so."""
    page.show()
    i18n.set_language("es", "US")
    qtbot.waitUntil(lambda: page.data is not None and len(page.chart_labels) == 6, timeout=60_000)
    settle(qtbot, page._ctx)
    assert page.oldest.item(0, 1).text() == "Mandado / despensa"
    assert [label.toolTip() for label in page.chart_labels][0] == "Llamadas por día"


def test_refresh_pressed_again_draws_one_chart_set_at_a_time(
    page: OverviewPage, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refresh pressed three times while the charts draw: one drawing at a time, and the last
    one shows. Each press drew them at once beside the others, and two drawings held both
    reading threads for seconds: every other screen's reads (a request's detail) waited."""
    import threading

    from aiddesk.ui.overview import page as overview_module

    real = overview_module._draw_charts
    lock = threading.Lock()
    drawing, most, drawn = [0], [0], [0]

    def counted(*args: object) -> list[object]:
        with lock:
            drawing[0] += 1
            most[0] = max(most[0], drawing[0])
        try:
            return real(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                drawing[0] -= 1
                drawn[0] += 1

    monkeypatch.setattr(overview_module, "_draw_charts", counted)
    page.show()
    for _press in range(3):
        page.refresh_button.click()
    qtbot.waitUntil(lambda: page.data is not None and len(page.chart_labels) == 6, timeout=60_000)
    settle(qtbot, page._ctx, timeout=60_000)
    assert most[0] == 1
    assert drawn[0] == 2  # the first, then one more for the presses that came while it drew


def test_a_change_elsewhere_updates_the_figures_and_leaves_the_runs_table_be(
    page: OverviewPage, qtbot: QtBot, db: Database
) -> None:
    """A call saved at another screen: the tiles count it, while today's runs, which did not
    change, are not made again (their cells were made and measured again after every save, on
    the GUI thread: tens of milliseconds at 20,000 people, while a save waited to be answered)."""
    loaded(page, qtbot)
    shown = page.runs.item(0, 2)

    def another_call() -> None:
        with db.transaction("Bea") as tx:
            rosa = tx.session.query(Person).filter_by(code="TST-P1").one()
            tx.session.add(Call(id=tx.new_id(), code="TST-C9", person_id=rosa.id, taken_at=NOON))

    page._ctx.operations.write(another_call)
    settle(qtbot, page._ctx)
    assert page.tiles["calls_today"][0].text() == "4"
    assert page.runs.item(0, 2) is shown and shown.text() == "Luis Ortega"
    assert page.runs.item(0, 4).text() == "0 of 1"


def test_a_burst_of_saves_reads_the_figures_again_once_a_second_at_most(
    page: OverviewPage, qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five calls saved one after another while the Overview shows: the figures are read again
    at once for the first and once more for the rest, not five times beside the saves (each
    read took the interpreter from the saves and an exchange pass: issue 13); the tiles end up
    counting all of them."""
    from aiddesk.services.reports import overview as overview_service

    loaded(page, qtbot)
    settle(qtbot, page._ctx)
    real = overview_service.overview
    reads: list[int] = []

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(overview_service, "overview", counted)
    saved: list[bool] = []
    for n in range(5):

        def another_call(n: int = n) -> None:
            with db.transaction("Bea") as tx:
                rosa = tx.session.query(Person).filter_by(code="TST-P1").one()
                tx.session.add(Call(id=tx.new_id(), code=f"TST-C{10 + n}", person_id=rosa.id, taken_at=NOON))

        page._ctx.operations.write(another_call, lambda _none: saved.append(True))
        qtbot.waitUntil(lambda n=n: len(saved) == n + 1)  # one after another, as a volunteer saves
    settle(qtbot, page._ctx)
    assert page.tiles["calls_today"][0].text() == "8"
    assert 1 <= len(reads) <= 2
