"""What the period reports count, read straight from the records.

A record counts when the app shows it: tombstones never (a stop also needs its run and its
request live); the records of an erased person do (the help happened); a person merged into
another counts as that other. Days are given as their naive UTC boundaries (`bounds`: the
start of each local day, then the end of the last), so the desk's time zone stays the
caller's business. Nothing here reads a name, a phone or an address.

Fast at a year of 100,000 people: times are compared as the text SQLite holds (no datetime
parsing per row), the person facts come from one covering index (ix_person_report), and
requests are joined to their people in Python (one pass each) instead of one lookup per row."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Connection, String, func, select, type_coerce
from sqlalchemy.orm import Session

from aiddesk.domain.enums import StopOutcome
from aiddesk.store.models import Call, Delivery, NeedCategory, Person, Request, Stop, Zone
from aiddesk.store.repositories.bulk import large_page_cache

DELIVERED = (StopOutcome.DELIVERED.value, StopOutcome.LEFT_AT_DOOR.value)
CHUNK = 900  # ids per IN (...)
MAX_HOPS = 20  # replaced_by chains longer than this are broken data, not merges
REPORT_CACHE_MB = 128
FEW_PEOPLE = 5_000  # below this, people are looked up by id; above, read whole from the index


def stored(value: dt.datetime) -> str:
    """A naive datetime as SQLite holds it (SQLAlchemy's text form): text order is time order."""
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


@contextmanager
def report_reading(session: Session, mebibytes: int = REPORT_CACHE_MB) -> Iterator[None]:
    """A larger page cache while a report reads: its lookups into the wide request rows hit the
    same pages again and again (a year at 100,000 people: 1.1 -> 0.7 s for the deliveries)."""
    with large_page_cache(session, mebibytes):
        yield


def _core(session: Session) -> Connection:
    """The session's connection: Core rows, without the ORM's per-row work."""
    return session.connection()


def _text(column: Any) -> ColumnElement[str]:
    """The column's stored text, unparsed."""
    return type_coerce(column, String)


class _Days:
    """The local day (index into `bounds`) of stored times."""

    def __init__(self, bounds: Sequence[dt.datetime]) -> None:
        if len(bounds) < 2:
            raise ValueError("bounds hold at least the start and the end of one day")
        self.starts = [stored(b) for b in bounds[:-1]]
        self.end = stored(bounds[-1])
        self.first = bounds[0]
        self.last = bounds[-1]

    def index(self, text: str) -> int | None:
        if text >= self.end or text < self.starts[0]:
            return None
        return bisect_right(self.starts, text) - 1

    def counts(self, conn: Connection, column: Any, *conditions: Any) -> list[int]:
        """How many rows (meeting `conditions`) have `column` on each day. SQLite counts them by
        hour (by minute where a day starts off the hour, as in India), so few rows come back."""
        on_the_hour = all(s[13:] == ":00:00.000000" for s in [*self.starts, self.end])
        width = 13 if on_the_hour else 16
        padding = ":00:00.000000"[: 26 - width]
        bucket = func.substr(column, 1, width)
        query = (
            select(bucket, func.count())
            .where(column >= self.first, column < self.last, *conditions)
            .group_by(bucket)
        )
        out = [0] * len(self.starts)
        for start, count in conn.execute(query).all():
            index = self.index(start + padding)
            if index is not None:
                out[index] += count
        return out


@dataclass
class OpenedFigures:
    per_day: list[int]
    # (need category id, zone id, language) -> requests: each request with its person's (after merges)
    groups: Counter[tuple[str, str | None, str]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.per_day)


@dataclass
class DeliveredFigures:
    """Requests with a stop delivered (or left at the door) in the period."""

    households: int  # distinct people (after merges)
    per_day: list[int]  # by the local day of their last such stop in the period
    # Days from the request's creation to its first such stop ever, by the same day.
    spans: list[list[float]]

    @property
    def requests(self) -> int:
        return sum(self.per_day)


@dataclass(frozen=True)
class Label:
    en: str
    es: str

    def in_language(self, language: str) -> str:
        """The label in `language`, else the other one (a group may have typed only one)."""
        return (self.es or self.en) if language == "es" else (self.en or self.es)


# ---- the figures ---------------------------------------------------------------------------------


def calls_per_day(session: Session, bounds: Sequence[dt.datetime]) -> list[int]:
    """Live calls taken on each day."""
    return _Days(bounds).counts(_core(session), Call.taken_at, Call.deleted.is_(False))


def opened_requests(session: Session, bounds: Sequence[dt.datetime], people: People) -> OpenedFigures:
    """Live requests created on each day, and by need, zone and language of their person."""
    days = _Days(bounds)
    live = Request.deleted.is_(False)
    figures = OpenedFigures(days.counts(_core(session), Request.created_at, live))
    # Counted here, not by SQLite: sorting 150,000 rows to group them costs more than counting them
    # (measured again at 100,000 people: a LEFT JOIN to person grouped by SQLite took a quarter longer).
    query = select(Request.category_id, Request.person_id).where(
        Request.created_at >= days.first, Request.created_at < days.last, live
    )
    rows = _core(session).execute(query).all()
    facts = people.facts({person for _c, person in rows})
    groups: dict[tuple[str, str | None, str], int] = {}
    for category, person in rows:
        key = (category, *facts.get(person, NO_FACTS))
        groups[key] = groups.get(key, 0) + 1
    figures.groups.update(groups)
    return figures


def delivered_requests(session: Session, bounds: Sequence[dt.datetime], people: People) -> DeliveredFigures:
    days = _Days(bounds)
    # SQLite groups the delivered stops by request (in C): for each, its first delivery ever and
    # its last in the period, with the request's creation and person, joined by primary key. Stops
    # of deleted runs never count; deleted requests are left out here, not in SQL (a condition on
    # request.deleted would send SQLite through the queue's index instead of the stops).
    outcomes = ", ".join(f"'{o}'" for o in DELIVERED)
    rows = (
        _core(session)
        .exec_driver_sql(
            "SELECT min(s.recorded_at), max(s.recorded_at) FILTER (WHERE s.recorded_at >= ?), "
            "r.created_at, r.person_id, r.deleted "
            "FROM stop s JOIN request r ON r.id = s.request_id "
            f"WHERE s.outcome IN ({outcomes}) AND s.deleted = 0 AND s.recorded_at IS NOT NULL "
            "AND s.recorded_at < ? "
            "AND s.delivery_id NOT IN (SELECT id FROM delivery WHERE deleted = 1) "
            "GROUP BY s.request_id",
            (days.starts[0], days.end),
        )
        .all()
    )
    figures = DeliveredFigures(0, [0] * len(days.starts), [[] for _ in days.starts])
    households: set[str] = set()
    parse = dt.datetime.fromisoformat
    for first, last, created, person, deleted in rows:
        if last is None or deleted:
            continue
        index = days.index(last)
        if index is None:
            continue
        figures.per_day[index] += 1
        figures.spans[index].append((parse(first) - parse(created)).total_seconds() / 86400)
        households.add(people.resolve(person))
    figures.households = len(households)
    return figures


def failed_stops(session: Session, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """Live stops recorded failed in [start, end), by reason."""
    query = (
        select(Stop.failure_reason, Request.deleted, func.count())
        .join(Delivery, Delivery.id == Stop.delivery_id)
        .join(Request, Request.id == Stop.request_id)
        .where(
            Stop.deleted.is_(False),
            Delivery.deleted.is_(False),
            Stop.outcome == StopOutcome.FAILED.value,
            Stop.recorded_at >= start,
            Stop.recorded_at < end,
        )
        .group_by(Stop.failure_reason, Request.deleted)
    )
    out: dict[str, int] = {}
    # "deleted" checked here, not in SQL: a condition on it would send SQLite through the
    # request queue's index (it starts with "deleted") instead of the stops of the period.
    for reason, deleted, count in _core(session).execute(query):
        if not deleted:
            out[reason] = out.get(reason, 0) + count
    return out


def open_requests(
    session: Session, statuses: Iterable[str], people: People
) -> Counter[tuple[str, str | None]]:
    """Open requests now, by (need category id, zone id of their person after merges)."""
    query = (
        select(Request.category_id, Request.person_id, func.count())
        .where(Request.deleted.is_(False), Request.status.in_(list(statuses)))
        .group_by(Request.category_id, Request.person_id)
    )
    rows = _core(session).execute(query).all()
    facts = people.facts({person for _c, person, _n in rows})
    out: Counter[tuple[str, str | None]] = Counter()
    for category, person, count in rows:
        out[(category, facts.get(person, NO_FACTS)[0])] += count
    return out


# ---- people merged into others, and the labels of lists -------------------------------------------


def merged_into(session: Session) -> dict[str, str]:
    """person id -> the id it was merged into, for every merged person (few: an index finds them)."""
    query = select(Person.id, Person.replaced_by).where(Person.replaced_by.is_not(None))
    return {pid: target for pid, target in _core(session).execute(query) if target}


def resolve(person_id: str, merged: dict[str, str]) -> str:
    """The person a record counts as: followed through merges to the one kept."""
    hops = 0
    while person_id in merged and hops < MAX_HOPS:
        person_id = merged[person_id]
        hops += 1
    return person_id


NO_FACTS: tuple[str | None, str] = (None, "")


class People:
    """What one report reads of people, read once: who was merged into whom, and each
    person's (zone id, language) as counted (a merged person's are those of the one kept)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.merged = merged_into(session)
        self._facts: dict[str, tuple[str | None, str]] = {}
        self._all = False

    def resolve(self, person_id: str) -> str:
        return resolve(person_id, self.merged)

    def facts(self, ids: set[str]) -> dict[str, tuple[str | None, str]]:
        """(zone id, language) by person id for at least `ids`, merged people resolved."""
        wanted = {self.resolve(p) for p in ids}
        missing = wanted if self._all else wanted - self._facts.keys()
        if missing and not self._all:
            self._load(missing)
        for person in ids & self.merged.keys():
            self._facts[person] = self._facts.get(self.resolve(person), NO_FACTS)
        return self._facts

    def _load(self, ids: set[str]) -> None:
        columns = (Person.id, Person.zone_id, Person.language)
        conn = _core(self._session)
        if len(ids) > FEW_PEOPLE:  # everyone, from the index alone (ix_person_report)
            self._facts.update(
                {pid: (zone, language) for pid, zone, language in conn.execute(select(*columns))}
            )
            self._all = True
            return
        wanted = sorted(ids)
        for start in range(0, len(wanted), CHUNK):
            query = select(*columns).where(Person.id.in_(wanted[start : start + CHUNK]))
            self._facts.update({pid: (zone, language) for pid, zone, language in conn.execute(query)})


def need_labels(session: Session) -> dict[str, Label]:
    """Every need category's labels (retired and deleted ones too: old requests name them)."""
    query = select(NeedCategory.id, NeedCategory.label_en, NeedCategory.label_es)
    return {row_id: Label(en, es) for row_id, en, es in _core(session).execute(query)}


def zone_labels(session: Session) -> dict[str, Label]:
    query = select(Zone.id, Zone.label_en, Zone.label_es)
    return {row_id: Label(en, es) for row_id, en, es in _core(session).execute(query)}
