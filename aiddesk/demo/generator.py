"""Demo rows: requests with their statuses and history, delivery runs and their stops.

Pure: plain dicts (no ORM objects, no database) drawn from one seeded generator (see
demo_people), so the same seed, date and region give the same content. Rows are keyed by
numbers while they are made; at the end they get fresh uuid4 ids."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiddesk.demo.content import RUN_WINDOWS, SHOWCASE_PEOPLE
from aiddesk.demo.corrections import correct
from aiddesk.demo.people import CallMeta, PeopleMaker, StopPlan, UuidSource
from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.status import NEEDS_REASON, check_move
from aiddesk.store.models import Call, Delivery, Event, Person, Request, Stop, Synced, Volunteer

STOPS_PER_RUN = 8
PLANNED_DAYS = 3  # planned runs today, tomorrow and the day after

# The status changes a request went through to reach its status (after "new").
PATHS: dict[S, tuple[S, ...]] = {
    S.NEW: (),
    S.NEEDS_INFO: (S.NEEDS_INFO,),
    S.CALL_BACK: (S.CALL_BACK,),
    S.READY: (S.READY,),
    S.ASSIGNED: (S.READY, S.ASSIGNED),
    S.OUT_FOR_DELIVERY: (S.READY, S.ASSIGNED, S.OUT_FOR_DELIVERY),
    S.DELIVERED: (S.READY, S.ASSIGNED, S.OUT_FOR_DELIVERY, S.DELIVERED),
    S.FAILED: (S.READY, S.ASSIGNED, S.OUT_FOR_DELIVERY, S.FAILED),
    S.DUPLICATE: (S.DUPLICATE,),
    S.REFERRED_OUT: (S.REFERRED_OUT,),
    S.OUT_OF_AREA: (S.OUT_OF_AREA,),
    S.WITHDRAWN: (S.READY, S.WITHDRAWN),
    S.UNABLE_TO_FULFILL: (S.READY, S.UNABLE_TO_FULFILL),
}

# Statuses forced onto a few requests so every demo desk shows each of them, and runs
# today and tomorrow (the day offset of each forced ASSIGNED request).
FORCED: tuple[tuple[S, int | None], ...] = (
    *((status, None) for status in S if status != S.ASSIGNED),
    (S.ASSIGNED, 0),
    (S.ASSIGNED, 0),
    (S.ASSIGNED, 1),
    (S.ASSIGNED, 1),
)


@dataclass
class DemoRows:
    """Rows per record kind, in the order their display codes are given."""

    person: list[dict[str, Any]] = field(default_factory=list)
    call: list[dict[str, Any]] = field(default_factory=list)
    request: list[dict[str, Any]] = field(default_factory=list)
    volunteer: list[dict[str, Any]] = field(default_factory=list)
    delivery: list[dict[str, Any]] = field(default_factory=list)
    stop: list[dict[str, Any]] = field(default_factory=list)
    event: list[dict[str, Any]] = field(default_factory=list)
    # Fill what needs display codes (given when the rows are written), before the events go in.
    after_codes: list[Callable[[], None]] = field(default_factory=list)

    def tables(self) -> Iterator[tuple[type[Synced], list[dict[str, Any]]]]:
        yield Person, self.person
        yield Call, self.call
        yield Request, self.request
        yield Volunteer, self.volunteer
        yield Delivery, self.delivery
        yield Stop, self.stop
        yield Event, self.event


def check_paths() -> None:
    """Every status path of the demo is a sequence of moves the status machine allows."""
    for target, path in PATHS.items():
        current = S.NEW
        for step in path:
            check_move(current, step, "reason" if step in NEEDS_REASON else "")
            current = step
        if current != target:
            raise ValueError(f"the demo path to {target} ends at {current}")


def generate_rows(*, seed: int, people: int, today: dt.date, region: str = "US") -> DemoRows:
    """All demo rows for `people` callers; the same content for the same seed, today and region."""
    check_paths()
    return _Generator(seed, people, today, region).run()


_EVENT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class _Generator:
    def __init__(self, seed: int, people: int, today: dt.date, region: str) -> None:
        self.maker = PeopleMaker(seed, people, today, region)
        self.rng = self.maker.rng
        self.today = today
        self.people = people
        self.rows = DemoRows()
        self.forced: dict[int, tuple[S, int | None]] = {}
        # Stops to plan once every request is known.
        self.past: dict[int, list[StopPlan]] = {}  # by day ordinal
        self.planned: list[list[StopPlan]] = [[] for _ in range(PLANNED_DAYS)]
        self.out: list[StopPlan] = []
        self.details: dict[tuple[S, S, str], str] = {}
        self.cutoff = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(20, 0))

    def run(self) -> DemoRows:
        rng, maker = self.rng, self.maker
        self.rows.volunteer = maker.volunteers()
        indices = rng.sample(range(self.people), len(FORCED))
        self.forced = dict(zip(indices, FORCED, strict=True))
        for i in range(self.people):
            person, calls = maker.person(i)
            self.rows.person.append(person)
            for call_row, call_meta in calls:
                self.rows.call.append(call_row)
                for _ in range(call_meta.requests):
                    self._request(person, call_row, call_meta)
        self._past_runs()
        self._planned_runs()
        self._corrections()
        self.rows.delivery.sort(key=lambda d: (d["date"], d["window_start"]))
        _sequential_ids(self.rows, UuidSource())
        return self.rows

    def _corrections(self) -> None:
        """People merged and erased, calls and requests deleted (demo_corrections), drawn last."""
        showcase = len(SHOWCASE_PEOPLE)
        done = correct(
            self.rows,
            self.rng,
            same_callers=self.maker.same_callers,
            protected=set(range(showcase + 2)),  # the showcase, María José's twin, José's household
            protected_requests=set(self.forced),
            when=self.maker.utc(self.cutoff),
            new_key=self.maker.key,
            coordinator=self.maker.coordinator,
        )
        self.rows.after_codes.extend(done.after_codes)

    # -- requests --

    def _request(self, person: dict[str, Any], call: dict[str, Any], meta: CallMeta) -> None:
        rng, maker = self.rng, self.maker
        index = len(self.rows.request)
        created = meta.local + dt.timedelta(minutes=rng.randint(1, 10))
        age = (self.today - created.date()).days
        forced = self.forced.get(index)
        status = forced[0] if forced else maker.status_for_age(age)
        lang = meta.text_lang
        category = maker.category()
        request_id = self.maker.key()
        reason, follow_up, failure = "", None, ""
        if status == S.FAILED:
            failure = maker.failure_reason()
            reason = maker.failure_text(failure, lang)
        elif status in maker.reasons:
            reason = maker.reason(status, lang)
        if status == S.CALL_BACK:
            follow_up = self.today + dt.timedelta(days=rng.randint(-2, 5))
        elif status == S.NEEDS_INFO and rng.random() < 0.5:
            follow_up = self.today + dt.timedelta(days=rng.randint(0, 3))
        self.rows.request.append(
            {
                "id": request_id,
                "code": None,
                "person_id": person["id"],
                "call_id": call["id"],
                "category_id": maker.category_ids[category],
                "details": maker.details(category, lang),
                "urgency": maker.urgency(),
                "recurring": maker.recurring(category),
                "status": str(status),
                "status_reason": reason,
                "follow_up": follow_up,
                "created_at": maker.utc(created),
            }
        )
        plan = StopPlan(
            request_id, status, created, meta.taker, lang, reason, failure, person["zone_id"] or ""
        )
        if status in (S.DELIVERED, S.FAILED):
            day = created.date() + dt.timedelta(days=rng.randint(0, min(6, age - 1)))
            self.past.setdefault(day.toordinal(), []).append(plan)
        elif status == S.ASSIGNED:
            day_offset = forced[1] if forced and forced[1] is not None else rng.randrange(PLANNED_DAYS)
            self.planned[day_offset].append(plan)
        elif status == S.OUT_FOR_DELIVERY:
            self.out.append(plan)
        else:
            self._desk_events(plan)

    def _desk_events(self, plan: StopPlan) -> None:
        """Status changes made at the desk (no run involved)."""
        path = PATHS[plan.status]
        if not path:
            return
        first = plan.created + dt.timedelta(minutes=self.rng.randint(2, 30))
        if len(path) == 1:
            self._event(plan, S.NEW, path[0], plan.taker, first, plan.reason)
            return
        later = _between(plan.created, self.cutoff, self.rng.uniform(0.4, 0.95))
        self._event(plan, S.NEW, path[0], plan.taker, first)
        self._event(plan, path[0], path[1], self.maker.coordinator(), later, plan.reason)

    def _event(self, plan: StopPlan, old: S, new: S, who: str, at: dt.datetime, reason: str = "") -> None:
        self.rows.event.append(
            {
                "id": self.maker.key(),
                "record_kind": "request",
                "record_id": plan.request_id,
                "what": "status",
                "detail": self._detail(old, new, reason),
                "who": who,
                "at": self.maker.utc(at),
            }
        )

    def _detail(self, old: S, new: S, reason: str) -> str:
        """The event's JSON detail (few distinct ones: encoded once each)."""
        key = (old, new, reason)
        text = self.details.get(key)
        if text is None:
            text = self.details[key] = _EVENT_JSON.encode(
                {"from": str(old), "to": str(new), "reason": reason}
            )
        return text

    def _ready_and_assigned(self, plan: StopPlan, run_start: dt.datetime) -> None:
        rng = self.rng
        ready = _between(plan.created, run_start, rng.uniform(0.02, 0.3))
        assigned = _between(plan.created, run_start, rng.uniform(0.4, 0.9))
        self._event(plan, S.NEW, S.READY, plan.taker, ready)
        self._event(plan, S.READY, S.ASSIGNED, self.maker.coordinator(), assigned)

    # -- runs --

    def _run(self, volunteer: dict[str, Any], day: dt.date, slot: int, status: str) -> dict[str, Any]:
        start, end = RUN_WINDOWS[slot]
        run = {
            "id": self.maker.key(),
            "code": None,
            "volunteer_id": volunteer["id"],
            "date": day,
            "window_start": start,
            "window_end": end,
            "status": status,
            "notes": self.maker.run_note(volunteer),
        }
        self.rows.delivery.append(run)
        return run

    def _stop(
        self,
        run: dict[str, Any],
        plan: StopPlan,
        position: int,
        outcome: str,
        recorded: dt.datetime | None,
        note: str = "",
    ) -> None:
        """A stop; `recorded` is when its outcome was recorded (None while pending)."""
        delivered = recorded if outcome in ("delivered", "left_at_door") else None
        self.rows.stop.append(
            {
                "id": self.maker.key(),
                "delivery_id": run["id"],
                "request_id": plan.request_id,
                "position": position,
                "outcome": outcome,
                "failure_reason": plan.failure,
                "note": note,
                "delivered_at": self.maker.utc(delivered) if delivered else None,
                "recorded_at": self.maker.utc(recorded) if recorded else None,
            }
        )

    def _past_runs(self) -> None:
        """Done runs of the last weeks: each request delivered or failed on its stop."""
        rng, maker = self.rng, self.maker
        for ordinal, plans in sorted(self.past.items()):
            day = dt.date.fromordinal(ordinal)
            plans.sort(key=lambda p: p.zone)
            for chunk in _chunks(plans, math.ceil(len(plans) / STOPS_PER_RUN)):
                # Calls end before the evening runs start: a request taken that day goes in the evening.
                slot = 2 if any(p.created.date() == day for p in chunk) else rng.randint(0, 2)
                volunteer = maker.driver_for(day, slot)
                run = self._run(volunteer, day, slot, "done")
                run_start = dt.datetime.combine(day, _window(slot)[0])
                minutes = sorted(rng.randint(5, 175) for _ in chunk)
                for position, (plan, minute) in enumerate(zip(chunk, minutes, strict=True), start=1):
                    attempt = run_start + dt.timedelta(minutes=minute)
                    self._ready_and_assigned(plan, run_start)
                    self._event(plan, S.ASSIGNED, S.OUT_FOR_DELIVERY, volunteer["name"], run_start)
                    if plan.status == S.DELIVERED:
                        outcome = "left_at_door" if rng.random() < 0.15 else "delivered"
                        self._stop(run, plan, position, outcome, attempt, maker.stop_note(volunteer))
                    else:
                        self._stop(run, plan, position, "failed", attempt, plan.reason)
                    self._event(
                        plan, S.OUT_FOR_DELIVERY, plan.status, volunteer["name"], attempt, plan.reason
                    )
        day = self.today - dt.timedelta(days=3)
        cancelled = self._run(maker.driver_for(day, 1), day, 1, "cancelled")
        cancelled["notes"] = maker.cancelled_note()

    def _planned_runs(self) -> None:
        """Runs today, tomorrow and the day after, alternating English- and Spanish-speaking drivers."""
        rng, maker = self.rng, self.maker
        languages = ("en", "es")
        for offset, plans in enumerate(self.planned):
            day = self.today + dt.timedelta(days=offset)
            plans.sort(key=lambda p: p.zone)
            for i, chunk in enumerate(_chunks(plans, _run_count(len(plans)))):
                slot = rng.randint(0, 2)
                run = self._run(maker.driver_for(day, slot, languages[i % 2]), day, slot, "planned")
                for position, plan in enumerate(chunk, start=1):
                    self._ready_and_assigned(plan, self.cutoff)
                    self._stop(run, plan, position, "pending", None)
        morning = dt.datetime.combine(self.today, _window(0)[0])
        for i, chunk in enumerate(_chunks(self.out, _run_count(len(self.out)))):
            volunteer = maker.driver_for(self.today, 0, languages[i % 2])
            run = self._run(volunteer, self.today, 0, "out")
            for position, plan in enumerate(chunk, start=1):
                self._ready_and_assigned(plan, self.cutoff)
                self._event(plan, S.ASSIGNED, S.OUT_FOR_DELIVERY, volunteer["name"], morning)
                self._stop(run, plan, position, "pending", None)


# Columns of each kind that name another record (always of a kind relabelled before it).
_REFERENCES: dict[str, tuple[str, ...]] = {
    "call": ("person_id",),
    "request": ("person_id", "call_id"),
    "delivery": ("volunteer_id",),
    "stop": ("delivery_id", "request_id"),
    "event": ("record_id",),
}


def _sequential_ids(rows: DemoRows, new_id: Callable[[], str]) -> None:
    """Replace the generator's row keys by fresh uuid4 ids, handed out in ascending order along the rows.

    The ids stay random, but a table's rows and the rows that name them then reach SQLite in index
    order: a load of a million rows appends to its indexes instead of scattering pages (about twice
    as fast at 100,000 people)."""
    fresh: dict[int, str] = {}
    for kind in ("person", "call", "request", "volunteer", "delivery", "stop", "event"):
        table: list[dict[str, Any]] = getattr(rows, kind)
        references = _REFERENCES.get(kind, ())
        for row in table:
            for column in references:
                row[column] = fresh[row[column]]
        if kind in ("stop", "event"):  # no display code: order them by what they belong to
            first = "delivery_id" if kind == "stop" else "record_id"
            second = "position" if kind == "stop" else "at"
            table.sort(key=lambda row: (row[first], row[second]))
        for row, new in zip(table, sorted(new_id() for _ in table), strict=True):
            fresh[row["id"]] = new
            row["id"] = new
    for row in rows.person:  # a merged person names the one it was merged into
        if row.get("replaced_by") is not None:
            row["replaced_by"] = fresh[row["replaced_by"]]


def _run_count(stops: int) -> int:
    """Runs for a day's planned stops: at least two when there are two stops (one per language)."""
    if stops == 0:
        return 0
    return max(min(stops, 2), math.ceil(stops / STOPS_PER_RUN))


def _chunks(items: list[StopPlan], count: int) -> Iterator[list[StopPlan]]:
    """`items` cut into `count` contiguous parts of nearly equal size."""
    if count <= 0:
        return
    size, extra = divmod(len(items), count)
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        yield items[start:end]
        start = end


def _window(slot: int) -> tuple[dt.time, dt.time]:
    start, end = RUN_WINDOWS[slot]
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def _between(start: dt.datetime, end: dt.datetime, fraction: float) -> dt.datetime:
    return start + (end - start) * fraction
