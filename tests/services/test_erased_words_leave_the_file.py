"""Erased means gone from the file too: an erased person's name, and the details retention
emptied, are no longer in the database file (nor so in any backup made after), not even as
words of the search index that no search finds any more."""

from __future__ import annotations

import datetime as dt
import sqlite3

from record_makers import add_call, add_person, add_request

from aiddesk.domain.access import Actor, Role
from aiddesk.domain.intake import IntakeForm
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.services import retention
from aiddesk.services.intake.calls import look_up_callers, save_call
from aiddesk.services.people.erasure import erase_person
from aiddesk.store.database import Database

ADMIN = Actor("Alma", Role.ADMINISTRATOR)


def _file_holds(db: Database, *words: str) -> list[str]:
    con = sqlite3.connect(db.path)  # everything written goes into the database file itself
    try:
        assert con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        con.close()
    data = db.path.read_bytes().lower()
    return [word for word in words if word.lower().encode() in data]


def test_an_erased_name_leaves_the_file(db: Database) -> None:
    saved = save_call(db, "Ana", IntakeForm(name="Zyxwanda Quorrel", phone="617 555 0134"), "US")
    save_call(db, "Ana", IntakeForm(name="Rosa Díaz", phone="617 555 0199"), "US")
    assert _file_holds(db, "Zyxwanda", "Quorrel") == ["Zyxwanda", "Quorrel"]

    erase_person(db, "Ana", saved.person_id)

    assert look_up_callers(db, "Zyxwanda", "US") == []
    assert _file_holds(db, "Zyxwanda", "Quorrel") == []  # the index kept both words
    assert [m.name for m in look_up_callers(db, "Rosa", "US")] == ["Rosa Díaz"]  # the index still works


def test_details_retention_emptied_leave_the_file(db: Database) -> None:
    long_ago = dt.datetime(2023, 5, 4, 10, 0)
    pablo = add_person(db, "P-0001", "Pablo Reyes")
    add_call(db, pablo, "C-0001", long_ago)
    add_request(
        db, pablo, "R-0001", "delivered", created_at=long_ago, details="Leave by the Vrellington gate"
    )
    rosa = add_person(db, "P-0002", "Rosa Díaz")
    add_call(db, rosa, "C-0002", dt.datetime(2026, 11, 1, 10, 0))
    assert _file_holds(db, "Vrellington", "Pablo") == ["Vrellington", "Pablo"]

    retention.save_policy(db, ADMIN, RetentionPolicy(request_months=12, people_months=24, enabled=True))
    retention.run(db, ADMIN, today=dt.date(2026, 11, 23))

    assert _file_holds(db, "Vrellington", "Pablo") == []


def test_a_call_half_typed_for_an_erased_person_is_not_offered_back(db: Database) -> None:
    from aiddesk.services.intake import drafts

    saved = save_call(db, "Ana", IntakeForm(name="Zyxwanda Quorrel", phone="617 555 0134"), "US")
    typed = IntakeForm(
        person_id=saved.person_id, name="Zyxwanda Quorrel", safety_notes="Her ex waits outside"
    )
    drafts.save_draft(db, drafts.new_draft_id(), "Luis", typed)  # Luis was taking her call, then left
    drafts.save_draft(db, drafts.new_draft_id(), "Luis", IntakeForm(name="Rosa Díaz"))  # a new caller
    drafts.save_draft(db, drafts.new_draft_id(), "Eva", typed)

    erase_person(db, "Ana", saved.person_id)

    assert [d.form.name for d in drafts.list_drafts(db, "Luis")] == ["Rosa Díaz"]
    assert _file_holds(db, "Zyxwanda", "waits outside") == []


def test_an_erasure_that_comes_with_a_merge_leaves_the_file_too(tmp_path, migrated_template) -> None:
    from two_desks import north_and_south

    from aiddesk.services.intake import drafts

    with north_and_south(tmp_path, migrated_template) as (north, south):
        saved = save_call(north.db, "Ana", IntakeForm(name="Zyxwanda Quorrel", phone="617 555 0134"), "US")
        save_call(north.db, "Ana", IntakeForm(name="Rosa Díaz", phone="617 555 0199"), "US")
        south.merge(north.export())
        assert [m.name for m in look_up_callers(south.db, "Zyxwanda", "US")] == ["Zyxwanda Quorrel"]
        typed = IntakeForm(
            person_id=saved.person_id, name="Zyxwanda Quorrel", safety_notes="Her ex waits outside"
        )
        drafts.save_draft(south.db, drafts.new_draft_id(), "Luis", typed)  # south was taking her call
        assert _file_holds(south.db, "Zyxwanda", "Quorrel") == ["Zyxwanda", "Quorrel"]

        erase_person(north.db, "Ana", saved.person_id)
        south.merge(north.export())

        assert look_up_callers(south.db, "Zyxwanda", "US") == []
        assert drafts.list_drafts(south.db, "Luis") == []
        assert _file_holds(south.db, "Zyxwanda", "Quorrel", "waits outside") == []
        assert [m.name for m in look_up_callers(south.db, "Rosa", "US")] == ["Rosa Díaz"]
