"""Drafts: the whole form kept as typed, newest first, local only, gone when saved or discarded."""

from __future__ import annotations

from sqlalchemy import select

from aiddesk.domain import defaults
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.desk.records import dump
from aiddesk.services.intake import drafts
from aiddesk.store.database import Database
from aiddesk.store.models import Desk, Draft

GROCERIES = defaults.NEED_CATEGORIES[0].id_for("need_category")


def typed() -> IntakeForm:
    return IntakeForm(
        person_id="6a1d2c8e-0000-4000-8000-000000000001",
        phone="617.555.0134",
        name="María José Hernández",
        language="vi",
        needs_interpreter=True,
        household_size="abc",  # kept as typed, even when it would be refused on save
        consent=True,
        consent_version="2026-11-23.1",
        call_notes="line one\nline two — ñ",
        needs=[NeedRow(GROCERIES, "within_24h", "weekly", "arroz"), NeedRow()],
    )


def test_a_draft_comes_back_exactly_as_typed(db: Database) -> None:
    drafts.save_draft(db, "d1", "Ana", typed())
    [draft] = drafts.list_drafts(db, "anyone")
    assert (draft.id, draft.who, draft.form) == ("d1", "Ana", typed())
    assert drafts.get_draft(db, "d1") == draft


def test_saving_again_overwrites_and_the_newest_comes_first(db: Database) -> None:
    drafts.save_draft(db, "old", "Ana", IntakeForm(name="first"))
    drafts.save_draft(db, "new", "Bea", IntakeForm(name="second"))
    drafts.save_draft(db, "old", "Ana", IntakeForm(name="first, more"))
    assert [(d.id, d.form.name) for d in drafts.list_drafts(db, "anyone")] == [
        ("old", "first, more"),
        ("new", "second"),
    ]


def test_discarding(db: Database) -> None:
    drafts.save_draft(db, "d1", "Ana", typed())
    drafts.discard_draft(db, "d1")
    assert drafts.list_drafts(db, "anyone") == []
    assert drafts.get_draft(db, "d1") is None
    drafts.discard_draft(db, "d1")  # twice is harmless


def test_drafts_are_local_and_not_stamped(db: Database) -> None:
    before = dump(db)
    with db.session() as session:
        counter = session.scalars(select(Desk.counter)).one()
    drafts.save_draft(db, "d1", "Ana", typed())
    assert dump(db) == before
    with db.session() as session:
        assert session.scalars(select(Desk.counter)).one() == counter


def test_an_unreadable_draft_is_skipped_and_kept(db: Database) -> None:
    drafts.save_draft(db, "good", "Ana", IntakeForm(name="ok"))
    with db.write_session() as session:
        session.get(Draft, "good")  # the readable one stays readable
        session.add(Draft(id="bad", who="Ana", updated_at=drafts.utcnow(), data="{not json"))
    assert [d.id for d in drafts.list_drafts(db, "anyone")] == ["good"]
    with db.session() as session:
        assert session.get(Draft, "bad") is not None


def test_a_draft_from_an_older_or_newer_app_loads_what_it_can() -> None:
    form = IntakeForm.from_dict(
        {
            "format": 9,
            "name": "Ana",
            "phone": 617,
            "consent": "yes",
            "zone_id": "",
            "surprise": 1,
            "needs": [{"category_id": GROCERIES, "details": "x", "color": "red"}, "junk"],
        }
    )
    assert form == IntakeForm(name="Ana", needs=[NeedRow(GROCERIES, details="x")])


def test_blank_forms() -> None:
    assert IntakeForm().is_blank()
    assert IntakeForm(needs=[NeedRow(), NeedRow()]).is_blank()
    assert not IntakeForm(needs=[NeedRow(details="x")]).is_blank()
    assert not IntakeForm(elevated_risk=True).is_blank()


def test_on_a_desk_with_accounts_a_draft_goes_back_only_to_who_typed_it(db: Database) -> None:
    """A coordinator's half-typed call may hold a safety note: a volunteer signing in next is not
    offered it. On a desk without accounts (plain names) anyone takes up a call left half-typed."""
    drafts.save_draft(db, "lena", Actor("Lena", Role.COORDINATOR), IntakeForm(name="Ana", safety_notes="x"))
    drafts.save_draft(db, "rosa", Actor("Rosa", Role.PHONE_VOLUNTEER), IntakeForm(name="Berta"))
    assert [d.id for d in drafts.list_drafts(db, Actor("Rosa", Role.PHONE_VOLUNTEER))] == ["rosa"]
    assert [d.id for d in drafts.list_drafts(db, Actor("Lena", Role.COORDINATOR))] == ["lena"]
    assert sorted(d.id for d in drafts.list_drafts(db, "Rosa")) == ["lena", "rosa"]
