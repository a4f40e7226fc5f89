"""Workbook exchange: erasure of a person, hand-edit proposals, the desks met, conflict lists.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
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


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy): the FTS triggers and guard triggers stay as they are.
    op.add_column("person", sa.Column("erased", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("export_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=260), nullable=False),
        sa.Column("record_kind", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("typed", sa.Text(), nullable=False),
        sa.Column("was", sa.Text(), nullable=False),
        sa.Column("context_vv", sa.Text(), nullable=False),
        sa.Column("sheet", sa.String(length=60), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("column", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("export_id", "record_id", "field", name="uq_proposal_cell"),
    )
    op.create_index(op.f("ix_proposal_status"), "proposal", ["status"])
    op.create_table(
        "known_desk",
        sa.Column("desk_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("last_export_id", sa.String(length=36), nullable=False),
        sa.Column("last_merged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("desk_id"),
    )
    for table in SYNCED_TABLES:
        op.execute(f"CREATE INDEX ix_{table}_in_conflict ON {table} (id) WHERE siblings IS NOT NULL")


def downgrade() -> None:
    for table in SYNCED_TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_in_conflict")
    op.drop_table("known_desk")
    op.drop_index("ix_proposal_status", table_name="proposal")
    op.drop_table("proposal")
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("erased")
