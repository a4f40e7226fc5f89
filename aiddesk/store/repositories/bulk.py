"""Loading many records at once: bulk inserts of synced records through Core executemany (stamps
computed in Python), whether the desk is still empty, and a page cache big enough for the load."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from aiddesk.domain.stamps import Stamp
from aiddesk.store import stamps_codec as codec
from aiddesk.store.derived import derived_values
from aiddesk.store.models import Call, Delivery, Event, Person, Request, Stop, Synced, Volunteer

# Record kinds a desk starts without (need categories and zones come with every desk).
RECORD_MODELS: tuple[type[Synced], ...] = (Person, Call, Request, Volunteer, Delivery, Stop, Event)


def record_counts(session: Session) -> dict[str, int]:
    """Rows per record kind, deleted ones included."""
    counts: dict[str, int] = {}
    for model in RECORD_MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        counts[model.kind] = session.scalar(select(func.count()).select_from(table)) or 0
    return counts


@contextmanager
def large_page_cache(session: Session, mebibytes: int = 512) -> Iterator[None]:
    """Let SQLite keep up to `mebibytes` of pages in memory while a big load runs, then go back.

    With the default 2 MB cache, a load of a million rows spills pages again and again."""
    before = session.scalar(text("PRAGMA cache_size"))
    session.execute(text(f"PRAGMA cache_size=-{int(mebibytes) * 1024}"))
    try:
        yield
    finally:
        session.execute(text(f"PRAGMA cache_size={int(before or -2000)}"))


def insert_synced(session: Session, model: type[Synced], rows: Iterable[dict[str, Any]], stamp: Stamp) -> int:
    """Insert new records all written by the transaction `stamp` (one version vector, one base stamp)."""
    bookkeeping = {
        "vv": codec.encode_vv({stamp.desk: stamp.counter}),
        "stamps": codec.encode_base(stamp),
        "siblings": None,
        "del_ctx": None,
        "edited_clock": stamp.clock,
    }
    batch = [{"deleted": False, **row, **derived_values(model, row), **bookkeeping} for row in rows]
    for row in batch:
        if row["deleted"]:  # deleted by the same edit that wrote it: the delete saw all of it
            row["del_ctx"] = row["vv"]
    if batch:
        session.execute(insert(model.__table__), batch)  # type: ignore[attr-defined]
    return len(batch)
