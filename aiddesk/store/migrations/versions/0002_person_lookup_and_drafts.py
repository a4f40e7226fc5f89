"""Caller lookup (accent-insensitive names, phone prefix and last 4 digits) and intake drafts.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Names go through FTS5 with remove_diacritics 2 so "maria" finds "María" (NOCASE folds
# ASCII only). External content: the index holds tokens, person holds the text. A later
# batch migration that copies the person table must end with
# INSERT INTO person_fts(person_fts) VALUES('rebuild').
FTS = [
    """CREATE VIRTUAL TABLE person_fts USING fts5(
        name, content='person', content_rowid='rowid', tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN
        INSERT INTO person_fts(rowid, name) VALUES (new.rowid, new.name); END""",
    """CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN
        INSERT INTO person_fts(person_fts, rowid, name) VALUES ('delete', old.rowid, old.name); END""",
    """CREATE TRIGGER person_fts_update AFTER UPDATE OF name ON person BEGIN
        INSERT INTO person_fts(person_fts, rowid, name) VALUES ('delete', old.rowid, old.name);
        INSERT INTO person_fts(rowid, name) VALUES (new.rowid, new.name); END""",
    "INSERT INTO person_fts(person_fts) VALUES ('rebuild')",
    # Last four digits of a phone number, as a volunteer reads them back.
    "CREATE INDEX ix_person_phone_last4 ON person (substr(phone, -4))",
    "CREATE INDEX ix_person_phone2_last4 ON person (substr(phone2, -4))",
]


def upgrade() -> None:
    op.create_table(
        "draft",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("who", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for statement in FTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_person_phone2_last4")
    op.execute("DROP INDEX IF EXISTS ix_person_phone_last4")
    for trigger in ("person_fts_insert", "person_fts_delete", "person_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS person_fts")
    op.drop_table("draft")
