"""baseline

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 20:19:08.776813
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SYNCED_TABLES = (
    "need_category",
    "zone",
    "person",
    "call",
    "request",
    "volunteer",
    "delivery",
    "stop",
    "event",
)

# A synced row may only change with a new edit stamp: every stamped write moves its
# version vector or its clock. Anything else (a stray UPDATE) is refused.
GUARD = """
CREATE TRIGGER {table}_stamped BEFORE UPDATE ON {table}
FOR EACH ROW WHEN NEW.vv IS OLD.vv AND NEW.edited_clock IS OLD.edited_clock
BEGIN SELECT RAISE(ABORT, 'aiddesk: synced record changed without an edit stamp'); END
"""


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index("ix_audit_at", ["at"], unique=False)

    op.create_table(
        "code_sequence",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind"),
    )
    op.create_table(
        "desk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.Column("clock", sa.BigInteger(), nullable=False),
        sa.Column("phone_region", sa.String(length=2), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "desk_user",
        sa.Column("name", sa.String(length=120, collation="NOCASE"), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "event",
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("what", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("who", sa.String(length=120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_at", ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_record_id"), ["record_id"], unique=False)

    op.create_table(
        "need_category",
        sa.Column("key", sa.String(length=40), nullable=True),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("label_es", sa.String(length=120), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "volunteer",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_raw", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("skills", sa.Text(), nullable=False),
        sa.Column("zones", sa.Text(), nullable=False),
        sa.Column("availability", sa.Integer(), nullable=False),
        sa.Column("trained", sa.Boolean(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("max_runs_week", sa.Integer(), nullable=False),
        sa.Column("preferred_language", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_volunteer_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_volunteer_phone"), ["phone"], unique=False)

    op.create_table(
        "zone",
        sa.Column("key", sa.String(length=40), nullable=True),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("label_es", sa.String(length=120), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "delivery",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("volunteer_id", sa.String(length=36), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("window_start", sa.String(length=5), nullable=False),
        sa.Column("window_end", sa.String(length=5), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["volunteer_id"], ["volunteer.id"], initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_delivery_volunteer_id"), ["volunteer_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_raw", sa.String(length=40), nullable=False),
        sa.Column("phone2", sa.String(length=20), nullable=True),
        sa.Column("phone2_raw", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("needs_interpreter", sa.Boolean(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("zone_id", sa.String(length=36), nullable=True),
        sa.Column("household_size", sa.Integer(), nullable=True),
        sa.Column("elevated_risk", sa.Boolean(), nullable=False),
        sa.Column("dietary_needs", sa.Text(), nullable=False),
        sa.Column("delivery_notes", sa.Text(), nullable=False),
        sa.Column("safety_notes", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("consent_version", sa.String(length=40), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("contact_method", sa.String(length=20), nullable=False),
        sa.Column("contact_time", sa.String(length=120), nullable=False),
        sa.Column("replaced_by", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["replaced_by"], ["person.id"], initially="DEFERRED", deferrable=True),
        sa.ForeignKeyConstraint(["zone_id"], ["zone.id"], initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_phone2"), ["phone2"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_replaced_by"), ["replaced_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_zone_id"), ["zone_id"], unique=False)

    op.create_table(
        "call",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("taken_by", sa.String(length=120), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("consent_version", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_person_id"), ["person_id"], unique=False)

    op.create_table(
        "request",
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("call_id", sa.String(length=36), nullable=True),
        sa.Column("category_id", sa.String(length=36), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=20), nullable=False),
        sa.Column("recurring", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], initially="DEFERRED", deferrable=True),
        sa.ForeignKeyConstraint(["category_id"], ["need_category.id"], initially="DEFERRED", deferrable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_category_id"), ["category_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_follow_up"), ["follow_up"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_request_status"), ["status"], unique=False)

    op.create_table(
        "stop",
        sa.Column("delivery_id", sa.String(length=36), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("vv", sa.Text(), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("siblings", sa.Text(), nullable=True),
        sa.Column("del_ctx", sa.Text(), nullable=True),
        sa.Column("edited_clock", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["delivery_id"], ["delivery.id"], initially="DEFERRED", deferrable=True),
        sa.ForeignKeyConstraint(["request_id"], ["request.id"], initially="DEFERRED", deferrable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stop_delivery_id"), ["delivery_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_request_id"), ["request_id"], unique=False)

    for table in SYNCED_TABLES:
        op.execute(GUARD.format(table=table))


def downgrade() -> None:
    for table in SYNCED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_stamped")
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stop_request_id"))
        batch_op.drop_index(batch_op.f("ix_stop_delivery_id"))

    op.drop_table("stop")
    with op.batch_alter_table("request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_status"))
        batch_op.drop_index(batch_op.f("ix_request_person_id"))
        batch_op.drop_index(batch_op.f("ix_request_follow_up"))
        batch_op.drop_index(batch_op.f("ix_request_created_at"))
        batch_op.drop_index(batch_op.f("ix_request_code"))
        batch_op.drop_index(batch_op.f("ix_request_category_id"))
        batch_op.drop_index(batch_op.f("ix_request_call_id"))

    op.drop_table("request")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_person_id"))
        batch_op.drop_index(batch_op.f("ix_call_code"))

    op.drop_table("call")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_zone_id"))
        batch_op.drop_index(batch_op.f("ix_person_replaced_by"))
        batch_op.drop_index(batch_op.f("ix_person_phone2"))
        batch_op.drop_index(batch_op.f("ix_person_phone"))
        batch_op.drop_index(batch_op.f("ix_person_code"))

    op.drop_table("person")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_volunteer_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_date"))
        batch_op.drop_index(batch_op.f("ix_delivery_code"))

    op.drop_table("delivery")
    op.drop_table("zone")
    with op.batch_alter_table("volunteer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_volunteer_phone"))
        batch_op.drop_index(batch_op.f("ix_volunteer_code"))

    op.drop_table("volunteer")
    op.drop_table("setting")
    op.drop_table("need_category")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_record_id"))
        batch_op.drop_index("ix_event_at")

    op.drop_table("event")
    op.drop_table("desk_user")
    op.drop_table("desk")
    op.drop_table("code_sequence")
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_at")

    op.drop_table("audit")
