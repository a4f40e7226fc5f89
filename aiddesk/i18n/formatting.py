"""Dates, numbers and money in the UI language with the desk's region (Babel).

Babel is imported on first use, not at start-up."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from aiddesk.i18n import locale_name

# One date format and one date-time format per language, used everywhere a date is shown (tables,
# history, messages, printouts, the date fields): "Dec 7, 2026" / "7 dic 2026", and with the time,
# "Dec 7, 2026, 10:59 AM" / "7 dic 2026, 10:59 a.m.". Headings that need the weekday put it before
# the same date ("Monday, Dec 7, 2026"). Typed dates are read by parse_date below.
DATE_STYLE = "medium"
TIME_STYLE = "short"


def format_date(value: dt.date, *, locale: str | None = None) -> str:
    """A date in the one date format of the UI language (`locale` defaults to the UI's)."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=DATE_STYLE, locale=locale or locale_name())


def format_day(value: dt.date, *, locale: str | None = None) -> str:
    """The weekday and the date, for headings: "Monday, Dec 7, 2026" / "lunes, 7 dic 2026"."""
    from babel.dates import format_date as babel_format_date

    name = locale or locale_name()
    return f"{babel_format_date(value, format='EEEE', locale=name)}, {format_date(value, locale=name)}"


def format_long_date(value: dt.date, *, locale: str | None = None, weekday: bool = False) -> str:
    """The date with its month spelled out, for printed documents (reports, lists): "November 7,
    2026" / "7 de noviembre de 2026"; with `weekday`, "Saturday, November 7, 2026"."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="full" if weekday else "long", locale=locale or locale_name())


def format_datetime(value: dt.datetime, *, locale: str | None = None) -> str:
    """A moment (naive, local) in the one date-time format: the date, then the time of day."""
    from babel import Locale

    name = locale or locale_name()
    pattern = str(Locale.parse(name).datetime_formats[DATE_STYLE]).replace("'", "")
    return pattern.format(format_time(value.time(), locale=name), format_date(value.date(), locale=name))


def format_time(value: dt.time, style: str = TIME_STYLE, locale: str | None = None) -> str:
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
        return format_long_date(first, locale=locale)
    return f"{format_long_date(first, locale=locale)} – {format_long_date(last, locale=locale)}"


def format_decimal_in(value: int | float, locale: str) -> str:
    """A number in the given locale (figures of a document in another language than the UI's)."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale)


def format_datetime_in(value: dt.datetime, style: str, locale: str) -> str:
    """A date and time in the given locale (a printout in another language than the UI's)."""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=style, locale=locale)


# ---- typed dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_FILLERS = frozenset({"de", "del", "of", "the"})


def _folded(text: str) -> str:
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return bare.casefold().rstrip(".")


def _numeric_order(locale: str) -> str:
    """The order of day, month and year in the locale's numeric dates: "mdy" (en_US), "dmy" (es)."""
    from babel import Locale

    pattern = Locale.parse(locale).date_formats["short"].pattern
    positions = {part: pattern.find(letter) for part, letter in (("d", "d"), ("m", "M"), ("y", "y"))}
    return "".join(sorted(positions, key=lambda part: positions[part]))


def _month_names(locale: str) -> dict[str, int]:
    from babel import Locale

    names: dict[str, int] = {}
    for name in dict.fromkeys((locale, "en_US")):
        months = Locale.parse(name).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, month in months[context][width].items():
                    names.setdefault(_folded(month), number)
    return names


def _weekday_names(locale: str) -> frozenset[str]:
    from babel import Locale

    names: set[str] = set()
    for name in dict.fromkeys((locale, "en_US")):
        for width in ("wide", "abbreviated"):
            names |= {_folded(day) for day in Locale.parse(name).days["format"][width].values()}
    return frozenset(names)


def _year(token: str) -> int | None:
    if len(token) == 2:
        return 2000 + int(token)
    if len(token) == 4:
        return int(token)
    return None


def parse_date(text: str, locale: str | None = None) -> dt.date | None:
    """The date a person typed, None when it is not one. Numbers go in the order of the UI
    language's dates ("11/20/26" in English, "20/11/26" in Spanish; any of / . - or spaces between,
    a two-digit year is this century); a month may be a name ("Nov 20, 2026", "20 de noviembre de
    2026"), and "2026-11-20" is read everywhere. What is shown by `format_date` is read back."""
    match = _ISO.match(text)
    if match:
        iso = [int(g) for g in match.groups()]
        return _date(iso[0], iso[1], iso[2])
    name = locale or locale_name()
    tokens = [_folded(t) for t in _TOKEN.findall(text)]
    weekdays = _weekday_names(name)
    tokens = [t for t in tokens if t not in _FILLERS and t not in weekdays]
    numbers = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    if len(words) == 1 and len(numbers) == 2:
        month = _month_names(name).get(words[0])
        day_token, year_token = numbers if len(numbers[0]) <= 2 else numbers[::-1]
        year = _year(year_token)
        if month is None or year is None or len(day_token) > 2:
            return None
        return _date(year, month, int(day_token))
    if words or len(numbers) != 3:
        return None
    parts = dict(zip(_numeric_order(name), numbers, strict=True))
    year = _year(parts["y"])
    if year is None or len(parts["d"]) > 2 or len(parts["m"]) > 2:
        return None
    return _date(year, int(parts["m"]), int(parts["d"]))


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_entry_example(value: dt.date, locale: str | None = None) -> str:
    """A date written the way `parse_date` reads typed numbers: "11/20/2026" / "20/11/2026"."""
    name = locale or locale_name()
    parts = {"d": str(value.day), "m": str(value.month), "y": str(value.year)}
    return "/".join(parts[part] for part in _numeric_order(name))
