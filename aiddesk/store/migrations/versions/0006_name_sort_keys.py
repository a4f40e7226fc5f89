"""Names sort as the desk's language expects: a sort key per language beside each name.

Person and volunteer get name_sort_en and name_sort_es (domain/sorting.py; kept on every write by
store/derived.py, never exchanged), filled here for the records already held. The queue's person
index carries the keys instead of the name, so sorting the queue by person still reads the index
alone; the roster sorts volunteers on an index of each key.

Revision ID: 0006
Revises: 0004 (0005 is another branch's; the order is set when they meet)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from aiddesk.domain.sorting import name_sort_values

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("person", "volunteer")
COLUMNS = ("name_sort_en", "name_sort_es")
# As in 0001: a synced row may only change with a new edit stamp. The keys are no field of the
# record, so the guard is lifted while they are filled in.
GUARD = """
CREATE TRIGGER {table}_stamped BEFORE UPDATE ON {table}
FOR EACH ROW WHEN NEW.vv IS OLD.vv AND NEW.edited_clock IS OLD.edited_clock
BEGIN SELECT RAISE(ABORT, 'aiddesk: synced record changed without an edit stamp'); END
"""
CHUNK = 5000


def _fill(table: str) -> None:
    connection = op.get_bind()
    rows = connection.exec_driver_sql(f"SELECT rowid, name FROM {table}").fetchall()
    update = sa.text(
        f"UPDATE {table} SET name_sort_en = :name_sort_en, name_sort_es = :name_sort_es WHERE rowid = :r"
    )
    for start in range(0, len(rows), CHUNK):
        batch = [{"r": rowid, **name_sort_values(name or "")} for rowid, name in rows[start : start + CHUNK]]
        connection.execute(update, batch)


def upgrade() -> None:
    for table in TABLES:
        for column in COLUMNS:  # a plain ADD COLUMN: the FTS and guard triggers stay
            op.add_column(table, sa.Column(column, sa.String(length=200), nullable=False, server_default=""))
        op.execute(f"DROP TRIGGER IF EXISTS {table}_stamped")
        _fill(table)
        op.execute(GUARD.format(table=table))
    op.drop_index("ix_person_queue", table_name="person")
    op.create_index("ix_person_queue", "person", ["id", "zone_id", *COLUMNS])
    for column in COLUMNS:
        op.create_index(f"ix_volunteer_{column}", "volunteer", [column])


def downgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f"ix_volunteer_{column}", table_name="volunteer")
    op.drop_index("ix_person_queue", table_name="person")
    op.create_index("ix_person_queue", "person", ["id", "zone_id", "name"])
    for table in TABLES:
        for column in COLUMNS:
            op.drop_column(table, column)
