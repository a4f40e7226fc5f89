"""Why a backup was made, and which backups to keep.

Periodic backups (at the first start of a day, and every few hours of use) are thinned
out the way photo albums are: the newest of each of the last 7 days that have one, of
the last 4 weeks and of the last 6 months, plus the 3 newest. Backups made before an
operation (a merge, a sheet import, an upgrade, a restore, one made by hand, a damaged
database set aside) are kept 5 per reason. Nothing else is ever removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from aiddesk.domain.markers import N_

DAILY = "daily"
PERIODIC = "periodic"
MERGE = "merge"
IMPORT = "import"
UPGRADE = "upgrade"
RESTORE = "restore"
MANUAL = "manual"
DAMAGED = "damaged"  # a damaged database moved out of the way by a restore (never verified)

PERIODIC_REASONS = frozenset({DAILY, PERIODIC})
REASONS: dict[str, str] = {  # reason -> how the Backups list names it (translated when shown)
    DAILY: N_("Start of the day"),
    PERIODIC: N_("Every few hours"),
    MERGE: N_("Before a merge"),
    IMPORT: N_("Before a spreadsheet import"),
    UPGRADE: N_("Before an upgrade"),
    RESTORE: N_("Before a restore"),
    MANUAL: N_("Made by hand"),
    DAMAGED: N_("Damaged database, set aside"),
}


@dataclass(frozen=True)
class Policy:
    days: int = 7
    weeks: int = 4
    months: int = 6
    newest: int = 3  # periodic backups kept whatever their day
    per_reason: int = 5  # backups kept for each operation reason


@dataclass(frozen=True)
class Made:
    """One backup as rotation sees it: something to name it by, when, why."""

    key: Hashable
    created: dt.datetime  # aware
    reason: str


def _newest_per_bucket(made: list[Made], bucket: Callable[[dt.date], Hashable], count: int) -> set[Hashable]:
    """The newest backup of each of the `count` most recent buckets that hold one (`made` newest first)."""
    kept: set[Hashable] = set()
    seen: set[Hashable] = set()
    for item in made:
        key = bucket(item.created.date())
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.add(key)
        kept.add(item.key)
    return kept


def to_remove(
    backups: Iterable[Made], policy: Policy | None = None, tz: dt.tzinfo | None = None
) -> set[Hashable]:
    """The keys of the backups rotation removes. Days, weeks and months are those of `tz`
    (None: this computer's time zone)."""
    policy = policy or Policy()
    local = sorted(
        (Made(b.key, b.created.astimezone(tz), b.reason) for b in backups),
        key=lambda b: b.created,
        reverse=True,
    )
    periodic = [b for b in local if b.reason in PERIODIC_REASONS]
    keep: set[Hashable] = {b.key for b in periodic[: policy.newest]}
    keep |= _newest_per_bucket(periodic, lambda d: d, policy.days)
    keep |= _newest_per_bucket(periodic, lambda d: d.isocalendar()[:2], policy.weeks)
    keep |= _newest_per_bucket(periodic, lambda d: (d.year, d.month), policy.months)
    by_reason: dict[str, int] = {}
    for item in local:
        if item.reason in PERIODIC_REASONS:
            continue
        by_reason[item.reason] = by_reason.get(item.reason, 0) + 1
        if by_reason[item.reason] <= policy.per_reason:
            keep.add(item.key)
    return {b.key for b in local} - keep
