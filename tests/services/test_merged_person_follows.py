"""A person merged at one desk while another desk, not knowing yet, takes a call from that
person's duplicate: once the desks exchange, the new request and call follow the person kept,
at both desks (the merge moved the others), through a merge at the Exchange screen or a command
and through "Delete it" on the conflict; none is left on the deleted duplicate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from record_makers import NEED
from two_desks import Desk, exchange, north_and_south

from aiddesk import cli
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.exchange import conflicts
from aiddesk.services.intake.calls import SavedCall, save_call
from aiddesk.services.people import person as people
from aiddesk.store.models import Call, Person, Request


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path) -> Iterator[tuple[Desk, Desk]]:
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def call(desk: Desk, name: str, person_id: str | None = None, **fields: str) -> SavedCall:
    form = IntakeForm(
        person_id=person_id, phone="617-555-0134", name=name, needs=[NeedRow(NEED["groceries"])], **fields
    )
    return save_call(desk.db, "Ana", form, "US")


def on_whom(desk: Desk, saved: SavedCall) -> set[str]:
    """The people the call and requests saved hang on, at this desk."""
    with desk.db.session() as session:
        rows = [session.get(Call, saved.call_id), *(session.get(Request, r) for r in saved.request_ids)]
        return {row.person_id for row in rows if row is not None}


def merged_while_south_takes_a_call(north: Desk, south: Desk, **edits: str) -> tuple[str, str, SavedCall]:
    """María was entered at both desks; the north merges the south's record into its own while
    the south, not knowing, takes a call for its record (with `edits` to it)."""
    kept = call(north, "María García").person_id
    duplicate = call(south, "Maria Garcia").person_id
    exchange(north, south)
    people.merge_people(north.db, "Ana", kept, duplicate)
    again = call(south, "Maria Garcia", duplicate, call_notes="she called again", **edits)
    return kept, duplicate, again


def test_delete_it_on_the_conflict_moves_the_new_request_to_the_person_kept(desks) -> None:
    north, south = desks
    kept, duplicate, again = merged_while_south_takes_a_call(north, south, address="9 Pine St")
    exchange(south, north)  # the merge of the workbook alone, as an older desk did it
    [conflict] = [c for c in conflicts.open_conflicts(north.db) if c.field == conflicts.AFTER_DELETE]
    assert conflict.record_id == duplicate

    conflicts.resolve(north.db, "Ana", conflict.kind, conflict.record_id, {"deleted": True})

    assert on_whom(north, again) == {kept}
    with north.db.session() as session:
        assert session.get(Person, duplicate).deleted
    exchange(north, south)  # the south learns it: the same at both desks, nothing to decide
    assert on_whom(south, again) == {kept}
    assert conflicts.open_conflicts(south.db) == [] == conflicts.open_conflicts(north.db)
    assert people.follow_merges(south.db, "Ana") == 0


def test_a_merge_command_moves_what_came_for_the_merged_person(desks, capsys, monkeypatch) -> None:
    """No conflict (the call changed nothing of the person): the merge itself moves it."""
    north, south = desks
    monkeypatch.delenv("AIDDESK_SECRET", raising=False)
    kept, _duplicate, again = merged_while_south_takes_a_call(north, south)
    code = cli.main(["--data-dir", str(north.folder), "merge", str(south.export())])
    assert code == 0, capsys.readouterr().err
    assert on_whom(north, again) == {kept}
    # and at the south, once it hears of the merge
    code = cli.main(["--data-dir", str(south.folder), "merge", str(north.export())])
    assert code == 0, capsys.readouterr().err
    assert on_whom(south, again) == {kept}
    exchange(north, south)
    assert conflicts.open_conflicts(south.db) == [] == conflicts.open_conflicts(north.db)
