"""Which backups rotation keeps: periodic ones thinned out by day, week and month, five per
operation reason, nothing it does not know."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain import backup_rotation as rotation
from aiddesk.domain.backup_rotation import Made, Policy, to_remove

NOW = dt.datetime(2024, 6, 30, 18, 0, tzinfo=dt.UTC)


def made(key: str, hours_ago: float, reason: str) -> Made:
    return Made(key, NOW - dt.timedelta(hours=hours_ago), reason)


def test_periodic_backups_keep_one_a_day_for_a_week_then_weeks_then_months() -> None:
    # Every 3 hours for a year: 2,920 backups.
    backups = [made(f"p{i}", 3 * i, rotation.PERIODIC if i % 8 else rotation.DAILY) for i in range(2920)]
    removed = to_remove(backups, tz=dt.UTC)
    kept = sorted((b for b in backups if b.key not in removed), key=lambda b: b.created, reverse=True)
    days = {b.created.date() for b in kept}
    assert len(kept) <= 3 + 7 + 4 + 6
    # the 3 newest, and one for each of the last 7 days
    assert [b.key for b in kept[:3]] == ["p0", "p1", "p2"]
    assert {NOW.date() - dt.timedelta(days=d) for d in range(7)} <= days
    # one in each of the last 6 months; nothing older than that
    assert {(b.created.year, b.created.month) for b in kept} == {(2024, m) for m in range(1, 7)}
    # the one kept for a day is that day's newest
    for day in days:
        newest = max((b for b in backups if b.created.date() == day), key=lambda b: b.created)
        assert newest in kept


def test_five_backups_per_operation_reason_whatever_their_age() -> None:
    backups = [made(f"{reason}{i}", 24 * 40 * i, reason) for reason in ("merge", "upgrade") for i in range(9)]
    removed = to_remove(backups, tz=dt.UTC)
    assert removed == {f"{reason}{i}" for reason in ("merge", "upgrade") for i in range(5, 9)}


def test_the_policy_is_adjustable() -> None:
    backups = [made(f"m{i}", i, rotation.MANUAL) for i in range(4)]
    assert to_remove(backups, Policy(per_reason=1)) == {"m1", "m2", "m3"}


def test_every_reason_has_a_label() -> None:
    assert set(rotation.REASONS) == {
        "daily",
        "periodic",
        "merge",
        "import",
        "upgrade",
        "restore",
        "manual",
        "damaged",
    }
