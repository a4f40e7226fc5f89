"""Checks on typed text, shared by forms, imports and the merge.

Messages are English, marked N_, with %(field)s placeholders; the caller
translates them and names the field."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from aiddesk.domain.markers import N_

MAX_TEXT = 32_767  # Excel's limit for one cell: every stored value must export
# Characters openpyxl refuses to write (same class as openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE).
_CONTROL = re.compile(r"[\000-\010\013\014\016-\037]")
CONTROL_CHARACTERS = _CONTROL  # for quick checks that must refuse what text_problem refuses
DESK_CODE = re.compile(r"^[A-Z0-9]{2,6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass
class Problem:
    field: str
    message: str  # English, marked N_
    params: dict[str, object] = dataclasses.field(default_factory=dict)  # `field` names the attribute


class Invalid(ValueError):
    """One or more fields were refused; nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message % p.params}" for p in problems))
        self.problems = problems


def text_problem(name: str, value: str, *, required: bool = False, max_len: int = MAX_TEXT) -> Problem | None:
    if required and not value.strip():
        return Problem(name, N_("This field cannot be empty."))
    if _CONTROL.search(value):
        return Problem(name, N_("This text contains invisible control characters; please retype it."))
    if len(value) > max_len:
        return Problem(name, N_("This text is too long (at most %(max)d characters)."), {"max": max_len})
    return None


def check_text(
    fields: dict[str, str], *, required: tuple[str, ...] = (), max_len: dict[str, int] | None = None
) -> None:
    """Raise Invalid listing every field whose text is refused."""
    limits = max_len or {}
    problems = [
        p
        for name, value in fields.items()
        if (p := text_problem(name, value, required=name in required, max_len=limits.get(name, MAX_TEXT)))
    ]
    if problems:
        raise Invalid(problems)


def email_problem(name: str, value: str) -> Problem | None:
    """An e-mail address that cannot be one (an empty one is fine)."""
    if value and not _EMAIL.match(value):
        return Problem(name, N_("This does not look like an e-mail address (name@example.org)."))
    return None


def desk_code_problem(code: str) -> Problem | None:
    if not DESK_CODE.match(code):
        return Problem("code", N_("A desk code is 2 to 6 capital letters or digits, like CC1."))
    return None


def shift_name(text: str) -> str:
    """The name of who is at the desk, spaces tidied; raises Invalid when it cannot be used."""
    name = " ".join(text.split())
    check_text({"name": name}, required=("name",), max_len={"name": 120})
    return name
