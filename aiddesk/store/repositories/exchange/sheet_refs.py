"""What the visible sheets show for a linked record: its display code, or its label."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.domain.defaults import NEED_CATEGORIES, ZONES
from aiddesk.store.models import MODEL_BY_KIND, NeedCategory, Zone

CODED_KINDS = ("person", "volunteer", "delivery", "request")


CHUNK = 900  # ids per IN (...)


def codes(session: Session, kind: str, ids: Collection[str] | None = None) -> dict[str, str]:
    """id -> display code of every record of a kind (deleted ones too: old rows still link to them);
    only of `ids` when given (a small workbook links to few records)."""
    table = MODEL_BY_KIND[kind].__table__  # type: ignore[attr-defined]
    if ids is None:
        return {row.id: row.code for row in session.execute(select(table.c.id, table.c.code))}
    wanted = sorted(ids)
    out: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(table.c.id, table.c.code).where(table.c.id.in_(wanted[start : start + CHUNK]))
        out.update({row.id: row.code for row in session.execute(query)})
    return out


def labels(session: Session, language: str) -> dict[str, str]:
    """id -> label of every need category and zone, in `language` (English when it has none)."""
    out: dict[str, str] = {}
    for model in (NeedCategory, Zone):
        table = model.__table__
        for row in session.execute(select(table.c.id, table.c.label_en, table.c.label_es)):
            out[row.id] = (row.label_es if language == "es" else "") or row.label_en
    return out


def default_labels(session: Session, language: str) -> dict[str, str]:
    """id -> label of the need categories and zones that still carry the label AidDesk gave them
    (no one at a desk typed it), in `language`."""
    out: dict[str, str] = {}
    for model, kind, defaults in ((NeedCategory, "need_category", NEED_CATEGORIES), (Zone, "zone", ZONES)):
        shipped = {d.id_for(kind): d for d in defaults}
        table = model.__table__
        rows = session.execute(
            select(table.c.id, table.c.label_en, table.c.label_es).where(table.c.id.in_(list(shipped)))
        )
        for row in rows:
            default = shipped[row.id]
            if (row.label_en, row.label_es) == (default.label_en, default.label_es):
                out[row.id] = default.label_es if language == "es" else default.label_en
    return out
