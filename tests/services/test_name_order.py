"""Every list of people and volunteers sorts names as the desk's language expects (accents aside,
in Spanish Ñ after N): the queue by person, the roster, the volunteers to choose for a run, the
runs of a day, records that came in a workbook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from record_makers import NOW, TODAY, add_person, add_request
from two_desks import Desk, north_and_south

from aiddesk.domain.roster import VolunteerFields
from aiddesk.services import roster
from aiddesk.services.deliveries import dispatch
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import QueueQuery
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.store.repositories.volunteers import RosterFilter

NAMES = ["Zoe Okafor", "Óscar Ruiz", "Ángela Díaz", "Ñeco Paz", "Nuria Gil", "Ana Tran"]
ENGLISH = ["Ana Tran", "Ángela Díaz", "Ñeco Paz", "Nuria Gil", "Óscar Ruiz", "Zoe Okafor"]
SPANISH = ["Ana Tran", "Ángela Díaz", "Nuria Gil", "Ñeco Paz", "Óscar Ruiz", "Zoe Okafor"]


def queue_names(db: Database, language: str, *, descending: bool = False) -> list[str]:
    rowids = queue.queue_order(
        db, QueueQuery(), sort="person", descending=descending, language=language, today=TODAY, now=NOW
    )
    return [r.person_name for r in queue.queue_rows(db, rowids, language=language)]


def test_the_queue_sorts_by_person_as_the_language_expects(db: Database) -> None:
    for n, name in enumerate(NAMES, start=1):
        add_request(db, add_person(db, f"TST-P{n:04d}", name), f"TST-R{n:04d}")
    assert queue_names(db, "en") == ENGLISH
    assert queue_names(db, "es") == SPANISH
    assert queue_names(db, "es", descending=True) == SPANISH[::-1]


def test_a_renamed_person_moves_to_their_new_place(db: Database) -> None:
    ids = [add_person(db, f"TST-P{n:04d}", name) for n, name in enumerate(NAMES, start=1)]
    for n, person in enumerate(ids, start=1):
        add_request(db, person, f"TST-R{n:04d}")
    with db.transaction("Ana") as tx:
        tx.session.get(Person, ids[0]).name = "Álvaro Zea"  # was Zoe Okafor
    assert queue_names(db, "en")[:2] == ["Álvaro Zea", "Ana Tran"]


def test_volunteer_lists_sort_as_the_language_expects(db: Database) -> None:
    for name in NAMES:
        roster.add_volunteer(db, "Ana", VolunteerFields(name=name), today=TODAY)
    for language, expected in (("en", ENGLISH), ("es", SPANISH)):
        ids = roster.search(db, RosterFilter(), sort="name", language=language)
        assert [r.name for r in roster.rows(db, ids)] == expected
        assert [v.name for v in dispatch.volunteers_for_runs(db, language=language)] == expected
        assert [v.name for v in dispatch.volunteers_with_runs(db, language=language)] == expected


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def test_people_from_a_workbook_sort_in_their_place(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    for n, name in enumerate(NAMES, start=1):
        person = north.add_person(f"NOR-P{n:04d}", name)
        add_request(north.db, person, f"NOR-R{n:04d}")
    south.merge(north.export())
    assert queue_names(south.db, "es") == SPANISH  # their sort keys are made at the desk that merges
