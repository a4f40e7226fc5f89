"""A cell someone corrected by hand in a workbook holds a person's data as it was exported and as
it was typed: once the person is erased, no such hand edit is kept nor shown on the Conflicts
screen, whether the erasure was made here, came with a merge, or an old workbook is merged again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from two_desks import Desk, hand_edit, north_and_south

from aiddesk.services.exchange import proposals, waiting
from aiddesk.services.people.erasure import erase_person


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def _stored(desk: Desk) -> bytes:
    with desk.db.session() as session:
        rows = session.connection().exec_driver_sql("SELECT typed, was FROM proposal").fetchall()
    return repr(rows).encode()


def test_an_erased_person_leaves_no_hand_edit(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    maria = north.add_person("NOR-0001", "María García", address="12 Elm Rd", phone_raw="617-555-0134")
    south.merge(north.export())
    book = hand_edit(north.export(), "People", maria, "address", "14 Elm Rd, back door")
    south.merge(book)
    assert [(e.was, e.typed) for e in proposals.pending(south.db)] == [("12 Elm Rd", "14 Elm Rd, back door")]

    erase_person(south.db, "Ana", maria)

    assert proposals.pending(south.db) == [] and waiting.pending_rows(south.db) == []
    assert b"Elm Rd" not in _stored(south)
    south.merge(book)  # the old workbook again: its cell is not proposed again
    assert proposals.pending_count(south.db) == 0 and b"Elm Rd" not in _stored(south)


def test_an_erasure_that_comes_with_a_merge_takes_the_hand_edits_with_it(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    maria = north.add_person("NOR-0001", "María García", address="12 Elm Rd", phone_raw="617-555-0134")
    south.merge(north.export())
    south.merge(hand_edit(north.export(), "People", maria, "address", "14 Elm Rd, back door"))
    assert proposals.pending_count(south.db) == 1

    erase_person(north.db, "Ana", maria)
    south.merge(north.export())

    assert proposals.pending(south.db) == [] and b"Elm Rd" not in _stored(south)
