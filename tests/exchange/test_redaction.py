"""A redacted export keeps nothing anyone typed: every text field of every kind of record is filled
with its own marker, some of them in conflict between two desks, and not one marker may be found
in any part of the redacted workbook (every sheet, shared strings, document properties)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import String
from two_desks import Desk, exchange, north_and_south

from aiddesk.exchange.workbook import layout
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.store.models import BOOKKEEPING, MODEL_BY_KIND, SYNCED_MODELS

GROUP_PASSWORD = "correct horse battery"
_numbers = itertools.count(1)

# Fields whose values come from a closed list (choices, ids): a marker there is no valid record.
CHOICES = {(kind, field) for kind, field in (*layout.ENUM_FIELDS, *layout.OPTIONAL_ENUM_FIELDS)}
CLOSED = CHOICES | {("volunteer", "skills"), ("volunteer", "zones")}
JSON_TEXT = {("volunteer", "languages"), ("event", "detail")}  # JSON holding typed text


def new_marker(markers: list[str], length: int | None = None) -> str:
    number = next(_numbers)
    markers.append(f"W{number:03d}Q" if length is not None and length < 9 else f"MRK{number:05d}Q")
    return markers[-1]


def text_fields(kind: str) -> list[str]:
    table = MODEL_BY_KIND[kind].__table__  # type: ignore[attr-defined]
    return [
        column.key
        for column in table.columns
        if isinstance(column.type, String) and not column.foreign_keys and column.key not in BOOKKEEPING
    ]


def test_every_closed_field_is_a_choice_or_a_list_of_ids() -> None:
    """The fields the test does not fill with markers are exactly the closed ones: a new text
    field is filled (and so checked) without anyone remembering to add it here."""
    every = {(model.kind, name) for model in SYNCED_MODELS for name in text_fields(model.kind)}
    assert every >= CLOSED and every >= JSON_TEXT
    assert {(k, f) for k, f in CLOSED if (k, f) not in CHOICES} == {
        ("volunteer", "skills"),
        ("volunteer", "zones"),
    }


def marked(kind: str, markers: list[str], **given: Any) -> dict[str, Any]:
    """Values for a new record of `kind`: every text field a new marker, closed fields valid."""
    values: dict[str, Any] = {}
    table = MODEL_BY_KIND[kind].__table__  # type: ignore[attr-defined]
    lengths = {column.key: getattr(column.type, "length", None) for column in table.columns}
    for name in text_fields(kind):
        if (kind, name) in CHOICES:
            enum = {**layout.ENUM_FIELDS, **layout.OPTIONAL_ENUM_FIELDS}[(kind, name)]
            values[name] = next(iter(enum)).value
        elif (kind, name) == ("volunteer", "skills"):
            values[name] = '["driver"]'
        elif (kind, name) == ("volunteer", "zones"):
            values[name] = "[]"
        elif (kind, name) == ("volunteer", "languages"):
            values[name] = json.dumps([new_marker(markers)])
        elif (kind, name) == ("event", "detail"):
            values[name] = json.dumps({"note": new_marker(markers)})
        else:
            values[name] = new_marker(markers, lengths[name])
    values.update(given)
    return values


def fill_every_kind(desk: Desk, markers: list[str]) -> dict[str, str]:
    """One record of every kind, every text field marked; the ids by kind."""
    when = dt.datetime(2026, 11, 20, 10, 30)
    ids: dict[str, str] = {}
    with desk.db.transaction("Ana") as tx:

        def add(kind: str, **given: Any) -> None:
            record = MODEL_BY_KIND[kind](id=tx.new_id(), **marked(kind, markers, **given))
            tx.session.add(record)
            ids[kind] = record.id

        add("need_category")
        add("zone")
        add("person", zone_id=None, household_size=3)
        tx.session.flush()
        add("call", person_id=ids["person"], taken_at=when)
        add("request", person_id=ids["person"], category_id=ids["need_category"], created_at=when)
        add("volunteer", checked_on=dt.date(2026, 11, 1))
        tx.session.flush()
        add("delivery", volunteer_id=ids["volunteer"], date=dt.date(2026, 11, 21))
        tx.session.flush()
        add("stop", delivery_id=ids["delivery"], request_id=ids["request"], delivered_at=when)
        add("event", record_kind="person", record_id=ids["person"], at=when)
        person = tx.session.get(MODEL_BY_KIND["person"], ids["person"])
        person.zone_id = ids["zone"]
    return ids


def parts_holding(path: Path, markers: list[str]) -> dict[str, list[str]]:
    """Every part of the workbook (unzipped) -> the markers found in its bytes."""
    found: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            hits = [m for m in markers if m.encode() in data]
            if hits:
                found[info.filename] = hits
    return found


@pytest.fixture
def desks(tmp_path: Path, migrated_template: Path):
    with north_and_south(tmp_path, migrated_template) as pair:
        yield pair


def test_no_text_anyone_typed_survives_a_redacted_export(desks: tuple[Desk, Desk], tmp_path: Path) -> None:
    north, south = desks
    markers: list[str] = []
    ids = fill_every_kind(north, markers)
    exchange(north, south)
    # Concurrent edits at both desks: the Conflicts sheet lists both values of each field.
    for desk in (north, south):
        desk.edit("person", ids["person"], name=new_marker(markers), address=new_marker(markers))
        desk.edit("request", ids["request"], status_reason=new_marker(markers), details=new_marker(markers))
        desk.edit("call", ids["call"], taken_by=new_marker(markers), notes=new_marker(markers))
    north.merge(south.export())

    plain = tmp_path / "plain.xlsx"
    export_workbook(north.db, plain, ExportOptions(language="en"), group_password=GROUP_PASSWORD)
    redacted = tmp_path / "redacted.xlsx"
    export_workbook(
        north.db, redacted, ExportOptions(language="en", redact=True), group_password=GROUP_PASSWORD
    )

    in_plain = {m for hits in parts_holding(plain, markers).values() for m in hits}
    assert len(in_plain) > len(markers) // 2  # the search finds what an ordinary export shows
    assert parts_holding(redacted, markers) == {}
    book = openpyxl.load_workbook(redacted)
    assert book["Conflicts"].max_row >= 4  # the conflicts are still listed, without their values


def test_a_redacted_export_keeps_what_can_be_counted(desks: tuple[Desk, Desk], tmp_path: Path) -> None:
    """Choices, numbers, dates, language codes and the app's own labels stay; people are pseudonyms."""
    north, _south = desks
    person = north.add_person("NOR-0001", "Rosa Martínez", language="es", household_size=4)
    north.edit("person", person, zone_id=layout_zone("north"))
    redacted = tmp_path / "redacted.xlsx"
    export_workbook(
        north.db, redacted, ExportOptions(language="en", redact=True), group_password=GROUP_PASSWORD
    )

    people = openpyxl.load_workbook(redacted)["People"]
    keys = [c.value for c in people[2]]
    row = dict(zip(keys, [c.value for c in people[3]], strict=False))
    assert row["id"].startswith("X-") and row["name"] is None
    assert (row["language"], row["household_size"], row["zone"]) == ("es", "4", "North")


def layout_zone(key: str) -> str:
    from aiddesk.domain.defaults import ZONES

    return next(z for z in ZONES if z.key == key).id_for("zone")
