"""Columns each desk derives from a record's fields, kept on every write: the names' sort keys.

Three write paths reach synced rows: ORM objects in a session (a flush hook below), the merge's
rows built from record states (state_rows.row_values) and bulk inserts (bulk.insert_synced).
Each fills the derived columns from the fields here. They are never stamped nor exchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from aiddesk.domain.sorting import name_sort_values
from aiddesk.store.models import Synced


def derived_values(model: type[Synced], values: dict[str, Any]) -> dict[str, Any]:
    """The derived columns of a row whose field values (some or all) are `values`."""
    if model.derived and "name" in values:
        return name_sort_values(values["name"] or "")
    return {}


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for row in session.new:
        if isinstance(row, Synced) and row.derived:
            for column, value in derived_values(type(row), {"name": row.name}).items():  # type: ignore[attr-defined]
                setattr(row, column, value)
    for row in session.dirty:
        if isinstance(row, Synced) and row.derived and inspect(row).attrs.name.history.has_changes():
            for column, value in derived_values(type(row), {"name": row.name}).items():  # type: ignore[attr-defined]
                setattr(row, column, value)


def install_derived(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
