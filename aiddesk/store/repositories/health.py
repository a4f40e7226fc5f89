"""Integrity and foreign-key checks of the database file."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def integrity_problems(session: Session) -> list[str]:
    problems = [row[0] for row in session.execute(text("PRAGMA integrity_check")) if row[0] != "ok"]
    problems += [
        f"foreign key: {table} row {rowid} -> {parent}"
        for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check"))
    ]
    return problems
