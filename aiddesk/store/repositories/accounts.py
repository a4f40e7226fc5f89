"""The desk's accounts (local table `account`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiddesk.store.models import Account


def list_accounts(session: Session) -> list[Account]:
    """Every account, enabled ones first, by name."""
    return list(session.scalars(select(Account).order_by(Account.disabled_at.is_not(None), Account.name)))


def by_name(session: Session, name: str) -> Account | None:
    """The account called `name` (case aside)."""
    return session.scalars(select(Account).where(Account.name == name)).first()


def count_enabled(session: Session, role: str | None = None) -> int:
    query = select(func.count()).select_from(Account).where(Account.disabled_at.is_(None))
    if role is not None:
        query = query.where(Account.role == role)
    return int(session.scalar(query) or 0)


def any_account(session: Session) -> bool:
    return session.scalar(select(Account.id).limit(1)) is not None
