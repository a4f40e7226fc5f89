"""The Conflicts screen's data: fields that desks changed concurrently, records edited at one
desk while another deleted them, and how a person settles them.

Settling is an ordinary local edit (a new stamp replaces the siblings), so the
decision travels to the other desks with the next workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import attributes

from aiddesk.domain import clock
from aiddesk.domain import phone as phones
from aiddesk.domain.access import Right, require
from aiddesk.domain.markers import N_
from aiddesk.domain.merge import displayed_sibling, hidden, in_conflict, visibility
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.exchange.workbook.cells import CellProblem, CellText, parse_cell
from aiddesk.exchange.workbook.layout import SHEET_BY_KIND, Column, Show
from aiddesk.i18n import _, current_language, current_region
from aiddesk.services.people import person as people
from aiddesk.store.database import Database
from aiddesk.store.models import MODEL_BY_KIND
from aiddesk.store.repositories.canonical import record_state
from aiddesk.store.repositories.exchange import conflicts as repo
from aiddesk.store.repositories.exchange import known_desks
from aiddesk.store.repositories.exchange import sheet_refs as exchange_refs

AFTER_DELETE = "deleted"  # the `field` of an "edited after delete" conflict
RAW = "_raw"  # a phone as typed: settled with its number (the same edit typed both)


@dataclass(frozen=True)
class Choice:
    value: Any  # canonical value (what `resolve` takes back)
    text: str  # as shown
    desk: str  # "CODE (name)" of the desk that made it
    when: dt.datetime  # from the edit's clock (UTC)
    shown: bool  # the value the lists show now


@dataclass(frozen=True)
class OpenConflict:
    kind: str
    record_id: str
    record: str  # code, name or label of the record
    field: str  # AFTER_DELETE for an edited-after-delete conflict
    field_label: str
    choices: tuple[Choice, ...]
    edited_fields: tuple[str, ...] = ()  # for AFTER_DELETE: what was edited after the delete


def _column(kind: str, field: str) -> Column:
    sheet = SHEET_BY_KIND.get(kind)
    for column in sheet.columns if sheet is not None else ():
        if column.source == field or column.key == field:
            return column
    return Column(field, field, Show.TEXT)


def field_label(kind: str, field: str, translate: Callable[[str], str] = _) -> str:
    """A field's name as the lists and the workbook show it (the raw phone: "Phone (as typed)"),
    in the language of `translate` (the desk's by default)."""
    base = field[: -len(RAW)] if field.endswith(RAW) else ""
    if base and _column(kind, base).header != base:
        # L10N: a phone number exactly as it was typed, beside its normalised form
        return translate(N_("%(field)s (as typed)")) % {"field": translate(_column(kind, base).header)}
    column = _column(kind, field)
    return translate(column.header) if column.header != field else field


def _when(value: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(clock.wall_ms(value) / 1000, dt.UTC).replace(tzinfo=None)


def open_conflicts(db: Database) -> list[OpenConflict]:
    out: list[OpenConflict] = []
    with db.session() as session:
        desks = known_desks.names(session)
        refs: dict[str, str] = {}

        def ref_text(_name: str, value: Any) -> str | None:
            # Read on the first link in conflict only: the codes of every record of a big desk
            # take a while, and most conflicts are about typed values.
            if not refs:
                refs.update(exchange_refs.labels(session, current_language()))
                for kind in exchange_refs.CODED_KINDS:
                    refs.update(exchange_refs.codes(session, kind))
            return refs.get(value) if value else None

        text = CellText(current_language(), current_region(), ref_text)
        for model, row, state in repo.records_in_conflict(session):
            if hidden(state):  # deleted (or erased): out of every list, nothing left to decide
                continue
            label = (
                getattr(row, "code", None)
                or getattr(row, "name", None)
                or getattr(row, "label_en", None)
                or row.id
            )
            values = {name: displayed_sibling(s)[3] for name, s in state["fields"].items()}
            for name, siblings in state["fields"].items():
                if name == "deleted" or not in_conflict(siblings) or _settled_with_number(state, name):
                    continue
                column = _column(model.kind, name)
                shown = displayed_sibling(siblings)
                choices = tuple(
                    Choice(
                        s[3],
                        text(column, {**values, column.source: s[3]})
                        if column.show is not Show.PHONE
                        else _phone_text(state, name, s, text.region),
                        desks.get(s[0], s[0][:8]),
                        _when(s[2]),
                        s is shown,
                    )
                    for s in sorted(siblings, key=lambda s: (-s[2], s[0]))
                )
                out.append(
                    OpenConflict(
                        model.kind,
                        row.id,
                        label,
                        name,
                        field_label(model.kind, name),
                        choices,
                    )
                )
            edited = visibility(state).edited_after_delete
            if edited and not hidden(state):
                delete = displayed_sibling(state["fields"]["deleted"])
                out.append(
                    OpenConflict(
                        model.kind,
                        row.id,
                        label,
                        AFTER_DELETE,
                        _("Deleted at one desk, changed at another"),
                        (
                            Choice(
                                True,
                                _("Delete it"),
                                desks.get(delete[0], delete[0][:8]),
                                _when(delete[2]),
                                False,
                            ),
                        ),
                        edited,
                    )
                )
    return out


def _phone_text(state: dict[str, Any], name: str, sibling: list[Any], region: str) -> str:
    """A phone as the lists show it, with what was typed in the same edit (a number that is not
    valid is kept as typed)."""
    typed = [r[3] for r in state["fields"].get(name + RAW, []) if (r[0], r[1]) == (sibling[0], sibling[1])]
    return phones.display(sibling[3], typed[0] if typed else "", region)


def _settled_with_number(state: dict[str, Any], name: str) -> bool:
    """A raw phone in conflict together with its number: one conflict, settled with the number."""
    base = name[: -len(RAW)] if name.endswith(RAW) else ""
    return bool(base) and base in state["fields"] and in_conflict(state["fields"][base])


def _with_raw_twins(state: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A kept phone number brings the raw phone typed with it (same edit stamp), so keeping one
    value settles both halves of the phone."""
    out = dict(values)
    for field, value in values.items():
        twin = field + RAW
        if twin in values or twin not in state["fields"] or field not in state["fields"]:
            continue
        stamps = {(s[0], s[1]) for s in state["fields"][field] if s[3] == value}
        typed = [s[3] for s in state["fields"][twin] if (s[0], s[1]) in stamps]
        if typed:
            out[twin] = typed[0]
    return out


def can_type(kind: str, field: str) -> bool:
    """Whether a value may be typed for `field` (as in the workbook: editable columns only; a
    link to another record or a field no sheet shows can only be settled by keeping a value)."""
    sheet = SHEET_BY_KIND.get(kind)
    return any(c.editable and c.source == field for c in (sheet.columns if sheet is not None else ()))


def typed_values(kind: str, field: str, typed: str) -> dict[str, Any]:
    """What a value typed on the Conflicts screen means, read as if typed into the form."""
    if not can_type(kind, field):
        raise Invalid([Problem(field, N_("This cannot be typed here: keep one of the values above."))])
    try:
        return parse_cell(kind, _column(kind, field), typed, current_region())
    except CellProblem as problem:
        raise Invalid([Problem(field, problem.message, problem.params)]) from None


def resolve(db: Database, who: str, kind: str, record_id: str, values: dict[str, Any]) -> None:
    """Settle a conflict with `values` (field -> one of the choices, or what typed_values gave):
    a local edit. For an AFTER_DELETE conflict, {"deleted": True} deletes the record and
    {"deleted": False} keeps it."""
    require(who, Right.CONFLICTS)
    model = MODEL_BY_KIND[kind]
    unknown = [f for f in values if f not in model.synced_fields()]
    if unknown:
        raise Invalid([Problem(unknown[0], N_("There is no such field."))])
    with db.transaction(who) as tx:
        row = tx.session.get(model, record_id)
        if row is None:
            raise Invalid([Problem(next(iter(values)), N_("This record no longer exists."))])
        if getattr(row, "erased", False):
            erased = N_("This person's data was erased; there is nothing to decide.")
            raise Invalid([Problem(next(iter(values)), erased)])
        values = _with_raw_twins(record_state(model, row), values)
        for field, value in values.items():
            python = model.__table__.c[field].type.python_type  # type: ignore[attr-defined]
            if python in (dt.date, dt.datetime) and isinstance(value, str):
                value = python.fromisoformat(value)
            setattr(row, field, value)
            attributes.flag_modified(row, field)  # the value already shown still settles the conflict
        tx.audit("resolve_conflict", row, fields=sorted(values))
        if values.get("deleted") is True and getattr(row, "replaced_by", None):
            tx.session.flush()
            people.follow_merges_in(tx)  # what came for the merged record goes to the one kept
