"""Accounts: who may sign in at this desk, with which role, and signing in.

The rules of who may do what are in domain/access.py; this module keeps the accounts (the
administrator manages them) and checks a PIN or passphrase. A wrong one is counted on the account,
so the wait before the next try grows even across restarts of AidDesk."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiddesk.domain.access import Actor, Right, Role, require, secret_problem, uses_pin, wait_after
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Invalid, Problem, shift_name
from aiddesk.domain.verifier import make_verifier, matches
from aiddesk.services.desk import encryption
from aiddesk.services.desk.encryption import same_name
from aiddesk.store.database import Database
from aiddesk.store.models import Account
from aiddesk.store.repositories import accounts as repo
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories import drafts as drafts_repo
from aiddesk.store.stamping import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

IDLE_MINUTES_KEY = "idle_lock_minutes"
IDLE_MINUTES_DEFAULT = 5
IDLE_MINUTES_RANGE = (1, 120)


@dataclass(frozen=True)
class AccountInfo:
    name: str
    role: Role
    language: str
    created_at: dt.datetime  # naive UTC
    disabled: bool

    @property
    def uses_pin(self) -> bool:
        return uses_pin(self.role)


class SignInRefused(Invalid):
    """A wrong name or secret, or a try made before the wait is over. `wait` is the seconds
    before the next try."""

    def __init__(self, problem: Problem, wait: float) -> None:
        super().__init__([problem])
        self.wait = wait


def _info(row: Account) -> AccountInfo:
    return AccountInfo(row.name, Role(row.role), row.language, row.created_at, row.disabled_at is not None)


def has_accounts(db: Database) -> bool:
    """Does this desk sign people in? (Without accounts, whoever is at the desk types a name.)"""
    with db.session() as session:
        return repo.any_account(session)


def list_accounts(db: Database) -> list[AccountInfo]:
    """Every account, enabled ones first, by name."""
    with db.session() as session:
        return [_info(row) for row in repo.list_accounts(session)]


def sign_in_names(db: Database) -> list[str]:
    """The names that may sign in, by name."""
    return [a.name for a in list_accounts(db) if not a.disabled]


def _checked(name: str, role: Role, secret: str, language: str) -> tuple[str, Role]:
    problems: list[Problem] = []
    try:
        name = shift_name(name)
    except Invalid as exc:
        problems += exc.problems
    try:
        role = Role(role)
    except ValueError:
        problems.append(Problem("role", N_("Please choose a role.")))
    else:
        if (why := secret_problem(role, secret)) is not None:
            problems.append(Problem("secret", why))
    if language not in ("en", "es"):
        problems.append(Problem("language", N_("Please choose a language.")))
    if problems:
        raise Invalid(problems)
    return name, role


def _opens_the_desk(db: Database, role: Role) -> bool:
    """Whether this account's passphrase also opens the encrypted desk (coordinators and
    administrators on an encrypted desk; a PIN never does)."""
    return db.key is not None and not uses_pin(role)


def _let_open(db: Database, name: str, passphrase: str) -> None:
    """`name`'s passphrase wraps the desk key in the key file (replacing what it had)."""
    assert db.key is not None
    encryption.add_passphrase(db.path, name, passphrase, db.key)


def _stop_opening(db: Database, name: str) -> None:
    """`name`'s entry leaves the desk's key file and every backup's (a backup's could still hold
    it when the desk's no longer did: it would open the desk)."""
    assert db.key is not None
    encryption.forget_names(db.path, [name], db.key)


def _add(db: Database, who: str, name: str, role: Role, secret: str, language: str, *, first: bool) -> Actor:
    name, role = _checked(name, role, secret, language)
    if _opens_the_desk(db, role):
        encryption.check_new_passphrase(name, secret)  # the key file's rules, before anything is kept
    verifier = make_verifier(secret)  # slow on purpose: before the write lock is taken
    actor = _insert(db, who, name, role, verifier, language, first=first)
    if _opens_the_desk(db, role):
        _let_open(db, name, secret)
    return actor


def _insert(
    db: Database, who: str, name: str, role: Role, verifier: str, language: str, *, first: bool
) -> Actor:
    with db.transaction(who or name) as tx:
        any_account = repo.any_account(tx.session)
        if first and any_account:
            raise Invalid([Problem("name", N_("This desk already has accounts."))])
        if not any_account and role is not Role.ADMINISTRATOR:
            raise Invalid(
                [Problem("role", N_("The first account looks after the desk: make it an administrator."))]
            )
        if repo.by_name(tx.session, name) is not None:
            raise Invalid(
                [Problem("name", N_("There is already an account called %(name)s."), {"name": name})]
            )
        tx.session.add(
            Account(
                name=name,
                role=role.value,
                language=language,
                verifier=verifier,
                created_at=utcnow(),
                failures=0,
            )
        )
        tx.audit("account_added", name=name, role=role.value)
    return Actor(name, role, language)


def create_first_account(db: Database, *, name: str, secret: str, language: str = "en") -> Actor:
    """The desk's first account, made at set-up: a coordinator who administers. Invalid once the
    desk has accounts (then the administrator adds them)."""
    return _add(db, "", name, Role.ADMINISTRATOR, secret, language, first=True)


def first_account_of_set_up(db: Database, *, name: str, verifier: str, language: str = "en") -> Actor:
    """The first account from the encryption set-up: the person who chose the desk's first
    passphrase (already in the key file) becomes its administrator, signing in with that same
    passphrase (`verifier`, made from it when the desk was encrypted). Invalid as
    create_first_account."""
    name = shift_name(name)
    return _insert(db, "", name, Role.ADMINISTRATOR, verifier, language, first=True)


def add_account(db: Database, who: str, *, name: str, role: Role, secret: str, language: str) -> None:
    require(who, Right.ACCOUNTS)
    _add(db, who, name, role, secret, language, first=False)


def _account(session: Session, name: str) -> Account:
    row = repo.by_name(session, name)
    if row is None:
        raise Invalid([Problem("name", N_("There is no account called %(name)s."), {"name": name})])
    return row


def _keeps_an_administrator(session: Session, row: Account, *, role: Role | None, disabled: bool) -> None:
    """Invalid when the change would leave the desk without an enabled administrator."""
    was_admin = row.role == Role.ADMINISTRATOR.value and row.disabled_at is None
    stays_admin = (role or Role(row.role)) is Role.ADMINISTRATOR and not disabled
    if was_admin and not stays_admin and repo.count_enabled(session, Role.ADMINISTRATOR.value) <= 1:
        raise Invalid(
            [Problem("role", N_("The desk needs at least one administrator: make another one first."))]
        )


def _new_verifier(db: Database, name: str, role: Role, secret: str) -> str:
    """The verifier of a new PIN or passphrase for this role (Invalid when it is refused, by the
    role's rule or, when it will open the encrypted desk, by the key file's); slow on purpose."""
    if (why := secret_problem(role, secret)) is not None:
        raise Invalid([Problem("secret", why)])
    if _opens_the_desk(db, role):
        encryption.check_new_passphrase(name, secret)
    return make_verifier(secret)


def change_role(db: Database, who: str, name: str, role: Role, secret: str = "") -> None:
    """A new role; a new `secret` is needed when it changes between a PIN and a passphrase."""
    require(who, Right.ACCOUNTS)
    role = Role(role)
    verifier = None
    with db.session() as session:
        old = Role(_account(session, name).role)
    if uses_pin(old) != uses_pin(role) or secret:
        verifier = _new_verifier(db, name, role, secret)
    with db.transaction(who) as tx:
        row = _account(tx.session, name)
        disabled = row.disabled_at is not None
        _keeps_an_administrator(tx.session, row, role=role, disabled=disabled)
        if uses_pin(Role(row.role)) != uses_pin(role) and verifier is None:
            raise Invalid([Problem("secret", N_("Please give the new PIN or passphrase."))])
        row.role = role.value
        if verifier is not None:
            row.verifier, row.failures, row.failed_at = verifier, 0, None
        tx.audit("account_role", name=row.name, role=role.value)
    if db.key is not None and not disabled:
        if uses_pin(role):
            _stop_opening(db, name)  # a phone volunteer's PIN never opens the desk
        elif secret:
            _let_open(db, name, secret)


def reset_secret(db: Database, who: str, name: str, secret: str) -> None:
    """A new PIN or passphrase (the wait after failed tries ends). An account may change its own."""
    if who != name:
        require(who, Right.ACCOUNTS)
    with db.session() as session:
        role = Role(_account(session, name).role)
    verifier = _new_verifier(db, name, role, secret)
    with db.transaction(who) as tx:
        row = _account(tx.session, name)
        row.verifier, row.failures, row.failed_at = verifier, 0, None
        disabled = row.disabled_at is not None
        tx.audit("account_secret", name=row.name)
    if _opens_the_desk(db, role) and not disabled:
        _let_open(db, name, secret)


def set_disabled(db: Database, who: str, name: str, disabled: bool) -> int:
    """A disabled account can no longer sign in; it stays on what it saved. The calls it left
    half-typed (its drafts) are forgotten with it: they are offered back to nobody else (a
    coordinator's may hold a safety note a volunteer must not see), and a caller's name, phone
    and story are not kept for someone who can no longer sign in. A call that mattered was
    saved; the audit entry counts the drafts forgotten. How many were forgotten."""
    require(who, Right.ACCOUNTS)
    with db.transaction(who) as tx:
        row = _account(tx.session, name)
        if disabled:
            _keeps_an_administrator(tx.session, row, role=None, disabled=True)
        row.disabled_at = utcnow() if disabled else None
        forgotten = 0
        if disabled:
            forgotten = drafts_repo.forget_typed_by(tx.session, [row.name])
            tx.audit("account_disabled", name=row.name, drafts=forgotten)
        else:
            tx.audit("account_enabled", name=row.name)
    if disabled and db.key is not None:
        _stop_opening(db, name)  # enabled again, it opens the desk once given a new passphrase
    return forgotten


def _seconds_left(row: Account, now: dt.datetime) -> float:
    if row.failed_at is None:
        return 0.0
    until = row.failed_at + dt.timedelta(seconds=wait_after(row.failures))
    return max(0.0, (until - now).total_seconds())


def sign_in(db: Database, name: str, secret: str, *, now: dt.datetime | None = None) -> Actor:
    """The account `name` when `secret` is its PIN or passphrase; SignInRefused otherwise (a wrong
    one is counted and audited, and the next try must wait `wait_after(failures)` seconds)."""
    now = now or utcnow()
    with db.session() as session:
        row = repo.by_name(session, name.strip())
        if row is None or row.disabled_at is not None:
            raise SignInRefused(Problem("name", N_("Please pick your name from the list.")), 0.0)
        left = _seconds_left(row, now)
        verifier, role, account_name, language = row.verifier, Role(row.role), row.name, row.language
    if left > 0:
        raise SignInRefused(_wait_problem(left), left)
    if matches(secret, verifier):
        with db.transaction(account_name) as tx:
            row = _account(tx.session, account_name)
            row.failures, row.failed_at = 0, None
            desk_repo.touch_user(tx.session, account_name, now)
            tx.audit("sign_in", role=role.value)
        return Actor(account_name, role, language)
    with db.transaction(account_name) as tx:
        row = _account(tx.session, account_name)
        row.failures += 1
        row.failed_at = now
        failures = row.failures
        tx.audit("sign_in_failed", failures=failures)
    log.info("a wrong PIN or passphrase for an account (%d in a row)", failures)
    wait = wait_after(failures)
    if wait > 0:
        raise SignInRefused(_wait_problem(wait, wrong=True), wait)
    message = N_("That PIN is not right.") if uses_pin(role) else N_("That passphrase is not right.")
    raise SignInRefused(Problem("secret", message), 0.0)


def _wait_problem(seconds: float, *, wrong: bool = False) -> Problem:
    whole = max(1, int(seconds + 0.999))
    if wrong:
        return Problem(
            "secret",
            N_("That was not right. Please wait %(seconds)d seconds and try again."),
            {"seconds": whole},
        )
    return Problem("secret", N_("Too many wrong tries: please wait %(seconds)d seconds."), {"seconds": whole})


def end_shift(db: Database, who: str) -> None:
    """Record that `who` left the desk."""
    with db.transaction(who) as tx:
        tx.audit("shift_end")


def idle_minutes(db: Database) -> int:
    """Minutes without a key or mouse touch before the desk locks."""
    with db.session() as session:
        value = desk_repo.get_setting(session, IDLE_MINUTES_KEY, IDLE_MINUTES_DEFAULT)
    return value if isinstance(value, int) and value > 0 else IDLE_MINUTES_DEFAULT


def set_idle_minutes(db: Database, who: str, minutes: int) -> None:
    require(who, Right.SETTINGS)
    low, high = IDLE_MINUTES_RANGE
    if not low <= minutes <= high:
        raise Invalid(
            [
                Problem(
                    "idle",
                    N_("The lock waits between %(low)d and %(high)d minutes."),
                    {"low": low, "high": high},
                )
            ]
        )
    with db.write_session() as session:
        desk_repo.put_setting(session, IDLE_MINUTES_KEY, minutes)


__all__ = [
    "AccountInfo",
    "Actor",
    "Role",
    "SignInRefused",
    "add_account",
    "change_role",
    "create_first_account",
    "has_accounts",
    "list_accounts",
    "reset_secret",
    "set_disabled",
    "sign_in",
    "sign_in_names",
]


def verifier_of(passphrase: str) -> str:
    """A salted, slow verifier of `passphrase` (what an account keeps instead of it)."""
    return make_verifier(passphrase)


def acting_account(db: Database, name: str) -> Actor | None:
    """The account whose passphrase opened the desk (`name`), as an Actor with its role: a
    headless command unlocked with that person's passphrase acts as them, with their rights only.
    None on a desk without accounts (the name is only recorded; whoever runs the command holds the
    desk's files). On a desk with accounts, a name that may not open the desk (a disabled account,
    one that signs in with a PIN, no account of that name) is refused with Invalid, and the entry
    of a disabled or PIN account, a leftover, leaves the key files (the desk's and its backups')."""
    with db.session() as session:
        if not repo.any_account(session):
            return None
        row = next((r for r in repo.list_accounts(session) if same_name(r.name, name)), None)
        found = None if row is None else (row.name, Role(row.role), row.language, row.disabled_at is not None)
    if found is not None and not found[3] and not uses_pin(found[1]):
        return Actor(found[0], found[1], found[2])
    if found is None:
        why = N_("There is no account called %(name)s at this desk: their passphrase does not open it.")
    else:
        forget_leftover_passphrases(db)
        if found[3]:
            why = N_("The account of %(name)s is disabled: their passphrase no longer opens the desk.")
        else:
            why = N_("%(name)s signs in with a PIN at the window: their account does not open the desk.")
    with db.transaction(name) as tx:
        tx.audit("desk_unlock_refused", name=found[0] if found else " ".join(name.split()))
    raise Invalid([Problem("name", why, {"name": found[0] if found else name})])


def tidy_closed_accounts(db: Database) -> None:
    """At the window's start: what disabled accounts left behind goes (their drafts, a key-file
    entry), as when they were disabled (an older AidDesk, or a key-file write that failed, kept it)."""
    with db.session() as session:
        closed = [row.name for row in repo.list_accounts(session) if row.disabled_at is not None]
    if closed:
        with db.write_session() as session:
            forgotten = drafts_repo.forget_typed_by(session, closed)
        if forgotten:
            log.info("%d drafts of disabled accounts forgotten", forgotten)
    forget_leftover_passphrases(db)


def forget_leftover_passphrases(db: Database) -> list[str]:
    """The key-file entries (the desk's and its backups') of accounts that may not open the desk:
    disabled ones and those that sign in with a PIN. Disabling an account or giving it a PIN
    removes its entry; one may be left by a key-file write that failed after the change, an
    older AidDesk, or a backup's key file. The names removed."""
    if db.key is None:
        return []
    with db.session() as session:
        closed = [
            row.name
            for row in repo.list_accounts(session)
            if row.disabled_at is not None or uses_pin(Role(row.role))
        ]
    if not closed:
        return []
    gone = encryption.forget_names(db.path, closed, db.key)
    if gone:
        log.warning("%d leftover passphrase entries of closed accounts removed from the key files", len(gone))
    return gone
