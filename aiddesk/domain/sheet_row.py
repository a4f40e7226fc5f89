"""One row of a foreign spreadsheet turned into what the records get, or the cells that stop it.

Cells are read as the intake form and the roster form read what is typed (the same `clean`
and `check`): a caller row becomes an intake form (person plus one need per selected answer),
a roster row volunteer fields. Values a spreadsheet mangled are refused with a reason, never
guessed: a phone number in scientific notation, a phone turned into a date, a formula. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiddesk.domain.defaults import fixed_id
from aiddesk.domain.intake import CleanIntake, IntakeForm, NeedRow, clean, phone_warning
from aiddesk.domain.markers import N_
from aiddesk.domain.phone import normalise
from aiddesk.domain.roster import VolunteerFields
from aiddesk.domain.roster import check as check_volunteer
from aiddesk.domain.sheet_cells import AnswerReader, as_text, cell_value, split_answers
from aiddesk.domain.sheet_fields import SheetKind, ValueType, fold
from aiddesk.domain.sheet_mapping import Binding
from aiddesk.domain.sheet_values import CellError, Vocabulary, short
from aiddesk.domain.validation import Invalid

OTHER_NEED = fixed_id("need_category", "other")
FORMULA = N_("This cell holds a formula; AidDesk reads only typed answers.")
MERGED = N_("This cell is merged with the one beside or above it; unmerge the cells and fill in each row.")
EARLIEST_SUBMISSION = dt.date(
    2000, 1, 1
)  # before it, a timestamp is a mistake (Excel shows an empty date as 1900-01-01)


@dataclass(frozen=True)
class SheetTable:
    """One sheet as read: its cells by row (index 0 is row 1), the cells holding a formula and
    the merged ranges, both 0-based ((row, column) and (first row, first column, last row, last
    column))."""

    name: str
    rows: list[list[Any]]
    formulas: frozenset[tuple[int, int]] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = ()

    def covered(self) -> dict[int, set[int]]:
        """Row index -> the columns whose cell a merge hides (every cell of a range but its first)."""
        hidden: dict[int, set[int]] = {}
        for top, left, bottom, right in self.merged:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    if (r, c) != (top, left):
                        hidden.setdefault(r, set()).add(c)
        return hidden

    def formula_cells(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for r, c in self.formulas:
            found.setdefault(r, set()).add(c)
        return found


@dataclass(frozen=True)
class CellIssue:
    """Why a cell (or a row) cannot be stored as it is; `column` None when no column is to blame."""

    column: int | None
    message: str  # English, marked N_
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RowOutcome:
    row: int  # the spreadsheet's row number
    problems: tuple[CellIssue, ...] = ()  # the row is not stored
    notes: tuple[CellIssue, ...] = ()  # stored, but worth a look
    form: IntakeForm | None = None  # callers: the row as the intake form
    intake: CleanIntake | None = None  # callers: what the records get
    submitted_at: dt.datetime | None = None  # naive (local) or aware
    volunteer: VolunteerFields | None = None
    who: str = ""  # the name and phone as written, to recognise the row by (even when refused)

    @property
    def ok(self) -> bool:
        return not self.problems


def is_blank(cells: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


# ---- one row ---------------------------------------------------------------------------------


def _gather(
    binding: Binding,
    reader: AnswerReader,
    cells: Sequence[Any],
    blocked: dict[int, str],
    problems: list[CellIssue],
    notes: list[CellIssue],
) -> dict[str, Any]:
    """Each field's value from its columns (joined, or listed for multi answers); `blocked`:
    columns whose cell cannot be read, with why."""
    found: dict[str, Any] = {}
    for index, spec in binding.columns:
        if index in blocked:
            problems.append(CellIssue(index, blocked[index]))
            continue
        raw = cells[index] if index < len(cells) else None
        said: list[str] = []
        try:
            value = reader.read(spec, cell_value(raw, spec, said))
        except CellError as error:
            problems.append(CellIssue(index, error.message, dict(error.params)))
            continue
        notes += [CellIssue(index, note, {"value": short(value)}) for note in said]
        if value is None or value == "" or value == []:
            continue
        if spec.type is ValueType.MULTI:
            found.setdefault(spec.key, []).extend(value)
        elif spec.key in found and spec.join is not None:
            found[spec.key] = f"{found[spec.key]}{spec.join}{value}"
        else:
            found[spec.key] = value
    for key, default in binding.defaults.items():
        if key not in found and default not in (None, ()):
            spec = binding.spec(key)
            found[key] = [(v, "") for v in default] if spec.type is ValueType.MULTI else default
    return found


def _column_of(binding: Binding, problem_field: str) -> int | None:
    """The column to blame for a problem of the form's field ("needs.0.urgency" -> urgency; a
    missing phone or name -> the phone column, else the name column)."""
    name = problem_field.rsplit(".", 1)[-1]
    name = {"category": "needs", "zone_id": "zone"}.get(name, name)
    for key in (name, "name") if problem_field == "phone" else (name,):
        if columns := binding.columns_of(key):
            return columns[0]
    return None


def _issues(binding: Binding, invalid: Invalid) -> list[CellIssue]:
    return [CellIssue(_column_of(binding, p.field), p.message, dict(p.params)) for p in invalid.problems]


def _needs(values: dict[str, Any]) -> list[NeedRow]:
    urgency = values.get("urgency") or NeedRow().urgency
    recurring = values.get("recurring") or NeedRow().recurring
    details = values.get("details", "")
    needs: dict[str, NeedRow] = {}
    for category, answer in values.get("needs", []):
        if category in needs:
            continue
        extra = (
            answer
            if category == OTHER_NEED and fold(answer) not in ("", "other", "otro", "otra", "otra cosa")
            else ""
        )
        text = "\n".join(t for t in (extra, details) if t)
        needs[category] = NeedRow(category, urgency, recurring, text)
    if not needs and details:
        return [NeedRow(None, urgency, recurring, details)]  # clean() asks what is needed
    return list(needs.values())


def _person_row(
    binding: Binding, row: int, values: dict[str, Any], region: str, today: dt.date
) -> RowOutcome:
    form = IntakeForm(
        phone=values.get("phone", ""),
        name=values.get("name", ""),
        phone2=values.get("phone2", ""),
        email=values.get("email", ""),
        language=values.get("language", ""),
        needs_interpreter=bool(values.get("needs_interpreter", False)),
        address=values.get("address", ""),
        zone_id=values.get("zone"),
        household_size=str(values["household_size"]) if values.get("household_size") is not None else "",
        elevated_risk=bool(values.get("elevated_risk", False)),
        dietary_needs=values.get("dietary_needs", ""),
        delivery_notes=values.get("delivery_notes", ""),
        safety_notes=values.get("safety_notes", ""),
        consent=bool(values.get("consent", False)),
        anonymous=bool(values.get("anonymous", False)),
        contact_method=values.get("contact_method", ""),
        contact_time=values.get("contact_time", ""),
        needs=_needs(values),
    )
    submitted = values.get("submitted_at")
    problems: list[CellIssue] = []
    if submitted is not None and submitted.date() > today + dt.timedelta(days=1):
        problems.append(CellIssue(binding.columns_of("submitted_at")[0], N_("This date is in the future.")))
    elif submitted is not None and submitted.date() < EARLIEST_SUBMISSION:
        problems.append(
            CellIssue(
                binding.columns_of("submitted_at")[0],
                N_(
                    "%(date)s cannot be when this was sent: it is before the year 2000. (An empty date "
                    "in Excel shows as 1900-01-01.) Correct the date or clear the cell."
                ),
                {"date": submitted.date().isoformat()},
            )
        )
    try:
        data = clean(form, region)
    except Invalid as invalid:
        return RowOutcome(row, tuple(problems + _issues(binding, invalid)))
    if problems:
        return RowOutcome(row, tuple(problems))
    notes = [
        CellIssue(_column_of(binding, key), p.message, p.params)
        for key in ("phone", "phone2")
        if not normalise(getattr(form, key), region).valid
        and (p := phone_warning(getattr(form, key), region))
    ]
    return RowOutcome(row, notes=tuple(notes), form=form, intake=data, submitted_at=submitted)


def _volunteer_row(binding: Binding, row: int, values: dict[str, Any], today: dt.date) -> RowOutcome:
    languages = tuple(v for v, _answer in values.get("languages", []))
    preferred = values.get("preferred_language") or (
        "es" if "es" in languages and "en" not in languages else "en"
    )
    availability = 0
    for mask, _answer in values.get("availability", []):
        availability |= int(mask)
    fields = VolunteerFields(
        name=values.get("name", ""),
        phone=values.get("phone", ""),
        email=values.get("email", ""),
        languages=languages,
        skills=tuple(v for v, _answer in values.get("skills", [])),
        preferred_language=preferred,
        zones=tuple(v for v, _answer in values.get("zones", [])),
        availability=availability,
        trained=bool(values.get("trained", False)),
        checked_on=values.get("checked_on"),
        max_runs_week=values.get("max_runs_week", VolunteerFields("").max_runs_week),
        notes=values.get("notes", ""),
    )
    try:
        return RowOutcome(row, volunteer=check_volunteer(fields, today=today))
    except Invalid as invalid:
        return RowOutcome(row, tuple(_issues(binding, invalid)))


def convert_row(
    binding: Binding,
    vocabulary: Vocabulary,
    cells: Sequence[Any],
    row: int,
    *,
    formulas: set[int] | frozenset[int] = frozenset(),
    merged: set[int] | frozenset[int] = frozenset(),
    region: str,
    today: dt.date,
) -> RowOutcome:
    """The records one row becomes, or every cell that stops it (`formulas`, `merged`: the
    indexes of the row's columns holding a formula, or hidden by merged cells)."""
    problems: list[CellIssue] = []
    notes: list[CellIssue] = []
    blocked = {c: FORMULA for c in formulas} | {c: MERGED for c in merged}
    values = _gather(binding, AnswerReader(binding, vocabulary), cells, blocked, problems, notes)
    if binding.mapping.kind is SheetKind.PERSON_REQUESTS:
        outcome = _person_row(binding, row, values, region, today)
    else:
        outcome = _volunteer_row(binding, row, values, today)
    who = _who(binding, cells)
    if problems:  # a form problem about a column already blamed follows from that cell: said once
        blamed = {p.column for p in problems}
        kept = tuple(p for p in outcome.problems if p.column not in blamed)
        return RowOutcome(row, tuple(problems) + kept, who=who)
    return RowOutcome(
        row,
        outcome.problems,
        tuple(notes) + outcome.notes,
        outcome.form,
        outcome.intake,
        outcome.submitted_at,
        outcome.volunteer,
        who,
    )


def _who(binding: Binding, cells: Sequence[Any]) -> str:
    """The row's name and phone as written ("Pedro Gómez — llámame")."""
    parts = []
    for key in ("name", "phone"):
        texts = [as_text(cells[i]) for i in binding.columns_of(key) if i < len(cells)]
        parts.append(" ".join(t for t in texts if t))
    return " — ".join(p for p in parts if p)


# ---- what the answers of a sheet are ----------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    text: str  # as written (the first spelling seen)
    rows: int  # how many rows give it
    meaning: Any  # what it stands for now; None when AidDesk does not know
    known: bool


def answers_of(
    binding: Binding, vocabulary: Vocabulary, rows: Sequence[Sequence[Any]], key: str
) -> list[Answer]:
    """Every distinct answer of the columns feeding `key` (one per selected answer of a multi
    select), most frequent first, with what it means now (for the values page)."""
    spec = binding.spec(key)
    reader = AnswerReader(binding, vocabulary)
    counts: dict[str, list[Any]] = {}
    for cells in rows:
        for index in binding.columns_of(key):
            raw = cells[index] if index < len(cells) else None
            text = as_text(raw) if not isinstance(raw, bool) else ("yes" if raw else "no")
            if not text:
                continue
            pieces = (
                split_answers(text, binding.mapping.multi_separator, lambda a: reader.known(spec, a))
                if spec.type is ValueType.MULTI
                else [text]
            )
            for piece in pieces:
                entry = counts.setdefault(fold(piece), [piece, 0])
                entry[1] += 1
    found = []
    for folded, (text, n) in counts.items():
        mapped = binding.answers.get(key, {})
        if folded in mapped:
            found.append(Answer(text, n, mapped[folded], True))
            continue
        try:
            value = reader.read(spec, text)
        except CellError:
            found.append(Answer(text, n, None, False))
            continue
        if spec.type is ValueType.MULTI:
            value = tuple(v for v, _answer in value)
        found.append(Answer(text, n, value, True))
    return sorted(found, key=lambda a: (-a.rows, fold(a.text)))
