"""Editing a person's details outside a call (name, phones, e-mail, language, address, zone,
household, contact, notes, safety notes, consent).

An edit is an ordinary synced change: one stamped transaction that sets only the fields the
volunteer changed (each gets a new field clock, so it travels in the next exchange workbook and
wins or loses field by field like any edit), with an "edited" event for the history and an audit
entry. An erased or merged record cannot be edited."""

from __future__ import annotations

from dataclasses import dataclass, replace

from aiddesk.domain.access import Right, may
from aiddesk.domain.intake import IntakeForm
from aiddesk.domain.person_details import COLUMNS, clean_details, edited_fields
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.desk.labels import Label, list_labels
from aiddesk.services.history import record_event
from aiddesk.services.intake.calls import caller_form
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.store.repositories.people import detail as repo
from aiddesk.store.repositories.people import intake_checks


@dataclass(frozen=True)
class EditableDetails:
    """What the edit dialog starts from."""

    code: str
    form: IntakeForm  # the record as the intake's caller fields
    zones: list[Label]


def _refusal(person: Person | None) -> Problem | None:
    if person is None:
        return Problem("person", N_("This person is no longer in the records."))
    if person.erased:
        return Problem("person", N_("This person's data was erased; there is nothing left to edit."))
    if person.deleted:
        return Problem(
            "person",
            N_("%(code)s was merged into another record or deleted; edit the record that was kept."),
            {"code": person.code},
        )
    return None


def editable_details(db: Database, person_id: str, region: str, *, who: str = "") -> EditableDetails:
    """The person's details as a form (no safety notes for an account that may not read them);
    raises Invalid for a person that cannot be edited."""
    with db.session() as session:
        person = repo.get_person(session, person_id)
        if (problem := _refusal(person)) is not None:
            raise Invalid([problem])
        assert person is not None
        form = caller_form(person, region)
        if not may(who, Right.SAFETY_NOTES):
            form = replace(form, safety_notes="")
        details = EditableDetails(person.code, form, [])
    return EditableDetails(details.code, details.form, list_labels(db, "zone"))


def update_details(
    db: Database, who: str, person_id: str, form: IntakeForm, *, before: IntakeForm | None = None
) -> list[str]:
    """Save the edited details; returns the form fields that changed (none: nothing was written).

    `before` is the form the dialog started from: only the fields edited since are set, so a field
    another desk changed meanwhile keeps its newer value. Raises Invalid (nothing changed) for a
    refused field, a zone no longer in the list, or a person erased, merged or gone."""
    with db.transaction(who) as tx:
        person = repo.get_person(tx.session, person_id)
        if (problem := _refusal(person)) is not None:
            raise Invalid([problem])
        assert person is not None
        values = clean_details(form, tx.desk.phone_region, consent_version=person.consent_version)
        edited = edited_fields(form, before)
        if not may(who, Right.SAFETY_NOTES):
            edited = [name for name in edited if name != "safety_notes"]  # never shown to them
        if "zone_id" in edited and values["zone_id"]:
            _missing, zones = intake_checks.missing_labels(tx.session, set(), {values["zone_id"]})
            if zones:
                raise Invalid(
                    [Problem("zone_id", N_("This zone is no longer in the list; please choose again."))]
                )
        changed = [
            name
            for name in edited
            if any(getattr(person, column) != values[column] for column in COLUMNS[name])
        ]
        for name in changed:
            for column in COLUMNS[name]:
                if getattr(person, column) != values[column]:
                    setattr(person, column, values[column])
        if changed:
            record_event(tx, person, "edited", code=person.code, fields=changed)
            tx.audit("person_edited", person, fields=changed)
        return changed
