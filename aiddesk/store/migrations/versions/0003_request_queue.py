"""The request queue: a covering index for its filters and sorts, accent-free search of details.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# No ANALYZE: with statistics SQLite sees that "deleted" has one value and leaves these covering
# indexes for plans 2-3x slower (measured: the age sort 75 -> 247 ms at 155k requests). Without
# them it may walk ix_request_queue to find a few requests by id: look those up by id alone and
# check "deleted" in Python (repositories/requests_by_id.py, deliveries.py, people.py).
# Every column the queue filters or sorts on, so its ordered ids come from the index alone
# (reading the wide request rows cost ~3x as much at 100,000 people).
QUEUE_COLUMNS = [
    "deleted",
    "status",
    "created_at",
    "urgency",
    "category_id",
    "person_id",
    "follow_up",
    "code",
]
# The same in person order: sorting by person or zone joins each request to its person, and
# in this order the lookups walk ix_person_queue in order too (145 ms instead of 275 ms for
# 155,000 requests).
PERSON_ORDER_COLUMNS = [
    "person_id",
    "deleted",
    "status",
    "created_at",
    "urgency",
    "category_id",
    "follow_up",
    "code",
]
# The person columns the queue sorts on, found by id without reading the person row.
PERSON_COLUMNS = ["id", "zone_id", "name"]

# Details go through FTS5 with remove_diacritics 2, like person names. External content:
# a later batch migration that copies the request table must end with
# INSERT INTO request_fts(request_fts) VALUES('rebuild').
FTS = [
    """CREATE VIRTUAL TABLE request_fts USING fts5(
        details, content='request', content_rowid='rowid', tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER request_fts_insert AFTER INSERT ON request BEGIN
        INSERT INTO request_fts(rowid, details) VALUES (new.rowid, new.details); END""",
    """CREATE TRIGGER request_fts_delete AFTER DELETE ON request BEGIN
        INSERT INTO request_fts(request_fts, rowid, details) VALUES ('delete', old.rowid, old.details); END""",
    """CREATE TRIGGER request_fts_update AFTER UPDATE OF details ON request BEGIN
        INSERT INTO request_fts(request_fts, rowid, details) VALUES ('delete', old.rowid, old.details);
        INSERT INTO request_fts(rowid, details) VALUES (new.rowid, new.details); END""",
    "INSERT INTO request_fts(request_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    op.create_index("ix_request_queue", "request", QUEUE_COLUMNS)
    op.create_index("ix_request_person_queue", "request", PERSON_ORDER_COLUMNS)
    op.create_index("ix_person_queue", "person", PERSON_COLUMNS)
    for statement in FTS:
        op.execute(statement)


def downgrade() -> None:
    for trigger in ("request_fts_insert", "request_fts_delete", "request_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS request_fts")
    op.drop_index("ix_person_queue", table_name="person")
    op.drop_index("ix_request_person_queue", table_name="request")
    op.drop_index("ix_request_queue", table_name="request")
