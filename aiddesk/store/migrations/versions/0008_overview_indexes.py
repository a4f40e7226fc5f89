"""Two indexes for the overview (today at a glance at 100,000 people): requests by the time they
were made, with whether they are deleted (today's new requests, and the report's days, from the
index alone), and the live ready requests and failed stops (partial: the failed deliveries still
to plan again are counted where the two meet).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_request_created", "request", ["created_at", "deleted"])
    op.create_index(
        "ix_request_ready", "request", ["id"], sqlite_where=sa.text("status = 'ready' AND deleted = 0")
    )
    op.create_index(
        "ix_stop_failed",
        "stop",
        ["request_id"],
        sqlite_where=sa.text("outcome = 'failed' AND deleted = 0"),
    )


def downgrade() -> None:
    op.drop_index("ix_stop_failed", "stop")
    op.drop_index("ix_request_ready", "request")
    op.drop_index("ix_request_created", "request")
