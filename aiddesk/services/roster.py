"""The roster: add, edit, deactivate and reactivate volunteers, and search them.

A volunteer is never deleted: someone who drove runs keeps their history, so
leaving the roster means being deactivated (and coming back, reactivated).
Phones are normalised with the desk's region like the intake's, the number
as typed kept beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from aiddesk.domain import roster as rules
from aiddesk.domain.access import Right, require
from aiddesk.domain.intake import phone_problem
from aiddesk.domain.phone import normalise
from aiddesk.domain.roster import VolunteerFields
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.models import Volunteer
from aiddesk.store.repositories import volunteers as repo
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.repositories.volunteers import RosterFilter, VolunteerRow
from aiddesk.store.stamping import Tx

__all__ = [
    "RosterFilter",
    "VolunteerFields",
    "VolunteerRecord",
    "VolunteerRow",
    "add_volunteer",
    "edit_volunteer",
    "get_volunteer",
    "languages_in_use",
    "rows",
    "search",
    "set_active",
]


@dataclass(frozen=True)
class VolunteerRecord:
    id: str
    code: str
    fields: VolunteerFields  # the phone as it was typed
    phone_e164: str | None
    active: bool
    runs: int  # runs they were ever given


def _fields(row: Volunteer) -> VolunteerFields:
    return VolunteerFields(
        name=row.name,
        phone=row.phone_raw,
        email=row.email,
        languages=repo.json_list(row.languages),
        skills=repo.json_list(row.skills),
        preferred_language=row.preferred_language,
        zones=repo.json_list(row.zones),
        availability=row.availability or 0,
        trained=bool(row.trained),
        checked_on=row.checked_on,
        max_runs_week=row.max_runs_week,
        notes=row.notes,
    )


def check_fields(
    tx: Tx, fields: VolunteerFields, today: dt.date | None, keep_zones: tuple[str, ...]
) -> VolunteerFields:
    """The fields tidied and checked, zones against the desk's list (a retired zone the
    volunteer already had may stay)."""
    tidied = rules.tidy(fields)
    problems = rules.problems(tidied, today=today or dt.date.today())
    # a number the desk can call back, as for a caller: "call me maybe" was stored as the phone
    if not any(p.field == "phone" for p in problems) and (
        p := phone_problem("phone", tidied.phone, tx.desk.phone_region)
    ):
        problems.append(p)
    if tidied.zones:
        retired = repo.zones_retired(tx.session, tidied.zones)
        usable = [z for z in tidied.zones if z in retired and (not retired[z] or z in keep_zones)]
        if len(usable) != len(tidied.zones):
            problems.append(
                Problem("zones", N_("A chosen zone is no longer in the list; please choose again."))
            )
    if problems:
        raise Invalid(problems)
    return tidied


def store_fields(tx: Tx, row: Volunteer, fields: VolunteerFields) -> list[str]:
    """Write the fields on the row; the names of the fields that changed."""
    phone = normalise(fields.phone, tx.desk.phone_region)
    values: dict[str, object] = {
        "name": fields.name,
        "phone": phone.e164,
        "phone_raw": phone.raw,
        "email": fields.email,
        "languages": repo.json_text(fields.languages),
        "skills": repo.json_text(fields.skills),
        "zones": repo.json_text(fields.zones),
        "availability": fields.availability,
        "trained": fields.trained,
        "checked_on": fields.checked_on,
        "max_runs_week": fields.max_runs_week,
        "preferred_language": fields.preferred_language,
        "notes": fields.notes,
    }
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def add_volunteer(db: Database, who: str, fields: VolunteerFields, *, today: dt.date | None = None) -> str:
    """A new active volunteer; returns their id. Invalid (nothing stored) names each refused field."""
    require(who, Right.VOLUNTEERS)
    with db.transaction(who) as tx:
        tidied = check_fields(tx, fields, today, ())
        (code,) = reserve_codes(tx.session, Volunteer.kind, tx.desk.code)
        row = Volunteer(id=tx.new_id(), code=code, active=True)
        store_fields(tx, row, tidied)
        tx.session.add(row)
        tx.session.flush()
        tx.audit("volunteer_added", row)
        return row.id


def _existing(tx: Tx, volunteer_id: str) -> Volunteer:
    row = repo.get_volunteer(tx.session, volunteer_id)
    if row is None:
        raise Invalid([Problem("volunteer", N_("This volunteer is no longer in the roster."))])
    return row


def edit_volunteer(
    db: Database, who: str, volunteer_id: str, fields: VolunteerFields, *, today: dt.date | None = None
) -> None:
    """Save the volunteer's fields; only the ones that changed are stamped."""
    require(who, Right.VOLUNTEERS)
    with db.transaction(who) as tx:
        row = _existing(tx, volunteer_id)
        tidied = check_fields(tx, fields, today, repo.json_list(row.zones))
        changed = store_fields(tx, row, tidied)
        if changed:
            tx.audit("volunteer_edited", row, fields=sorted(changed))


def set_active(db: Database, who: str, volunteer_id: str, active: bool) -> None:
    """Deactivate (they stay in the roster, with their runs, and are no longer suggested) or reactivate."""
    require(who, Right.VOLUNTEERS)
    with db.transaction(who) as tx:
        row = _existing(tx, volunteer_id)
        if row.active == active:
            return
        row.active = active
        what = "reactivated" if active else "deactivated"
        record_event(tx, row, what)
        tx.audit("volunteer_" + what, row)


def get_volunteer(db: Database, volunteer_id: str) -> VolunteerRecord | None:
    with db.session() as session:
        row = repo.get_volunteer(session, volunteer_id)
        if row is None:
            return None
        return VolunteerRecord(
            row.id, row.code, _fields(row), row.phone, bool(row.active), repo.runs_of(session, row.id)
        )


def search(
    db: Database, filters: RosterFilter, *, sort: str = "name", descending: bool = False, language: str = "en"
) -> list[str]:
    """The ids of the volunteers that pass `filters`, in display order (sorted in SQL; names as
    `language` sorts them)."""
    with db.session() as session:
        return repo.ordered_volunteer_ids(
            session, filters, sort=sort, descending=descending, language=language
        )


def rows(db: Database, ids: list[str]) -> list[VolunteerRow]:
    """The rows of `ids` (a window), in that order."""
    with db.session() as session:
        return repo.volunteer_rows(session, ids)


def languages_in_use(db: Database) -> list[str]:
    with db.session() as session:
        return repo.languages_in_use(session)
