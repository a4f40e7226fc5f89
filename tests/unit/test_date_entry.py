"""Typed dates are read as the person typed them, in the order of the UI language."""

from __future__ import annotations

import datetime as dt

import pytest

from aiddesk.i18n.formatting import date_entry_example, format_date, format_datetime, format_day, parse_date

NOV_20 = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    "typed",
    ["11/20/26", "11/20/2026", "11-20-2026", " 11.20.26 ", "Nov 20, 2026", "november 20 2026", "2026-11-20"],
)
def test_english_dates_are_month_day_year(typed: str) -> None:
    assert parse_date(typed, "en_US") == NOV_20


@pytest.mark.parametrize(
    "typed",
    ["20/11/26", "20/11/2026", "20 nov 2026", "20 de noviembre de 2026", "viernes 20 de nov. de 2026"],
)
def test_spanish_dates_are_day_month_year(typed: str) -> None:
    assert parse_date(typed, "es_US") == NOV_20


@pytest.mark.parametrize(
    "typed", ["", "tomorrow", "11/31/26", "13/1/26", "11/20", "1/2/3/4", "Nov 2026", "11/20/226"]
)
def test_what_is_no_date_is_none(typed: str) -> None:
    assert parse_date(typed, "en_US") is None


@pytest.mark.parametrize("locale", ["en_US", "es_US", "es_MX", "en_GB"])
def test_what_is_shown_and_the_example_read_back(locale: str) -> None:
    for day in (NOV_20, dt.date(2027, 1, 3), dt.date(2026, 9, 7)):
        assert parse_date(format_date(day, locale=locale), locale) == day
        assert parse_date(date_entry_example(day, locale), locale) == day
    assert date_entry_example(NOV_20, "en_US") == "11/20/2026"
    assert date_entry_example(NOV_20, "es_US") == "20/11/2026"


@pytest.mark.parametrize(
    ("locale", "date", "day", "moment"),
    [
        ("en_US", "Dec 7, 2026", "Monday, Dec 7, 2026", "Dec 7, 2026, 10:59\u202fAM"),
        ("es_US", "7 dic 2026", "lunes, 7 dic 2026", "7 dic 2026, 10:59\u202fa.m."),
    ],
)
def test_one_date_format_and_one_date_time_format(locale: str, date: str, day: str, moment: str) -> None:
    assert format_date(dt.date(2026, 12, 7), locale=locale) == date
    assert (
        format_day(dt.date(2026, 12, 7), locale=locale) == day
    )  # headings: the weekday before the same date
    assert format_datetime(dt.datetime(2026, 12, 7, 10, 59), locale=locale) == moment
