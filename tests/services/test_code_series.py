"""Each kind of record has its own code series (a letter per kind), so a call, its requests and
the caller are told apart by their codes, and a code is found at any desk the workbook reached."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from record_makers import NEED, NOW, TODAY
from two_desks import Desk, north_and_south

from aiddesk.domain.codes import code_patterns, display_code
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.intake.calls import save_call
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import QueueQuery


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def call(desk: Desk, name: str, phone: str = "617 555 0134") -> list[str]:
    needs = [NeedRow(NEED["groceries"]), NeedRow(NEED["rides"])]
    saved = save_call(desk.db, "Ana", IntakeForm(name=name, phone=phone, needs=needs), "US")
    return [saved.person_code, saved.call_code, *saved.request_codes]


def found(desk: Desk, text: str) -> list[str]:
    rowids = queue.queue_order(desk.db, QueueQuery(text=text), today=TODAY, now=NOW)
    return sorted(r.code for r in queue.queue_rows(desk.db, rowids))


def test_a_call_its_requests_and_its_caller_have_codes_of_their_own(desks: tuple[Desk, Desk]) -> None:
    north, _south = desks
    codes = call(north, "Rosa Díaz")
    assert codes == ["NOR-P0001", "NOR-C0001", "NOR-R0001", "NOR-R0002"]
    assert len(set(codes)) == len(codes)


def test_codes_travel_in_the_workbook_and_are_found_at_the_other_desk(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    call(north, "Rosa Díaz")
    book = north.export()
    cells = {
        cell
        for sheet in openpyxl.load_workbook(book, read_only=True).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert {"NOR-P0001", "NOR-C0001", "NOR-R0001", "NOR-R0002"} <= cells  # the code column, read only
    south.merge(book)
    call(south, "Luis Ortega", "617 555 0199")  # south's own series: no code of north's is reused
    assert found(south, "nor-r0002") == ["NOR-R0002"]
    assert found(south, "R0001") == ["NOR-R0001", "SUR-R0001"]
    assert found(south, "0002") == ["NOR-R0002", "SUR-R0002"]


def test_the_code_patterns() -> None:
    assert display_code("volunteer", "CC1", 42) == "CC1-V0042"
    assert display_code("delivery", "CC1", 12345) == "CC1-D12345"
    assert code_patterns("r 42") == ["*-R42*"]
    assert code_patterns("0042") == ["*-0042*", "*-[A-Z]0042*"]
    assert code_patterns("Rosa") == code_patterns("") == code_patterns("CC1-R0042") == []
