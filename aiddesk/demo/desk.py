"""Demo data: a realistic bilingual desk, the same content and display codes for the same seed.

`generate()` makes plain rows (demo_generator, demo_people) from random.Random(seed); ids
are uuid4, so two demo desks never share one. `fill()` writes them in one stamped
transaction through Core executemany. `ensure_desk()` creates the desk of a new folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiddesk.demo.generator import DemoRows, generate_rows
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.models import Call, Delivery, Event, Person, Request, Synced, Volunteer
from aiddesk.store.repositories import bulk
from aiddesk.store.repositories.bulk import insert_synced
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.stamping import DeskMissing

DEFAULT_PEOPLE = 200
MIN_PEOPLE = 20
MAX_PEOPLE = 500_000
MAX_SEED = 36**5 - 1  # "D" + at most five base-36 digits: a desk code of 2 to 6 characters
CHUNK = 5_000
CODED: tuple[type[Synced], ...] = (Person, Call, Request, Volunteer, Delivery)  # kinds with display codes


class DemoRefused(Exception):
    """The demo cannot fill this desk; `reason` is English marked N_, with %(name)s params."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason % params if params else reason)
        self.reason = reason
        self.params = params

    def message(self, translate: Callable[[str], str]) -> str:
        return translate(self.reason) % self.params if self.params else translate(self.reason)


@dataclass(frozen=True)
class DemoSummary:
    desk_code: str
    seed: int
    people: int
    calls: int
    requests: int
    volunteers: int
    deliveries: int
    stops: int
    events: int


# ---- options and the desk ------------------------------------------------------------------


def desk_code_for_seed(seed: int) -> str:
    """The seed in base 36 after a "D": D1, D2S, DZZZZZ."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    n = seed
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return "D" + out


def check_options(*, seed: int, people: int) -> None:
    problems: list[Problem] = []
    if not 0 <= seed <= MAX_SEED:
        problems.append(
            Problem("seed", N_("The seed is a whole number from 0 to %(max)d."), {"max": MAX_SEED})
        )
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        problems.append(
            Problem(
                "people",
                N_("The number of people is from %(min)d to %(max)d."),
                {"min": MIN_PEOPLE, "max": MAX_PEOPLE},
            )
        )
    if problems:
        raise Invalid(problems)


def ensure_desk(db: Database, *, seed: int, desk_code: str | None = None) -> desk_service.DeskInfo:
    """The folder's desk; a new folder gets a demo desk with its own random desk id."""
    existing = desk_service.get_desk(db)
    if existing is not None:
        if desk_code and desk_code.strip().upper() != existing.code:
            raise DemoRefused(
                N_("This folder already has desk %(code)s; --desk-code only names a new desk."),
                code=existing.code,
            )
        return existing
    code = desk_code or desk_code_for_seed(seed)
    return desk_service.create_desk(
        db, name=f"Demo {code.strip().upper()}", code=code, language="en", region="US"
    )


def fill(db: Database, who: str, *, seed: int, people: int, today: dt.date) -> DemoSummary:
    """Fill the desk (which must hold no records yet) with generated data, in one transaction."""
    check_options(seed=seed, people=people)
    desk = desk_service.get_desk(db)
    if desk is None:
        raise DeskMissing("this database has no desk yet")
    if _has_records(db):
        raise DemoRefused(
            N_("Desk %(code)s already holds records; demo data goes only into an empty desk."), code=desk.code
        )
    rows = generate(seed=seed, people=people, today=today, region=desk.phone_region)
    write(db, who, desk.code, rows)
    return DemoSummary(
        desk.code,
        seed,
        len(rows.person),
        len(rows.call),
        len(rows.request),
        len(rows.volunteer),
        len(rows.delivery),
        len(rows.stop),
        len(rows.event),
    )


def _has_records(db: Database) -> bool:
    with db.session() as session:
        return any(bulk.record_counts(session).values())


def write(db: Database, who: str, desk_code: str, rows: DemoRows) -> None:
    """Give display codes and insert every row, all under one edit stamp."""
    with db.transaction(who) as tx:
        session = tx.session
        if any(bulk.record_counts(session).values()):  # checked again inside the transaction
            raise DemoRefused(
                N_("Desk %(code)s already holds records; demo data goes only into an empty desk."),
                code=desk_code,
            )
        stamp = tx.stamp()
        with bulk.large_page_cache(session):
            for model, table_rows in rows.tables():
                if model is Event:
                    for fill in rows.after_codes:
                        fill()
                if model in CODED:
                    codes = reserve_codes(session, model.kind, desk_code, len(table_rows))
                    for row, code in zip(table_rows, codes, strict=True):
                        row["code"] = code
                # Inserting in id order appends to the primary-key index instead of scattering pages.
                ordered = sorted(table_rows, key=_row_id)
                for start in range(0, len(ordered), CHUNK):
                    insert_synced(session, model, ordered[start : start + CHUNK], stamp)
        tx.audit("demo_data", people=len(rows.person), requests=len(rows.request))


def _row_id(row: dict[str, Any]) -> str:
    return row["id"]


def generate(*, seed: int, people: int, today: dt.date, region: str = "US") -> DemoRows:
    """All demo rows for `people` callers; the same content for the same seed, today and region."""
    check_options(seed=seed, people=people)
    return generate_rows(seed=seed, people=people, today=today, region=region)
