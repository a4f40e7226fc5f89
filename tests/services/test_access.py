"""Who may do what is enforced by the services, not only by hidden buttons: a phone volunteer's
call to a guarded service is refused (NotAllowed) and nothing changes; a coordinator's goes
through; a plain name (a headless command, a desk without accounts) acts with every right."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from record_makers import add_person, add_request
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain.access import RULES, Actor, NotAllowed, Right, Role, may
from aiddesk.services import backups
from aiddesk.services.desk import labels
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import merge_file
from aiddesk.services.people import erasure
from aiddesk.services.people import person as people
from aiddesk.services.reports.overview import overview
from aiddesk.services.requests import queue
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.ui.shell.failures import is_refusal, user_message

VOLUNTEER = Actor("Rosa", Role.PHONE_VOLUNTEER)
COORDINATOR = Actor("Ana", Role.COORDINATOR)
ADMINISTRATOR = Actor("Lena", Role.ADMINISTRATOR)
SAFETY = "Ex-partner must not learn the address"


def _maria(db: Database) -> tuple[str, str]:
    person = add_person(db, "TST-P1", "María García", address="4 Oak St", safety_notes=SAFETY)
    return person, add_request(db, person, "TST-R1")


def _name(db: Database, person_id: str) -> str:
    with db.session() as session:
        return session.scalars(select(Person.name).where(Person.id == person_id)).one()


def test_the_table_gives_each_role_what_the_issue_lists() -> None:
    volunteer = {right for right in Right if may(VOLUNTEER, right)}
    coordinator = {right for right in Right if may(COORDINATOR, right)}
    assert volunteer == {Right.INTAKE, Right.QUEUE, Right.PRINT_CALL_BACK}
    assert {
        Right.SAFETY_NOTES,
        Right.EXPORT_UNREDACTED,
        Right.ERASE,
        Right.MERGE,
        Right.CONFLICTS,
    } <= coordinator
    assert not coordinator & {Right.SETTINGS, Right.ACCOUNTS, Right.RESTORE}
    assert all(may(ADMINISTRATOR, right) for right in Right)
    assert all(may("Someone typing a name", right) for right in RULES)


def test_a_volunteer_may_not_erase_and_the_person_stays(db: Database) -> None:
    person, _request = _maria(db)
    with pytest.raises(NotAllowed) as refused:
        erasure.erase_person(db, VOLUNTEER, person)
    assert refused.value.right is Right.ERASE
    assert _name(db, person) == "María García"

    erasure.erase_person(db, COORDINATOR, person)
    assert erasure.is_erased(db, person)


def test_a_volunteer_may_not_merge_two_people(db: Database) -> None:
    keep, _request = _maria(db)
    other = add_person(db, "TST-P2", "Maria Garcia")
    with pytest.raises(NotAllowed):
        people.merge_people(db, VOLUNTEER, keep, other)
    assert _name(db, other) == "Maria Garcia"  # not merged away


def test_a_volunteer_may_not_export_unredacted_nor_merge_a_workbook(db: Database, tmp_path: Path) -> None:
    _maria(db)
    target = tmp_path / "desk.xlsx"
    with pytest.raises(NotAllowed) as refused:
        export_workbook(db, target, ExportOptions(), who=VOLUNTEER)
    assert refused.value.right is Right.EXPORT_UNREDACTED
    assert not target.exists()
    with pytest.raises(NotAllowed):
        export_workbook(db, target, ExportOptions(redact=True), group_password="g" * 12, who=VOLUNTEER)

    summary = export_workbook(db, target, ExportOptions(), who=COORDINATOR)
    assert summary.path == target and target.exists()
    with pytest.raises(NotAllowed) as refused:
        merge_file(db, target, VOLUNTEER)
    assert refused.value.right is Right.MERGE
    assert merge_file(db, target, COORDINATOR, dry_run=True).new == 0


def test_a_volunteer_and_a_coordinator_may_not_change_settings(db: Database) -> None:
    before = desk_service.get_desk(db)
    assert before is not None
    for who in (VOLUNTEER, COORDINATOR):
        with pytest.raises(NotAllowed) as refused:
            desk_service.update_desk(db, who, name="Renamed", code=before.code, region="US", language="en")
        assert refused.value.right is Right.SETTINGS
        with pytest.raises(NotAllowed):
            labels.add_label(db, who, "zone", "North", "Norte")
        with pytest.raises(NotAllowed):
            exchange_folder.save_folder_settings(db, "", "a-strong-group-password", who=who)
    assert desk_service.get_desk(db) == before

    after = desk_service.update_desk(
        db, ADMINISTRATOR, name="Renamed", code=before.code, region="US", language="en"
    )
    assert after.name == "Renamed"


def test_only_an_administrator_may_restore(db: Database) -> None:
    made = backups.back_up(db.path, "manual")
    for who in (VOLUNTEER, COORDINATOR):
        with pytest.raises(NotAllowed) as refused:
            backups.restore(db.path, made.path, who=who)
        assert refused.value.right is Right.RESTORE


def test_a_volunteer_sees_no_overview(db: Database) -> None:
    with pytest.raises(NotAllowed):
        overview(db, dt.date(2026, 11, 23), who=VOLUNTEER)
    assert overview(db, dt.date(2026, 11, 23), who=COORDINATOR).waiting >= 0


def test_the_queue_detail_and_the_person_page_leave_safety_notes_out_for_a_volunteer(db: Database) -> None:
    person, request = _maria(db)

    seen = queue.request_detail(db, request, who=VOLUNTEER)
    assert seen is not None and seen.person.safety_notes == ""
    assert seen.person.address == "4 Oak St"  # the rest of the detail is there
    page = people.person_page(db, person, who=VOLUNTEER)
    assert page is not None and page.person.safety_notes == ""

    for who in (COORDINATOR, "Ana"):
        seen = queue.request_detail(db, request, who=who)
        assert seen is not None and seen.person.safety_notes == SAFETY
        page = people.person_page(db, person, who=who)
        assert page is not None and page.person.safety_notes == SAFETY


def test_the_refusal_is_said_in_the_users_language() -> None:
    error = NotAllowed(Role.PHONE_VOLUNTEER, Right.ERASE)
    assert is_refusal(error)
    assert user_message(error) == (
        "Not done: a phone volunteer account may not erase a person. Ask a coordinator."
    )
    i18n.set_language("es")
    spanish = user_message(error)
    assert "voluntari" in spanish.lower() and "Not done" not in spanish


def test_at_intake_a_volunteer_is_not_shown_a_callers_safety_notes_and_cannot_wipe_them(db: Database) -> None:
    from aiddesk.domain.intake import IntakeForm
    from aiddesk.services.intake.calls import known_caller, save_call

    first = save_call(db, COORDINATOR, IntakeForm(name="María Pérez", safety_notes=SAFETY), "US")
    known = known_caller(db, first.person_id, "US", who=VOLUNTEER)
    assert known is not None and known.form.safety_notes == "" and known.form.name == "María Pérez"

    save_call(db, VOLUNTEER, known.form, "US")  # nothing typed in the notes: they stay
    page = people.person_page(db, first.person_id, who=COORDINATOR)
    assert page is not None and page.person.safety_notes == SAFETY

    known.form.safety_notes = "Call only after 6 pm"  # a note the volunteer adds is kept beside them
    save_call(db, VOLUNTEER, known.form, "US")
    page = people.person_page(db, first.person_id, who=COORDINATOR)
    assert page is not None and page.person.safety_notes == f"{SAFETY}\nCall only after 6 pm"
    shown = known_caller(db, first.person_id, "US", who=COORDINATOR)
    assert shown is not None and shown.form.safety_notes == page.person.safety_notes


def test_a_volunteer_editing_a_person_neither_sees_nor_wipes_the_safety_notes(db: Database) -> None:
    from dataclasses import replace

    from aiddesk.services.people import details

    person, _request = _maria(db)
    shown = details.editable_details(db, person, "US", who=VOLUNTEER)
    assert shown.form.safety_notes == ""
    edited = replace(shown.form, address="9 Elm St", safety_notes="typed over")
    assert details.update_details(db, VOLUNTEER, person, edited, before=shown.form) == ["address"]
    again = details.editable_details(db, person, "US", who=COORDINATOR)
    assert (again.form.address, again.form.safety_notes) == ("9 Elm St", SAFETY)
