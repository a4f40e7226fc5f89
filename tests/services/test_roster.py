"""The roster: add, edit, deactivate and reactivate volunteers; every filter alone and combined."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from aiddesk.domain import availability as av
from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.enums import Skill
from aiddesk.domain.validation import Invalid
from aiddesk.services import roster
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk.records import dump
from aiddesk.services.roster import RosterFilter, VolunteerFields
from aiddesk.store.database import Database
from aiddesk.store.models import Audit, Delivery, Event, Volunteer

NORTH = fixed_id("zone", "north")
SOUTH = fixed_id("zone", "south")
TODAY = dt.date(2026, 11, 23)
SAT_MORNING = av.from_slots([(5, 0)])


def fields(name: str = "María José Núñez", **changes: object) -> VolunteerFields:
    base = VolunteerFields(
        name=name,
        phone="(555) 201-4433",
        email="maria@example.org",
        languages=("es", "en"),
        skills=(Skill.DRIVER.value, Skill.HAS_CAR.value),
        preferred_language="es",
        zones=(NORTH,),
        availability=SAT_MORNING,
        trained=True,
        checked_on=dt.date(2026, 3, 1),
        max_runs_week=3,
        notes="Prefers mornings",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def add(db: Database, name: str = "María José Núñez", **changes: object) -> str:
    return roster.add_volunteer(db, "Rosa", fields(name, **changes), today=TODAY)


def test_add_stores_every_field_with_a_normalised_phone_and_a_code(db: Database) -> None:
    vid = add(db, "  María   José Núñez ", languages=("ES", "en", "es"), skills=("has_car", "driver"))
    record = roster.get_volunteer(db, vid)
    assert record is not None
    assert record.code == "TST-V0001" and record.active and record.runs == 0
    assert record.fields.name == "María José Núñez"
    assert record.fields.phone == "(555) 201-4433" and record.phone_e164 == "+15552014433"
    assert record.fields.languages == ("es", "en")
    assert record.fields.skills == ("driver", "has_car")  # in the usual order
    assert record.fields.zones == (NORTH,)
    assert record.fields.availability == SAT_MORNING
    assert record.fields.checked_on == dt.date(2026, 3, 1) and record.fields.trained
    with db.session() as s:
        row = s.get(Volunteer, vid)
        assert json.loads(row.languages) == ["es", "en"]
        assert [a.action for a in s.scalars(select(Audit))] == ["volunteer_added"]


def test_refused_fields_are_all_named_and_nothing_is_stored(db: Database) -> None:
    before = dump(db)
    bad = fields(
        "  ",
        phone="call me maybe",
        email="maria@",
        languages=("español",),
        skills=("juggling",),
        preferred_language="vi",
        max_runs_week=40,
        checked_on=TODAY + dt.timedelta(days=1),
        availability=1 << 21,
        zones=("no-such-zone",),
    )
    with pytest.raises(Invalid) as refused:
        roster.add_volunteer(db, "Rosa", bad, today=TODAY)
    named = {p.field for p in refused.value.problems}
    assert named == {
        "name",
        "phone",
        "email",
        "languages",
        "skills",
        "preferred_language",
        "max_runs_week",
        "checked_on",
        "availability",
        "zones",
    }
    messages = {p.field: p.message % p.params for p in refused.value.problems}
    assert messages["name"] == "This field cannot be empty."
    assert messages["phone"] == "This is not a phone number; please type its digits."
    assert (
        messages["languages"] == "“español” is not a language code; use two or three letters, like es or vi."
    )
    assert dump(db) == before


def test_edit_changes_only_what_changed(db: Database) -> None:
    vid = add(db)
    roster.edit_volunteer(db, "Luis", vid, fields(max_runs_week=5, zones=(NORTH, SOUTH)), today=TODAY)
    record = roster.get_volunteer(db, vid)
    assert record is not None
    assert record.fields.max_runs_week == 5 and record.fields.zones == (NORTH, SOUTH)
    with db.session() as s:
        audit = s.scalars(select(Audit).where(Audit.action == "volunteer_edited")).one()
    assert json.loads(audit.detail) == {"fields": ["max_runs_week", "zones"]}
    assert audit.who == "Luis"
    with pytest.raises(Invalid):
        roster.edit_volunteer(db, "Luis", "missing", fields(), today=TODAY)


def test_a_retired_zone_stays_on_a_volunteer_who_has_it_but_cannot_be_newly_chosen(db: Database) -> None:
    vid = add(db, zones=(NORTH,))
    labels_service.set_retired(db, "Rosa", "zone", NORTH, True)
    roster.edit_volunteer(db, "Rosa", vid, fields(notes="still north"), today=TODAY)
    with pytest.raises(Invalid) as refused:
        add(db, "Other", zones=(NORTH,))
    assert [p.field for p in refused.value.problems] == ["zones"]


def test_deactivate_keeps_the_volunteer_and_their_runs_and_reactivate_brings_them_back(db: Database) -> None:
    vid = add(db)
    with db.transaction("Rosa") as tx:
        tx.session.add(Delivery(id=tx.new_id(), code="TST-R1", volunteer_id=vid, date=TODAY, status="done"))
    roster.set_active(db, "Rosa", vid, False)
    record = roster.get_volunteer(db, vid)
    assert record is not None and not record.active and record.runs == 1
    assert roster.search(db, RosterFilter()) == []  # active only, by default
    assert roster.search(db, RosterFilter(active_only=False)) == [vid]
    roster.set_active(db, "Rosa", vid, True)
    assert roster.search(db, RosterFilter()) == [vid]
    with db.session() as s:
        events = [e.what for e in s.scalars(select(Event).where(Event.record_id == vid).order_by(Event.at))]
        assert events == ["deactivated", "reactivated"]
        assert s.get(Volunteer, vid) is not None


def names(db: Database, filters: RosterFilter) -> list[str]:
    return [row.name for row in roster.rows(db, roster.search(db, filters))]


@pytest.fixture
def team(db: Database) -> Database:
    add(db, "María Núñez")  # es+en, driver with car, north, Sat morning, trained
    add(
        db,
        "Bob Smith",
        languages=("en",),
        skills=("driver",),
        zones=(SOUTH,),
        availability=av.from_slots([(5, 1)]),
    )
    add(
        db,
        "Ana Tran",
        languages=("vi", "es"),
        skills=("shopping",),
        trained=False,
        checked_on=None,
        availability=av.from_slots([(5, 0), (0, 2)]),
        zones=(NORTH, SOUTH),
    )
    add(
        db,
        "Zoe Okafor",
        languages=("en",),
        skills=("has_car", "driver"),
        zones=(SOUTH,),
        availability=0,
        trained=False,
        checked_on=None,
    )
    gone = add(db, "Ángel López", languages=("es",), zones=(NORTH,))
    roster.set_active(db, "Rosa", gone, False)
    return db


def test_each_filter(team: Database) -> None:
    assert names(team, RosterFilter()) == ["Ana Tran", "Bob Smith", "María Núñez", "Zoe Okafor"]
    assert names(team, RosterFilter(active_only=False)) == [
        "Ana Tran",
        "Ángel López",
        "Bob Smith",
        "María Núñez",
        "Zoe Okafor",
    ]
    assert names(team, RosterFilter(text="maria")) == ["María Núñez"]  # accents and case aside
    assert names(team, RosterFilter(text="NÚÑ")) == ["María Núñez"]
    assert names(team, RosterFilter(text="TST-V0002")) == ["Bob Smith"]
    assert names(team, RosterFilter(text="v0002")) == ["Bob Smith"]  # the end of the code, as read aloud
    assert names(team, RosterFilter(language="es")) == ["Ana Tran", "María Núñez"]
    assert names(team, RosterFilter(language="vi")) == ["Ana Tran"]
    assert names(team, RosterFilter(driver_with_car=True)) == ["María Núñez", "Zoe Okafor"]
    assert names(team, RosterFilter(day=5, slot=0)) == ["Ana Tran", "María Núñez"]
    assert names(team, RosterFilter(day=5)) == ["Ana Tran", "Bob Smith", "María Núñez"]
    assert names(team, RosterFilter(slot=2)) == ["Ana Tran"]  # any evening
    assert names(team, RosterFilter(zone_id=SOUTH)) == ["Ana Tran", "Bob Smith", "Zoe Okafor"]
    assert names(team, RosterFilter(not_trained=True)) == ["Ana Tran", "Zoe Okafor"]


def test_filters_combined(team: Database) -> None:
    assert names(team, RosterFilter(language="es", day=5, slot=0)) == ["Ana Tran", "María Núñez"]
    assert names(team, RosterFilter(language="es", day=5, slot=0, driver_with_car=True)) == ["María Núñez"]
    assert names(team, RosterFilter(zone_id=SOUTH, not_trained=True, language="en")) == ["Zoe Okafor"]
    assert names(team, RosterFilter(language="es", active_only=False, zone_id=NORTH)) == [
        "Ana Tran",
        "Ángel López",
        "María Núñez",
    ]
    assert names(team, RosterFilter(text="zzz", language="es")) == []


def test_sorting(team: Database) -> None:
    by_code = roster.rows(team, roster.search(team, RosterFilter(), sort="code", descending=True))
    assert [r.code for r in by_code] == ["TST-V0004", "TST-V0003", "TST-V0002", "TST-V0001"]
    trained_first = roster.rows(team, roster.search(team, RosterFilter(), sort="trained", descending=True))
    assert [r.trained for r in trained_first] == [True, True, False, False]
    assert roster.languages_in_use(team) == ["en", "es", "vi"]
