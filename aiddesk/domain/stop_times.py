"""When a stop's outcome was recorded, for stops recorded before AidDesk kept that time.

Since database revision 0005 every recorded stop carries `recorded_at` (naive UTC), set in
the transaction that records its outcome. Older stops only knew `delivered_at`, and only for
deliveries. Their `recorded_at` is derived here, the same way at every desk, so that the
desks that upgrade and the workbooks of desks that have not yet agree exactly:

- each stamp of `outcome` gives one sibling of `recorded_at` with the same stamp (both fields
  are always written together);
- a pending outcome was never recorded: no time;
- a delivery takes `delivered_at` as written by the same edit, when there is one;
- otherwise the wall time of the edit's clock (within a second of when it was saved).

Pure: record states as in aiddesk.domain.merge, datetimes as ISO-8601 text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiddesk.domain import clock
from aiddesk.domain.merge import Sibling

FIELD = "recorded_at"
# The database revision that added the field: workbooks of older desks lack it.
SINCE_REVISION = "0005"
PENDING = "pending"


def clock_time(value: int) -> dt.datetime:
    """The naive UTC wall time of a hybrid clock value (to the millisecond)."""
    return dt.datetime.fromtimestamp(clock.wall_ms(value) / 1000, dt.UTC).replace(tzinfo=None)


def derived_siblings(outcome: list[Sibling], delivered_at: list[Sibling]) -> list[Sibling]:
    """The siblings of `recorded_at` for a stop state that lacks them (see the module's rules)."""
    delivered = {(s[0], s[1]): s[3] for s in delivered_at}
    out: list[Sibling] = []
    for desk, counter, edit_clock, value in outcome:
        when: Any = None
        if value != PENDING:
            when = delivered.get((desk, counter)) or clock_time(edit_clock).isoformat()
        out.append([desk, counter, edit_clock, when])
    return out


def with_recorded_at(fields: dict[str, list[Sibling]]) -> dict[str, list[Sibling]]:
    """The fields of a stop state, `recorded_at` added when it is missing."""
    if FIELD in fields or "outcome" not in fields:
        return fields
    return {**fields, FIELD: derived_siblings(fields["outcome"], fields.get("delivered_at", []))}
