"""Storing the rows of a spreadsheet import a person approved: after a verified backup, in one
transaction, through the same paths as the intake and the roster (people and their requests
with a "created" event each; volunteers checked as the roster form checks them).

A row attached to someone already on the desk fills only what their record lacks (what is
stored wins: it was typed by a volunteer who spoke to them) and adds the row's needs as new
requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from aiddesk.domain import backup_rotation as rotation
from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.intake import IntakeForm, NeedRow, clean, merge_person
from aiddesk.domain.roster import VolunteerFields
from aiddesk.domain.sheet_fields import SheetKind
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services import roster
from aiddesk.services.exchange.sheet_import.plan import Decision, ImportSummary, Planned, plan, summarise
from aiddesk.services.exchange.sheet_import.preview import Preview, region
from aiddesk.services.history import record_event
from aiddesk.services.intake.calls import _person, known_caller
from aiddesk.store import backup as backups
from aiddesk.store.database import Database
from aiddesk.store.models import Request, Volunteer
from aiddesk.store.repositories import volunteers as volunteers_repo
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.repositories.people import intake_checks as callers_repo
from aiddesk.store.stamping import Tx, utcnow


def _gone(row: int) -> Invalid:
    return Invalid(
        [
            Problem(
                "row",
                N_("Row %(row)d was to be added to a record that is no longer on this desk; look again."),
                {"row": row},
            )
        ]
    )


def store(
    db: Database,
    who: str,
    found: Preview,
    decisions: dict[int, Decision],
    *,
    backup_dir: Path | None = None,
    now: dt.datetime | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Store the rows as decided; all or nothing. Raises Invalid (nothing stored) when a record a
    row was to be added to, or a need or zone it names, is gone since the preview."""
    planned = plan(found, decisions)
    if not planned:
        return summarise(found, decisions)
    copy = backups.take(db.path, backup_dir or db.path.parent / "backups", rotation.IMPORT, key=db.key).path
    if found.kind is SheetKind.PERSON_REQUESTS:
        _store_people(db, who, found, planned, now or utcnow())
    else:
        _store_volunteers(db, who, found, planned, today or dt.date.today())
    return summarise(found, decisions, backup=copy)


# ---- people and their requests --------------------------------------------------------------------


def _utc(value: dt.datetime | None, fallback: dt.datetime) -> dt.datetime:
    """When a row's request was made, as naive UTC (a time without a zone is this computer's)."""
    if value is None:
        return fallback
    return value.astimezone(dt.UTC).replace(tzinfo=None)


def _store_people(db: Database, who: str, found: Preview, planned: list[Planned], now: dt.datetime) -> None:
    region_code = region(db)
    known: dict[str, IntakeForm] = {}  # person on the desk -> their record as a form
    for item in planned:
        if item.record_id is not None and item.record_id not in known:
            caller = known_caller(db, item.record_id, region_code)
            if caller is None:
                raise _gone(item.item.row)
            known[item.record_id] = caller.form
    with db.transaction(who) as tx:
        _check_needs_and_zones(tx, planned)
        desk_code = tx.desk.code
        for kind in ("person", "request"):  # their code counters exist before the rows are added
            reserve_codes(tx.session, kind, desk_code, 0)
        tx.session.flush()
        _add_people(tx, found, planned, known, region_code, now)
        tx.audit("sheet_imported", source=found.source, sheet=found.sheet, rows=len(planned))


def _add_people(
    tx: Tx,
    found: Preview,
    planned: list[Planned],
    known: dict[str, IntakeForm],
    region_code: str,
    now: dt.datetime,
) -> None:
    desk_code = tx.desk.code
    stored: dict[int, IntakeForm] = {}  # sheet row -> its person's record as a form
    with tx.session.no_autoflush:  # one flush when the transaction ends, not one per row
        for item in planned:
            outcome = item.item.outcome
            assert outcome.form is not None and outcome.intake is not None
            base = known[item.record_id] if item.record_id else stored.get(item.row or 0)
            form = merge_person(outcome.form, base, prefer_typed=False) if base else outcome.form
            data = clean(form, region_code) if base else outcome.intake
            if item.row is not None:
                tx.session.flush()  # the earlier row's new person, so it can be found (rare)
            person, _created = _person(tx, data, desk_code)
            stored[outcome.row] = replace(form, person_id=person.id)
            _add_requests(tx, person.id, data.needs, _utc(outcome.submitted_at, now), found, outcome.row)


def _check_needs_and_zones(tx: Tx, planned: list[Planned]) -> None:
    """Every need and zone the rows name is still on the desk (one look for all rows)."""
    data = [p.item.outcome.intake for p in planned if p.item.outcome.intake is not None]
    categories = {n.category_id for d in data for n in d.needs if n.category_id}
    zones = {d.person["zone_id"] for d in data if d.person["zone_id"]}
    missing_needs, missing_zones = callers_repo.missing_labels(tx.session, categories, zones)
    for d, item in zip(data, planned, strict=True):
        if {n.category_id for n in d.needs} & missing_needs or d.person["zone_id"] in missing_zones:
            raise Invalid(
                [
                    Problem(
                        "row",
                        N_("Row %(row)d names a need or zone that is no longer on this desk; look again."),
                        {"row": item.item.row},
                    )
                ]
            )


def _add_requests(
    tx: Tx, person_id: str, needs: list[NeedRow], at: dt.datetime, found: Preview, row: int
) -> None:
    codes = reserve_codes(tx.session, "request", tx.desk.code, len(needs)) if needs else []
    for need, code in zip(needs, codes, strict=True):
        request = Request(
            id=tx.new_id(),
            code=code,
            person_id=person_id,
            category_id=need.category_id,
            details=need.details,
            urgency=need.urgency,
            recurring=need.recurring,
            status=RequestStatus.NEW.value,
            created_at=at,
        )
        tx.session.add(request)
        record_event(tx, request, "created", sheet=found.sheet, source=found.source, row=row)


# ---- volunteers -----------------------------------------------------------------------------------


def _filled(stored: VolunteerFields, typed: VolunteerFields) -> VolunteerFields:
    """The stored volunteer with what they lack taken from the row (lists and slots add up)."""
    return replace(
        stored,
        phone=stored.phone or typed.phone,
        email=stored.email or typed.email,
        languages=(*stored.languages, *typed.languages),
        skills=(*stored.skills, *typed.skills),
        zones=(*stored.zones, *typed.zones),
        availability=stored.availability | typed.availability,
        trained=stored.trained or typed.trained,
        checked_on=stored.checked_on or typed.checked_on,
        notes=stored.notes or typed.notes,
    )


def _store_volunteers(db: Database, who: str, found: Preview, planned: list[Planned], today: dt.date) -> None:
    known: dict[str, VolunteerFields] = {}  # volunteer in the roster -> their fields
    for item in planned:
        if item.record_id is not None and item.record_id not in known:
            record = roster.get_volunteer(db, item.record_id)
            if record is None:
                raise _gone(item.item.row)
            known[item.record_id] = record.fields
    with db.transaction(who) as tx:
        stored: dict[int, tuple[str, VolunteerFields]] = {}  # sheet row -> the volunteer's id and fields
        for item in planned:
            typed = item.item.outcome.volunteer
            assert typed is not None
            if item.record_id is not None:
                target: tuple[str, VolunteerFields] | None = (item.record_id, known[item.record_id])
            else:
                target = stored.get(item.row) if item.row is not None else None
            if target is None:
                (code,) = reserve_codes(tx.session, Volunteer.kind, tx.desk.code)
                row = Volunteer(id=tx.new_id(), code=code, active=True)
                fields = roster.check_fields(tx, typed, today, ())
                roster.store_fields(tx, row, fields)
                tx.session.add(row)
                tx.session.flush()
                tx.audit("volunteer_added", row)
            else:
                found_row = volunteers_repo.get_volunteer(tx.session, target[0])
                if found_row is None:
                    raise _gone(item.item.row)
                row = found_row
                fields = roster.check_fields(tx, _filled(target[1], typed), today, target[1].zones)
                if changed := roster.store_fields(tx, row, fields):
                    tx.audit("volunteer_edited", row, fields=sorted(changed))
            stored[item.item.row] = (row.id, fields)
        tx.audit("sheet_imported", source=found.source, sheet=found.sheet, rows=len(planned))
