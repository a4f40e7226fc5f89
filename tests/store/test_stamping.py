"""Every synced write is stamped in the transaction that makes it; nothing else can change a synced row."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from aiddesk.domain import defaults
from aiddesk.domain.stamps import GENESIS, NIL_DESK, Stamp
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import (
    SYNCED_MODELS,
    Call,
    Delivery,
    Event,
    NeedCategory,
    Person,
    Request,
    Stop,
    Synced,
    Volunteer,
    Zone,
)
from aiddesk.store.repositories.desk import get_desk
from aiddesk.store.stamping import DeskMissing, UnstampedWrite

WHEN = dt.datetime(2025, 3, 14, 10, 30)
GUARD_MESSAGE = "synced record changed without an edit stamp"


def counter(db: Database) -> int:
    with db.session() as session:
        desk = get_desk(session)
        assert desk is not None
        return desk.counter


def desk_id(db: Database) -> str:
    with db.session() as session:
        desk = get_desk(session)
        assert desk is not None
        return desk.desk_id


def load(db: Database, model: type[Synced], row_id: str) -> Any:
    with db.session() as session:
        return session.get(model, row_id)


def field_stamps(row: Any) -> dict[str, Stamp]:
    return codec.field_stamps(row.stamps, type(row).synced_fields())


def add_zone(db: Database, label: str = "Harbor") -> str:
    with db.transaction("Ana") as tx:
        row = Zone(
            id=tx.new_id(), key=None, label_en=label, label_es=label + " (es)", retired=False, position=9
        )
        tx.session.add(row)
    return row.id


def one_of_each(db: Database) -> dict[type[Synced], str]:
    """A row in every synced table, written in one transaction."""
    category = defaults.NEED_CATEGORIES[0].id_for("need_category")
    with db.transaction("Ana") as tx:
        zone = Zone(id=tx.new_id(), label_en="Harbor", label_es="Puerto")
        person = Person(id=tx.new_id(), code="TST-0001", name="María Pérez", zone_id=zone.id)
        call = Call(id=tx.new_id(), code="TST-0001", person_id=person.id, taken_by="Ana", taken_at=WHEN)
        request = Request(
            id=tx.new_id(),
            code="TST-0001",
            person_id=person.id,
            call_id=call.id,
            category_id=category,
            created_at=WHEN,
        )
        volunteer = Volunteer(id=tx.new_id(), code="TST-0001", name="Luis")
        delivery = Delivery(id=tx.new_id(), code="TST-0001", volunteer_id=volunteer.id, date=WHEN.date())
        stop = Stop(id=tx.new_id(), delivery_id=delivery.id, request_id=request.id)
        event = Event(id=tx.new_id(), record_kind="request", record_id=request.id, what="created", at=WHEN)
        rows = [zone, person, call, request, volunteer, delivery, stop, event]
        tx.session.add_all(rows)
    ids = {type(row): row.id for row in rows}
    ids[NeedCategory] = category
    return ids


def test_new_row_gets_the_transaction_stamp(db: Database) -> None:
    before = counter(db)
    row_id = add_zone(db)
    row = load(db, Zone, row_id)
    assert counter(db) == before + 1
    me = desk_id(db)
    assert codec.decode_vv(row.vv) == {me: before + 1}
    stamps = field_stamps(row)
    assert {s.desk for s in stamps.values()} == {me}
    assert {s.counter for s in stamps.values()} == {before + 1}
    assert json.loads(row.stamps).keys() == {"s"}  # compact: one base stamp for a new record
    assert row.edited_clock == stamps["label_en"].clock > 0
    assert row.siblings is None and row.del_ctx is None and row.deleted is False


def test_edit_stamps_only_the_changed_fields(db: Database) -> None:
    row_id = add_zone(db)
    created = field_stamps(load(db, Zone, row_id))
    with db.transaction("Luis") as tx:
        tx.session.get(Zone, row_id).label_en = "Harbour"
    row = load(db, Zone, row_id)
    after = field_stamps(row)
    assert after["label_en"].counter == created["label_en"].counter + 1
    assert after["label_en"].clock > created["label_en"].clock
    for name in ("label_es", "key", "retired", "position", "deleted"):
        assert after[name] == created[name], name
    assert codec.decode_vv(row.vv) == {desk_id(db): after["label_en"].counter}
    assert row.edited_clock >= after["label_en"].clock


def test_setting_a_field_to_its_own_value_stamps_nothing(db: Database) -> None:
    row_id = add_zone(db)
    before, stamps = counter(db), load(db, Zone, row_id).stamps
    with db.transaction("Ana") as tx:
        tx.session.get(Zone, row_id).label_en = "Harbor"
    assert counter(db) == before
    assert load(db, Zone, row_id).stamps == stamps


def test_counter_rises_once_per_transaction_across_flushes(db: Database) -> None:
    first, second = add_zone(db, "One"), add_zone(db, "Two")
    before = counter(db)
    with db.transaction("Ana") as tx:
        tx.session.get(Zone, first).label_en = "One!"
        tx.session.flush()
        tx.session.get(Zone, second).label_en = "Two!"
        tx.session.flush()
        third = Zone(id=tx.new_id(), label_en="Three", label_es="Tres")
        tx.session.add(third)
        tx.session.flush()
        tx.session.get(Zone, first).label_es = "Uno!"  # the same row again, in a later flush
        tx.session.flush()
    assert counter(db) == before + 1
    one = field_stamps(load(db, Zone, first))
    assert one["label_en"].counter == one["label_es"].counter == before + 1
    assert field_stamps(load(db, Zone, second))["label_en"].counter == before + 1
    assert {s.counter for s in field_stamps(load(db, Zone, third.id)).values()} == {before + 1}
    assert load(db, Zone, first).label_es == "Uno!"


def test_edit_drops_the_siblings_of_the_edited_field_only(db: Database) -> None:
    row_id = add_zone(db)
    siblings = {"label_en": [["desk-b", 4, 99, "Harbor B"]], "label_es": [["desk-b", 4, 99, "Puerto B"]]}
    with db.write_connection() as conn:  # as a merge leaves a conflict: new clock, siblings kept
        conn.execute(
            text("UPDATE zone SET siblings = :s, edited_clock = edited_clock + 1 WHERE id = :id"),
            {"s": codec.dumps(siblings), "id": row_id},
        )
    with db.transaction("Ana") as tx:
        tx.session.get(Zone, row_id).label_en = "Harbor (chosen)"
    assert codec.decode_siblings(load(db, Zone, row_id).siblings) == {"label_es": siblings["label_es"]}
    with db.transaction("Ana") as tx:
        tx.session.get(Zone, row_id).label_es = "Puerto (elegido)"
    assert load(db, Zone, row_id).siblings is None


def test_delete_records_its_context(db: Database) -> None:
    row_id = add_zone(db)
    with db.transaction("Ana") as tx:
        tx.session.get(Zone, row_id).deleted = True
    row = load(db, Zone, row_id)
    assert row.deleted is True
    assert row.del_ctx is not None
    assert codec.decode_vv(row.del_ctx) == codec.decode_vv(row.vv) == {desk_id(db): counter(db)}
    assert field_stamps(row)["deleted"].counter == counter(db)


def test_orm_change_outside_a_transaction_is_refused(db: Database) -> None:
    row_id = add_zone(db)
    before = counter(db)
    with db.session() as session:
        session.get(Zone, row_id).label_en = "Sneaky"
        with pytest.raises(UnstampedWrite):
            session.commit()
    with db.session() as session:
        session.add(Zone(id="00000000-0000-4000-8000-000000000001", label_en="Sneaky", label_es=""))
        with pytest.raises(UnstampedWrite):
            session.flush()
    assert load(db, Zone, row_id).label_en == "Harbor"
    assert load(db, Zone, "00000000-0000-4000-8000-000000000001") is None
    assert counter(db) == before


def test_every_synced_table_has_a_row_in_the_guard_test(db: Database) -> None:
    assert set(one_of_each(db)) == set(SYNCED_MODELS)


@pytest.mark.parametrize("model", SYNCED_MODELS, ids=lambda m: m.kind)
def test_guard_trigger_refuses_a_raw_update(db: Database, model: type[Synced]) -> None:
    row_id = one_of_each(db)[model]
    table = model.__tablename__  # type: ignore[attr-defined]
    before = dump(db)
    with pytest.raises(IntegrityError, match=GUARD_MESSAGE), db.write_connection() as conn:
        conn.execute(text(f"UPDATE {table} SET deleted = NOT deleted WHERE id = :id"), {"id": row_id})
    # Another program on the same file (sqlite3 shell, a script) is refused too.
    raw = sqlite3.connect(db.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=GUARD_MESSAGE):
            raw.execute(f"UPDATE {table} SET deleted = 1 WHERE id = ?", (row_id,))
    finally:
        raw.close()
    assert dump(db) == before


def test_guard_trigger_lets_a_stamped_raw_update_through(db: Database) -> None:
    """What the merge does: it writes received stamps with Core statements and moves the clock."""
    row_id = one_of_each(db)[Person]
    with db.write_connection() as conn:
        conn.execute(
            text("UPDATE person SET name = 'Marta', edited_clock = edited_clock + 1 WHERE id = :id"),
            {"id": row_id},
        )
    assert load(db, Person, row_id).name == "Marta"


def test_failed_transaction_changes_nothing(db: Database) -> None:
    row_id = add_zone(db)
    before_counter, before_dump = counter(db), dump(db)
    with pytest.raises(RuntimeError, match="power cut"), db.transaction("Ana") as tx:
        tx.session.get(Zone, row_id).label_en = "Half"
        tx.session.add(Zone(id=tx.new_id(), label_en="Ghost", label_es=""))
        tx.session.flush()
        raise RuntimeError("power cut")
    assert counter(db) == before_counter
    assert dump(db) == before_dump


def test_transaction_without_a_desk_is_refused(empty_db: Database) -> None:
    with pytest.raises(DeskMissing), empty_db.transaction("Ana") as tx:
        tx.session.add(Zone(id=tx.new_id(), label_en="Harbor", label_es=""))


def test_defaults_have_fixed_ids_and_the_genesis_stamp(db: Database) -> None:
    with db.session() as session:
        for model, labels in ((NeedCategory, defaults.NEED_CATEGORIES), (Zone, defaults.ZONES)):
            rows = {row.key: row for row in session.scalars(select(model).where(model.key.is_not(None)))}
            assert set(rows) == {label.key for label in labels}
            for label in labels:
                row = rows[label.key]
                assert row.id == defaults.fixed_id(model.kind, label.key)
                assert (row.label_en, row.label_es) == (label.label_en, label.label_es)
                assert set(field_stamps(row).values()) == {GENESIS}
                assert codec.decode_vv(row.vv) == {NIL_DESK: 0}


def test_two_desks_share_the_defaults_but_not_their_identity(tmp_path: Path, migrated_template: Path) -> None:
    desks = []
    for name, code in (("North Church", "NC1"), ("South Library", "SL1")):
        path = tmp_path / code / "aiddesk.db"
        path.parent.mkdir()
        shutil.copyfile(migrated_template, path)
        db = open_database(path)
        info = desk_service.create_desk(db, name=name, code=code, language="es")
        desks.append((info, dump(db)))
        db.close()
    (first, first_dump), (second, second_dump) = desks
    assert first.desk_id != second.desk_id
    assert first_dump["need_category"] == second_dump["need_category"]
    assert first_dump["zone"] == second_dump["zone"]
    assert len(first_dump["need_category"]) == len(defaults.NEED_CATEGORIES)
