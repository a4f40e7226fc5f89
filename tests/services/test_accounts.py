"""Accounts and signing in: the first account administers; PINs of at least 6 digits for phone
volunteers, passphrases for the others, kept only as scrypt verifiers; wrong tries make the next
one wait longer; only an administrator manages accounts, and the desk keeps one."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from aiddesk.domain.access import FREE_FAILURES, Actor, NotAllowed, Role, wait_after
from aiddesk.domain.validation import Invalid
from aiddesk.services import accounts
from aiddesk.store.database import Database
from aiddesk.store.models import Account, Audit

PASSPHRASE = "sunflower kitchen radio"
PIN = "480713"
NOON = dt.datetime(2026, 12, 7, 12, 0)


def _desk_with_accounts(db: Database) -> Actor:
    admin = accounts.create_first_account(db, name="Lena", secret=PASSPHRASE, language="es")
    accounts.add_account(db, admin, name="Rosa", role=Role.PHONE_VOLUNTEER, secret=PIN, language="en")
    return admin


def test_the_first_account_administers_and_signs_in_with_its_passphrase(db: Database) -> None:
    assert not accounts.has_accounts(db)
    admin = _desk_with_accounts(db)
    assert admin.role is Role.ADMINISTRATOR and accounts.has_accounts(db)
    with pytest.raises(Invalid):
        accounts.create_first_account(db, name="Other", secret=PASSPHRASE)

    signed = accounts.sign_in(db, "lena", PASSPHRASE, now=NOON)  # the name, case aside
    assert signed == "Lena" and signed.role is Role.ADMINISTRATOR and signed.language == "es"
    rosa = accounts.sign_in(db, "Rosa", PIN, now=NOON)
    assert rosa.role is Role.PHONE_VOLUNTEER
    with db.session() as session:
        stored = " ".join(session.scalars(select(Account.verifier)))
    assert PIN not in stored and PASSPHRASE not in stored and stored.count("scrypt$") == 2


@pytest.mark.parametrize("pin", ["12345", "12a456", "111111", "123456", "", "４８０７１３"])
def test_a_pin_is_six_digits_at_least_and_not_an_easy_one(db: Database, pin: str) -> None:
    admin = _desk_with_accounts(db)
    with pytest.raises(Invalid) as refused:
        accounts.add_account(db, admin, name="Juan", role=Role.PHONE_VOLUNTEER, secret=pin, language="en")
    assert refused.value.problems[0].field == "secret"
    assert "Juan" not in accounts.sign_in_names(db)


def test_a_coordinator_needs_a_passphrase_of_twelve_characters(db: Database) -> None:
    admin = _desk_with_accounts(db)
    with pytest.raises(Invalid):
        accounts.add_account(db, admin, name="Ana", role=Role.COORDINATOR, secret=PIN, language="en")
    accounts.add_account(db, admin, name="Ana", role=Role.COORDINATOR, secret="twelve chars", language="en")
    assert accounts.sign_in(db, "Ana", "twelve chars", now=NOON).role is Role.COORDINATOR


def test_wrong_pins_make_the_next_try_wait_longer_and_a_right_one_resets(db: Database) -> None:
    _desk_with_accounts(db)
    waits = []
    now = NOON
    for _try in range(FREE_FAILURES + 2):
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.sign_in(db, "Rosa", "000001", now=now)
        waits.append(refused.value.wait)
        now += dt.timedelta(seconds=refused.value.wait)  # waited as asked
    assert waits[: FREE_FAILURES - 1] == [0.0] * (FREE_FAILURES - 1)
    assert 0 < waits[-2] < waits[-1] == wait_after(FREE_FAILURES + 2)

    # Before the wait is over even the right PIN is not looked at.
    with pytest.raises(accounts.SignInRefused) as early:
        accounts.sign_in(db, "Rosa", PIN, now=now - dt.timedelta(seconds=1))
    assert "wait" in early.value.problems[0].message
    assert accounts.sign_in(db, "Rosa", PIN, now=now).role is Role.PHONE_VOLUNTEER
    with db.session() as session:
        audited = [(a.who, a.action) for a in session.scalars(select(Audit).where(Audit.who == "Rosa"))]
    assert audited.count(("Rosa", "sign_in_failed")) == FREE_FAILURES + 2 and audited[-1] == (
        "Rosa",
        "sign_in",
    )
    with pytest.raises(accounts.SignInRefused) as again:  # counting starts over
        accounts.sign_in(db, "Rosa", "000001", now=now)
    assert again.value.wait == 0.0


def test_only_an_administrator_manages_accounts(db: Database) -> None:
    admin = _desk_with_accounts(db)
    rosa = accounts.sign_in(db, "Rosa", PIN, now=NOON)
    with pytest.raises(NotAllowed):
        accounts.add_account(db, rosa, name="Juan", role=Role.ADMINISTRATOR, secret=PASSPHRASE, language="en")
    with pytest.raises(NotAllowed):
        accounts.change_role(db, rosa, "Rosa", Role.ADMINISTRATOR, PASSPHRASE)
    with pytest.raises(NotAllowed):
        accounts.set_disabled(db, rosa, "Lena", True)
    assert [(a.name, a.role) for a in accounts.list_accounts(db)] == [
        ("Lena", Role.ADMINISTRATOR),
        ("Rosa", Role.PHONE_VOLUNTEER),
    ]

    # A volunteer made coordinator needs a passphrase instead of the PIN.
    with pytest.raises(Invalid):
        accounts.change_role(db, admin, "Rosa", Role.COORDINATOR)
    accounts.change_role(db, admin, "Rosa", Role.COORDINATOR, "rosa's long passphrase")
    assert accounts.sign_in(db, "Rosa", "rosa's long passphrase", now=NOON).role is Role.COORDINATOR


def test_the_desk_keeps_an_administrator_and_a_disabled_account_cannot_sign_in(db: Database) -> None:
    admin = _desk_with_accounts(db)
    with pytest.raises(Invalid):
        accounts.set_disabled(db, admin, "Lena", True)
    with pytest.raises(Invalid):
        accounts.change_role(db, admin, "Lena", Role.COORDINATOR)
    accounts.set_disabled(db, admin, "Rosa", True)
    assert accounts.sign_in_names(db) == ["Lena"]
    with pytest.raises(accounts.SignInRefused):
        accounts.sign_in(db, "Rosa", PIN, now=NOON)
    accounts.reset_secret(db, admin, "Rosa", "902718")
    accounts.set_disabled(db, admin, "Rosa", False)
    assert accounts.sign_in(db, "Rosa", "902718", now=NOON).role is Role.PHONE_VOLUNTEER


def test_the_first_account_made_in_settings_must_be_an_administrator(db: Database) -> None:
    with pytest.raises(Invalid) as refused:
        accounts.add_account(db, "Ana", name="Rosa", role=Role.PHONE_VOLUNTEER, secret=PIN, language="en")
    assert refused.value.problems[0].field == "role" and not accounts.has_accounts(db)
    accounts.add_account(db, "Ana", name="Lena", role=Role.ADMINISTRATOR, secret=PASSPHRASE, language="en")
    assert accounts.sign_in_names(db) == ["Lena"]


def test_disabling_an_account_forgets_the_calls_it_left_half_typed(db: Database) -> None:
    """Rosa left a call half-typed (a caller's name and phone) and then left the group: her draft
    is offered back to nobody, so it goes when she is disabled; Lena's own draft stays. Drafts a
    disabled account still had (an older AidDesk) go at the window's next start."""
    from aiddesk.domain.intake import IntakeForm
    from aiddesk.services.intake import drafts
    from aiddesk.store.models import Draft

    admin = _desk_with_accounts(db)
    rosa = Actor("Rosa", Role.PHONE_VOLUNTEER, "en")
    drafts.save_draft(db, "rosa-call", rosa, IntakeForm(name="Berta Quintero", phone="617 555 0199"))
    drafts.save_draft(db, "lena-call", admin, IntakeForm(name="Ana"))

    accounts.set_disabled(db, admin, "Rosa", True)
    with db.session() as session:
        assert list(session.scalars(select(Draft.id))) == ["lena-call"]
        texts = " ".join(session.scalars(select(Draft.data)))
        entry = session.scalars(select(Audit).where(Audit.action == "account_disabled")).one()
    assert "Berta" not in texts and "0199" not in texts
    assert '"drafts": 1' in entry.detail or '"drafts":1' in entry.detail

    drafts.save_draft(db, "left-over", rosa, IntakeForm(name="Berta Quintero"))  # as an older AidDesk kept it
    accounts.tidy_closed_accounts(db)
    with db.session() as session:
        assert list(session.scalars(select(Draft.id))) == ["lena-call"]
    accounts.set_disabled(db, admin, "Rosa", False)  # enabled again: nothing comes back
    assert drafts.list_drafts(db, rosa) == []
