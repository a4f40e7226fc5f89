"""Erasing a person for privacy (docs/exchange-format.md, "Erasure"): the personal fields emptied and the
record deleted, in one transaction, with an "erased" event that travels and an audit entry.

The merge keeps an erased record's personal fields empty whatever another desk typed
concurrently (domain.merge.settle_erasure), so the next exchange spreads the erasure and no
workbook, however old, brings the data back. Calls and requests stay: they are the history
of the work done, linked to a record that no longer says who it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import attributes

from aiddesk.domain.access import Right, require
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.models import PERSONAL_FIELDS, Person
from aiddesk.store.repositories import drafts as drafts_repo
from aiddesk.store.repositories.exchange import proposals as proposals_repo
from aiddesk.store.repositories.people import detail as repo
from aiddesk.store.repositories.people import search as search_repo
from aiddesk.store.stamping import Tx


def _empty_value(name: str) -> Any:
    """What the column holds when nothing was typed: "" for text, None for the E.164 phones."""
    default = Person.__table__.c[name].default
    return default.arg if default is not None else None


def erase_person(db: Database, who: str, person_id: str) -> None:
    """Empty the person's personal fields, mark them erased and deleted. Raises Invalid (nothing
    changed) for a person this desk does not have or one already erased."""
    require(who, Right.ERASE)
    with db.transaction(who) as tx:
        person = repo.get_person(tx.session, person_id)
        if person is None:
            raise Invalid([Problem("person", N_("This person is no longer in the records."))])
        if person.erased:
            raise Invalid([Problem("person", N_("This person's data was already erased."))])
        erase_in(tx, person)
        search_repo.forget_removed_words(tx.session)


def erase_in(tx: Tx, person: Person, **detail: Any) -> None:
    """Erase `person` inside the caller's transaction (the erasure above, and retention's)."""
    for name in PERSONAL_FIELDS:
        setattr(person, name, _empty_value(name))
        # Stamped even when already empty: the erasure's own empty value is what every desk
        # keeps, so no desk has to make one up (and desks converge whatever they saw first).
        attributes.flag_modified(person, name)
    person.erased = True
    person.deleted = True
    proposals_repo.forget_record(tx.session, Person.kind, person.id)
    drafts_repo.forget_person(tx.session, person.id)  # a call half-typed for them
    record_event(tx, person, "erased", code=person.code)
    tx.audit("erased", person, fields=list(PERSONAL_FIELDS), **detail)


def is_erased(db: Database, person_id: str) -> bool:
    with db.session() as session:
        person = repo.get_person(session, person_id)
        return person is not None and person.erased
