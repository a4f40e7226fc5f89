"""How a list names a few records it mentions: their display code, name or label."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.store.models import MODEL_BY_KIND


def labels_of(session: Session, kind: str, ids: Iterable[str]) -> dict[str, str]:
    """id -> "CODE Name" (or the code, the name, the English label) of the records `ids` of `kind`."""
    table = MODEL_BY_KIND[kind].__table__  # type: ignore[attr-defined]
    wanted = sorted(set(ids))
    columns = [table.c.id] + [table.c[name] for name in ("code", "name", "label_en") if name in table.c]
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 900):
        for row in session.execute(select(*columns).where(table.c.id.in_(wanted[start : start + 900]))):
            mapping = row._mapping
            parts = [mapping.get(name) for name in ("code", "name", "label_en")]
            out[row.id] = " ".join(p for p in parts if p) or row.id
    return out
