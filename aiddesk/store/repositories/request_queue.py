"""The request queue: filtered and sorted in SQL, then rows read a window at a time.

`ordered_request_ids` returns rowids (ints) in display order: the filters and
sort keys all live in the covering index ix_request_queue (for the person and
zone sorts: ix_request_person_queue, the same columns in person order, joined to
ix_person_queue), so the order comes from indexes without reading the wide
request rows, and ints cross into Python ~3x faster than uuid text. Need and
zone labels sort through a CASE of their ranks (a few rows, ranked here), not a
join per request. `request_rows` reads the rows of one window by rowid."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from aiddesk.domain.codes import code_patterns
from aiddesk.domain.enums import STATUS_RANK, URGENCY_RANK
from aiddesk.domain.sorting import sort_column
from aiddesk.store.models import NeedCategory, Person, Request, Zone
from aiddesk.store.repositories.people.search import fts_query

SORT_KEYS = ("code", "person", "need", "zone", "urgency", "status", "follow_up", "age")
NO_ZONE = ""  # in RequestFilter.zone_ids: people with no zone


@dataclass(frozen=True)
class RequestFilter:
    """Which requests to list. An empty set means "any"; every condition must hold."""

    statuses: frozenset[str] = frozenset()
    category_ids: frozenset[str] = frozenset()
    zone_ids: frozenset[str] = frozenset()  # NO_ZONE for people without a zone
    urgencies: frozenset[str] = frozenset()
    created_before: dt.datetime | None = None  # waiting since before this (naive UTC)
    follow_up_by: dt.date | None = None  # a follow-up date on or before this day
    follow_up_on: dt.date | None = None  # a follow-up date on this day
    follow_up_before: dt.date | None = None  # a follow-up date before this day
    created_from: dt.datetime | None = None  # made at or after this (naive UTC)
    # A delivery that failed and is not on a run yet: still marked failed, or made ready again
    # with a failed stop (what the overview counts as "failed deliveries to plan again").
    failed_delivery: bool = False
    text: str = ""  # person name (accent-free words), request code, or words of the details


@dataclass(frozen=True)
class RequestRow:
    id: str
    code: str
    person_name: str
    need: str
    zone: str
    urgency: str
    status: str
    created_at: dt.datetime
    follow_up: dt.date | None = None
    person_id: str = ""


class _Sql:
    """Bound parameters for a query being written (named :p0, :p1 ...)."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return ":" + name

    def bind_all(self, values: list[Any]) -> str:
        return ", ".join(self.bind(v) for v in values)


def _label_sql(table: str, language: str) -> str:
    first, other = ("label_es", "label_en") if language == "es" else ("label_en", "label_es")
    return f"coalesce(nullif({table}.{first}, ''), nullif({table}.{other}, ''), '')"


def _label_ranks(session: Session, table: str, language: str) -> dict[str, int]:
    """Each label row's place when sorted by lower(label); equal labels share a place.

    Rank 0 is the empty label (a request whose person has no zone shows "")."""
    label = _label_sql(table, language)
    rows = session.connection().exec_driver_sql(f"SELECT id, lower({label}) FROM {table}").all()
    places = {text: n for n, text in enumerate(sorted({"", *(row[1] for row in rows)}))}
    return {row[0]: places[row[1]] for row in rows}


def _case(column: str, ranks: dict[str, int], sql: _Sql, default: int) -> str:
    if not ranks:
        return str(default)
    whens = " ".join(f"WHEN {sql.bind(key)} THEN {rank}" for key, rank in ranks.items())
    return f"CASE {column} {whens} ELSE {default} END"


def _sort_sql(session: Session, key: str, language: str, sql: _Sql) -> tuple[str, bool]:
    """(ORDER BY expression, whether it needs the person joined)."""
    if key == "code":
        return "r.code", False
    if key == "person":
        # The name's sort key in the language (domain/sorting.py), read from ix_person_queue.
        return f"p.{sort_column(language)}", True
    if key == "need":
        ranks = _label_ranks(session, "need_category", language)
        return _case("r.category_id", ranks, sql, max(ranks.values(), default=0) + 1), False
    if key == "zone":
        return _case("p.zone_id", _label_ranks(session, "zone", language), sql, 0), True
    if key == "urgency":
        return _case(
            "r.urgency", {u.value: n for u, n in URGENCY_RANK.items()}, sql, len(URGENCY_RANK)
        ), False
    if key == "status":
        return _case("r.status", {s.value: n for s, n in STATUS_RANK.items()}, sql, len(STATUS_RANK)), False
    if key == "follow_up":
        return "r.follow_up", False
    if key == "age":
        return "r.created_at", False
    raise ValueError(f"unknown sort key {key!r}")


def _text_sql(text: str, sql: _Sql) -> str | None:
    """Rowids of requests whose person's name, code or details match `text` (None: nothing to match)."""
    typed = text.strip()
    if not typed:
        return None
    parts = []
    match = fts_query(typed)
    if match is not None:
        q = sql.bind(match)
        parts.append(
            "SELECT r2.rowid AS rid FROM request r2 WHERE r2.person_id IN (SELECT id FROM person WHERE rowid IN "
            f"(SELECT rowid FROM person_fts WHERE person_fts MATCH {q}))"
        )
        parts.append(f"SELECT rowid AS rid FROM request_fts WHERE request_fts MATCH {q}")
    code = typed.upper()
    # A range on the code index (LIKE 'x%' would scan); the last character raised by one.
    parts.append(
        f"SELECT rowid AS rid FROM request WHERE code >= {sql.bind(code)} AND code < {sql.bind(code[:-1] + chr(ord(code[-1]) + 1))}"
    )
    for pattern in code_patterns(typed):  # the end of a code read aloud: R0042 or 0042 finds CC1-R0042
        parts.append(f"SELECT rowid AS rid FROM request WHERE code GLOB {sql.bind(pattern)}")
    return " UNION ".join(parts)


def _where(filters: RequestFilter, sql: _Sql) -> tuple[list[str], str | None]:
    """(conditions on request r, rowids the text matches as a subquery or None)."""
    conditions = ["r.deleted = 0"]
    if filters.statuses:
        conditions.append(f"r.status IN ({sql.bind_all(sorted(filters.statuses))})")
    if filters.category_ids:
        conditions.append(f"r.category_id IN ({sql.bind_all(sorted(filters.category_ids))})")
    if filters.urgencies:
        conditions.append(f"r.urgency IN ({sql.bind_all(sorted(filters.urgencies))})")
    if filters.created_before is not None:
        conditions.append(
            f"r.created_at < {sql.bind(filters.created_before.strftime('%Y-%m-%d %H:%M:%S.%f'))}"
        )
    if filters.follow_up_by is not None:
        conditions.append(f"r.follow_up <= {sql.bind(filters.follow_up_by.isoformat())}")
    if filters.follow_up_on is not None:
        conditions.append(f"r.follow_up = {sql.bind(filters.follow_up_on.isoformat())}")
    if filters.follow_up_before is not None:
        conditions.append(f"r.follow_up < {sql.bind(filters.follow_up_before.isoformat())}")
    if filters.created_from is not None:
        conditions.append(
            f"r.created_at >= {sql.bind(filters.created_from.strftime('%Y-%m-%d %H:%M:%S.%f'))}"
        )
    if filters.failed_delivery:
        # Ready requests with a failed stop, by rowid (the queue's covering index holds it), from
        # the two partial indexes of migration 0008 (their literals: a bound value would not match).
        conditions.append(
            "(r.status = 'failed' OR r.rowid IN (SELECT rowid FROM request INDEXED BY ix_request_ready "
            "WHERE status = 'ready' AND deleted = 0 AND id IN (SELECT request_id FROM stop "
            "INDEXED BY ix_stop_failed WHERE outcome = 'failed' AND deleted = 0)))"
        )
    if filters.zone_ids:
        zones = sorted(z for z in filters.zone_ids if z != NO_ZONE)
        among = [f"zone_id IN ({sql.bind_all(zones)})"] if zones else []
        if NO_ZONE in filters.zone_ids:
            among.append("zone_id IS NULL")
        # A list of the zone's people, checked per request: ~3x faster than a join per request.
        conditions.append(f"r.person_id IN (SELECT id FROM person WHERE {' OR '.join(among)})")
    return conditions, _text_sql(filters.text, sql)


def _from(matches: str | None, join_person: bool) -> str:
    if matches:
        # CROSS JOIN: the matches first, each request by its rowid (a newer SQLite would otherwise
        # scan the queue index against a bloom filter of the matches: 4x slower)
        source = f"({matches}) m CROSS JOIN request r ON r.rowid = m.rid"
    elif join_person:
        # Requests in person order, so the person lookups below walk their index in order.
        source = "request r INDEXED BY ix_request_person_queue"
    else:
        source = "request r"
    if join_person:
        # INDEXED BY: the planner would take the primary key and read every person row.
        # CROSS JOIN: requests first, as written.
        source += " CROSS JOIN person p INDEXED BY ix_person_queue ON p.id = r.person_id"
    return source


def ordered_request_ids(
    session: Session,
    *,
    sort: str = "age",
    descending: bool = False,
    language: str = "en",
    filters: RequestFilter | None = None,
) -> list[int]:
    """The rowids of the live requests that pass `filters`, in display order, sorted in SQL.

    A table model keeps this snapshot (about 1 MB per 100,000 requests) and
    reads the rows on screen with `request_rows`, so scrolling never re-sorts.
    Ties are broken by rowid in the same direction."""
    sql = _Sql()
    key, join_person = _sort_sql(session, sort, language, sql)
    conditions, matches = _where(filters or RequestFilter(), sql)
    direction = " DESC" if descending else ""
    query = (
        f"SELECT r.rowid FROM {_from(matches, join_person)} WHERE {' AND '.join(conditions)} "
        f"ORDER BY {key}{direction}, r.rowid{direction}"
    )
    return _first_column(session, query, sql.params)


def _first(_cursor: Any, row: tuple[Any, ...]) -> Any:
    return row[0]


def _first_column(session: Session, query: str, params: dict[str, Any]) -> list[Any]:
    """The first column of every row, read through the DBAPI cursor of the session's connection
    (in its transaction): 155,000 ints in ~75 ms where SQLAlchemy's result rows take ~115 ms."""
    return _raw_rows(session, query, params, _first)


def _raw_rows(session: Session, query: str, params: dict[str, Any], row_factory: Any = None) -> list[Any]:
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.row_factory = row_factory
        return cursor.execute(query, params).fetchall()
    finally:
        cursor.close()


@dataclass(frozen=True)
class QueueSnapshot:
    """The ordered rowids and, under the same filters but their statuses and follow-up day,
    the count per status and how many wait for a call back by a given day."""

    rowids: list[int]
    counts: dict[str, int] | None  # None when not asked for
    due: int | None


def queue_snapshot(
    session: Session,
    *,
    sort: str = "age",
    descending: bool = False,
    language: str = "en",
    filters: RequestFilter,
    with_counts: bool = True,
    due_statuses: frozenset[str] = frozenset(),
    due_by: dt.date | None = None,
) -> QueueSnapshot:
    """What the queue shows after a change: the order and, with `with_counts`, the counts.

    With a text or zone filter the order and the counts come from one pass over the requests
    those filters leave (each such filter costs a subquery, and the counts would pay it again);
    otherwise from separate index-only queries."""
    base = replace(filters, statuses=frozenset(), follow_up_by=None)
    due_filter = replace(base, statuses=due_statuses, follow_up_by=due_by)
    if not (filters.text.strip() or filters.zone_ids):
        rowids = ordered_request_ids(
            session, sort=sort, descending=descending, language=language, filters=filters
        )
        if not with_counts:
            return QueueSnapshot(rowids, None, None)
        return QueueSnapshot(rowids, status_counts(session, base), count_requests(session, due_filter))
    sql = _Sql()
    key, join_person = _sort_sql(session, sort, language, sql)
    conditions, matches = _where(base, sql)
    direction = " DESC" if descending else ""
    query = (
        f"SELECT r.rowid, r.status, r.follow_up FROM {_from(matches, join_person)} "
        f"WHERE {' AND '.join(conditions)} ORDER BY {key}{direction}, r.rowid{direction}"
    )
    rows: list[tuple[int, str, str | None]] = _raw_rows(session, query, sql.params)
    statuses = filters.statuses
    by = filters.follow_up_by.isoformat() if filters.follow_up_by is not None else None
    rowids = [
        rowid
        for rowid, status, follow_up in rows
        if (not statuses or status in statuses)
        and (by is None or (follow_up is not None and follow_up <= by))
    ]
    due_day = due_by.isoformat() if due_by is not None else None
    due = sum(
        1
        for _rowid, status, follow_up in rows
        if status in due_statuses and due_day is not None and follow_up is not None and follow_up <= due_day
    )
    return QueueSnapshot(rowids, dict(Counter(status for _rowid, status, _f in rows)), due)


def status_counts(session: Session, filters: RequestFilter | None = None) -> dict[str, int]:
    """How many live requests of each status pass `filters` (its statuses left out)."""
    sql = _Sql()
    conditions, matches = _where(replace(filters or RequestFilter(), statuses=frozenset()), sql)
    query = f"SELECT r.status, count(*) FROM {_from(matches, False)} WHERE {' AND '.join(conditions)} GROUP BY r.status"
    return {status: count for status, count in session.connection().exec_driver_sql(query, sql.params)}


def count_requests(session: Session, filters: RequestFilter) -> int:
    sql = _Sql()
    conditions, matches = _where(filters, sql)
    query = f"SELECT count(*) FROM {_from(matches, False)} WHERE {' AND '.join(conditions)}"
    return int(session.connection().exec_driver_sql(query, sql.params).scalar_one())


def _label(model: Any, language: str) -> ColumnElement[str]:
    """The label in `language`, falling back to the other language when it is empty."""
    first, other = (model.label_es, model.label_en) if language == "es" else (model.label_en, model.label_es)
    return func.coalesce(func.nullif(first, ""), func.nullif(other, ""), "")


@lru_cache(maxsize=4)
def _rows_query(language: str) -> Select[*tuple[Any, ...]]:
    """The statement of a window, built once per language (the rowids are bound when run)."""
    zone_alias = aliased(Zone)
    rowid: ColumnElement[int] = literal_column("request.rowid")
    return (
        select(
            rowid,
            Request.id,
            Request.code,
            Person.name,
            _label(NeedCategory, language),
            func.coalesce(_label(zone_alias, language), ""),
            Request.urgency,
            Request.status,
            Request.created_at,
            Request.follow_up,
            Request.person_id,
            Request.deleted,
        )
        .join(Person, Person.id == Request.person_id)
        .join(NeedCategory, NeedCategory.id == Request.category_id)
        .outerjoin(zone_alias, zone_alias.id == Person.zone_id)
        .where(rowid.in_(bindparam("rowids", expanding=True)))
    )


def request_rows(session: Session, rowids: list[int], *, language: str = "en") -> list[RequestRow]:
    """The rows for `rowids`, in the order of `rowids` (at most a window: a few hundred)."""
    if not rowids:
        return []
    # Deleted ones left out here, not in SQL: "deleted = 0" would lead SQLite to scan
    # ix_request_queue instead of looking the rowids up (40 ms a window instead of 3).
    rows = session.execute(_rows_query(language), {"rowids": rowids})
    found = {row[0]: RequestRow(*row[1:-1]) for row in rows if not row[-1]}
    return [found[i] for i in rowids if i in found]
