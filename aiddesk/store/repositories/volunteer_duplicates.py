"""Volunteers already in the roster who may be the one a new row describes: the same phone
number, or the same name (accents, case and spacing aside)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiddesk.store.models import Volunteer
from aiddesk.store.repositories.volunteers import fold, register_fold


@dataclass(frozen=True)
class VolunteerMatch:
    id: str
    code: str
    name: str
    phone: str | None
    phone_raw: str


_COLUMNS = (Volunteer.id, Volunteer.code, Volunteer.name, Volunteer.phone, Volunteer.phone_raw)


def same_phone(session: Session, numbers: list[str]) -> list[VolunteerMatch]:
    """Volunteers (not deleted) whose number is one of `numbers` (E.164)."""
    if not numbers:
        return []
    query = select(*_COLUMNS).where(Volunteer.phone.in_(numbers), Volunteer.deleted.is_(False))
    return [VolunteerMatch(*row) for row in session.execute(query)]


def same_names(session: Session, names: list[str]) -> list[VolunteerMatch]:
    """Volunteers (not deleted) whose name, folded, is one of `names` folded."""
    folded = sorted({" ".join(fold(n).split()) for n in names if n.strip()})
    if not folded:
        return []
    register_fold(session)
    query = select(*_COLUMNS).where(func.aid_fold(Volunteer.name).in_(folded), Volunteer.deleted.is_(False))
    return [VolunteerMatch(*row) for row in session.execute(query)]
