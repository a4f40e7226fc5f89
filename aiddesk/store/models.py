"""SQLAlchemy models.

Synced records (travel between desks in workbooks) share `Synced`: a UUID id
made by the creating desk, a version vector, the stamp of every field (compact:
one base stamp plus per-field overrides), the concurrent siblings of fields in
conflict, the delete context and the clock of the last edit. Local tables
(desk identity, users, audit, settings) never travel."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Columns of every synced table that are bookkeeping, not fields of the record.
BOOKKEEPING: frozenset[str] = frozenset({"id", "vv", "stamps", "siblings", "del_ctx", "edited_clock"})
# Columns each desk derives from a record's fields (store/derived.py keeps them on every write):
# never stamped, exchanged or merged. The names' sort keys, one per language (domain/sorting.py).
NAME_SORT_COLUMNS: tuple[str, ...] = ("name_sort_en", "name_sort_es")


class Base(DeclarativeBase):
    pass


def _fk(target: str, nullable: bool = True) -> Mapped[Any]:
    # Deferred, so a merge may insert records of one kind in any order in one transaction.
    return mapped_column(
        String(36), ForeignKey(target, deferrable=True, initially="DEFERRED"), nullable=nullable, index=True
    )


class Synced:
    """Identity and merge bookkeeping shared by every synced table."""

    kind: ClassVar[str]
    derived: ClassVar[tuple[str, ...]] = ()  # local columns computed from the fields
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    vv: Mapped[str] = mapped_column(Text, nullable=False)
    stamps: Mapped[str] = mapped_column(Text, nullable=False)
    siblings: Mapped[str | None] = mapped_column(Text, default=None)
    del_ctx: Mapped[str | None] = mapped_column(Text, default=None)
    edited_clock: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    @classmethod
    def synced_fields(cls) -> tuple[str, ...]:
        table = cls.__table__  # type: ignore[attr-defined]
        return tuple(c.key for c in table.columns if c.key not in BOOKKEEPING and c.key not in cls.derived)


class Labelled:
    """A list entry each group adapts: an English and a Spanish label; retired ones stay readable."""

    key: Mapped[str | None] = mapped_column(String(40), default=None)  # defaults only (fixed ids)
    label_en: Mapped[str] = mapped_column(String(120), default="")
    label_es: Mapped[str] = mapped_column(String(120), default="")
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class NeedCategory(Synced, Labelled, Base):
    __tablename__ = "need_category"
    kind = "need_category"


class Zone(Synced, Labelled, Base):
    __tablename__ = "zone"
    kind = "zone"


class Person(Synced, Base):
    __tablename__ = "person"
    kind = "person"
    derived = NAME_SORT_COLUMNS
    code: Mapped[str] = mapped_column(String(24), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    name_sort_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    name_sort_es: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str | None] = mapped_column(String(20), default=None, index=True)  # E.164
    phone_raw: Mapped[str] = mapped_column(String(40), default="")
    phone2: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    phone2_raw: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(20), default="")  # language code: en, es, vi ...
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str] = mapped_column(Text, default="")
    zone_id: Mapped[str | None] = _fk("zone.id")
    household_size: Mapped[int | None] = mapped_column(Integer, default=None)
    elevated_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    delivery_notes: Mapped[str] = mapped_column(Text, default="")  # printed for drivers
    safety_notes: Mapped[str] = mapped_column(Text, default="")  # coordinators only, never printed
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_method: Mapped[str] = mapped_column(String(20), default="")
    contact_time: Mapped[str] = mapped_column(String(120), default="")
    replaced_by: Mapped[str | None] = _fk("person.id")
    # Erased for privacy: personal fields emptied and the record deleted. An erased record's
    # personal fields stay empty after every merge (erasure wins over concurrent edits).
    erased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Call(Synced, Base):
    __tablename__ = "call"
    kind = "call"
    code: Mapped[str] = mapped_column(String(24), index=True)
    person_id: Mapped[str | None] = _fk("person.id")
    taken_by: Mapped[str] = mapped_column(String(120), default="")
    taken_at: Mapped[dt.datetime] = mapped_column(DateTime)
    channel: Mapped[str] = mapped_column(String(20), default="phone")
    outcome: Mapped[str] = mapped_column(String(30), default="new_request")
    consent_version: Mapped[str] = mapped_column(String(40), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Request(Synced, Base):
    __tablename__ = "request"
    kind = "request"
    code: Mapped[str] = mapped_column(String(24), index=True)
    person_id: Mapped[str] = _fk("person.id", nullable=False)
    call_id: Mapped[str | None] = _fk("call.id")
    category_id: Mapped[str] = _fk("need_category.id", nullable=False)
    details: Mapped[str] = mapped_column(Text, default="")
    urgency: Mapped[str] = mapped_column(String(20), default="this_week")
    recurring: Mapped[str] = mapped_column(String(20), default="once")
    status: Mapped[str] = mapped_column(String(24), default="new", index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[dt.date | None] = mapped_column(Date, default=None, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


class Volunteer(Synced, Base):
    __tablename__ = "volunteer"
    kind = "volunteer"
    derived = NAME_SORT_COLUMNS
    code: Mapped[str] = mapped_column(String(24), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    name_sort_en: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    name_sort_es: Mapped[str] = mapped_column(String(200), default="", server_default="", index=True)
    phone: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    phone_raw: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of language codes
    skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of Skill values
    zones: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of zone ids
    availability: Mapped[int] = mapped_column(Integer, default=0)  # bit (day*3 + slot), Monday = 0
    trained: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    max_runs_week: Mapped[int] = mapped_column(Integer, default=3)
    preferred_language: Mapped[str] = mapped_column(String(20), default="en")
    notes: Mapped[str] = mapped_column(Text, default="")


class Delivery(Synced, Base):
    __tablename__ = "delivery"
    kind = "delivery"
    code: Mapped[str] = mapped_column(String(24), index=True)
    volunteer_id: Mapped[str] = _fk("volunteer.id", nullable=False)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    window_start: Mapped[str] = mapped_column(String(5), default="")  # HH:MM
    window_end: Mapped[str] = mapped_column(String(5), default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    notes: Mapped[str] = mapped_column(Text, default="")


class Stop(Synced, Base):
    __tablename__ = "stop"
    kind = "stop"
    delivery_id: Mapped[str] = _fk("delivery.id", nullable=False)
    request_id: Mapped[str] = _fk("request.id", nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    failure_reason: Mapped[str] = mapped_column(String(20), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)
    # When the outcome was recorded (naive UTC), whatever it was; None while pending (0005).
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None, index=True)


class Event(Synced, Base):
    """Append-only history that travels: never edited, so never in conflict."""

    __tablename__ = "event"
    kind = "event"
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    what: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    who: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime)


SYNCED_MODELS: tuple[type[Synced], ...] = (
    NeedCategory,
    Zone,
    Person,
    Call,
    Request,
    Volunteer,
    Delivery,
    Stop,
    Event,
)
MODEL_BY_KIND: dict[str, type[Synced]] = {m.kind: m for m in SYNCED_MODELS}
# The fields an erasure empties (and keeps empty through every merge).
PERSONAL_FIELDS: tuple[str, ...] = (
    "name",
    "phone",
    "phone_raw",
    "phone2",
    "phone2_raw",
    "email",
    "address",
    "dietary_needs",
    "delivery_notes",
    "safety_notes",
    "contact_time",
)

# Records with a field in conflict (or edited after their delete), found without a table scan.
for _model in SYNCED_MODELS:
    _table = _model.__table__  # type: ignore[attr-defined]
    Index(f"ix_{_table.name}_in_conflict", _table.c.id, sqlite_where=text("siblings IS NOT NULL"))


# ---- local-only tables -------------------------------------------------------------------


class Desk(Base):
    """This desk's identity and clocks (one row)."""

    __tablename__ = "desk"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[str] = mapped_column(String(36))
    code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(120))
    counter: Mapped[int] = mapped_column(BigInteger, default=0)
    clock: Mapped[int] = mapped_column(BigInteger, default=0)
    phone_region: Mapped[str] = mapped_column(String(2), default="US")
    language: Mapped[str] = mapped_column(String(10), default="en")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class CodeSequence(Base):
    """Last display number used per record kind (codes like CC1-R0042: see domain.codes)."""

    __tablename__ = "code_sequence"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class DeskUser(Base):
    """Names of the volunteers who worked a shift at this desk."""

    __tablename__ = "desk_user"
    name: Mapped[str] = mapped_column(String(120, collation="NOCASE"), primary_key=True)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)


class Account(Base):
    """Who may sign in at this desk (local: accounts never travel). A phone volunteer's verifier
    checks a PIN, a coordinator's or administrator's a passphrase (domain/verifier.py); failed
    tries in a row are counted so the wait before the next one grows (domain/access.py)."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("name", name="uq_account_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120, collation="NOCASE"))
    role: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en")
    verifier: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Audit(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    record_kind: Mapped[str] = mapped_column(String(20), default="")
    record_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    # HMAC over this entry and the one before it (aiddesk/store/audit_chain.py); None until sealed
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)
    seq: Mapped[int | None] = mapped_column(Integer, nullable=True)  # its position in the chain


Index("ix_audit_at", Audit.at)
Index("ix_event_at", Event.at)
# The request queue reads its filtered, sorted ids from these alone (migration 0003): by
# status, and in person order for the sorts that join each request to its person.
Index(
    "ix_request_queue",
    Request.deleted,
    Request.status,
    Request.created_at,
    Request.urgency,
    Request.category_id,
    Request.person_id,
    Request.follow_up,
    Request.code,
)
Index(
    "ix_request_person_queue",
    Request.person_id,
    Request.deleted,
    Request.status,
    Request.created_at,
    Request.urgency,
    Request.category_id,
    Request.follow_up,
    Request.code,
)
# Migration 0006: the names' sort keys instead of the name (the queue sorts by person with them).
Index("ix_person_queue", Person.id, Person.zone_id, Person.name_sort_en, Person.name_sort_es)
# The caller lookup by the last four digits of a phone number, as a volunteer reads them back
# (migration 0002).
Index("ix_person_phone_last4", func.substr(Person.phone, -4))
Index("ix_person_phone2_last4", func.substr(Person.phone2, -4))

# The reports (migration 0005): calls by time from the index alone; each person's zone, language
# and merge without reading the wide person row.
Index("ix_call_taken_at", Call.taken_at, Call.deleted)
Index("ix_person_report", Person.id, Person.zone_id, Person.language, Person.replaced_by)

# The overview (migration 0008): today's new requests from the index alone; the failed
# deliveries to plan again from two small partial indexes.
Index("ix_request_created", Request.created_at, Request.deleted)
Index("ix_request_ready", Request.id, sqlite_where=text("status = 'ready' AND deleted = 0"))
Index("ix_stop_failed", Stop.request_id, sqlite_where=text("outcome = 'failed' AND deleted = 0"))


class Draft(Base):
    """What is being typed at the intake screen, saved as it is typed (survives a crash)."""

    __tablename__ = "draft"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    who: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    data: Mapped[str] = mapped_column(Text)  # JSON of the form


class Proposal(Base):
    """A cell someone changed by hand in an exported workbook: waits for accept or reject."""

    __tablename__ = "proposal"
    __table_args__ = (UniqueConstraint("export_id", "record_id", "field", name="uq_proposal_cell"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    export_id: Mapped[str] = mapped_column(String(36))
    source: Mapped[str] = mapped_column(String(260))  # the workbook's file name
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(Text)  # JSON of the parsed value
    typed: Mapped[str] = mapped_column(Text)  # the cell as it was typed
    was: Mapped[str] = mapped_column(Text)  # the cell as it was exported
    context_vv: Mapped[str] = mapped_column(Text)  # the workbook's version vector of the record
    sheet: Mapped[str] = mapped_column(String(60))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending, accepted, rejected
    found_at: Mapped[dt.datetime] = mapped_column(DateTime)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)


class KnownDesk(Base):
    """Another desk whose workbook was merged here: its code and name for the conflict lists."""

    __tablename__ = "known_desk"
    desk_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(120))
    last_export_id: Mapped[str] = mapped_column(String(36))
    last_merged_at: Mapped[dt.datetime] = mapped_column(DateTime)
