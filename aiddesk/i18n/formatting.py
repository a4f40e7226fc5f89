"""Dates, numbers and money in the UI language with the desk's region (Babel).

Babel is imported on first use, not at start-up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from aiddesk.i18n import locale_name


def format_date(value: dt.date, style: str = "medium", locale: str | None = None) -> str:
    """A date; on printouts use style 'long' or 'full' (months spelled out). `locale` defaults to the UI's."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=style, locale=locale or locale_name())


def format_datetime(value: dt.datetime, style: str = "medium") -> str:
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=style, locale=locale_name())


def format_time(value: dt.time, style: str = "short", locale: str | None = None) -> str:
    from babel.dates import format_time as babel_format_time

    return babel_format_time(value, format=style, locale=locale or locale_name())


def format_number(value: int | float | Decimal) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale_name())


def format_money(value: int | float | Decimal, currency: str = "USD") -> str:
    from babel.numbers import format_currency

    return format_currency(value, currency, locale=locale_name())


def format_age(since: dt.datetime, now: dt.datetime) -> str:
    """How long ago, in words ('3 days', '2 hours')."""
    from babel.dates import format_timedelta

    return format_timedelta(now - since, threshold=1.0, locale=locale_name())


def language_name(code: str, locale: str | None = None) -> str:
    """The name of a language (any ISO code) in the UI language: 'vi' -> 'Vietnamese'/'vietnamita'."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale or locale_name()).languages.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


def format_day_month(value: dt.date, locale: str | None = None) -> str:
    """A short day and month as the language writes it ("Nov 3", "3 nov"), for chart axes."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", value, locale=locale or locale_name())


def format_period(first: dt.date, last: dt.date, locale: str | None = None) -> str:
    """Days `first` to `last`, months spelled out ("November 1, 2026 – November 30, 2026")."""
    if first == last:
        return format_date(first, "long", locale)
    return f"{format_date(first, 'long', locale)} – {format_date(last, 'long', locale)}"


def format_decimal_in(value: int | float, locale: str) -> str:
    """A number in the given locale (figures of a document in another language than the UI's)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def format_datetime_in(value: dt.datetime, style: str, locale: str) -> str:
    """A date and time in the given locale (a printout in another language than the UI's)."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=style, locale=locale)
