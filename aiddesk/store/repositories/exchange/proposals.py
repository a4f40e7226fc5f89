"""Hand-edit proposals found in merged workbooks, waiting for a decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from aiddesk.store.models import Person, Proposal

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


def add(session: Session, rows: Iterable[dict[str, object]]) -> list[int]:
    """Store new proposals (a cell already proposed by the same export is not added twice);
    returns the ids of the proposals these cells are, new or already known."""
    ids = []
    for row in rows:
        statement = (
            insert(Proposal)
            .values(**row)
            .on_conflict_do_nothing(index_elements=["export_id", "record_id", "field"])
        )
        session.execute(statement)
        found = session.scalar(
            select(Proposal.id).where(
                Proposal.export_id == row["export_id"],
                Proposal.record_id == row["record_id"],
                Proposal.field == row["field"],
            )
        )
        ids.append(found)
    forget_erased(session)
    return [i for i in ids if i is not None]


def forget_record(session: Session, kind: str, record_id: str) -> None:
    """Every hand edit found for the record, decided or not: an erased person's cells as they were
    exported and as someone typed them."""
    statement = delete(Proposal).where(Proposal.record_kind == kind, Proposal.record_id == record_id)
    session.execute(statement.execution_options(synchronize_session=False))


def forget_erased(session: Session) -> None:
    """The hand edits of people erased (an old workbook merged again, or an erasure that came with
    a merge): none is kept, and the Conflicts screen shows none of their old values."""
    erased = select(Person.id).where(Person.erased.is_(True))
    statement = delete(Proposal).where(Proposal.record_kind == Person.kind, Proposal.record_id.in_(erased))
    session.execute(statement.execution_options(synchronize_session=False))


def pending(session: Session) -> list[Proposal]:
    return list(session.scalars(select(Proposal).where(Proposal.status == PENDING).order_by(Proposal.id)))


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Proposal).where(Proposal.status == PENDING)) or 0


def by_ids(session: Session, ids: Iterable[int]) -> list[Proposal]:
    wanted = list(ids)
    if not wanted:
        return []
    return list(session.scalars(select(Proposal).where(Proposal.id.in_(wanted)).order_by(Proposal.id)))


def decide(proposal: Proposal, status: str, who: str, when: dt.datetime) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, who, when
