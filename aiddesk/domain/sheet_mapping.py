"""A sheet mapping: which column of a foreign spreadsheet feeds which field, what its answers
mean, which sheet and header row; its JSON file format (MAP.json, docs/sheet-mapping.md), its
checks, and the key of a header set under which a desk remembers it.

Pure. Problems are English messages marked N_, named by their place in the file ("columns",
"values.urgency" ...); `bind()` applies a mapping to a sheet's headers and resolves every
answer it names, or raises Invalid listing everything that is wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiddesk.domain.markers import N_
from aiddesk.domain.sheet_fields import FIELDS, KIND_LABELS, FieldSpec, SheetKind, ValueType, fold
from aiddesk.domain.sheet_values import DATE_ORDERS, CellError, Vocabulary, count, date_time, short, yes_no
from aiddesk.domain.validation import Invalid, Problem

FORMAT = "aiddesk-sheet-mapping"
VERSION = 1
MAX_HEADER_ROW = 1000
COUNT_MAX = {"household_size": 99, "max_runs_week": 14}
KEY_PREFIX = "sheet-mapping:"


@dataclass(frozen=True)
class SheetMapping:
    kind: SheetKind
    columns: Mapping[str, str]  # header text -> field key ("" : not imported)
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # field -> answer -> meaning
    defaults: Mapping[str, Any] = field(default_factory=dict)  # field -> meaning when left blank
    sheet: str | None = None  # None: the first visible sheet (a CSV file has one)
    header_row: int = 1
    multi_separator: str = ","
    date_order: str = "mdy"  # how 03/04/2026 reads: "mdy" (March 4) or "dmy" (3 April)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind.value,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": dict(self.columns),
            "values": {name: dict(answers) for name, answers in self.values.items() if answers},
            "defaults": dict(self.defaults),
            "multi_separator": self.multi_separator,
            "date_order": self.date_order,
        }

    @classmethod
    def from_json(cls, data: Any) -> SheetMapping:
        """The mapping a parsed MAP.json holds; Invalid when its shape is wrong (meanings are
        checked against the desk by `check`)."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise Invalid([Problem("format", N_("This file is not an AidDesk sheet mapping."))])
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise Invalid([Problem("version", N_("The mapping file has no version number."))])
        if version > VERSION:
            raise Invalid(
                [
                    Problem(
                        "version",
                        N_(
                            "This mapping was made by a newer AidDesk (format version %(version)d); update AidDesk to use it."
                        ),
                        {"version": version},
                    )
                ]
            )
        problems: list[Problem] = []
        kind = data.get("kind")
        if kind not in {k.value for k in SheetKind}:
            problems.append(Problem("kind", N_("“kind” must be “person_requests” or “volunteers”.")))
        columns = _string_map(data.get("columns"), "columns", problems)
        values = data.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
            problems.append(
                Problem("values", N_("“values” must map each field to its answers and their meanings."))
            )
            values = {}
        defaults = data.get("defaults", {})
        if not isinstance(defaults, dict):
            problems.append(Problem("defaults", N_("“defaults” must map fields to values.")))
            defaults = {}
        sheet = data.get("sheet")
        if sheet is not None and not isinstance(sheet, str):
            problems.append(
                Problem("sheet", N_("“sheet” must be the name of a sheet, or null for the first one."))
            )
        header_row = data.get("header_row", 1)
        if (
            not isinstance(header_row, int)
            or isinstance(header_row, bool)
            or not 1 <= header_row <= MAX_HEADER_ROW
        ):
            problems.append(
                Problem(
                    "header_row",
                    N_("“header_row” must be a row number from 1 to %(max)d."),
                    {"max": MAX_HEADER_ROW},
                )
            )
        separator = data.get("multi_separator", ",")
        if not isinstance(separator, str) or not separator.strip() or len(separator) > 3:
            problems.append(
                Problem(
                    "multi_separator", N_("“multi_separator” must be one to three characters, like a comma.")
                )
            )
        order = data.get("date_order", "mdy")
        if order not in DATE_ORDERS:
            problems.append(Problem("date_order", N_("“date_order” must be “mdy” or “dmy”.")))
        if problems:
            raise Invalid(problems)
        return cls(
            SheetKind(str(kind)),
            columns,
            {str(k): {str(a): m for a, m in v.items()} for k, v in values.items()},
            {str(k): v for k, v in defaults.items()},
            sheet,
            header_row,
            separator,
            order,
        )


def _string_map(value: Any, name: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | None) for k, v in value.items()
    ):
        problems.append(Problem(name, N_("“columns” must map each column's header to a field key.")))
        return {}
    return {" ".join(k.split()): v or "" for k, v in value.items()}


# ---- headers ---------------------------------------------------------------------------------


def header_text(value: Any) -> str:
    """A header cell as text, spaces tidied (a number header 2024.0 reads "2024")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def header_key(headers: list[str]) -> str:
    """The key a mapping is remembered under: the set of headers, order, case and accents aside."""
    names = sorted({fold(h) for h in headers if h.strip()})
    digest = hashlib.sha256("\x1f".join(names).encode("utf-8")).hexdigest()
    return KEY_PREFIX + digest[:40]


# ---- meanings --------------------------------------------------------------------------------


def meaning(spec: FieldSpec, target: Any, vocabulary: Vocabulary) -> Any:
    """What a meaning written in the mapping stands for (None: leave the field empty); CellError
    when it cannot be used for this field."""
    if target is None:
        return None
    kind = spec.type
    if kind is ValueType.MULTI:
        items = target if isinstance(target, list) else [target]
        return tuple(_choice(spec, item, vocabulary) for item in items if item is not None)
    if kind is ValueType.CHOICE:
        return _choice(spec, target, vocabulary)
    if kind in (ValueType.BOOL, ValueType.COUNT, ValueType.DATE, ValueType.DATETIME):
        return plain_answer(spec, target, "mdy")
    if not isinstance(target, str):
        raise CellError(N_("“%(value)s” must be written as text."), value=short(target))
    return target


def plain_answer(spec: FieldSpec, value: Any, date_order: str) -> Any:
    """A yes/no, count or date answer (as written, or as a spreadsheet stored it); other answers
    as text. CellError when it is not one."""
    kind = spec.type
    if kind is ValueType.BOOL:
        answer = value if isinstance(value, bool) else yes_no(str(value))
        if answer is None:
            raise CellError(N_("“%(value)s” is not yes or no."), value=short(value))
        return answer
    if kind is ValueType.COUNT:
        return count(str(value), most=COUNT_MAX.get(spec.key, 99))
    if kind in (ValueType.DATE, ValueType.DATETIME):
        when = value if isinstance(value, dt.datetime | dt.date) else date_time(str(value), date_order)
        if kind is ValueType.DATE:
            return when.date() if isinstance(when, dt.datetime) else when
        return when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time())
    return value


def _choice(spec: FieldSpec, target: Any, vocabulary: Vocabulary) -> str:
    text = str(target)
    value = vocabulary.resolve(spec.vocabulary, text)
    if value is None:
        if spec.free and text.strip():
            return text.strip()
        raise CellError(
            N_("“%(value)s” is not one of the choices for %(field)s."), value=short(text), field=spec.label
        )
    return value


# ---- a mapping applied to a sheet ------------------------------------------------------------


@dataclass(frozen=True)
class Binding:
    """A checked mapping applied to one sheet's headers, every meaning resolved."""

    mapping: SheetMapping
    headers: tuple[str, ...]
    columns: tuple[tuple[int, FieldSpec], ...]  # column index -> field, in sheet order
    answers: dict[str, dict[str, Any]]  # field -> folded answer -> meaning
    defaults: dict[str, Any]  # field -> meaning

    def columns_of(self, key: str) -> list[int]:
        return [index for index, spec in self.columns if spec.key == key]

    def spec(self, key: str) -> FieldSpec:
        return FIELDS[self.mapping.kind][key]


def check(
    mapping: SheetMapping, vocabulary: Vocabulary
) -> tuple[dict[str, dict[str, Any]], dict[str, Any], list[Problem]]:
    """The mapping's answers and defaults resolved, and every problem of its fields and meanings."""
    specs = FIELDS[mapping.kind]
    problems: list[Problem] = []
    fed: dict[str, list[str]] = {}
    for header, key in mapping.columns.items():
        if not key:
            continue
        if key not in specs:
            problems.append(
                Problem(
                    "columns",
                    N_("“%(key)s” (for the column “%(header)s”) is not a field of %(kind)s."),
                    {"key": key, "header": header, "kind": KIND_LABELS[mapping.kind]},
                )
            )
            continue
        fed.setdefault(key, []).append(header)
    for key, headers in fed.items():
        if len(headers) > 1 and specs[key].join is None:
            problems.append(
                Problem(
                    "columns",
                    N_("Only one column can feed %(field)s, but %(count)d do."),
                    {"field": specs[key].label, "count": len(headers)},
                )
            )
    required = ("name", "phone") if mapping.kind is SheetKind.PERSON_REQUESTS else ("name",)
    if not any(key in fed for key in required):
        message = (
            N_("No column feeds the caller's name or phone number.")
            if mapping.kind is SheetKind.PERSON_REQUESTS
            else N_("No column feeds the volunteer's name.")
        )
        problems.append(Problem("columns", message))
    answers = {
        k: v
        for k, v in (
            (key, _resolve_all(f"values.{key}", specs.get(key), table, vocabulary, problems))
            for key, table in mapping.values.items()
        )
        if v is not None
    }
    defaults: dict[str, Any] = {}
    for key, target in mapping.defaults.items():
        resolved = _resolve_all(f"defaults.{key}", specs.get(key), {"": target}, vocabulary, problems)
        if resolved is not None and "" in resolved:
            defaults[key] = resolved[""]
    return answers, defaults, problems


def _resolve_all(
    place: str,
    spec: FieldSpec | None,
    table: Mapping[str, Any],
    vocabulary: Vocabulary,
    problems: list[Problem],
) -> dict[str, Any] | None:
    if spec is None:
        problems.append(
            Problem(
                place, N_("“%(key)s” is not a field of this kind of sheet."), {"key": place.split(".", 1)[1]}
            )
        )
        return None
    resolved: dict[str, Any] = {}
    for answer, target in table.items():
        try:
            resolved[fold(answer)] = meaning(spec, target, vocabulary)
        except CellError as error:
            problems.append(Problem(place, error.message, dict(error.params)))
    return resolved


def bind(mapping: SheetMapping, headers: list[str], vocabulary: Vocabulary) -> Binding:
    """The mapping applied to a sheet whose header row holds `headers`; Invalid lists every
    problem (unknown fields, meanings the desk does not know, columns missing from the sheet)."""
    answers, defaults, problems = check(mapping, vocabulary)
    exact = {h: i for i, h in reversed(list(enumerate(headers))) if h}
    folded: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        if header:
            folded.setdefault(fold(header), []).append(index)
    specs = FIELDS[mapping.kind]
    columns: list[tuple[int, FieldSpec]] = []
    for header, key in mapping.columns.items():
        if not key or key not in specs:
            continue
        same = folded.get(fold(header), [])
        if not same:
            problems.append(
                Problem("columns", N_("The sheet has no column “%(header)s”."), {"header": short(header)})
            )
        elif len(same) > 1:
            problems.append(
                Problem(
                    "columns",
                    N_("Two columns of the sheet are titled “%(header)s”; rename one."),
                    {"header": short(header)},
                )
            )
        else:
            columns.append((exact.get(header, same[0]), specs[key]))
    if problems:
        raise Invalid(problems)
    return Binding(mapping, tuple(headers), tuple(sorted(columns, key=lambda c: c[0])), answers, defaults)
