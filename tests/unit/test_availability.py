"""The weekly availability grid in one integer: bit day*3 + slot, Monday = 0."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiddesk.domain import availability as av


def test_bit_numbers_follow_day_times_three_plus_slot() -> None:
    assert av.bit(0, 0) == 0  # Monday morning
    assert av.bit(0, 2) == 2  # Monday evening
    assert av.bit(5, 0) == 15  # Saturday morning
    assert av.bit(6, 2) == 20  # Sunday evening
    assert av.ALL == 2**21 - 1
    with pytest.raises(ValueError):
        av.bit(7, 0)
    with pytest.raises(ValueError):
        av.bit(0, 3)


def test_set_read_and_list_slots() -> None:
    mask = av.with_slot(0, 5, 0, True)  # Saturday morning
    mask = av.with_slot(mask, 1, 2, True)  # Tuesday evening
    assert mask == (1 << 15) | (1 << 5)
    assert av.is_free(mask, 5, 0) and av.is_free(mask, 1, 2)
    assert not av.is_free(mask, 5, 1)
    assert list(av.free_slots(mask)) == [(1, 2), (5, 0)]
    assert av.free_on_day(mask, 5) and not av.free_on_day(mask, 6)
    assert av.with_slot(mask, 5, 0, False) == 1 << 5
    assert av.from_slots([(1, 2), (5, 0)]) == mask


@given(st.sets(st.tuples(st.integers(0, 6), st.integers(0, 2))))
def test_a_mask_keeps_exactly_the_slots_put_in(slots: set[tuple[int, int]]) -> None:
    mask = av.from_slots(slots)
    assert set(av.free_slots(mask)) == slots
    assert av.is_valid(mask)


def test_windows_fall_in_slots() -> None:
    assert av.slot_at("09:00") == 0
    assert av.slot_at("11:59") == 0
    assert av.slot_at("12:00") == 1
    assert av.slot_at("16:59") == 1
    assert av.slot_at("17:00") == 2
    assert av.slots_of_window("09:00", "12:00") == (0,)  # ends at noon: still the morning
    assert av.slots_of_window("11:00", "14:00") == (0, 1)
    assert av.slots_of_window("13:00", "20:00") == (1, 2)
    assert all(av.slots_of_window(*window) == (slot,) for slot, window in av.SLOT_WINDOWS.items())
    for bad in ("9", "25:00", "10:60", "ab:cd", "10:5"):
        with pytest.raises(ValueError):
            av.slot_at(bad)


def test_the_week_runs_monday_to_sunday() -> None:
    saturday = dt.date(2026, 11, 28)
    assert av.week_of(saturday) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert av.week_of(dt.date(2026, 11, 23)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
