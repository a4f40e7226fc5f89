"""The issue's "done when": three desks that edited the same requests offline, and a coordinator
who fixed a phone number in Excel, exchange workbooks in any order and all show the same data,
with every concurrent edit waiting in the Conflicts screen and nothing lost."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
from two_desks import Desk, hand_edit, make_desk

from aiddesk.services.exchange import conflicts, proposals
from aiddesk.services.exchange.merge import Proposals


@pytest.fixture
def three(tmp_path: Path, migrated_template: Path):
    desks = [make_desk(tmp_path, migrated_template, code) for code in ("NOR", "SUR", "EST")]
    yield desks
    for desk in desks:
        desk.db.close()


def _request(desk: Desk, person_id: str) -> str:
    from record_makers import add_request

    return add_request(desk.db, person_id, "NOR-R001", details="Groceries for two")


@pytest.mark.parametrize("seed", range(4))
def test_three_desks_and_a_coordinator_in_excel_end_with_the_same_data_and_every_conflict_kept(
    three: list[Desk], seed: int
) -> None:
    north, south, east = three
    person = north.add_person("NOR-0001", "Rosa Martínez", phone="+16175550100", phone_raw="617 555 0100")
    request = _request(north, person)
    start = north.export()
    south.merge(start)
    east.merge(start)
    coordinator_copy = hand_edit(start, "People", person, "phone", "(617) 555-0199")

    # Offline: each desk edits the same request; two of them the same field.
    north.edit("request", request, details="Groceries and diapers")
    south.edit("request", request, details="Groceries, no pork")
    east.edit("request", request, urgency="within_24h")
    # The coordinator's corrected workbook reaches the east desk, which accepts the fix.
    east.merge(coordinator_copy, proposals=Proposals.ACCEPT)

    books = {desk.code: desk.export() for desk in three}
    deliveries = [(book, desk) for book, desk in itertools.product(books, three) if desk.code != book]
    random.Random(seed).shuffle(deliveries)
    for code, desk in deliveries:
        desk.merge(books[code])
    for desk in three:  # a final exchange all to all (including stale copies again)
        for code, book in books.items():
            if code != desk.code:
                desk.merge(book)

    dumps = [desk.dump() for desk in three]
    assert dumps[0] == dumps[1] == dumps[2]
    for desk in three:
        open_ = {
            (c.record_id, c.field): sorted(ch.text for ch in c.choices)
            for c in conflicts.open_conflicts(desk.db)
        }
        assert open_ == {(request, "details"): ["Groceries and diapers", "Groceries, no pork"]}
        shown = desk.person(person)
        assert shown.phone == "+16175550199"  # the fix made in Excel, everywhere
    (record,) = [r for r in dumps[0]["request"] if r["id"] == request]
    assert [s[3] for s in record["fields"]["urgency"]] == [
        "within_24h"
    ]  # not concurrent with anything: no conflict
    assert proposals.pending(north.db) == []
