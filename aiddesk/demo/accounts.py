"""The demo's accounts, one of each role, made on an encrypted demo desk so that anyone trying
AidDesk meets the sign-in, the idle lock and what each role may do. Their names, PINs and
passphrases are public (the README lists them): a demo desk holds no real person's data."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.domain.access import Role
from aiddesk.services import accounts
from aiddesk.store.database import Database


@dataclass(frozen=True)
class DemoAccount:
    name: str
    role: Role
    secret: str  # a PIN for the phone volunteer, a passphrase for the others
    language: str


DEMO_ACCOUNTS = (
    DemoAccount("Lena", Role.ADMINISTRATOR, "sunflower kitchen radio", "en"),
    DemoAccount("Ana", Role.COORDINATOR, "blue kite over the lake", "es"),
    DemoAccount("Rosa", Role.PHONE_VOLUNTEER, "482913", "es"),
)


def add_demo_accounts(db: Database) -> list[DemoAccount]:
    """The demo accounts (the first is the administrator), unless the desk already has accounts."""
    if accounts.has_accounts(db):
        return []
    first, *others = DEMO_ACCOUNTS
    accounts.create_first_account(db, name=first.name, secret=first.secret, language=first.language)
    for account in others:
        accounts.add_account(
            db,
            first.name,
            name=account.name,
            role=account.role,
            secret=account.secret,
            language=account.language,
        )
    return list(DEMO_ACCOUNTS)
