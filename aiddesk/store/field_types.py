"""What each synced field of each record kind holds, read from the models: its Python type,
whether it may be empty, and its longest text. The workbook code checks `_state` cells against
this without reaching into the models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Boolean, Date, DateTime, Integer, String

from aiddesk.store.models import MODEL_BY_KIND

KINDS: tuple[str, ...] = tuple(MODEL_BY_KIND)


@dataclass(frozen=True)
class Column:
    python: type  # bool, int, dt.datetime, dt.date or str
    nullable: bool
    length: int | None  # the longest text the column declares; None when it declares none


def synced_columns(kind: str) -> dict[str, Column]:
    """The synced fields of a record kind, in the model's order."""
    model = MODEL_BY_KIND[kind]
    table = model.__table__  # type: ignore[attr-defined]
    out = {}
    for name in model.synced_fields():
        column = table.c[name]
        kind_type = column.type
        python: type
        if isinstance(kind_type, Boolean):
            python = bool
        elif isinstance(kind_type, Integer):
            python = int
        elif isinstance(kind_type, DateTime):
            python = dt.datetime
        elif isinstance(kind_type, Date):
            python = dt.date
        else:
            python = str
        length = kind_type.length if isinstance(kind_type, String) and kind_type.length else None
        out[name] = Column(python, bool(column.nullable), length)
    return out
