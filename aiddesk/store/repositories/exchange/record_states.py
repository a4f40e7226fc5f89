"""The rows a merge reads and writes: record states by id, new and merged rows, export scans."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from sqlalchemy import Integer, Select, Table, bindparam, cast, func, select
from sqlalchemy.orm import Session

from aiddesk.domain.merge import RecordState
from aiddesk.store.models import Synced
from aiddesk.store.repositories.canonical import record_state
from aiddesk.store.state_rows import CompactRow, row_values

CHUNK = 900  # ids per IN (...): under SQLite's variable limit on every build


def local_states(
    session: Session, model: type[Synced], ids: Iterable[str]
) -> tuple[dict[str, RecordState], dict[str, int]]:
    """The states this desk holds of the records `ids` (those it has), and their edited clocks."""
    states: dict[str, RecordState] = {}
    clocks: dict[str, int] = {}
    for row in _rows_by_id(session, _whole_rows(_table(model)), ids):
        states[row.id] = record_state(model, row)
        clocks[row.id] = row.edited_clock
    return states, clocks


def local_rows(session: Session, model: type[Synced], ids: Iterable[str]) -> dict[str, Any]:
    """id -> the Core row of each of `ids` this desk holds (canonical.record_state reads its state)."""
    return {row.id: row for row in _rows_by_id(session, _whole_rows(_table(model)), ids)}


def current_clocks(session: Session, model: type[Synced], ids: Iterable[str]) -> dict[str, int | None]:
    """id -> edited clock of each of `ids` this desk holds now (None for those it does not)."""
    wanted = list(ids)
    clocks: dict[str, int | None] = dict.fromkeys(wanted)
    for row in _rows_by_id(session, _clocks(_table(model)), wanted):
        clocks[row.id] = row.edited_clock
    return clocks


def _table(model: type[Synced]) -> Table:
    return model.__table__  # type: ignore[attr-defined]


# The queries by id, made once (a merge runs them a hundred times per kind): the ids are
# one expanding parameter, given at each run.
@functools.cache
def _whole_rows(table: Table) -> Select[Any]:
    return select(table).where(table.c.id.in_(bindparam("ids", expanding=True)))


@functools.cache
def _clocks(table: Table) -> Select[Any]:
    return select(table.c.id, table.c.edited_clock).where(table.c.id.in_(bindparam("ids", expanding=True)))


def _rows_by_id(session: Session, query: Select[Any], ids: Iterable[str]) -> Iterator[Any]:
    """The rows `query` finds for `ids`, CHUNK ids at a time, on the session's own connection."""
    wanted = ids if isinstance(ids, list) else list(ids)
    if not wanted:
        return
    connection = session.connection()
    for start in range(0, len(wanted), CHUNK):
        yield from connection.execute(query, {"ids": wanted[start : start + CHUNK]})


INSERT_BATCH = 2000  # rows per batch: a big merge's parameters never sit in memory at once
# Parameters per INSERT when the driver cannot say its limit: SQLite's default since 3.32, and
# before it.
_DEFAULT_VARIABLES, _OLD_VARIABLES = 32766, 999


def insert_rows(session: Session, model: type[Synced], rows: list[CompactRow]) -> None:
    """Insert rows made by state_rows.compact_row, in batches. Straight to the driver: each
    value goes through its column's own bind processor (dates and times as SQLAlchemy stores
    them), so the rows are what `table.insert()` would write, without building its parameters
    row by row (a third of a big merge's insert time). Many rows per INSERT: SQLite's search
    index (FTS5, behind the person and request tables' triggers) writes what it gathered at the
    end of every statement, so one statement per row made it write ten thousand tiny pieces
    (two thirds of those tables' insert time)."""
    if not rows:
        return
    table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    by_keys: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for keys, values in rows:
        by_keys.setdefault(keys, []).append(values)
    limit = _variable_limit(connection)
    for keys, same in by_keys.items():
        plan = _insert_plan(table, keys, connection.dialect)
        per_statement = max(1, limit // len(keys))
        for start in range(0, len(same), INSERT_BATCH):
            batch = same[start : start + INSERT_BATCH]
            if plan is None:  # a column left out has a default of SQLAlchemy's: let it fill it
                session.execute(table.insert(), [dict(zip(keys, values, strict=True)) for values in batch])
                continue
            statement, processors = plan
            width = len(keys)
            rows_each = min(per_statement, len(batch))
            for at in range(0, len(batch), rows_each):
                part = batch[at : at + rows_each]
                flat = list(chain.from_iterable(part))
                for index, process in processors:  # a column at a time: its values are every width-th
                    flat[index::width] = [None if v is None else process(v) for v in flat[index::width]]
                connection.exec_driver_sql(_many_rows(statement, width, len(part)), tuple(flat))


def _variable_limit(connection: Any) -> int:
    """How many parameters one statement of this connection's SQLite may take."""
    raw = connection.connection.driver_connection
    getlimit = getattr(raw, "getlimit", None)
    dbapi = connection.dialect.dbapi
    if getlimit is not None:
        limit = int(getlimit(dbapi.SQLITE_LIMIT_VARIABLE_NUMBER))
    else:
        limit = _DEFAULT_VARIABLES if dbapi.sqlite_version_info >= (3, 32, 0) else _OLD_VARIABLES
    return min(limit, _DEFAULT_VARIABLES)


@functools.lru_cache(maxsize=256)
def _many_rows(statement: str, columns: int, rows: int) -> str:
    """`statement` (INSERT … VALUES (?, …)) for `rows` rows of `columns` values."""
    one = "(" + ", ".join("?" * columns) + ")"
    return statement + ", " + ", ".join([one] * (rows - 1)) if rows > 1 else statement


@functools.lru_cache(maxsize=64)
def _insert_plan(table: Any, keys: tuple[str, ...], dialect: Any) -> tuple[str, list[tuple[int, Any]]] | None:
    """The INSERT of `keys` into `table` for the driver and the bind processors of the columns
    that have one; None when a column not in `keys` has a Python-side default (only
    SQLAlchemy's own insert fills it)."""
    plan: tuple[str, list[tuple[int, Any]]] | None = None
    left_out = [c for c in table.columns if c.name not in keys]
    if all(c.default is None and c.onupdate is None for c in left_out) and all(k in table.c for k in keys):
        processors = []
        for index, key in enumerate(keys):
            process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors.append((index, process))
        names = ", ".join(dialect.identifier_preparer.quote(k) for k in keys)
        marks = ", ".join("?" for _ in keys)
        statement = (
            f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({names}) VALUES ({marks})"
        )
        plan = (statement, processors)
    return plan


def update_states(
    session: Session, model: type[Synced], states: list[RecordState], clocks: dict[str, int]
) -> None:
    """Write merged states over their rows. `clocks` holds each row's last edited clock: a
    row's clock always moves on, so the guard trigger sees a stamped change."""
    if not states:
        return
    table = model.__table__  # type: ignore[attr-defined]
    rows = []
    for state in states:
        values = row_values(model, state)
        values["edited_clock"] = max(values["edited_clock"], clocks.get(state["id"], 0) + 1)
        values["row_id"] = values.pop("id")
        rows.append(values)
    columns = [c for c in rows[0] if c != "row_id"]
    statement = (
        table.update().where(table.c.id == bindparam("row_id")).values({c: bindparam(c) for c in columns})
    )
    session.execute(statement, rows)


def all_states(
    session: Session, model: type[Synced], since_clock: int = 0
) -> Iterator[tuple[Any, RecordState]]:
    """(row, state) of every record of a kind, by id; only those edited at or after
    `since_clock` when it is given. Streams: a big desk's records never sit in memory at once."""
    table = model.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(table.c.id)
    if since_clock:
        query = query.where(table.c.edited_clock >= since_clock)
    for row in session.execute(query.execution_options(yield_per=2000)):
        yield row, record_state(model, row)


def own_changes(
    session: Session, model: type[Synced], desk_id: str, after: int, since_clock: int = 0
) -> Iterator[tuple[Any, RecordState]]:
    """(row, state) of the records `desk_id` changed itself after its counter `after` (their
    version vector holds a higher counter of that desk), by id. `since_clock` (the desk's clock
    when it wrote its previous file: every later local edit is stamped later) skips the rest
    without reading their vectors."""
    table = model.__table__  # type: ignore[attr-defined]
    own = func.json_extract(table.c.vv, f'$."{_checked_uuid(desk_id)}"')
    query = select(table).where(table.c.edited_clock >= since_clock, cast(own, Integer) > after)
    for row in session.execute(query.order_by(table.c.id).execution_options(yield_per=2000)):
        yield row, record_state(model, row)


def states_by_ids(
    session: Session, model: type[Synced], ids: Iterable[str]
) -> Iterator[tuple[Any, RecordState]]:
    """(row, state) of the records `ids` this desk holds, by id."""
    table = model.__table__  # type: ignore[attr-defined]
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), CHUNK):
        query = select(table).where(table.c.id.in_(wanted[start : start + CHUNK])).order_by(table.c.id)
        for row in session.execute(query):
            yield row, record_state(model, row)


def _checked_uuid(text: str) -> str:
    """A desk id put into a JSON path: only a UUID's characters, so nothing else gets in."""
    if not text or any(c not in "0123456789abcdef-" for c in text):
        raise ValueError("not a desk id")
    return text
