"""Record states as the text of `_state` rows, and the strict reading of that text.

A row: kind, id, version vector, delete context, then the fields' siblings as
canonical JSON (sorted keys, counters and clocks as strings so no spreadsheet
turns them into numbers, dates ISO-8601). Text longer than a cell runs over
continuation cells. Reading checks every value against its field's type: a
workbook may come from anyone."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiddesk.domain import stop_times
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import CONTROL_CHARACTERS, MAX_TEXT, text_problem
from aiddesk.exchange.workbook.layout import ENUM_FIELDS, OPTIONAL_ENUM_FIELDS, STATE_CHUNK
from aiddesk.i18n import _
from aiddesk.store.field_types import KINDS, synced_columns

MAX_COUNTER = 2**53  # beyond this a counter is absurd (a desk would need millennia of edits)


# One encoder for every row (json.dumps with options builds a new one per call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# A string as the canonical encoder writes it (quoted, escaped, not ASCII-escaped).
json_string = json.encoder.encode_basestring


def canonical_json(value: Any) -> str:
    """`value` as canonical JSON: sorted keys, no spaces, text as it is (not escaped to ASCII)."""
    return _CANONICAL.encode(value)


def vv_text(vv: dict[str, int] | None) -> str:
    """A version vector's cell: canonical_json of {desk: counter as text}, written straight (a
    merge writes one for every record it already holds)."""
    if vv is None:
        return ""
    return "{" + ",".join(f'{json_string(desk)}:"{vv[desk]}"' for desk in sorted(vv)) + "}"


def state_cells(kind: str, state: dict[str, Any]) -> list[str]:
    """The cells of one `_state` row."""
    fields = {
        name: [[s[0], str(s[1]), str(s[2]), s[3]] for s in siblings]
        for name, siblings in state["fields"].items()
    }
    return text_cells(kind, state["id"], state["vv"], state.get("del_ctx"), fields)


def text_cells(
    kind: str,
    record_id: str,
    vv: dict[str, int] | None,
    del_ctx: dict[str, int] | None,
    fields: dict[str, list[list[Any]]],
) -> list[str]:
    """The cells of one `_state` row whose siblings already hold their counters and clocks as text."""
    text = canonical_json(fields)
    chunks = [text[i : i + STATE_CHUNK] for i in range(0, len(text), STATE_CHUNK)] or [""]
    return [kind, record_id, vv_text(vv), vv_text(del_ctx), *chunks]


class Checksum:
    """SHA-256 over the canonical `_state` rows, in order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def add(self, cells: Sequence[str]) -> None:
        """Add one row; TypeError when a cell is not text."""
        self._hash.update(("\t".join(cells) + "\n").encode("utf-8"))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


# ---- reading --------------------------------------------------------------------------------


@dataclass
class StateProblem(Exception):
    message: str  # English, marked N_
    params: dict[str, object]


def _problem(message: str, **params: object) -> StateProblem:
    return StateProblem(message, params)


@dataclass(frozen=True)
class FieldType:
    python: type
    nullable: bool
    max_len: int
    enum: frozenset[str] | None


def _field_types(kind: str) -> dict[str, FieldType]:
    out = {}
    for name, column in synced_columns(kind).items():
        enum = ENUM_FIELDS.get((kind, name))
        optional = OPTIONAL_ENUM_FIELDS.get((kind, name))
        allowed = None
        if enum is not None:
            allowed = frozenset(e.value for e in enum)
        elif optional is not None:
            allowed = frozenset([*(e.value for e in optional), ""])
        out[name] = FieldType(column.python, column.nullable, column.length or MAX_TEXT, allowed)
    return out


FIELD_TYPES: dict[str, dict[str, FieldType]] = {kind: _field_types(kind) for kind in KINDS}
FIELD_NAMES: dict[str, frozenset[str]] = {kind: frozenset(types) for kind, types in FIELD_TYPES.items()}


# Identifiers as AidDesk writes them (uuid4/uuid5 in canonical lower-case form).
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(text: Any) -> str:
    if not isinstance(text, str):
        raise _problem(N_("an identifier is not text"))
    if _UUID.fullmatch(text) is None:
        raise _problem(N_("“%(value)s” is not a record or desk identifier"), value=text[:40])
    return text


def _counter(text: Any) -> int:
    if not isinstance(text, str) or not (text.isascii() and text.isdigit()) or len(text) > 20:
        raise _problem(N_("a counter is not a whole number written as text"))
    value = int(text)
    if value > MAX_COUNTER:
        raise _problem(N_("a counter is absurdly large (%(value)s)"), value=text)
    return value


def _clock(text: Any) -> int:
    if (
        not isinstance(text, str)
        or not (text.isascii() and text.isdigit())
        or len(text) > 19
        or int(text) >= 2**63
    ):
        raise _problem(N_("a clock is not a whole number written as text"))
    return int(text)


def _vector(text: Any) -> dict[str, int] | None:
    if text in (None, ""):
        return None
    if not isinstance(text, str):
        raise _problem(N_("a version vector is not text"))
    return dict(_read_vector(text))


@functools.lru_cache(maxsize=4096)
def _read_vector(text: str) -> tuple[tuple[str, int], ...]:
    """A version vector's text, read and checked once: the records of one transaction, and a
    desk's records after an exchange, share theirs (a refused text raises every time)."""
    try:
        raw = json.loads(text)
    except ValueError:
        raise _problem(N_("a version vector is not readable")) from None
    if not isinstance(raw, dict):
        raise _problem(N_("a version vector is not readable"))
    return tuple((_uuid(desk), _counter(counter)) for desk, counter in raw.items())


def _value(kind: str, name: str, value: Any) -> Any:
    ftype = FIELD_TYPES[kind][name]
    if value is None:
        if ftype.nullable:
            return None
        raise _problem(N_("the field %(field)s is empty but may not be"), field=name)
    if ftype.python is bool:
        ok = isinstance(value, bool)
    elif ftype.python is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and abs(value) <= MAX_COUNTER
    elif ftype.python in (dt.date, dt.datetime):
        ok = isinstance(value, str) and _iso(ftype.python, value)
    else:
        ok = isinstance(value, str)
        if ok and (problem := text_problem(name, value, max_len=ftype.max_len)):
            detail = _(problem.message) % problem.params if problem.params else _(problem.message)
            raise _problem(N_("the field %(field)s: %(problem)s"), field=name, problem=detail.rstrip("."))
    if not ok:
        raise _problem(N_("the field %(field)s holds a value of the wrong type"), field=name)
    if ftype.enum is not None and value not in ftype.enum:
        raise _problem(
            N_("the field %(field)s holds “%(value)s”, which is not one of its choices"),
            field=name,
            value=str(value)[:40],
        )
    return value


def _iso(python: type, text: str) -> bool:
    try:
        parsed = python.fromisoformat(text)  # type: ignore[attr-defined]
    except ValueError:
        return False
    return parsed.isoformat() == text


def _quick_check(kind: str, name: str) -> Any:
    """A check of one value of `kind.name` that passes an ordinary value at once (text of its
    length without control characters, among its choices; a yes/no; a plain whole number) and
    hands anything else to _value, which accepts it or says what is wrong. Hot: every sibling of
    every record a merge has to read goes through here."""
    ftype = FIELD_TYPES[kind][name]
    enum, max_len = ftype.enum, ftype.max_len
    search = CONTROL_CHARACTERS.search  # only ever matches what str.isprintable() refuses

    def slow(value: Any) -> Any:
        return _value(kind, name, value)

    if ftype.python is str:

        def text(value: Any) -> Any:
            if (
                type(value) is str
                and len(value) <= max_len
                and (enum is None or value in enum)
                and (value.isprintable() or search(value) is None)
            ):
                return value
            return slow(value)

        return text
    if ftype.python is bool and enum is None:
        return lambda value: value if value is True or value is False else slow(value)
    if ftype.python is int and enum is None:
        return lambda value: (
            value if type(value) is int and -MAX_COUNTER <= value <= MAX_COUNTER else slow(value)
        )
    if ftype.python in (dt.date, dt.datetime) and enum is None:
        canonical = _canonical_date if ftype.python is dt.date else _canonical_datetime
        return lambda value: value if type(value) is str and canonical(value) else slow(value)
    return slow


# Whether a text is a date (a date and time) in the one ISO-8601 form the export writes. Cached:
# the records of one day, of one transaction, share theirs.
@functools.lru_cache(maxsize=8192)
def _canonical_date(text: str) -> bool:
    return _iso(dt.date, text)


@functools.lru_cache(maxsize=8192)
def _canonical_datetime(text: str) -> bool:
    return _iso(dt.datetime, text)


QUICK_CHECKS: dict[tuple[str, str], Any] = {
    (kind, name): _quick_check(kind, name) for kind, types in FIELD_TYPES.items() for name in types
}
# The same by kind, then field (a lookup by a field's name alone: no tuple built per value).
_CHECKS: dict[str, dict[str, Any]] = {
    kind: {name: QUICK_CHECKS[kind, name] for name in types} for kind, types in FIELD_TYPES.items()
}
# Each kind's field names in the order of the canonical text (sorted).
_IN_ORDER: dict[str, tuple[str, ...]] = {kind: tuple(sorted(types)) for kind, types in FIELD_TYPES.items()}


# The same as a tuple per kind, in the canonical text's order.
_CHECKS_IN_ORDER: dict[str, tuple[Any, ...]] = {
    kind: tuple(checks[name] for name in _IN_ORDER[kind]) for kind, checks in _CHECKS.items()
}


@dataclass(frozen=True, slots=True)
class PlainRecord:
    """A record as the plainest `_state` row holds it: every field of its kind with one value,
    all of them written by one edit (one stamp), no delete context."""

    kind: str
    id: str
    vv: dict[str, int]
    desk: str
    counter: int
    clock: int
    values: dict[str, Any]  # field -> value, in the canonical text's order


def _plain_stamp(desk: Any, counter_text: Any, clock_text: Any) -> bool:
    """Whether a sibling's stamp is plain: a desk's text, a counter and a clock written as short
    runs of ASCII digits (anything else gets the full check, _siblings)."""
    return (
        type(desk) is str
        and type(counter_text) is str
        and type(clock_text) is str
        and len(counter_text) <= 15
        and len(clock_text) <= 18
        and counter_text.isdigit()
        and clock_text.isdigit()
        and counter_text.isascii()
        and clock_text.isascii()
    )


def read_plain(cells: Sequence[Any]) -> PlainRecord | None:
    """The record of a `_state` row in its plainest form (PlainRecord: most rows of a desk
    that joins a network), checked as read_state checks it and read in one pass; None for any
    other row, valid or not: read_state reads it, and says what is wrong with it if anything
    is. Hot: a merge reads every record new to the desk here first."""
    if len(cells) != 5 or cells[3] != "":
        return None
    kind, record_id, vv_text, _context, text = cells
    checks = _CHECKS_IN_ORDER.get(kind)
    if checks is None or type(record_id) is not str or type(vv_text) is not str or not vv_text:
        return None
    if type(text) is not str or _UUID.fullmatch(record_id) is None:
        return None
    try:
        vv = dict(_read_vector(vv_text))
        raw = json.loads(text)
        if type(raw) is not dict or tuple(raw) != _IN_ORDER[kind]:
            return None
        values: dict[str, Any] = {}
        first: list[Any] | None = None
        for (name, field), check in zip(raw.items(), checks, strict=True):
            if (
                type(field) is not list
                or len(field) != 1
                or type(item := field[0]) is not list
                or len(item) != 4
            ):
                return None
            if first is None:
                first = item
                desk, counter_text, clock_text = item[0], item[1], item[2]
                if not _plain_stamp(desk, counter_text, clock_text):
                    return None
                counter = int(counter_text)
                if counter > vv.get(desk, -1):  # a desk of vv: a checked identifier
                    return None
            elif item[0] != desk or item[1] != counter_text or item[2] != clock_text:
                return None
            values[name] = check(item[3])
    except (StateProblem, ValueError):  # read_state says what is wrong
        return None
    if first is None:
        return None
    return PlainRecord(kind, record_id, vv, desk, counter, int(clock_text), values)


def _siblings(kind: str, name: str, raw: Any, vv: dict[str, int]) -> list[list[Any]]:
    if not isinstance(raw, list) or not raw:
        raise _problem(N_("the field %(field)s has no value"), field=name)
    out = []
    for item in raw:
        if not isinstance(item, list) or len(item) != 4:
            raise _problem(N_("the field %(field)s is not readable"), field=name)
        desk, counter_text, clock_text = item[0], item[1], item[2]
        # Plain counters and clocks take the quick test; anything else gets the full check.
        if (
            type(counter_text) is str
            and counter_text.isascii()
            and counter_text.isdigit()
            and len(counter_text) <= 15
        ):
            counter = int(counter_text)
        else:
            counter = _counter(counter_text)
        if (
            type(clock_text) is str
            and clock_text.isascii()
            and clock_text.isdigit()
            and len(clock_text) <= 18
        ):
            clock = int(clock_text)
        else:
            clock = _clock(clock_text)
        # The vector's desks are checked identifiers: a desk it lacks is an edit it has not seen.
        if not isinstance(desk, str) or counter > vv.get(desk, -1):
            raise _problem(N_("the field %(field)s holds an edit its record has not seen"), field=name)
        out.append([desk, counter, clock, QUICK_CHECKS[kind, name](item[3])])
    if len(out) == 1:
        return out
    stamps = [(s[0], s[1]) for s in out]
    if len(set(stamps)) != len(stamps):
        raise _problem(N_("the field %(field)s holds one edit twice"), field=name)
    return sorted(out, key=lambda s: (s[0], s[1]))


def read_state_row(cells: Sequence[Any], revision: str | None = None) -> tuple[str, dict[str, Any]]:
    """(kind, state) of one `_state` row; StateProblem when anything in it is not as written.

    `revision` is the database revision of the desk that wrote the row: fields added since
    then are derived as that desk would derive them when it upgrades (stop_times)."""
    kind, state, _clock = read_state(cells, revision)
    return kind, state


def read_state(cells: Sequence[Any], revision: str | None = None) -> tuple[str, dict[str, Any], int]:
    """read_state_row's (kind, state), and the highest clock among the record's edits."""
    if len(cells) < 5 or any(not isinstance(c, str) for c in cells[:5]):
        raise _problem(N_("a row is incomplete"))
    kind = cells[0]
    checks = _CHECKS.get(kind)
    if checks is None:
        raise _problem(N_("“%(value)s” is not a kind of record"), value=kind[:40])
    record_id = _uuid(cells[1])
    vv = _vector(cells[2])
    if not vv:
        raise _problem(N_("a record has no version vector"))
    del_ctx = _vector(cells[3])
    text = cells[4] if len(cells) == 5 else "".join(c for c in cells[4:] if isinstance(c, str))
    try:
        raw = json.loads(text)
    except ValueError:
        raise _problem(N_("the fields of a record are not readable")) from None
    if not isinstance(raw, dict):
        raise _problem(N_("the fields of a record are not readable"))
    if raw.keys() != FIELD_NAMES[kind]:  # (nearly every row holds exactly the kind's fields)
        known = FIELD_TYPES[kind]
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise _problem(
                N_("the field “%(field)s” is not known to this version of AidDesk"), field=unknown[0][:40]
            )
        missing = sorted(set(known) - set(raw) - _added_since(kind, revision))
        if missing:
            raise _problem(N_("the field “%(field)s” is missing"), field=missing[0])
    fields = {}
    top = counter = clock = 0
    seen: tuple[str, str, str] | None = None  # the last plain stamp checked (counter, clock: its numbers)
    get = vv.get
    # The canonical text has its fields in order: the state keeps that order.
    items = raw.items() if tuple(raw) == _IN_ORDER[kind] else sorted(raw.items())
    for name, value in items:
        # Nearly every field holds one sibling with plain counter and clock: checked here at once,
        # and only once for the fields of a record written by one transaction (one stamp).
        if type(value) is list and len(value) == 1 and type(item := value[0]) is list and len(item) == 4:
            desk, counter_text, clock_text, plain = item
            # JSON gives no other type equal to a text: equal to the last stamp checked, it is one
            if seen is not None and desk == seen[0] and counter_text == seen[1] and clock_text == seen[2]:
                fields[name] = [[desk, counter, clock, checks[name](plain)]]
                continue
            if (
                _plain_stamp(desk, counter_text, clock_text)
                and (counter := int(counter_text)) <= get(desk, -1)  # a desk of vv: a checked id
            ):
                clock = int(clock_text)
                if clock > top:
                    top = clock
                seen = (desk, counter_text, clock_text)
                fields[name] = [[desk, counter, clock, checks[name](plain)]]
                continue
        seen = None
        siblings = fields[name] = _siblings(kind, name, value, vv)
        top = max(top, *(s[2] for s in siblings))
    if kind == "stop":
        fields = dict(sorted(stop_times.with_recorded_at(fields).items()))
    return kind, {"id": record_id, "vv": vv, "del_ctx": del_ctx, "fields": fields}, top


def _added_since(kind: str, revision: str | None) -> set[str]:
    """Fields a row of `kind` written at database `revision` may lack."""
    older = revision is not None and revision.isdigit() and int(revision) < int(stop_times.SINCE_REVISION)
    return {stop_times.FIELD} if older and kind == "stop" else set()
