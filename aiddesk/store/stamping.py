"""Every change to a synced record is stamped in the transaction that makes it.

A `Tx` allocates the desk's next edit stamp the first time it is needed (the
counter rises once per local transaction) and a before-flush hook stamps every
new or changed synced row. A session without a Tx that tries to change a
synced row raises UnstampedWrite; a database trigger refuses any other UPDATE
of a synced row that leaves its version vector and clock as they were."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from aiddesk.domain import clock
from aiddesk.domain.stamps import Stamp
from aiddesk.store import stamps_codec as codec
from aiddesk.store.models import Audit, Desk, Synced


class UnstampedWrite(RuntimeError):
    """A synced record was changed outside a stamped transaction."""


class DeskMissing(RuntimeError):
    """The database has no desk identity yet (first run not finished)."""


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Tx:
    """A local transaction: the session, who is at the desk and the edit stamp."""

    def __init__(self, session: Session, who: str) -> None:
        self.session = session
        self.who = who
        self._stamp: Stamp | None = None
        self._desk: Desk | None = None
        self.audited = False  # an entry was added: the transaction seals it (audit_chain.py)

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            self._desk = self.session.scalars(select(Desk)).first()
            if self._desk is None:
                raise DeskMissing("this database has no desk yet")
        return self._desk

    def stamp(self) -> Stamp:
        """This transaction's edit stamp (allocated once, saved with the transaction)."""
        if self._stamp is None:
            desk = self.desk
            desk.counter += 1
            desk.clock = clock.tick(desk.clock, now_ms())
            self._stamp = Stamp(desk.desk_id, desk.counter, desk.clock)
        return self._stamp

    @property
    def issued(self) -> Stamp | None:
        """The stamp this transaction used, if it changed anything."""
        return self._stamp

    def tick(self) -> int:
        """A fresh clock value, later than the stamp, for the 'last edited' of a flush."""
        self.stamp()
        desk = self.desk
        desk.clock = clock.tick(desk.clock, now_ms())
        return desk.clock

    def audit(self, action: str, record: Synced | None = None, **detail: Any) -> None:
        """Add an entry to the audit trail. `detail` holds codes, ids, counts and options only:
        never a name, phone, address or note of a person."""
        self.audited = True
        self.session.add(
            Audit(
                at=utcnow(),
                who=self.who,
                action=action,
                record_kind=record.kind if record is not None else "",
                record_id=record.id if record is not None else "",
                detail=codec.dumps(detail),
            )
        )

    def new_id(self) -> str:
        return str(uuid.uuid4())


def stamp_new(row: Synced, stamp: Stamp) -> None:
    if not row.id:
        row.id = str(uuid.uuid4())
    row.vv = codec.encode_vv({stamp.desk: stamp.counter})
    row.stamps = codec.encode_base(stamp)
    row.edited_clock = stamp.clock
    if row.deleted is None:
        row.deleted = False


def stamp_changes(row: Synced, changed: list[str], stamp: Stamp, edited_clock: int) -> None:
    vv = codec.decode_vv(row.vv)
    vv[stamp.desk] = stamp.counter
    row.vv = codec.encode_vv(vv)
    row.stamps = codec.restamp(row.stamps, changed, stamp)
    row.siblings = codec.drop_siblings(row.siblings, changed)
    if "deleted" in changed and row.deleted:
        row.del_ctx = row.vv
    elif row.deleted and not getattr(row, "erased", False):
        _keep_after_delete(row)
    row.edited_clock = edited_clock


def _keep_after_delete(row: Synced) -> None:
    """An edit saved on a record whose delete arrived meanwhile (a merge while its page was
    open): the edit is not covered by the delete, so the record shows again and the delete
    waits as an "edited after delete" conflict, held aside as the merge holds it."""
    siblings = codec.decode_siblings(row.siblings)
    if codec.HELD + "deleted" not in siblings:
        delete = codec.field_stamps(row.stamps, ["deleted"])["deleted"]
        held = [[delete.desk, delete.counter, delete.clock, True], *siblings.pop("deleted", [])]
        siblings[codec.HELD + "deleted"] = sorted(held, key=lambda s: (s[0], s[1]))
    row.siblings = codec.dumps(siblings)
    row.deleted = False


def _changed_fields(row: Synced) -> list[str]:
    state = inspect(row)
    return [name for name in row.synced_fields() if state.attrs[name].history.has_changes()]


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get("merging"):
        return  # the merge writes stamps it received; it sets them itself
    tx: Tx | None = session.info.get("tx")
    new = [o for o in session.new if isinstance(o, Synced)]
    dirty = [(o, ch) for o in session.dirty if isinstance(o, Synced) and (ch := _changed_fields(o))]
    if not new and not dirty:
        return
    if tx is None:
        raise UnstampedWrite("synced records may only change inside Database.transaction()")
    stamp = tx.stamp()
    for row in new:
        stamp_new(row, stamp)
    if dirty:
        edited = tx.tick()
        for row, changed in dirty:
            stamp_changes(row, changed, stamp, edited)


def install_stamping(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
