"""Who may do what: the roles, the one table of rules, and the acting account.

A desk with accounts signs each person in; the services are handed an `Actor` (the name that goes
on everything saved, and the role) wherever they take `who`, and refuse what the role may not do
with `NotAllowed`. A plain name (a headless command, a desk without accounts) acts with every
right: whoever runs the command holds the desk's files anyway.

Roles build on each other: a coordinator may do all a phone volunteer may, and an administrator
all a coordinator may (the first account of a desk is "a coordinator who administers")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType

from aiddesk.domain.markers import N_


class Role(StrEnum):
    PHONE_VOLUNTEER = "phone_volunteer"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"


ROLE_LABELS: Mapping[Role, str] = MappingProxyType(
    {
        Role.PHONE_VOLUNTEER: N_("Phone volunteer"),
        Role.COORDINATOR: N_("Coordinator"),
        Role.ADMINISTRATOR: N_("Administrator"),
    }
)


class Right(StrEnum):
    """Something a role may or may not do."""

    INTAKE = "intake"
    QUEUE = "queue"
    PRINT_CALL_BACK = "print_call_back"
    SAFETY_NOTES = "safety_notes"
    MATCHING = "matching"
    DELIVERIES = "deliveries"
    VOLUNTEERS = "volunteers"
    EXCHANGE = "exchange"
    EXPORT_REDACTED = "export_redacted"
    EXPORT_UNREDACTED = "export_unredacted"
    MERGE = "merge"
    CONFLICTS = "conflicts"
    ERASE = "erase"
    REPORTS = "reports"
    SETTINGS = "settings"
    ACCOUNTS = "accounts"
    RESTORE = "restore"
    AUDIT = "audit"


_EVERYONE = frozenset(Role)
_COORDINATORS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
_ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})

# THE table: which roles may do what (and what the refusal names).
RULES: Mapping[Right, tuple[frozenset[Role], str]] = MappingProxyType(
    {
        Right.INTAKE: (_EVERYONE, N_("take calls")),
        Right.QUEUE: (_EVERYONE, N_("work the request queue")),
        Right.PRINT_CALL_BACK: (_EVERYONE, N_("print a call-back list")),
        Right.SAFETY_NOTES: (_COORDINATORS, N_("read safety notes")),
        Right.MATCHING: (_COORDINATORS, N_("match volunteers and plan runs")),
        Right.DELIVERIES: (_COORDINATORS, N_("plan deliveries and print route sheets")),
        Right.VOLUNTEERS: (_COORDINATORS, N_("change the volunteer roster")),
        Right.EXCHANGE: (_COORDINATORS, N_("exchange with other desks")),
        Right.EXPORT_REDACTED: (_COORDINATORS, N_("export a redacted workbook")),
        Right.EXPORT_UNREDACTED: (_COORDINATORS, N_("export the desk with names and addresses")),
        Right.MERGE: (_COORDINATORS, N_("merge workbooks or people")),
        Right.CONFLICTS: (_COORDINATORS, N_("decide conflicts and proposals")),
        Right.ERASE: (_COORDINATORS, N_("erase a person")),
        Right.REPORTS: (_COORDINATORS, N_("see the overview and reports")),
        Right.AUDIT: (_COORDINATORS, N_("read the audit trail")),
        Right.SETTINGS: (_ADMINISTRATORS, N_("change the settings")),
        Right.ACCOUNTS: (_ADMINISTRATORS, N_("manage accounts")),
        Right.RESTORE: (_ADMINISTRATORS, N_("restore a backup")),
    }
)


class Actor(str):
    """The account at the desk: a name (it is the `who` the services record, so it is a str) that
    carries its role, and the language the account works in ("" when not known)."""

    role: Role
    language: str

    def __new__(cls, name: str, role: Role, language: str = "") -> Actor:
        actor = super().__new__(cls, name)
        actor.role = Role(role)
        actor.language = language
        return actor

    @property
    def name(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Actor({str(self)!r}, {self.role.value!r})"


def role_of(who: str) -> Role | None:
    """The role `who` acts with; None for a plain name (every right)."""
    return who.role if isinstance(who, Actor) else None


def role_may(role: Role | None, right: Right) -> bool:
    return role is None or role in RULES[right][0]


def may(who: str, right: Right) -> bool:
    """May `who` (an Actor, or a plain name with every right) do `right`?"""
    return role_may(role_of(who), right)


class NotAllowed(Exception):
    """The acting account's role may not do this; nothing was done."""

    def __init__(self, role: Role, right: Right) -> None:
        super().__init__(f"a {role.value} may not {right.value}")
        self.role = role
        self.right = right

    @property
    def what(self) -> str:
        """English, marked N_: what was refused ("erase a person")."""
        return RULES[self.right][1]

    def message(self, translate: Callable[[str], str]) -> str:
        """The refusal in the user's language (`translate`: the catalog's gettext)."""
        if self.role is Role.PHONE_VOLUNTEER:
            # L10N: %(role)s is a role ("Phone volunteer"), %(what)s what was refused ("erase a person")
            text = N_("Not done: a %(role)s account may not %(what)s. Ask a coordinator.")
        else:
            # L10N: %(role)s is a role ("Coordinator"), %(what)s what was refused ("restore a backup")
            text = N_("Not done: a %(role)s account may not %(what)s. Ask an administrator.")
        return translate(text) % {
            "role": translate(ROLE_LABELS[self.role]).lower(),
            "what": translate(self.what),
        }


def require(who: str, right: Right) -> None:
    """NotAllowed unless `who` may do `right`."""
    role = role_of(who)
    if role is not None and not role_may(role, right):
        raise NotAllowed(role, right)


# ---- secrets -------------------------------------------------------------------------------------

PIN_DIGITS = 6  # at least
PASSPHRASE_LENGTH = 12  # at least


def uses_pin(role: Role) -> bool:
    """Phone volunteers sign in with a PIN; coordinators and administrators with a passphrase."""
    return role is Role.PHONE_VOLUNTEER


def secret_problem(role: Role, secret: str) -> str | None:
    """Why `secret` cannot be this role's PIN or passphrase (English, marked N_), or None."""
    if uses_pin(role):
        if not (secret.isascii() and secret.isdigit() and len(secret) >= PIN_DIGITS):
            return N_("A PIN is at least 6 digits, and digits only.")
        if len(set(secret)) == 1 or secret in "01234567890" or secret in "09876543210":
            return N_("This PIN is too easy to guess (like 111111 or 123456). Please choose another.")
        return None
    if len(secret.strip()) < PASSPHRASE_LENGTH:
        return N_("A passphrase is at least 12 characters: a few words you remember are best.")
    return None


# Failed sign-ins slow down: no wait for the first few slips, then doubling up to a quarter hour.
FREE_FAILURES = 3
FIRST_WAIT = 5.0
LONGEST_WAIT = 900.0


def wait_after(failures: int) -> float:
    """Seconds before the next try after `failures` wrong PINs or passphrases in a row."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - FREE_FAILURES))
