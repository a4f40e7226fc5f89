"""A desk for the report tests, and the report's figures computed independently of its SQL.

The desk's clock is America/New_York and the period is November 2026, whose first day is also
the day daylight saving ends: records sit just inside and just outside both ends of it (a call at
23:55 on October 31 local time is already November 1 in UTC), and every rule of what counts is
met: a person merged into another (with a request and a call still under the merged record, as
when another desk's workbook arrives after the merge), an erased person, deleted calls, requests
and stops, a request delivered in the period but made before it, a stop that failed then was
delivered.

`expected()` reads every record whole and applies the definitions in plain Python."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from sqlalchemy import select

from aiddesk.domain.enums import FailureReason
from aiddesk.i18n.catalog import load_translations
from aiddesk.services.deliveries import dispatch
from aiddesk.services.people import erasure
from aiddesk.services.people.person import merge_people
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Call, Delivery, NeedCategory, Person, Request, Stop, Volunteer, Zone
from tests.record_makers import NEED, ZONE

NEW_YORK = ZoneInfo("America/New_York")
FIRST = dt.date(2026, 11, 1)
LAST = dt.date(2026, 11, 30)


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """Naive UTC of a New York wall time."""
    return (
        dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK).astimezone(dt.UTC).replace(tzinfo=None)
    )


@dataclass
class ReportDesk:
    people: dict[str, str]
    requests: dict[str, str]


class _Maker:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.n = 0

    def code(self, prefix: str) -> str:
        self.n += 1
        return f"TST-{prefix}{self.n:04d}"

    def person(self, name: str, zone: str | None, language: str) -> str:
        with self.db.transaction("Ana") as tx:
            person = Person(
                id=tx.new_id(),
                code=self.code("P"),
                name=name,
                phone="+16175550100",
                phone_raw="617 555 0100",
                address=f"{name} St 1",
                zone_id=ZONE[zone] if zone else None,
                language=language,
                consent=True,
            )
            tx.session.add(person)
        return person.id

    def request(self, person: str, need: str, created: dt.datetime, status: str = "ready") -> str:
        with self.db.transaction("Ana") as tx:
            request = Request(
                id=tx.new_id(),
                code=self.code("R"),
                person_id=person,
                category_id=NEED[need],
                details="rice",
                status=status,
                created_at=created,
            )
            tx.session.add(request)
        return request.id

    def call(self, person: str, taken: dt.datetime, *, deleted: bool = False) -> str:
        with self.db.transaction("Ana") as tx:
            call = Call(id=tx.new_id(), code=self.code("C"), person_id=person, taken_at=taken)
            tx.session.add(call)
        if deleted:
            self.delete(Call, call.id)
        return call.id

    def delete(self, model: Any, record_id: str) -> None:
        """A delete as the app (or a merged workbook) makes it: a stamped edit."""
        with self.db.transaction("Ana") as tx:
            tx.session.get(model, record_id).deleted = True

    def volunteer(self) -> str:
        with self.db.transaction("Ana") as tx:
            volunteer = Volunteer(id=tx.new_id(), code=self.code("V"), name="Luis Ortega", active=True)
            tx.session.add(volunteer)
        return volunteer.id

    def run(
        self, volunteer: str, day: dt.date, outcomes: list[tuple[str, str, dt.datetime]]
    ) -> dict[str, str]:
        """A run on `day` whose stops are recorded: (request id, outcome or failure reason, when).
        Returns stop ids by request id."""
        run = dispatch.plan_run(
            self.db,
            "Marta",
            volunteer_id=volunteer,
            date=day,
            window_start="09:00",
            window_end="12:00",
            request_ids=[r for r, _o, _w in outcomes],
        )
        dispatch.start_run(self.db, "Marta", run)
        with self.db.session() as session:
            stops = {s.request_id: s.id for s in session.scalars(select(Stop).where(Stop.delivery_id == run))}
        for request, outcome, when in outcomes:
            if outcome in ("delivered", "left_at_door"):
                dispatch.record_stop(self.db, "Marta", stops[request], outcome, when=when)
            else:
                dispatch.record_stop(
                    self.db, "Marta", stops[request], "failed", failure_reason=outcome, when=when
                )
        return stops


def build(db: Database) -> ReportDesk:
    m = _Maker(db)
    p = {
        "ana": m.person("Ana Núñez", "north", "es"),
        "beto": m.person("Beto Smith", "south", "en"),
        "carla": m.person("Carla Ngô", "east", "vi"),
        "dora": m.person("Dora Warsame", "west", "so"),
        "eli": m.person("Eli", None, ""),
    }
    merge_people(db, "Marta", p["ana"], p["carla"])  # Carla was Ana recorded twice
    r = {
        "before": m.request(p["ana"], "groceries", local(2026, 10, 31, 23, 50)),  # made before the period
        "first_minute": m.request(p["ana"], "groceries", local(2026, 11, 1, 0, 30)),
        "beto_medicine": m.request(p["beto"], "prescriptions", local(2026, 11, 15)),
        "last_minute": m.request(p["beto"], "groceries", local(2026, 11, 30, 23, 45)),
        "after": m.request(p["beto"], "groceries", local(2026, 12, 1, 0, 10)),
        # Arrived from another desk after the merge: still under Carla's record; counts as Ana.
        "carla_meal": m.request(p["carla"], "hot_meals", local(2026, 11, 10)),
        "dora_ride": m.request(p["dora"], "rides", local(2026, 11, 2)),
        "eli": m.request(p["eli"], "groceries", local(2026, 11, 20)),
        "deleted": m.request(p["ana"], "groceries", local(2026, 11, 12)),
        "delivered_then_deleted": m.request(p["beto"], "groceries", local(2026, 11, 8)),
        "still_new": m.request(p["eli"], "hygiene", local(2026, 11, 25), status="new"),
        "carla_waits": m.request(p["carla"], "pet_care", local(2026, 10, 20), status="call_back"),
    }
    m.delete(Request, r["deleted"])
    luis = m.volunteer()
    m.run(
        luis,
        dt.date(2026, 11, 3),
        [
            (r["first_minute"], "delivered", local(2026, 11, 3, 10)),
            (r["dora_ride"], "delivered", local(2026, 11, 3, 11)),
            (r["before"], "not_home", local(2026, 11, 3, 12)),
        ],
    )
    m.run(luis, dt.date(2026, 11, 9), [(r["delivered_then_deleted"], "delivered", local(2026, 11, 9))])
    m.delete(Request, r["delivered_then_deleted"])
    m.run(
        luis,
        dt.date(2026, 11, 16),
        [
            (r["beto_medicine"], "left_at_door", local(2026, 11, 16, 9)),
            (r["carla_meal"], "delivered", local(2026, 11, 16, 10)),
        ],
    )
    eli_stops = m.run(luis, dt.date(2026, 11, 21), [(r["eli"], "bad_address", local(2026, 11, 21))])
    m.delete(Stop, eli_stops[r["eli"]])  # a stop deleted at another desk: its failure does not count
    m.run(luis, dt.date(2026, 11, 22), [(r["eli"], "unreachable", local(2026, 11, 22, 18))])
    m.run(luis, dt.date(2026, 11, 30), [(r["before"], "delivered", local(2026, 11, 30, 23, 30))])
    m.run(luis, dt.date(2026, 12, 1), [(r["last_minute"], "delivered", local(2026, 12, 1, 0, 30))])
    # Calls around both ends: 23:55 on October 31 is already November 1 in UTC.
    m.call(p["ana"], local(2026, 10, 31, 23, 55))
    m.call(p["ana"], local(2026, 11, 1, 0, 5))
    m.call(p["beto"], local(2026, 11, 30, 23, 59))  # already December 1 in UTC
    m.call(p["beto"], local(2026, 12, 1, 0, 1))
    m.call(p["carla"], local(2026, 11, 10))
    m.call(p["dora"], local(2026, 11, 5))
    m.call(p["eli"], local(2026, 11, 12), deleted=True)
    erasure.erase_person(db, "Marta", p["dora"])  # after the help: her records still count
    return ReportDesk(p, r)


def make_desk_folder(folder: Path, template: Path) -> ReportDesk:
    """A data folder (from the desk template) holding this desk; closed afterwards."""
    folder.mkdir(parents=True)
    target = folder / "aiddesk.db"
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    with sqlite3.connect(target) as con:  # as tests/conftest.py's copies
        con.execute("DELETE FROM setting WHERE key = 'database_file'")
    con.close()
    db = open_database(target)
    try:
        return build(db)
    finally:
        db.close()


# ---- the figures, computed from the records ---------------------------------------------------------


def rows_of(db: Database, model: Any) -> list[Any]:
    with db.session() as session:
        return list(session.scalars(select(model)))


def expected(db: Database, first: dt.date, last: dt.date, tz: dt.tzinfo, language: str) -> dict[str, Any]:
    """What `report --json` must print, from the definitions alone."""

    def in_period(when: dt.datetime | None) -> bool:
        return when is not None and first <= when.replace(tzinfo=dt.UTC).astimezone(tz).date() <= last

    people = {p.id: p for p in rows_of(db, Person)}

    def counted_as(person_id: str) -> Person:
        person = people[person_id]
        while person.replaced_by:
            person = people[person.replaced_by]
        return person

    requests = {r.id: r for r in rows_of(db, Request)}
    runs = {d.id: d for d in rows_of(db, Delivery)}
    stops = [
        s
        for s in rows_of(db, Stop)
        if not s.deleted and not runs[s.delivery_id].deleted and not requests[s.request_id].deleted
    ]
    calls = [c for c in rows_of(db, Call) if not c.deleted and in_period(c.taken_at)]
    opened = [r for r in requests.values() if not r.deleted and in_period(r.created_at)]
    delivered_stops = [s for s in stops if s.outcome in ("delivered", "left_at_door")]
    delivered = {s.request_id for s in delivered_stops if in_period(s.recorded_at)}
    failed = [s for s in stops if s.outcome == "failed" and in_period(s.recorded_at)]
    spans = []
    for request_id in delivered:
        first_delivery = min(s.recorded_at for s in delivered_stops if s.request_id == request_id)
        spans.append((first_delivery - requests[request_id].created_at).total_seconds() / 86400)

    catalog = load_translations(language)
    languages = Locale.parse(language).languages
    needs = {c.id: c for c in rows_of(db, NeedCategory)}
    zones = {z.id: z for z in rows_of(db, Zone)}

    def label(row: Any) -> str:
        return row.label_es if language == "es" else row.label_en

    def zone_of(request: Request) -> str:
        zone_id = counted_as(request.person_id).zone_id
        return label(zones[zone_id]) if zone_id else catalog.gettext("No zone")

    def language_of(request: Request) -> str:
        code = counted_as(request.person_id).language
        return languages[code] if code else catalog.gettext("Not recorded")

    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "calls": len(calls),
        "requests_opened": len(opened),
        "requests_delivered": len(delivered),
        "households_served": len({counted_as(requests[r].person_id).id for r in delivered}),
        "stops_failed": len(failed),
        "stops_failed_by_reason": dict(
            Counter(catalog.gettext(FailureReason(s.failure_reason).label) for s in failed)
        ),
        "median_days_to_delivery": round(statistics.median(spans), 1) if spans else None,
        "by_need": dict(Counter(label(needs[r.category_id]) for r in opened)),
        "by_zone": dict(Counter(zone_of(r) for r in opened)),
        "by_language": dict(Counter(language_of(r) for r in opened)),
    }
