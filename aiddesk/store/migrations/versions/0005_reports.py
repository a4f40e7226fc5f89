"""Reports: every stop outcome carries the time it was recorded (stop.recorded_at; failed stops
had none), and two indexes the period reports and the overview count from.

Stops recorded before this revision get the time aiddesk.domain.stop_times derives from what
they hold (the delivery time, else the clock of the edit that recorded the outcome), with the
stamp of that edit: a desk that upgrades later, or merges a workbook of a desk that has not,
derives the same values under the same stamps, so no conflict and no stamp reuse can arise.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from aiddesk.domain.merge import displayed_sibling
from aiddesk.domain.stop_times import derived_siblings

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in 0001: no UPDATE of a synced row may leave its version vector and clock as they were. The
# backfill below adds a derived field without any new edit, so the guard steps aside meanwhile.
GUARD = """
CREATE TRIGGER stop_stamped BEFORE UPDATE ON stop
FOR EACH ROW WHEN NEW.vv IS OLD.vv AND NEW.edited_clock IS OLD.edited_clock
BEGIN SELECT RAISE(ABORT, 'aiddesk: synced record changed without an edit stamp'); END
"""
CHUNK = 2000
HELD = "*"  # aiddesk.store.stamps_codec.HELD, as it was at this revision


def _siblings(name: str, value: Any, stamps: dict[str, Any], others: dict[str, Any]) -> list[list[Any]]:
    """All siblings of one field of a row as this revision stores them."""
    if HELD + name in others:  # the column shows something else; every sibling is held aside
        return others[HELD + name]
    if isinstance(value, dt.datetime):
        value = value.isoformat()
    stamp = (stamps.get("f") or {}).get(name, stamps["s"])
    return sorted([[*stamp, value], *others.get(name, [])], key=lambda s: (s[0], s[1]))


def _backfill(connection: sa.Connection) -> None:
    stop = sa.table(
        "stop",
        sa.column("id", sa.String),
        sa.column("outcome", sa.String),
        sa.column("delivered_at", sa.DateTime),
        sa.column("recorded_at", sa.DateTime),
        sa.column("stamps", sa.Text),
        sa.column("siblings", sa.Text),
    )
    update = (
        stop.update()
        .where(stop.c.id == sa.bindparam("row_id"))
        .values(
            recorded_at=sa.bindparam("when"),
            stamps=sa.bindparam("new_stamps"),
            siblings=sa.bindparam("others"),
        )
    )
    query = sa.select(
        stop.c.id, stop.c.outcome, stop.c.delivered_at, stop.c.stamps, stop.c.siblings
    ).order_by(stop.c.id)
    rows = connection.execute(query).all()
    for start in range(0, len(rows), CHUNK):
        batch = []
        for row in rows[start : start + CHUNK]:
            stamps = json.loads(row.stamps)
            others = json.loads(row.siblings) if row.siblings else {}
            outcome = _siblings("outcome", row.outcome, stamps, others)
            delivered = _siblings("delivered_at", row.delivered_at, stamps, others)
            derived = derived_siblings(outcome, delivered)
            shown = displayed_sibling(derived)
            if shown[:3] != stamps["s"]:
                stamps.setdefault("f", {})["recorded_at"] = shown[:3]
            rest = [s for s in derived if s is not shown]
            if rest:
                others["recorded_at"] = rest
            batch.append(
                {
                    "row_id": row.id,
                    "when": dt.datetime.fromisoformat(shown[3]) if shown[3] else None,
                    "new_stamps": json.dumps(
                        stamps, sort_keys=True, separators=(",", ":"), ensure_ascii=False
                    ),
                    "others": json.dumps(others, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                    if others
                    else None,
                }
            )
        connection.execute(update, batch)


def upgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS stop_stamped")
    op.add_column("stop", sa.Column("recorded_at", sa.DateTime(), nullable=True))
    _backfill(op.get_bind())
    op.create_index(op.f("ix_stop_recorded_at"), "stop", ["recorded_at"])
    op.execute(GUARD)
    # Calls of a day or a year from the index alone; and what a report reads of each person
    # (zone, language, merged into) without reading the wide person rows.
    op.create_index("ix_call_taken_at", "call", ["taken_at", "deleted"])
    op.create_index("ix_person_report", "person", ["id", "zone_id", "language", "replaced_by"])


def downgrade() -> None:
    op.drop_index("ix_person_report", table_name="person")
    op.drop_index("ix_call_taken_at", table_name="call")
    op.drop_index(op.f("ix_stop_recorded_at"), table_name="stop")
    op.execute("DROP TRIGGER IF EXISTS stop_stamped")
    with op.batch_alter_table("stop") as batch_op:
        batch_op.drop_column("recorded_at")
    op.execute(GUARD)
