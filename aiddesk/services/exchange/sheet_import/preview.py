"""Importing a foreign spreadsheet (a Google Forms export, an old roster): the mapping a desk
remembers per header set, the preview of every row (its records or the cells that stop it, and
the people already on the desk it may repeat), and what storing the chosen rows would do.

Storing is `sheet_import_store.store`. Nothing here writes a record: a preview and a dry run
leave the database exactly as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from aiddesk.domain.enums import ContactMethod, Labelled, Recurring, Skill, Urgency
from aiddesk.domain.intake import fold
from aiddesk.domain.phone import normalise
from aiddesk.domain.sheet_fields import SheetKind
from aiddesk.domain.sheet_mapping import Binding, SheetMapping, bind, header_key, header_text
from aiddesk.domain.sheet_row import RowOutcome, SheetTable, convert_row, is_blank
from aiddesk.domain.sheet_values import LabelChoice, Vocabulary
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import LANGUAGES, N_, _, translations_for
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.intake.calls import find_duplicates
from aiddesk.store.database import Database
from aiddesk.store.models import NeedCategory, Zone
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories import labels as labels_repo
from aiddesk.store.repositories import volunteer_duplicates as volunteer_matches
from aiddesk.store.repositories.people import intake_checks as callers

_ENUMS: dict[str, type[Labelled]] = {
    "urgency": Urgency,
    "recurring": Recurring,
    "contact_method": ContactMethod,
    "skill": Skill,
}
# Params of a problem that are English labels, translated with the message.
_LABEL_PARAMS = ("field", "kind")


def vocabulary(db: Database) -> Vocabulary:
    """The words answers are read with: built-in synonyms, the desk's need categories and zones
    (in use, not retired) and every choice's label in English and Spanish."""
    with db.session() as session:
        needs, zones = (
            [
                LabelChoice(row.id, row.key, row.label_en, row.label_es)
                for row in labels_repo.list_labels(session, model, include_retired=False)
            ]
            for model in (NeedCategory, Zone)
        )
    labels: dict[str, dict[str, str]] = {}
    for name, enum in _ENUMS.items():
        for language in LANGUAGES:
            gettext = translations_for(language).gettext
            labels.setdefault(name, {}).update({gettext(member.label): member.value for member in enum})
    labels["sheet_language"] = {name: code for code, name in LANGUAGES.items()}
    return Vocabulary.build(needs, zones, labels)


def region(db: Database) -> str:
    desk = desk_service.get_desk(db)
    return desk.phone_region if desk is not None else "US"


def describe(message: str, params: dict[str, object]) -> str:
    """A problem's message in the UI language, its label parameters translated too."""
    values = {k: _(str(v)) if k in _LABEL_PARAMS else v for k, v in params.items()}
    return _(message) % values if values else _(message)


def problem_text(problem: Problem) -> str:
    return describe(problem.message, problem.params)


# ---- sheets, headers and remembered mappings ----------------------------------------------------


def headers_of(sheet: SheetTable, header_row: int) -> list[str]:
    if header_row < 1 or header_row > len(sheet.rows):
        raise Invalid(
            [
                Problem(
                    "header_row",
                    N_("The sheet “%(sheet)s” has no row %(row)d."),
                    {"sheet": sheet.name, "row": header_row},
                )
            ]
        )
    headers = [header_text(v) for v in sheet.rows[header_row - 1]]
    if not any(headers):
        raise Invalid(
            [
                Problem(
                    "header_row",
                    N_("Row %(row)d of the sheet “%(sheet)s” is empty: which row holds the questions?"),
                    {"sheet": sheet.name, "row": header_row},
                )
            ]
        )
    return headers


def pick_sheet(sheets: list[SheetTable], name: str | None) -> SheetTable:
    """The sheet the mapping names (the first one when it names none)."""
    if name is None:
        return sheets[0]
    for sheet in sheets:
        if sheet.name == name:
            return sheet
    raise Invalid(
        [Problem("sheet", N_("The spreadsheet has no visible sheet named “%(sheet)s”."), {"sheet": name})]
    )


def remembered_mapping(db: Database, headers: list[str]) -> SheetMapping | None:
    """The mapping last used for a sheet with these headers, if any (and still readable)."""
    with db.session() as session:
        stored = desk_repo.get_setting(session, header_key(headers))
    try:
        return SheetMapping.from_json(stored) if stored is not None else None
    except Invalid:
        return None


def remember_mapping(db: Database, who: str, mapping: SheetMapping, headers: list[str]) -> None:
    """Keep the mapping for the next sheet with the same headers (a local setting, never synced)."""
    with db.transaction(who) as tx:
        desk_repo.put_setting(tx.session, header_key(headers), mapping.to_json())


# ---- preview -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """Someone the row may repeat: a person or volunteer already on the desk, or an earlier row."""

    by: str  # "phone", "name_address" or "name"
    record_id: str | None = None  # the person or volunteer already on the desk
    code: str = ""
    name: str = ""
    phone: str = ""
    address: str = ""
    row: int | None = None  # the earlier row of the same sheet


@dataclass(frozen=True)
class PreviewRow:
    outcome: RowOutcome
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def row(self) -> int:
        return self.outcome.row


@dataclass(frozen=True)
class Preview:
    source: str  # the file's name
    sheet: str
    kind: SheetKind
    headers: tuple[str, ...]
    rows: tuple[PreviewRow, ...]
    blank_rows: int

    def column_name(self, index: int | None) -> str:
        return self.headers[index] if index is not None and index < len(self.headers) else ""


def data_rows(sheet: SheetTable, header_row: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of each row under the header row, up to the last one with an answer."""
    rows = sheet.rows[header_row:]
    last = max((i for i, cells in enumerate(rows) if not is_blank(cells)), default=-1)
    for offset, cells in enumerate(rows[: last + 1]):
        yield header_row + offset + 1, list(cells)


def preview(
    db: Database,
    sheet: SheetTable,
    mapping: SheetMapping,
    *,
    source: str,
    today: dt.date | None = None,
    words: Vocabulary | None = None,
) -> Preview:
    """Every row of the sheet read with the mapping. Raises Invalid when the mapping does not fit
    the sheet (a column missing, a meaning the desk does not know)."""
    words = words or vocabulary(db)
    headers = headers_of(sheet, mapping.header_row)
    binding = bind(mapping, headers, words)
    outcomes, blank = convert_sheet(binding, words, sheet, region=region(db), today=today or dt.date.today())
    if mapping.kind is SheetKind.PERSON_REQUESTS:
        rows = _person_suggestions(db, outcomes)
    else:
        rows = _volunteer_suggestions(db, outcomes)
    return Preview(source, sheet.name, mapping.kind, tuple(headers), tuple(rows), blank)


def convert_sheet(
    binding: Binding, words: Vocabulary, sheet: SheetTable, *, region: str, today: dt.date
) -> tuple[list[RowOutcome], int]:
    """The outcome of every row with an answer, and how many blank rows were skipped."""
    formulas, merged = sheet.formula_cells(), sheet.covered()
    outcomes: list[RowOutcome] = []
    blank = 0
    for number, cells in data_rows(sheet, binding.mapping.header_row):
        if is_blank(cells):
            blank += 1
            continue
        index = number - 1
        outcomes.append(
            convert_row(
                binding,
                words,
                cells,
                number,
                formulas=formulas.get(index, set()),
                merged=merged.get(index, set()),
                region=region,
                today=today,
            )
        )
    return outcomes, blank


@dataclass
class _Seen:
    """What earlier rows of the sheet were: by phone, by name and address, by name alone."""

    keys: dict[tuple[str, str], int] = field(default_factory=dict)

    def match(self, keys: list[tuple[str, str]]) -> Suggestion | None:
        for key in keys:
            if key in self.keys:
                return Suggestion(key[0], row=self.keys[key])
        return None

    def add(self, keys: list[tuple[str, str]], row: int) -> None:
        for key in keys:
            self.keys.setdefault(key, row)


def _keys(phones: list[str], name: str, address: str) -> list[tuple[str, str]]:
    keys = [("phone", p) for p in phones]
    if name and address:
        keys.append(("name_address", f"{fold(name)}\x1f{fold(address)}"))
    if name and not phones:
        keys.append(("name", fold(name)))
    return keys


def _person_suggestions(db: Database, outcomes: list[RowOutcome]) -> list[PreviewRow]:
    """Each row with the people it may repeat: the intake's duplicates (same phone, or same name
    and address), the same name when a phone cannot tell, and earlier rows of the sheet."""
    found: list[PreviewRow] = []
    seen = _Seen()
    region_code = region(db)
    with db.session() as session:
        for outcome in outcomes:
            if outcome.intake is None or outcome.form is None:
                found.append(PreviewRow(outcome))
                continue
            person = outcome.intake.person
            suggestions = {
                d.person.id: _person(d.by, d.person) for d in find_duplicates(db, outcome.form, region_code)
            }
            phones = [p for p in (person["phone"], person["phone2"]) if p]
            if person["name"]:
                for match in callers.same_name_words(session, person["name"], limit=50):
                    if fold(match.name) == fold(person["name"]) and not (phones and match.phone):
                        suggestions.setdefault(match.id, _person("name", match))
            keys = _keys(phones, person["name"], person["address"])
            earlier = seen.match(keys)
            seen.add(keys, outcome.row)
            found.append(PreviewRow(outcome, (*suggestions.values(), *([earlier] if earlier else []))))
    return found


def _person(by: str, match: Any) -> Suggestion:
    return Suggestion(
        by, match.id, match.code, match.name, match.phone_raw or match.phone or "", match.address
    )


def _volunteer_suggestions(db: Database, outcomes: list[RowOutcome]) -> list[PreviewRow]:
    region_code = region(db)
    phones = {
        o.row: normalise(o.volunteer.phone, region_code).e164 for o in outcomes if o.volunteer is not None
    }
    names = [o.volunteer.name for o in outcomes if o.volunteer is not None]
    with db.session() as session:
        by_phone = volunteer_matches.same_phone(session, [p for p in phones.values() if p])
        by_name = volunteer_matches.same_names(session, names)
    found: list[PreviewRow] = []
    seen = _Seen()
    for outcome in outcomes:
        if outcome.volunteer is None:
            found.append(PreviewRow(outcome))
            continue
        phone, name = phones[outcome.row], outcome.volunteer.name
        suggestions = {m.id: _volunteer("phone", m) for m in by_phone if phone and m.phone == phone}
        for match in by_name:
            if fold(match.name) == fold(name):
                suggestions.setdefault(match.id, _volunteer("name", match))
        keys = [("phone", phone)] if phone else []
        keys.append(("name", fold(name)))
        earlier = seen.match(keys)
        seen.add(keys, outcome.row)
        found.append(PreviewRow(outcome, (*suggestions.values(), *([earlier] if earlier else []))))
    return found


def _volunteer(by: str, match: volunteer_matches.VolunteerMatch) -> Suggestion:
    return Suggestion(by, match.id, match.code, match.name, match.phone_raw or match.phone or "")
