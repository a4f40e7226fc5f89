"""What a volunteer's record must be: the form's fields tidied and checked.

Pure: problems are English messages marked N_, named by field and translated
where they are shown. Zones are checked against the desk's list by the service."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from aiddesk.domain import availability
from aiddesk.domain.enums import Skill
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Invalid, Problem, email_problem, text_problem

SHEET_LANGUAGES = ("en", "es")  # languages a route sheet can print in
MAX_RUNS_WEEK = 14
NAME_MAX = 200
EMAIL_MAX = 200
PHONE_MAX = 40
# An ISO 639 language code, optionally with a region or script: "es", "haw", "pt-BR", "zh-Hant".
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class VolunteerFields:
    """Everything a coordinator types about a volunteer (phone as typed: the service normalises it)."""

    name: str
    phone: str = ""
    email: str = ""
    languages: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    preferred_language: str = "en"
    zones: tuple[str, ...] = ()
    availability: int = 0
    trained: bool = False
    checked_on: dt.date | None = None
    max_runs_week: int = 3
    notes: str = ""


def language_code(text: str) -> str:
    """A typed language code tidied: "ES" -> "es", "pt_br" -> "pt-BR"."""
    code = text.strip().replace("_", "-")
    base, sep, rest = code.partition("-")
    if not sep:
        return base.lower()
    return f"{base.lower()}-{rest.upper() if len(rest) == 2 else rest.title()}"


def tidy(fields: VolunteerFields) -> VolunteerFields:
    """Spaces collapsed, codes in one spelling, no repeats, skills in their usual order."""
    languages = tuple(dict.fromkeys(language_code(c) for c in fields.languages if c.strip()))
    order = {s.value: i for i, s in enumerate(Skill)}
    skills = tuple(
        sorted(dict.fromkeys(s.strip() for s in fields.skills if s.strip()), key=lambda s: order.get(s, 99))
    )
    return replace(
        fields,
        name=" ".join(fields.name.split()),
        phone=fields.phone.strip(),
        email=fields.email.strip(),
        languages=languages,
        skills=skills,
        zones=tuple(dict.fromkeys(z for z in fields.zones if z)),
        notes=fields.notes.strip(),
    )


def problems(fields: VolunteerFields, *, today: dt.date) -> list[Problem]:
    """Every field that cannot be saved as it is (tidy first)."""
    found: list[Problem] = []
    for name, value, required, limit in (
        ("name", fields.name, True, NAME_MAX),
        ("phone", fields.phone, False, PHONE_MAX),
        ("email", fields.email, False, EMAIL_MAX),
        ("notes", fields.notes, False, 32_767),
    ):
        if (p := text_problem(name, value, required=required, max_len=limit)) is not None:
            found.append(p)
    if not any(p.field == "email" for p in found) and (p := email_problem("email", fields.email)):
        found.append(p)
    bad = [code for code in fields.languages if not _LANGUAGE_CODE.match(code)]
    if bad:
        found.append(
            Problem(
                "languages",
                N_("“%(code)s” is not a language code; use two or three letters, like es or vi."),
                {"code": bad[0]},
            )
        )
    unknown = [s for s in fields.skills if s not in {k.value for k in Skill}]
    if unknown:
        found.append(
            Problem("skills", N_("“%(skill)s” is not a skill AidDesk knows."), {"skill": unknown[0]})
        )
    if fields.preferred_language not in SHEET_LANGUAGES:
        found.append(
            Problem("preferred_language", N_("Route sheets print in English or Spanish; please choose one."))
        )
    if not availability.is_valid(fields.availability):
        found.append(
            Problem("availability", N_("This weekly availability cannot be read; please set it again."))
        )
    if not 0 <= fields.max_runs_week <= MAX_RUNS_WEEK:
        found.append(
            Problem(
                "max_runs_week",
                N_("Runs per week is a number from 0 to %(max)d."),
                {"max": MAX_RUNS_WEEK},
            )
        )
    if fields.checked_on is not None and fields.checked_on > today:
        found.append(Problem("checked_on", N_("The check date cannot be in the future.")))
    return found


def check(fields: VolunteerFields, *, today: dt.date) -> VolunteerFields:
    """The fields tidied; raises Invalid listing every problem."""
    tidied = tidy(fields)
    found = problems(tidied, today=today)
    if found:
        raise Invalid(found)
    return tidied
