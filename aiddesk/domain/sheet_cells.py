"""One cell of a foreign spreadsheet read for its field: as text, or as the number, date or
yes/no a spreadsheet stored, refusing what a spreadsheet mangled (a phone number in scientific
notation or turned into a date); and the answers of a choice, read through the mapping's
meanings and the vocabulary. Pure: problems raise CellError with English messages marked N_."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from aiddesk.domain.markers import N_
from aiddesk.domain.phone import digits
from aiddesk.domain.sheet_fields import FieldSpec, ValueType, fold
from aiddesk.domain.sheet_mapping import Binding, plain_answer
from aiddesk.domain.sheet_values import CellError, Vocabulary, short

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_WHOLE_FLOAT = re.compile(r"^(\d+)\.0+$")
PHONE_DIGITS_MIN = 7


def _number_text(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def cell_value(raw: Any, spec: FieldSpec, notes: list[str]) -> Any:
    """The cell as text, or as the date, number or yes/no a spreadsheet stored; CellError for
    what a spreadsheet turned into something else. `notes` gets the English notes to show."""
    kind = spec.type
    if raw is None or isinstance(raw, str):
        return _phone_text(raw or "", notes) if kind is ValueType.PHONE else raw
    if isinstance(raw, bool):
        if kind is ValueType.BOOL:
            return raw
        raise CellError(N_("The spreadsheet turned this answer into TRUE/FALSE; type it again as text."))
    if isinstance(raw, int | float):
        if kind is ValueType.PHONE:
            if not float(raw).is_integer() or abs(raw) >= 1e15:
                raise CellError(
                    N_(
                        "The spreadsheet turned this phone number into %(value)s and its last digits are lost; type it again as text."
                    ),
                    value=short(raw),
                )
            notes.append(
                N_("The spreadsheet stored this phone number as a number; it was read as %(value)s.")
            )
            return str(int(raw))
        if kind in (ValueType.DATE, ValueType.DATETIME):
            raise CellError(N_("This cell holds the number %(value)s, not a date."), value=short(raw))
        return _number_text(raw)
    if isinstance(raw, dt.datetime | dt.date):
        if kind in (ValueType.DATE, ValueType.DATETIME, ValueType.TEXT):
            return raw
        raise CellError(
            N_("The spreadsheet turned this answer into a date (%(value)s); type it again as text."),
            value=short(raw),
        )
    if isinstance(raw, dt.time | dt.timedelta):
        if kind is ValueType.TEXT:
            return str(raw)
        raise CellError(
            N_("The spreadsheet turned this answer into a time (%(value)s); type it again as text."),
            value=short(raw),
        )
    raise CellError(N_("This cell holds something that is not text."))


def _phone_text(text: str, notes: list[str]) -> str:
    value = text.strip()
    if _SCIENTIFIC.match(value):
        raise CellError(
            N_(
                "The spreadsheet turned this phone number into %(value)s and its last digits are lost; type it again as text."
            ),
            value=short(value),
        )
    if match := _WHOLE_FLOAT.match(value):
        notes.append(N_("The spreadsheet stored this phone number as a number; it was read as %(value)s."))
        return match[1]
    if value and len(digits(value)) < PHONE_DIGITS_MIN:
        raise CellError(N_("“%(value)s” does not look like a phone number."), value=short(value))
    return value


def as_text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


# ---- answers of a choice ---------------------------------------------------------------------


def split_answers(text: str, separator: str, known: Any) -> list[str]:
    """The answers of a multi-select cell: split at the separator and at line breaks, but an
    answer that itself holds the separator ("Rent, utilities") stays whole when `known(text)`."""
    pieces = [p.strip() for line in text.splitlines() for p in line.split(separator)]
    pieces = [p for p in pieces if p]
    found: list[str] = []
    start = 0
    while start < len(pieces):
        end = next(
            (e for e in range(len(pieces), start + 1, -1) if known(f"{separator} ".join(pieces[start:e]))),
            start + 1,
        )
        found.append(f"{separator} ".join(pieces[start:end]))
        start = end
    return found


class AnswerReader:
    """Reads the answers of one row through the binding's meanings and the vocabulary."""

    def __init__(self, binding: Binding, vocabulary: Vocabulary) -> None:
        self.binding = binding
        self.vocabulary = vocabulary

    def known(self, spec: FieldSpec, answer: str) -> bool:
        """An answer the mapping or the vocabulary knows (days and times are read from their words,
        so any piece naming a day is "known": only the mapping's answers count for them)."""
        if fold(answer) in self.binding.answers.get(spec.key, {}):
            return True
        return (
            spec.vocabulary != "availability" and self.vocabulary.resolve(spec.vocabulary, answer) is not None
        )

    def choice(self, spec: FieldSpec, answer: str) -> Any:
        mapped = self.binding.answers.get(spec.key, {})
        if fold(answer) in mapped:
            return mapped[fold(answer)]
        value = self.vocabulary.resolve(spec.vocabulary, answer)
        if value is None:
            if spec.free:
                return answer
            raise CellError(
                N_(
                    "AidDesk does not know what “%(value)s” means for %(field)s; say what it means among the answers of the mapping."
                ),
                value=short(answer),
                field=spec.label,
            )
        return value

    def multi(self, spec: FieldSpec, text: str) -> list[tuple[str, str]]:
        """(value, answer as written) of each answer in the cell."""
        mapped = self.binding.answers.get(spec.key, {})
        if fold(text) in mapped:
            whole = mapped[fold(text)] or ()
            return [(value, text) for value in whole]
        found: list[tuple[str, str]] = []
        for answer in split_answers(
            text, self.binding.mapping.multi_separator, lambda a: self.known(spec, a)
        ):
            value = mapped[fold(answer)] if fold(answer) in mapped else (self.choice(spec, answer),)
            found += [(v, answer) for v in (value or ())]
        return found

    def read(self, spec: FieldSpec, value: Any) -> Any:
        """One cell's value for its field (None when blank)."""
        if isinstance(value, str) and not value.strip():
            return None
        if value is None:
            return None
        kind = spec.type
        if kind is ValueType.MULTI:
            return self.multi(spec, as_text(value))
        if isinstance(value, str) and fold(value) in self.binding.answers.get(spec.key, {}):
            return self.binding.answers[spec.key][fold(value)]
        if kind is ValueType.CHOICE:
            return self.choice(spec, as_text(value))
        if kind in (ValueType.BOOL, ValueType.COUNT, ValueType.DATE, ValueType.DATETIME):
            return plain_answer(
                spec,
                value if isinstance(value, bool | dt.date) else as_text(value),
                self.binding.mapping.date_order,
            )
        return as_text(value)
