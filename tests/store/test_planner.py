"""Finding a request by id stays a primary-key lookup once the queue's indexes exist."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def test_a_request_by_id_uses_its_primary_key_after_a_demo_load(tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    subprocess.run(
        [sys.executable, "-m", "aiddesk", "--data-dir", str(folder), "demo", "--people", "200", "--seed", "4"],
        check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=120,
    )
    con = sqlite3.connect(folder / "aiddesk.db")
    try:
        # From about four ids on, SQLite without statistics walks ix_request_queue instead.
        ids = [row[0] for row in con.execute("SELECT id FROM request LIMIT 20")]
        marks = ", ".join("?" * len(ids))
        plan = con.execute(
            f"EXPLAIN QUERY PLAN SELECT * FROM request WHERE id IN ({marks}) AND deleted = 0", ids
        ).fetchall()
    finally:
        con.close()
    assert "ix_request_queue" not in str(plan), plan
