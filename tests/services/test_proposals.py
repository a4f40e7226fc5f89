"""Cells changed by hand in an exported workbook (in Excel or LibreOffice): each becomes a pending
proposal at the desk that merges it; accepted it is stored, rejected nothing changes, and an old
workbook never overwrites a newer edit silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from two_desks import Desk, hand_edit, north_and_south

from aiddesk.services.exchange import conflicts, proposals, waiting


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


@pytest.fixture
def maria(desks: tuple[Desk, Desk]) -> str:
    north, south = desks
    person_id = north.add_person("NOR-0001", "María García", phone="+16175550134", phone_raw="617-555-0134")
    south.merge(north.export())
    return person_id


def test_a_hand_edited_cell_becomes_one_pending_proposal(desks, maria):
    north, south = desks
    book = hand_edit(north.export(), "People", maria, "phone", "(617) 555-0199")
    before = south.dump()
    report = south.merge(book)
    assert report.proposals == 1
    (edit,) = proposals.pending(south.db)
    assert (edit.kind, edit.record_id, edit.column) == ("person", maria, "phone")
    assert (edit.sheet, edit.row) == ("People", 3)
    assert (edit.was, edit.typed) == ("(617) 555-0134", "(617) 555-0199")
    assert edit.source == book.name
    assert proposals.pending_count(south.db) == waiting.waiting_count(south.db) == 1
    (row,) = waiting.pending_rows(south.db)
    assert (row.record, row.column) == ("NOR-0001 María García", "Phone")
    assert south.dump() == before  # nothing stored until someone accepts

    south.merge(book)  # the same workbook again: the same proposal, not a second one
    assert proposals.pending_count(south.db) == 1


def test_accept_stores_the_value_as_typed_into_the_form(desks, maria):
    north, south = desks
    south.merge(hand_edit(north.export(), "People", maria, "phone", "(617) 555-0199"))
    ids = [p.id for p in proposals.pending(south.db)]
    assert proposals.accept(south.db, "Rosa", ids) == 1
    person = south.person(maria)
    assert (person.phone, person.phone_raw) == ("+16175550199", "(617) 555-0199")
    assert proposals.pending(south.db) == []
    assert waiting.waiting_count(south.db) == 0
    north.merge(south.export())  # an accepted proposal is an ordinary edit: it travels
    assert north.person(maria).phone == "+16175550199"
    assert north.dump() == south.dump()


def test_accepting_an_old_workbook_keeps_a_newer_local_edit_as_a_conflict(desks, maria):
    north, south = desks
    book = hand_edit(north.export(), "People", maria, "name", "Maria Garcia Lopez")
    south.edit("person", maria, name="María García López")  # after the export, unseen by it
    south.merge(book)
    proposals.accept(south.db, "Rosa", [p.id for p in proposals.pending(south.db)])
    (conflict,) = conflicts.open_conflicts(south.db)
    assert conflict.field == "name"
    assert {c.text for c in conflict.choices} == {"Maria Garcia Lopez", "María García López"}
    assert waiting.waiting_count(south.db) == 1


def test_reject_changes_nothing(desks, maria):
    north, south = desks
    south.merge(hand_edit(north.export(), "People", maria, "name", "Someone Else"))
    before = south.dump()
    ids = [p.id for p in proposals.pending(south.db)]
    assert proposals.reject(south.db, "Rosa", ids) == 1
    assert south.dump() == before
    assert south.person(maria).name == "María García"
    assert proposals.pending(south.db) == []
    assert proposals.accept(south.db, "Rosa", ids) == 0  # a decided proposal stays decided
    assert south.dump() == before
