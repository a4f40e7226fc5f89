"""The text of a visible cell, and what someone typed into one read back as field values.

Writing and reading share these rules so an untouched cell always reads back as
unchanged. Typed cells are parsed as if typed into the form (a phone in any
format, a choice by its English or Spanish label, yes/no/sí); a value that
Excel mangled (a phone turned into a number, an id turned into a date) is
refused with a reason, never guessed."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from aiddesk.domain import phone as phones
from aiddesk.domain.enums import Labelled
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import text_problem
from aiddesk.exchange.workbook.layout import Column, Show
from aiddesk.exchange.workbook.state_text import FIELD_TYPES
from aiddesk.i18n import LANGUAGES, translations_for

YES = N_("yes")
NO = N_("no")

RefText = Callable[[str, str | None], str | None]  # (id field, id) -> code or label


@dataclass
class CellProblem(Exception):
    message: str  # English, marked N_
    params: dict[str, object]


def _problem(message: str, **params: object) -> CellProblem:
    return CellProblem(message, params)


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


class CellText:
    """How values are shown in one workbook's language and the exporting desk's phone region."""

    def __init__(self, language: str, region: str, refs: RefText) -> None:
        self.gettext = translations_for(language).gettext
        self.region = region
        self.refs = refs
        # What a choice, a list of choices or yes/no shows, made once per value: an export shows
        # the same few over and over (a workbook's language does not change while it is written).
        self._labels: dict[tuple[type[Labelled], str], str] = {}
        self._lists: dict[tuple[type[Labelled], str], str] = {}
        self._codes: dict[str, str] = {}
        self._yes_no = (self.gettext(NO), self.gettext(YES))

    def __call__(self, column: Column, values: dict[str, Any]) -> str:
        value = values.get(column.source)
        show = column.show
        if show is Show.REF:
            return self.refs(column.source, value) or ""
        if value is None:
            return ""
        if show is Show.TEXT:
            return str(value)
        if show is Show.PHONE:
            return phones.display(value, values.get(column.key + "_raw", ""), self.region)
        if show is Show.ENUM:
            if not value:
                return ""
            key = (column.enum, value)
            text = self._labels.get(key)  # type: ignore[arg-type]
            if text is None:
                text = self._labels[key] = self.gettext(column.enum(value).label)  # type: ignore[index, misc]
            return text
        if show is Show.ENUM_LIST:
            key = (column.enum, value)
            text = self._lists.get(key)  # type: ignore[arg-type]
            if text is None:
                text = self._lists[key] = ", ".join(  # type: ignore[index]
                    self.gettext(column.enum(v).label)  # type: ignore[misc]
                    for v in json.loads(value)
                )
            return text
        if show is Show.CODES:
            text = self._codes.get(value)
            if text is None:
                text = self._codes[value] = ", ".join(json.loads(value))
            return text
        if show is Show.BOOL:
            return self._yes_no[bool(value)]
        if show is Show.DATETIME:
            return value[:16].replace("T", " ")
        return str(value)


@cache
def _words(enum: type[Labelled] | None) -> dict[str, str]:
    """Folded label (English or Spanish) or value -> value."""
    words: dict[str, str] = {}
    if enum is None:
        return words
    for language in LANGUAGES:
        gettext = translations_for(language).gettext
        for member in enum:
            words[_fold(gettext(member.label))] = member.value
    for member in enum:
        words[_fold(member.value)] = member.value
    return words


@cache
def _yes_no() -> dict[str, bool]:
    words = {"yes": True, "y": True, "si": True, "true": True, "1": True, "x": True}
    words |= {"no": False, "n": False, "false": False, "0": False}
    for language in LANGUAGES:
        gettext = translations_for(language).gettext
        words[_fold(gettext(YES))] = True
        words[_fold(gettext(NO))] = False
    return words


def _as_text(value: Any, show: Show) -> str:
    """The text of a cell, refusing what a spreadsheet turned into something else."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        if show is Show.BOOL:
            return "yes" if value else "no"
        raise _problem(N_("Excel turned this cell into TRUE/FALSE; type it as text."))
    if isinstance(value, dt.datetime | dt.date):
        if show is Show.DATE:
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        raise _problem(N_("Excel turned this cell into a date; type it again as text."))
    if isinstance(value, dt.time | dt.timedelta):
        if show is Show.TIME and isinstance(value, dt.time):
            return value.strftime("%H:%M")
        raise _problem(N_("Excel turned this cell into a time; type it again as text."))
    if isinstance(value, int | float):
        if show is Show.INT and float(value).is_integer():
            return str(int(value))
        if show is Show.PHONE:
            raise _problem(
                N_(
                    "Excel turned this phone number into a number (leading + and zeros are lost); type it again as text."
                )
            )
        raise _problem(N_("Excel turned this cell into a number; type it again as text."))
    raise _problem(N_("This cell holds something that is not text."))


def parse_cell(kind: str, column: Column, value: Any, region: str) -> dict[str, Any]:
    """The field values a typed cell means; CellProblem when it cannot be used."""
    show = column.show
    text = _as_text(value, show)
    field = column.source
    if show is Show.PHONE:
        return _phone(column.key, text, region)
    if show is Show.ENUM:
        allowed = FIELD_TYPES[kind][field].enum
        return {field: _enum(column, text, optional=allowed is not None and "" in allowed)}
    if show is Show.ENUM_LIST:
        parts = [p for p in (s.strip() for s in text.replace(";", ",").split(",")) if p]
        return {field: json.dumps([_enum(column, p, optional=False) for p in parts])}
    if show is Show.CODES:
        codes = [p.strip().lower() for p in text.replace(";", ",").split(",") if p.strip()]
        if any(not c.isalpha() or len(c) > 8 for c in codes):
            raise _problem(N_("Write languages as short codes separated by commas, like “en, es”."))
        return {field: json.dumps(codes)}
    if show is Show.BOOL:
        answer = _yes_no().get(_fold(text))
        if answer is None:
            raise _problem(N_("“%(value)s” is not yes or no."), value=text[:40])
        return {field: answer}
    if show is Show.INT:
        return {field: _int(text, FIELD_TYPES[kind][field].nullable)}
    if show is Show.DATE:
        return {field: _date(text, FIELD_TYPES[kind][field].nullable)}
    if show is Show.TIME:
        return {field: _time(text)}
    ftype = FIELD_TYPES[kind][field]
    if (problem := text_problem(field, text, max_len=ftype.max_len)) is not None:
        raise _problem(problem.message, **problem.params)
    return {field: text}


def _phone(key: str, text: str, region: str) -> dict[str, Any]:
    if (problem := text_problem(key, text, max_len=40)) is not None:
        raise _problem(problem.message, **problem.params)
    number = phones.normalise(text, region)
    return {key: number.e164 if number.valid else (number.raw or None), key + "_raw": number.raw}


def _enum(column: Column, text: str, *, optional: bool) -> str:
    if not text.strip() and optional:
        return ""
    value = _words(column.enum).get(_fold(text))
    if value is None:
        raise _problem(N_("“%(value)s” is not one of the choices of this column."), value=text[:40])
    return value


def _int(text: str, nullable: bool) -> int | None:
    if not text.strip() and nullable:
        return None
    try:
        number = int(text.strip())
    except ValueError:
        raise _problem(N_("“%(value)s” is not a whole number."), value=text[:40]) from None
    if not 0 <= number <= 1_000_000:
        raise _problem(N_("%(value)s is not a sensible number here."), value=number)
    return number


def _date(text: str, nullable: bool) -> str | None:
    if not text.strip() and nullable:
        return None
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise _problem(N_("“%(value)s” is not a date like 2026-03-14."), value=text[:40]) from None


def _time(text: str) -> str:
    clean = text.strip()
    if not clean:
        return ""
    try:
        return dt.time.fromisoformat(clean).strftime("%H:%M")
    except ValueError:
        raise _problem(N_("“%(value)s” is not a time like 14:30."), value=text[:40]) from None
