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
