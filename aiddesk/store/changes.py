"""Which kinds of records the committed transactions of a thread changed.

Every INSERT, UPDATE and DELETE that reaches SQLite names its table; the
recorder maps the table to a `Kind` and keeps it with the connection until the
transaction ends: a commit hands it to whoever is collecting on that thread
(the operation runner), a rollback forgets it. Writes made by the ORM also give
the ids of the records they touched; bulk writes (a merge) say only the kind."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from aiddesk.domain.changes import Changes, Kind

TABLE_KINDS: dict[str, Kind] = {
    "person": Kind.PERSON,
    "call": Kind.CALL,
    "request": Kind.REQUEST,
    "volunteer": Kind.VOLUNTEER,
    "delivery": Kind.DELIVERY,
    "stop": Kind.STOP,
    "event": Kind.HISTORY,
    "need_category": Kind.LABEL,
    "zone": Kind.LABEL,
    "desk": Kind.DESK,
    "setting": Kind.DESK,
    "desk_user": Kind.DESK,
    "draft": Kind.DRAFT,
    "proposal": Kind.PROPOSAL,
    "known_desk": Kind.KNOWN_DESK,
    "audit": Kind.AUDIT,
    "account": Kind.ACCOUNT,
}
_WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)',
    re.IGNORECASE,
)
# The desk's own bookkeeping, written by every synced write (its counter and clock: stamping) and
# by every new code (the numbers used, in code_sequence): no screen shows them, and taken for a
# change of the desk they made every save re-read the desk's settings, its title and the exchange
# folder's state on the GUI thread's behalf (issue 13: a save during a pass waited for that).
_DESK_BOOKKEEPING = frozenset({"counter", "clock"})
_SET_COLUMNS = re.compile(r"\bSET\s+(.*?)\s+WHERE\b", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r'"?(\w+)"?\s*=')
_PENDING = "aiddesk_changes"
UNKNOWN = None  # ids of a kind written in bulk


def desk_bookkeeping(statement: str) -> bool:
    """Whether an UPDATE of the desk row changes only its counter and clock."""
    match = _SET_COLUMNS.search(statement)
    if match is None:
        return False
    columns = {column.lower() for column in _COLUMN.findall(match.group(1))}
    return bool(columns) and columns <= _DESK_BOOKKEEPING


def table_of(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE writes to; None for any other statement."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


class _Sink:
    def __init__(self) -> None:
        self.ids: dict[Kind, set[str] | None] = {}

    def add(self, pending: dict[Kind, set[str] | None]) -> None:
        for kind, ids in pending.items():
            if kind in self.ids:
                mine = self.ids[kind]
                self.ids[kind] = None if mine is None or ids is None else mine | ids
            else:
                self.ids[kind] = None if ids is None else set(ids)

    def changes(self) -> Changes:
        known = {kind: frozenset(ids) for kind, ids in self.ids.items() if ids is not None}
        return Changes(frozenset(self.ids), MappingProxyType(known))


class ChangeRecorder:
    """Listens to one engine and its sessions; `collect()` gathers what a thread committed."""

    def __init__(self, engine: Engine, sessions: sessionmaker[Session]) -> None:
        self._local = threading.local()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._rollback)
        event.listen(sessions, "before_flush", self._flush_starts)
        event.listen(sessions, "after_flush", self._flushed)

    @contextmanager
    def collect(self) -> Iterator[_Sink]:
        """What the transactions committed on this thread within the block changed."""
        outer = getattr(self._local, "sink", None)
        sink = _Sink()
        self._local.sink = sink
        try:
            yield sink
        finally:
            self._local.sink = outer
            if outer is not None:
                outer.add(sink.ids)

    # -- engine and session events --------------------------------------------------------------

    def _statement(
        self, conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        table = table_of(statement)
        if table is None:
            return
        kind = TABLE_KINDS.get(table)
        if kind is None or (table == "desk" and desk_bookkeeping(statement)):
            return
        pending: dict[Kind, set[str] | None] = conn.info.setdefault(_PENDING, {})
        if getattr(self._local, "flushing", False):
            pending.setdefault(kind, set())  # the flush names the ids (below)
        else:
            pending[kind] = UNKNOWN

    def _flush_starts(self, _session: Session, _context: Any, _instances: Any) -> None:
        self._local.flushing = True

    def _flushed(self, session: Session, _context: Any) -> None:
        self._local.flushing = False
        touched = [*session.new, *session.dirty, *session.deleted]
        if not touched:
            return
        pending: dict[Kind, set[str] | None] = session.connection().info.setdefault(_PENDING, {})
        for row in touched:
            kind = TABLE_KINDS.get(getattr(row, "__tablename__", ""))
            record_id = getattr(row, "id", None)
            if kind is None or kind not in pending:  # no statement of its kind ran (bookkeeping)
                continue
            ids = pending.setdefault(kind, set())
            if ids is not None and isinstance(record_id, str):
                ids.add(record_id)

    def _commit(self, conn: Any) -> None:
        pending = conn.info.pop(_PENDING, None)
        sink = getattr(self._local, "sink", None)
        if pending and sink is not None:
            sink.add(pending)

    def _rollback(self, conn: Any) -> None:
        conn.info.pop(_PENDING, None)
        self._local.flushing = False
