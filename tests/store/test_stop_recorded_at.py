"""Every stop outcome carries the time it was recorded (revision 0005): set when a stop is recorded,
derived for stops recorded before the upgrade, carried in workbooks, and derived the same way
from the workbook of a desk that has not upgraded yet, so both desks agree without a conflict."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from aiddesk.domain import clock
from aiddesk.services.deliveries import dispatch
from aiddesk.services.desk.records import check
from aiddesk.store.database import Database
from aiddesk.store.migrate import MIGRATIONS, open_database
from aiddesk.store.models import Stop
from aiddesk.store.stamping import utcnow
from tests.exchange.test_hostile_workbooks import reseal, set_meta
from tests.services.test_dispatch import add_request, add_volunteer, plan, stops
from tests.two_desks import Desk, make_desk

DELIVERED_AT = dt.datetime(2026, 11, 23, 15, 30)


def recorded_run(db: Database) -> dict[str, str]:
    """A run out with three stops: delivered (at a given time), failed (now) and still pending.
    Returns stop ids by outcome."""
    volunteer = add_volunteer(db)
    requests = [add_request(db, f"R-{n}") for n in range(3)]
    run = plan(db, volunteer, requests)
    dispatch.start_run(db, "Marta", run)
    delivered, failed, pending = stops(db, run)
    dispatch.record_stop(db, "Marta", delivered.id, "delivered", when=DELIVERED_AT)
    dispatch.record_stop(db, "Marta", failed.id, "failed", failure_reason="not_home")
    return {"delivered": delivered.id, "failed": failed.id, "pending": pending.id}


def stop_state(db: Database, stop_id: str) -> dict[str, Any]:
    from aiddesk.services.desk.records import dump

    return next(s for s in dump(db)["stop"] if s["id"] == stop_id)


def back_to_0004(path: Path) -> None:
    """The database as the previous version left it (the column dropped by the downgrade)."""
    from alembic import command
    from alembic.config import Config

    from aiddesk.store.database import make_engine

    engine = make_engine(path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0004")
        conn.commit()
    engine.dispose()


def old_workbook(new: Path, target: Path) -> Path:
    """What a desk still at revision 0004 writes for the same records: no recorded_at anywhere."""
    book = openpyxl.load_workbook(new)
    state = book["_state"]
    for row in range(2, state.max_row + 1):
        if state.cell(row, 1).value != "stop":
            continue
        fields = json.loads(state.cell(row, 5).value)
        del fields["recorded_at"]
        state.cell(row, 5).value = json.dumps(
            fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    set_meta(book, "schema_revision", "0004")
    stops_sheet = next(
        ws
        for ws in book.worksheets
        if ws.sheet_state == "visible" and "recorded_at" in [c.value for c in ws[2]]
    )
    stops_sheet.delete_cols([c.value for c in stops_sheet[2]].index("recorded_at") + 1)
    reseal(book)
    book.save(target)
    return target


def test_recording_a_stop_keeps_when_whatever_the_outcome(db: Database) -> None:
    before = utcnow()
    ids = recorded_run(db)
    with db.session() as session:
        delivered, failed, pending = (session.get(Stop, ids[k]) for k in ("delivered", "failed", "pending"))
        assert delivered.recorded_at == DELIVERED_AT == delivered.delivered_at
        assert failed.recorded_at is not None and before <= failed.recorded_at <= utcnow()
        assert failed.delivered_at is None
        assert pending.recorded_at is None
    # Stamped with the outcome: one edit wrote both.
    state = stop_state(db, ids["failed"])
    assert state["fields"]["recorded_at"][0][:3] == state["fields"]["outcome"][0][:3]


def test_the_upgrade_gives_stops_recorded_before_it_their_time(db: Database) -> None:
    ids = recorded_run(db)
    outcome_clock = stop_state(db, ids["failed"])["fields"]["outcome"][0][2]
    path = db.path
    db.close()
    back_to_0004(path)

    upgraded = open_database(path)
    try:
        with upgraded.session() as session:
            delivered, failed, pending = (
                session.get(Stop, ids[k]) for k in ("delivered", "failed", "pending")
            )
            assert delivered.recorded_at == DELIVERED_AT
            wall = dt.datetime.fromtimestamp(clock.wall_ms(outcome_clock) / 1000, dt.UTC).replace(tzinfo=None)
            assert failed.recorded_at == wall
            assert abs(failed.recorded_at - utcnow()) < dt.timedelta(minutes=5)
            assert pending.recorded_at is None
        state = stop_state(upgraded, ids["failed"])
        assert state["fields"]["recorded_at"][0][:3] == state["fields"]["outcome"][0][:3]
        assert check(upgraded) == []
        # The guard is back: a change without a stamp is still refused.
        with pytest.raises(Exception, match="without an edit stamp"), upgraded.write_connection() as conn:
            conn.exec_driver_sql("UPDATE stop SET note = 'x'")
    finally:
        upgraded.close()


def test_a_desk_not_yet_upgraded_and_one_upgraded_agree(tmp_path: Path, migrated_template: Path) -> None:
    north = make_desk(tmp_path, migrated_template, "NOR")
    south = make_desk(tmp_path, migrated_template, "SUR")
    try:
        ids = recorded_run(north.db)
        # North's workbook as its previous version wrote it; then North upgrades.
        book = old_workbook(north.export(), tmp_path / "north-0004.xlsx")
        path = north.db.path
        north.db.close()
        back_to_0004(path)
        north = Desk(open_database(path), "NOR", north.folder)

        report = south.merge(book)
        assert report.applied and report.rejected == []
        for stop_id in ids.values():
            assert stop_state(south.db, stop_id) == stop_state(north.db, stop_id)
        with south.db.session() as session:
            assert session.get(Stop, ids["delivered"]).recorded_at == DELIVERED_AT
            assert session.get(Stop, ids["failed"]).recorded_at is not None

        # Both ways, as the exchange folder does it: nothing in conflict, one picture.
        assert north.merge(south.export()).conflicts == 0
        assert south.merge(north.export()).conflicts == 0
        assert north.dump() == south.dump()
    finally:
        north.db.close()
        south.db.close()


def test_a_workbook_of_this_version_without_the_field_is_damaged(
    tmp_path: Path, migrated_template: Path
) -> None:
    from aiddesk.exchange.workbook.errors import WorkbookRejected

    north = make_desk(tmp_path, migrated_template, "NOR")
    south = make_desk(tmp_path, migrated_template, "SUR")
    try:
        recorded_run(north.db)
        book = old_workbook(north.export(), tmp_path / "stripped.xlsx")
        edited = openpyxl.load_workbook(book)
        set_meta(edited, "schema_revision", "0005")
        edited.save(book)
        with pytest.raises(WorkbookRejected, match="recorded_at"):
            south.merge(book)
    finally:
        north.db.close()
        south.db.close()


def test_demo_stops_carry_their_time(tmp_path: Path) -> None:
    from aiddesk.demo import desk as demo

    rows = demo.generate(seed=3, people=60, today=dt.date(2026, 11, 23))
    for stop in rows.stop:
        if stop["outcome"] == "pending":
            assert stop["recorded_at"] is None
        else:
            assert stop["recorded_at"] is not None
        if stop["outcome"] in ("delivered", "left_at_door"):
            assert stop["delivered_at"] == stop["recorded_at"]
    assert any(s["outcome"] == "failed" for s in rows.stop)
