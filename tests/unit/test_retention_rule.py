"""The pure retention rule: which dates are due, given today and the months kept."""

from __future__ import annotations

import datetime as dt

import pytest

from aiddesk.domain import retention as rule
from aiddesk.domain.retention import RetentionPolicy


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (dt.date(2026, 11, 23), 12, dt.date(2025, 11, 23)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),  # February is shorter
        (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),  # across a year's turn
    ],
)
def test_months_before(today: dt.date, months: int, expected: dt.date) -> None:
    assert rule.months_before(today, months) == expected


def test_due_only_before_the_cutoff_and_never_when_off_or_undated() -> None:
    today = dt.date(2026, 11, 23)
    assert rule.is_due(dt.datetime(2025, 11, 22, 23, 59), today, 12)
    assert not rule.is_due(dt.datetime(2025, 11, 23, 0, 0), today, 12)
    assert not rule.is_due(dt.datetime(2020, 1, 1), today, None)  # the rule is off
    assert not rule.is_due(None, today, 12)  # no date known: kept


def test_months_bounds() -> None:
    assert rule.months_problem(None) is None
    assert rule.months_problem(rule.MIN_MONTHS) is None and rule.months_problem(rule.MAX_MONTHS) is None
    assert rule.months_problem(rule.MIN_MONTHS - 1) is not None
    assert rule.months_problem(rule.MAX_MONTHS + 1) is not None


def test_runs_once_a_day_once_confirmed() -> None:
    today = dt.date(2026, 11, 23)
    on = RetentionPolicy(request_months=12, enabled=True)
    assert rule.run_is_due(None, today, on)
    assert rule.run_is_due(today - dt.timedelta(days=1), today, on)
    assert not rule.run_is_due(today, today, on)
    assert not rule.run_is_due(None, today, RetentionPolicy(request_months=12))  # not confirmed
    assert not rule.run_is_due(None, today, RetentionPolicy(enabled=True))  # no rule set
