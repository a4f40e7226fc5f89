"""A merge inserts its new records straight through the driver (record_states.insert_rows): the
stored rows must be exactly what SQLAlchemy's own insert writes, dates and times in the same
text, yes/no the same, derived columns and search index filled, or lists, searches and date
filters at the receiving desk would go wrong."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from aiddesk.demo import desk as demo
from aiddesk.store.migrate import open_database
from aiddesk.store.models import MODEL_BY_KIND, SYNCED_MODELS
from aiddesk.store.repositories.canonical import record_state
from aiddesk.store.repositories.exchange import record_states
from aiddesk.store.repositories.exchange.record_states import insert_rows
from aiddesk.store.state_rows import compact_row, row_values


def _raw(path: Path, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()  # noqa: S608
    finally:
        con.close()


@pytest.mark.parametrize("variables", [None, 100], ids=["one statement", "a few rows per statement"])
def test_inserted_rows_are_stored_exactly_as_sqlalchemy_would_store_them(
    tmp_path: Path,
    migrated_template: Path,
    desk_template: Path,
    variables: int | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if variables is not None:  # an SQLite that takes few parameters: many statements, the last one short
        monkeypatch.setattr(record_states, "_variable_limit", lambda _connection: variables)
    source_path = tmp_path / "source" / "aiddesk.db"
    source_path.parent.mkdir()
    shutil.copyfile(desk_template, source_path)
    source = open_database(source_path)
    demo.fill(source, "demo", seed=7, people=30, today=dt.date(2026, 11, 1))
    states = {}
    with source.session() as session:
        for model in SYNCED_MODELS:
            states[model] = [record_state(model, r) for r in session.execute(select(model.__table__))]
    source.close()
    assert all(states[m] for m in SYNCED_MODELS if m.kind in ("person", "call", "request", "stop", "event"))

    written = {}
    for way in ("driver", "sqlalchemy"):
        path = tmp_path / way / "aiddesk.db"
        path.parent.mkdir()
        shutil.copyfile(migrated_template, path)
        db = open_database(path)
        with db.write_session() as session:
            for model in SYNCED_MODELS:
                if way == "driver":
                    insert_rows(session, model, [compact_row(model, state) for state in states[model]])
                elif states[model]:
                    rows = [row_values(model, state) for state in states[model]]
                    session.execute(model.__table__.insert(), rows)
        db.close()
        written[way] = {m.kind: _raw(path, m.__table__.name) for m in SYNCED_MODELS}
        con = sqlite3.connect(path)
        written[way]["search"] = con.execute("SELECT rowid, name FROM person_fts ORDER BY rowid").fetchall()
        written[way]["details"] = con.execute(
            "SELECT rowid FROM request_fts WHERE request_fts MATCH 'a*' ORDER BY rowid"
        ).fetchall()
        con.close()
    assert written["driver"] == written["sqlalchemy"]
    assert len(written["driver"]["search"]) == len(states[MODEL_BY_KIND["person"]])  # found by name
    assert written["driver"]["details"]  # requests found by the words of their details
