"""The Requests screen over a few thousand requests: windows, SQL sort by every column, language.

These list every status (the screen starts with the open ones); filters, counts, the detail
panel and status moves are in test_queue_page.py."""

from __future__ import annotations

import datetime as dt
import random
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain import defaults
from aiddesk.domain.enums import STATUS_RANK, URGENCY_RANK, RequestStatus, Urgency
from aiddesk.domain.sorting import name_sort_key
from aiddesk.domain.status import OPEN
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.requests.queue import NO_ZONE, QueueQuery
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Person, Request
from aiddesk.store.repositories.bulk import insert_synced
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.page import RequestsPage
from aiddesk.ui.requests.table_model import COLUMN_KEYS, WINDOW, RequestsModel
from tests.ui.settle import settle

NOW = dt.datetime(2026, 6, 15, 12, 0)
FIRST = ["María", "maria", "José", "Ana", "ana", "Luis", "Nguyen", "Zoe", "Ángel", "bob", "Bob", "Émile"]
LAST = ["García", "Smith", "Tran", "okafor", "López", "Núñez", "Kowalski"]
CATEGORIES = {c.id_for("need_category"): c for c in defaults.NEED_CATEGORIES}
ZONES = {z.id_for("zone"): z for z in defaults.ZONES}


@dataclass(frozen=True)
class Inserted:
    id: str
    code: str
    name: str
    category_id: str
    zone_id: str | None
    urgency: str
    status: str
    created_at: dt.datetime
    follow_up: dt.date | None
    position: int  # insertion order: the rowid order that breaks ties


def fill(db: Database, people: int, requests: int, seed: int = 7) -> list[Inserted]:
    """Persons and requests written in bulk, in one stamped transaction."""
    rng = random.Random(seed)
    zones: list[str | None] = [None, *ZONES]
    persons = [
        {
            "id": str(uuid.uuid4()),
            "code": f"TST-P{i:05d}",
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "zone_id": rng.choice(zones),
        }
        for i in range(people)
    ]
    rows = []
    for i in range(requests):
        person = rng.choice(persons)
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "code": f"TST-{rng.randrange(10**6):06d}-{i}",  # inserted out of code order
                "person_id": person["id"],
                "category_id": rng.choice(list(CATEGORIES)),
                "urgency": rng.choice(list(Urgency)).value,
                "status": rng.choice(list(RequestStatus)).value,
                # Minutes, some shared, so ties are broken by id.
                "created_at": NOW - dt.timedelta(minutes=rng.randrange(1, 60 * 24 * 20)),
                "follow_up": rng.choice(
                    [None, None, *(NOW.date() + dt.timedelta(days=d) for d in range(-5, 6))]
                ),
            }
        )
    with db.transaction("test") as tx:
        stamp = tx.stamp()
        insert_synced(tx.session, Person, persons, stamp)
        insert_synced(tx.session, Request, rows, stamp)
    by_id = {p["id"]: p for p in persons}
    return [
        Inserted(
            r["id"],
            r["code"],
            by_id[r["person_id"]]["name"],
            r["category_id"],
            by_id[r["person_id"]]["zone_id"],
            r["urgency"],
            r["status"],
            r["created_at"],
            r["follow_up"],
            position,
        )
        for position, r in enumerate(rows)
    ]


def copy_db(template: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "aiddesk.db"
    shutil.copyfile(template, target)
    return target


def sql_lower(text: str) -> str:
    """SQLite's lower(): ASCII letters only."""
    return "".join(c.lower() if c.isascii() else c for c in text)


SORT_KEYS: dict[str, Callable[[Inserted], Any]] = {
    "code": lambda r: r.code,
    # The stored sort key of the name (case and accents aside: "Ángel" among the a's, "bob" by "Bob").
    "person": lambda r: name_sort_key(r.name, "en"),
    "need": lambda r: sql_lower(CATEGORIES[r.category_id].label_en),
    "zone": lambda r: sql_lower(ZONES[r.zone_id].label_en) if r.zone_id else "",
    "urgency": lambda r: URGENCY_RANK[Urgency(r.urgency)],
    "status": lambda r: STATUS_RANK[RequestStatus(r.status)],
    "follow_up": lambda r: (r.follow_up is not None, r.follow_up or dt.date.min),  # SQL: no date first
    "age": lambda r: -r.created_at.timestamp(),  # ascending age: the newest first
}
ALL = QueueQuery(statuses=frozenset())  # every status


def expected_ids(rows: list[Inserted], key: str, order: Qt.SortOrder) -> list[str]:
    # Ties: by rowid in the direction of the SQL query (the age column runs created_at the other way).
    descending = order == Qt.SortOrder.DescendingOrder
    sql_descending = (not descending) if key == "age" else descending
    by_rowid = sorted(rows, key=lambda r: r.position, reverse=sql_descending)
    return [r.id for r in sorted(by_rowid, key=SORT_KEYS[key], reverse=descending)]


def model_ids(model: RequestsModel) -> list[str]:
    return [model.row_at(row).id for row in range(model.rowCount())]


def fetch_all(model: RequestsModel, qtbot: QtBot | None = None, ctx: DeskContext | None = None) -> int:
    """Read every window (waiting for each one when the model reads through the runner)."""
    fetches = 0
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
        if qtbot is not None and ctx is not None:
            settle(qtbot, ctx)
        fetches += 1
    return fetches


@pytest.fixture(scope="module")
def many_template(
    tmp_path_factory: pytest.TempPathFactory, desk_template: Path
) -> tuple[Path, list[Inserted]]:
    """3,000 requests by 700 people, written once per module."""
    path = copy_db(desk_template, tmp_path_factory.mktemp("many-requests"))
    db = open_database(path)
    rows = fill(db, people=700, requests=3000)
    db.close()
    return path, rows


@pytest.fixture
def many(
    tmp_path: Path, many_template: tuple[Path, list[Inserted]]
) -> Iterator[tuple[Database, list[Inserted]]]:
    template, rows = many_template
    db = open_database(copy_db(template, tmp_path / "data"))
    yield db, rows
    db.close()


def make_page(qtbot: QtBot, db: Database) -> RequestsPage:
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Ana")
    page = RequestsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    settle(qtbot, ctx)
    return page


def test_rows_arrive_in_windows_until_the_end(
    qapp: QApplication, many: tuple[Database, list[Inserted]]
) -> None:
    db, rows = many
    model = RequestsModel(db, query=ALL)
    model.refresh()
    assert model.rowCount() == WINDOW
    assert model.total == len(rows) == 3000
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * WINDOW
    fetches = fetch_all(model)
    assert fetches == len(rows) // WINDOW - 2  # the order is known: no empty fetch at the end
    assert model.rowCount() == len(rows)
    assert not model.canFetchMore(QModelIndex())
    assert sorted(model_ids(model)) == sorted(r.id for r in rows)  # every request once


@pytest.mark.parametrize("key", COLUMN_KEYS)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_sort_by_every_column_in_sql(
    qapp: QApplication, many: tuple[Database, list[Inserted]], key: str, order: Qt.SortOrder
) -> None:
    db, rows = many
    model = RequestsModel(db, query=ALL)
    model.sort(COLUMN_KEYS.index(key), order)
    expected = expected_ids(rows, key, order)
    assert model_ids(model) == expected[:WINDOW]
    model.fetchMore(QModelIndex())  # the next window starts right after the first (keyset)
    assert model_ids(model) == expected[: 2 * WINDOW]


@pytest.mark.parametrize("key", COLUMN_KEYS)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_filtered_sorts_match_a_python_filter_and_sort(
    qapp: QApplication, many: tuple[Database, list[Inserted]], key: str, order: Qt.SortOrder
) -> None:
    db, rows = many
    north, east = defaults.ZONES[0].id_for("zone"), defaults.ZONES[2].id_for("zone")
    query = QueueQuery(
        zone_ids=frozenset({north, east, NO_ZONE}),
        urgencies=frozenset({Urgency.WITHIN_24H, Urgency.THIS_WEEK}),
        older_than_days=2,
    )
    cutoff = NOW - dt.timedelta(days=2)
    wanted = [
        r
        for r in rows
        if RequestStatus(r.status) in OPEN
        and r.zone_id in (north, east, None)
        and r.urgency in ("within_24h", "this_week")
        and r.created_at < cutoff
    ]
    model = RequestsModel(db, window=97, query=query, now=lambda: NOW)
    model.sort(COLUMN_KEYS.index(key), order)
    fetch_all(model)
    assert 200 < model.total == len(wanted)
    assert model_ids(model) == expected_ids(wanted, key, order)


@pytest.mark.parametrize("key", ["person", "urgency", "age"])
def test_walking_a_whole_sort_to_the_end_matches(
    qapp: QApplication, many: tuple[Database, list[Inserted]], key: str
) -> None:
    db, rows = many
    model = RequestsModel(db, window=170, query=ALL)  # windows that end inside runs of equal values
    model.sort(COLUMN_KEYS.index(key), Qt.SortOrder.DescendingOrder)
    fetch_all(model)
    assert model_ids(model) == expected_ids(rows, key, Qt.SortOrder.DescendingOrder)


def test_names_sort_case_and_accents_aside(qapp: QApplication, many: tuple[Database, list[Inserted]]) -> None:
    """Checked without the product's sort key: "Ángel" among the a's, "Émile" among the e's,
    "bob" with "Bob"; not after "Zoe" as character codes would put them."""
    db, _rows = many
    model = RequestsModel(db, query=ALL)
    model.sort(COLUMN_KEYS.index("person"), Qt.SortOrder.AscendingOrder)
    fetch_all(model)
    firsts = [model.row_at(row).person_name.split()[0] for row in range(model.rowCount())]

    def span(*names: str) -> tuple[int, int]:
        rows = [row for row, first in enumerate(firsts) if first in names]
        return min(rows), max(rows)

    assert span("Ana", "ana")[1] < span("Ángel")[0] <= span("Ángel")[1] < span("bob", "Bob")[0]
    assert span("bob", "Bob")[1] < span("Émile")[0] <= span("Émile")[1] < span("José")[0]
    assert span("Zoe")[1] == len(firsts) - 1


def test_clicking_headers_sorts_and_scrolling_fetches_more(
    qtbot: QtBot, many: tuple[Database, list[Inserted]]
) -> None:
    db, rows = many
    page = make_page(qtbot, db)
    table, model = page.table, page.model
    open_count = sum(RequestStatus(r.status) in OPEN for r in rows)
    assert page.count_label.text() == f"{open_count:,} requests"  # the open ones first
    page.chips.all_chip.click()
    settle(qtbot, page._ctx)
    assert page.count_label.text() == "3,000 requests"
    # Starts with the longest waiting first.
    oldest = min(rows, key=lambda r: (r.created_at, r.position))
    assert model.index(0, 0).data() == oldest.code

    header = table.horizontalHeader()
    person = COLUMN_KEYS.index("person")
    click = QPoint(header.sectionViewportPosition(person) + 20, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click)
    settle(qtbot, page._ctx)
    assert header.sortIndicatorSection() == person
    first_order = header.sortIndicatorOrder()
    assert first_order == Qt.SortOrder.AscendingOrder  # a first click sorts A to Z
    expected = expected_ids(rows, "person", first_order)
    assert model_ids(model) == expected[:WINDOW]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=click)
    settle(qtbot, page._ctx)
    assert header.sortIndicatorOrder() != first_order
    assert model_ids(model) == expected_ids(rows, "person", header.sortIndicatorOrder())[:WINDOW]

    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > WINDOW)


def test_cells_show_translated_labels_and_age_in_words(qapp: QApplication, db: Database) -> None:
    category = defaults.NEED_CATEGORIES[0]
    zone = defaults.ZONES[0]
    person_id = str(uuid.uuid4())
    with db.transaction("test") as tx:
        stamp = tx.stamp()
        insert_synced(
            tx.session,
            Person,
            [{"id": person_id, "code": "TST-P1", "name": "María López", "zone_id": zone.id_for("zone")}],
            stamp,
        )
        insert_synced(
            tx.session,
            Request,
            [
                {
                    "id": str(uuid.uuid4()),
                    "code": "TST-0001",
                    "person_id": person_id,
                    "category_id": category.id_for("need_category"),
                    "urgency": "within_24h",
                    "status": "needs_info",
                    "created_at": NOW - dt.timedelta(days=3, hours=2),
                    "follow_up": dt.date(2026, 6, 17),
                }
            ],
            stamp,
        )
    model = RequestsModel(db, now=lambda: NOW)
    model.refresh()
    cells = [model.index(0, column).data() for column in range(model.columnCount())]
    assert cells == [
        "TST-0001",
        "María López",
        "Groceries",
        "North",
        "Within 24 hours",
        "Needs info",
        "Jun 17, 2026",
        "3 days",
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)] == [
        "Code",
        "Person",
        "Need",
        "Zone",
        "Urgency",
        "Status",
        "Follow-up",
        "Age",
    ]
    i18n.set_language("es", "US")
    model.retranslate()  # what the Requests screen does on a language change
    spanish = [model.index(0, column).data() for column in range(model.columnCount())]
    assert spanish[2:4] == ["Mandado / despensa", "Norte"]  # from SQL
    assert spanish[6:8] == ["17 jun 2026", "3 días"]  # Babel, in Spanish


def test_language_change_reads_spanish_labels(
    qtbot: QtBot, qt_language: None, many: tuple[Database, list[Inserted]]
) -> None:
    db, rows = many
    page = make_page(qtbot, db)
    model = page.model
    need = COLUMN_KEYS.index("need")
    english = {CATEGORIES[r.category_id].label_en for r in rows}
    spanish = {CATEGORIES[r.category_id].label_es for r in rows}
    assert {model.index(row, need).data() for row in range(model.rowCount())} <= english
    with qtbot.waitSignal(model.modelReset):
        i18n.set_language("es", "US")
    # Need and zone labels come from SQL in the new language.
    assert {model.index(row, need).data() for row in range(model.rowCount())} <= spanish


def test_renamed_category_shows_after_refresh(qtbot: QtBot, many: tuple[Database, list[Inserted]]) -> None:
    db, rows = many
    page = make_page(qtbot, db)
    groceries = defaults.NEED_CATEGORIES[0].id_for("need_category")
    labels_service.rename_label(db, "Ana", "need_category", groceries, "Food bags", "Bolsas de comida")
    page.refresh()
    settle(qtbot, page._ctx)
    need = COLUMN_KEYS.index("need")
    fetch_all(page.model, qtbot, page._ctx)
    shown = {page.model.index(row, need).data() for row in range(page.model.rowCount())}
    assert "Food bags" in shown
    assert "Groceries" not in shown
