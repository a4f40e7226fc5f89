"""A merge compares each record this desk holds with the workbook's row as text made straight from
the desk's row (services/exchange/held_rows.py): that text must be exactly what the desk would
export, or an unchanged record would be read as changed (slow) or, worse, a changed one as
unchanged (an edit lost). Checked over every kind of record a desk holds: demo data, stamps of
several edits, conflicts, a record edited after another desk deleted it, an erased person."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest
from sqlalchemy import select
from two_desks import north_and_south

from aiddesk.demo import desk as demo
from aiddesk.exchange.workbook.state_text import state_cells
from aiddesk.services.exchange.held_rows import row_state_cells, vv_cell
from aiddesk.services.exchange.merge import WorkbookRejected, merge_file
from aiddesk.services.people.erasure import erase_person
from aiddesk.store.models import SYNCED_MODELS
from aiddesk.store.repositories.canonical import record_state


def _every_row(db):  # (model, Core row) of every synced record
    with db.session() as session:
        for model in SYNCED_MODELS:
            table = model.__table__
            for row in session.execute(select(table)):
                yield model, row


def test_the_text_of_every_held_record_is_what_the_desk_exports(
    tmp_path: Path, migrated_template: Path
) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        demo.fill(north.db, "demo", seed=3, people=25, today=dt.date(2026, 11, 1))
        rosa = north.add_person("NOR-0100", "Rosa Martínez", phone="+16175550100", phone_raw="617 555 0100")
        ana = north.add_person("NOR-0101", "Ana Ruiz", address="12 Elm St")
        luz = north.add_person("NOR-0102", "Luz Pérez")
        # Text the encoder escapes or keeps as it is: quotes, a backslash, a line break, an emoji.
        north.add_person(
            "NOR-0103",
            'Zoë "Lulú" O\\Brien 😀',
            address="Apt 3\nback door",
            delivery_notes="ring twice / 二回",
        )
        south.merge(north.export())
        north.edit("person", rosa, name="Rosa M. Martínez")  # the same field at both desks: a conflict
        south.edit("person", rosa, name="Rosa Martinez")
        north.edit("person", ana, deleted=True)  # deleted at one desk, edited at the other
        south.edit("person", ana, address="14 Elm St")
        north.edit("person", luz, household_size=3)  # one field newer than the rest of the record
        erase_person(south.db, "Ana", luz)
        north.merge(south.export())
        south.merge(north.export())

        rows = list(_every_row(north.db)) + list(_every_row(south.db))
        kinds = {model.kind for model, _row in rows}
        assert {"person", "call", "request", "volunteer", "delivery", "stop", "event"} <= kinds
        # The scenario reaches every branch: siblings kept, a delete, stamps of several edits.
        assert any(row.siblings for _model, row in rows)
        assert any(row.deleted for _model, row in rows)
        assert any('"f"' in row.stamps for _model, row in rows)
        for model, row in rows:
            expected = state_cells(model.kind, record_state(model, row))
            assert row_state_cells(model, row) == expected, (model.kind, row.id)
            assert vv_cell(row) == expected[2]


def test_merging_a_workbook_again_finds_every_record_unchanged_tombstones_included(
    tmp_path: Path, migrated_template: Path
) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        demo.fill(north.db, "demo", seed=5, people=20, today=dt.date(2026, 11, 1))
        gone = north.add_person("NOR-0100", "Rosa Martínez")
        north.edit("person", gone, deleted=True)
        book = north.export()
        first = south.merge(book)
        again = south.merge(book)
        assert first.new > 0 and first.rejected == []
        assert (again.new, again.updated, again.conflicts) == (0, 0, 0)
        assert again.unchanged == first.new + first.unchanged and again.rejected == []
        assert south.dump() == north.dump()


def test_an_edit_in_a_held_record_is_never_taken_for_unchanged(
    tmp_path: Path, migrated_template: Path
) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        rosa = north.add_person("NOR-0100", "Rosa Martínez", phone="+16175550100")
        south.merge(north.export())
        north.edit("person", rosa, phone="+16175550199")
        report = south.merge(north.export())
        assert report.updated == 1 and report.new == 0
        assert south.person(rosa).phone == "+16175550199"


def test_the_cycle_collector_runs_again_after_a_merge_even_a_refused_one(
    tmp_path: Path, migrated_template: Path
) -> None:
    was_enabled = gc.isenabled()  # a window's runner earlier in this process turns it off for good
    gc.enable()
    try:
        with north_and_south(tmp_path, migrated_template) as (north, south):
            north.add_person("NOR-0100", "Rosa Martínez")
            south.merge(north.export())
            assert gc.isenabled()
            broken = tmp_path / "broken.aiddesk.xlsx"
            broken.write_bytes(b"PK\x03\x04 not a workbook")
            with pytest.raises(WorkbookRejected):
                merge_file(south.db, broken, "Ana")
            assert gc.isenabled()
    finally:
        if not was_enabled:
            gc.disable()


def test_a_merged_record_gets_the_row_the_desk_holds_for_it(tmp_path: Path, migrated_template: Path) -> None:
    """The row a merge writes for a record (state_rows.row_values) holds what the desk's own row for
    that record holds: the same values, version vector, siblings and derived columns, and stamps
    that give back the same record (the base stamp may be another of the record's stamps)."""
    from types import SimpleNamespace

    from aiddesk.store.state_rows import row_values

    with north_and_south(tmp_path, migrated_template) as (north, south):
        demo.fill(north.db, "demo", seed=4, people=20, today=dt.date(2026, 11, 1))
        rosa = north.add_person("NOR-0100", "Rosa Martínez", phone="+16175550100", phone_raw="617 555 0100")
        ana = north.add_person("NOR-0101", "Ana Ruiz", address="12 Elm St")
        south.merge(north.export())
        north.edit("person", rosa, name="Rosa M. Martínez")  # a conflict
        south.edit("person", rosa, name="Rosa Martinez")
        north.edit("person", ana, deleted=True)  # deleted at one desk, edited at the other
        south.edit("person", ana, address="14 Elm St")
        north.merge(south.export())

        rows = list(_every_row(north.db))
        assert any(row.siblings for _model, row in rows) and any('"f"' in row.stamps for _model, row in rows)
        for model, row in rows:
            state = record_state(model, row)
            values = row_values(model, state)
            assert record_state(model, SimpleNamespace(**values)) == state, (model.kind, row.id)
            held = {name: getattr(row, name) for name in values if name != "stamps"}
            assert {name: v for name, v in values.items() if name != "stamps"} == held, (model.kind, row.id)
