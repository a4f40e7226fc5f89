"""A desk put back from a backup never gives a code again that it gave after that backup: not to
the next caller (the code is on a record the other desks hold), nor once their workbooks brought
those records back. Two callers under one code would get each other's call-backs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from two_desks import Desk, north_and_south

from aiddesk.domain.intake import IntakeForm
from aiddesk.services import backups
from aiddesk.services.intake.calls import save_call
from aiddesk.store.migrate import open_database


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def call(desk: Desk, name: str, phone: str) -> tuple[str, str]:
    saved = save_call(desk.db, "Ana", IntakeForm(name=name, phone=phone), "US", allow_duplicate=True)
    return saved.person_code, saved.call_code


def restore(desk: Desk, backup: Path) -> None:
    database = desk.db.path
    desk.db.close()
    backups.restore(database, backup)
    desk.db = open_database(database)


def doubled_codes(desk: Desk) -> list[str]:
    state = desk.dump()
    codes = Counter(r["fields"]["code"][0][-1] for kind in ("person", "call") for r in state[kind])
    return sorted(code for code, n in codes.items() if n > 1)


def test_a_restored_desk_never_gives_a_code_twice(desks: tuple[Desk, Desk]) -> None:
    north, south = desks
    call(north, "Rosa Díaz", "617 555 0134")
    backup = backups.back_up(north.db.path, "manual").path
    after_backup = [call(north, "Luis Ortega", "617 555 0199"), call(north, "Ana Ruiz", "617 555 0177")]
    south.merge(north.export())  # south holds what north numbered after the backup

    restore(north, backup)
    first = call(north, "Marta Gil", "617 555 0155")  # before anything came back
    assert first[0] not in {person for person, _call in after_backup}
    assert first[1] not in {c for _person, c in after_backup}
    north.merge(south.export())  # Luis and Ana come back with their codes
    assert doubled_codes(north) == []
    call(north, "Pedro Sol", "617 555 0122")
    assert doubled_codes(north) == []

    restore(north, backup)  # the same backup again: the codes given since come back by merges only
    north.merge(south.export())
    call(north, "Eva Luna", "617 555 0111")
    assert doubled_codes(north) == []


def test_a_desk_put_back_where_its_database_was_lost_never_gives_a_code_twice(
    desks: tuple[Desk, Desk],
) -> None:
    north, south = desks
    call(north, "Rosa Díaz", "617 555 0134")
    backup = backups.back_up(north.db.path, "manual").path
    call(north, "Luis Ortega", "617 555 0199")
    south.merge(north.export())
    database = north.db.path
    north.db.close()
    for lost in database.parent.glob("aiddesk.db*"):  # the laptop's disk died; the backup was kept
        lost.unlink()
    backups.restore(database, backup)
    north.db = open_database(database)

    north.merge(south.export())  # Luis comes back with his code
    call(north, "Marta Gil", "617 555 0155")
    assert doubled_codes(north) == []
