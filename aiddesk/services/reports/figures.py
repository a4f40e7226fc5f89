"""The coordinator's period report: what the line did between two local days, both included.

The figures (exact definitions; the tests compute them independently from the records):
- `calls`: calls taken in the period;
- `requests_opened`: requests created in the period;
- `requests_delivered`: distinct requests with a stop recorded delivered or left at the door
  in the period;
- `households_served`: distinct people with such a stop;
- `stops_failed`: stops recorded failed in the period, also by reason;
- `median_days_to_delivery`: over the requests delivered in the period, the median of the days
  (one decimal) from the request's creation to its first stop delivered or left at the door;
- `by_need`, `by_zone`, `by_language`: requests opened, by need, by the zone and by the
  language of their person.
A record counts when the app shows it: tombstones never; an erased person's records do (the
help happened); a person merged into another counts as that other. Days are the desk's local
dates. Labels are in the report's language; nothing names a person.

Also the series the charts draw: calls per day (the last 90 days of the period), requests
opened and delivered and the median days to delivery per week, open requests now by need and
by zone."""

from __future__ import annotations

import datetime as dt
import gettext
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiddesk.domain.access import Right, require
from aiddesk.domain.enums import FailureReason
from aiddesk.domain.periods import Period, median_days, week_start
from aiddesk.domain.status import OPEN
from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import language_name
from aiddesk.store.database import Database
from aiddesk.store.repositories.reports import figures as repo

CHART_DAYS = 90
NO_ZONE = N_("No zone")
# L10N: a caller's language that nobody wrote down
NO_LANGUAGE = N_("Not recorded")
NO_ZONE_KEY = ""  # the key of people without a zone
KEYS = (
    "calls",
    "requests_opened",
    "requests_delivered",
    "households_served",
    "stops_failed",
    "median_days_to_delivery",
)


@dataclass(frozen=True)
class Count:
    key: str  # what is counted: an id, a code ("not_home", "es"), "" for none
    label: str  # in the report's language
    count: int


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    count: int


@dataclass(frozen=True)
class Week:
    monday: dt.date  # weeks run Monday to Sunday; the first and last may be cut by the period
    opened: int
    delivered: int
    median_days: float | None


@dataclass(frozen=True)
class PeriodReport:
    first: dt.date
    last: dt.date
    language: str
    calls: int
    requests_opened: int
    requests_delivered: int
    households_served: int
    stops_failed: int
    failed_by_reason: tuple[Count, ...]
    median_days_to_delivery: float | None
    by_need: tuple[Count, ...]
    by_zone: tuple[Count, ...]
    by_language: tuple[Count, ...]
    calls_per_day: tuple[DayCount, ...]  # the last CHART_DAYS days of the period
    weeks: tuple[Week, ...]
    open_by_need: tuple[Count, ...]  # open requests when the report was made
    open_by_zone: tuple[Count, ...]

    def figures(self) -> dict[str, Any]:
        """The figures as `aiddesk report --json` prints them (breakdowns keyed by label)."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            **{key: getattr(self, key) for key in KEYS},
            "stops_failed_by_reason": by_label(self.failed_by_reason),
            "by_need": by_label(self.by_need),
            "by_zone": by_label(self.by_zone),
            "by_language": by_label(self.by_language),
        }


def by_label(counts: Iterable[Count]) -> dict[str, int]:
    out: dict[str, int] = {}
    for count in counts:
        out[count.label] = out.get(count.label, 0) + count.count
    return out


# ---- making the report --------------------------------------------------------------------------


def period_report(
    db: Database,
    first: dt.date,
    last: dt.date,
    *,
    language: str = "en",
    tz: dt.tzinfo | None = None,
    who: str = "",
) -> PeriodReport:
    """The report of the local days `first` to `last` (ValueError when `last` is before `first`).
    `tz`: the desk's time zone (None: this computer's). NotAllowed when `who` may not see reports."""
    require(who, Right.REPORTS)
    period = Period(first, last, tz)
    bounds = period.bounds()
    with db.session() as session, repo.report_reading(session):
        people = repo.People(session)
        calls = repo.calls_per_day(session, bounds)
        opened = repo.opened_requests(session, bounds, people)
        delivered = repo.delivered_requests(session, bounds, people)
        failed = repo.failed_stops(session, period.start, period.end)
        open_now = repo.open_requests(session, [s.value for s in OPEN], people)
        labels = _Labels(language, repo.need_labels(session), repo.zone_labels(session))
    dates = period.dates()
    chart_days = min(CHART_DAYS, len(dates))
    needs: Counter[str] = Counter()
    zones: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for (category, zone, spoken), count in opened.groups.items():
        needs[category] += count
        zones[zone or NO_ZONE_KEY] += count
        languages[spoken] += count
    open_needs: Counter[str] = Counter()
    open_zones: Counter[str] = Counter()
    for (category, zone), count in open_now.items():
        open_needs[category] += count
        open_zones[zone or NO_ZONE_KEY] += count
    return PeriodReport(
        first=first,
        last=last,
        language=language,
        calls=sum(calls),
        requests_opened=opened.total,
        requests_delivered=delivered.requests,
        households_served=delivered.households,
        stops_failed=sum(failed.values()),
        failed_by_reason=_sorted(Count(r, labels.reason(r), n) for r, n in failed.items()),
        median_days_to_delivery=median_days(d for day in delivered.spans for d in day),
        by_need=labels.counts(needs, labels.need),
        by_zone=labels.counts(zones, labels.zone),
        by_language=labels.counts(languages, labels.language_label),
        calls_per_day=tuple(DayCount(d, n) for d, n in zip(dates, calls, strict=True))[-chart_days:],
        weeks=_weeks(dates, opened.per_day, delivered),
        open_by_need=labels.counts(open_needs, labels.need),
        open_by_zone=labels.counts(open_zones, labels.zone),
    )


def _weeks(dates: list[dt.date], opened: list[int], delivered: repo.DeliveredFigures) -> tuple[Week, ...]:
    """Monday to Sunday weeks (the first and the last may be cut by the period)."""
    mondays: list[dt.date] = []
    opened_in: Counter[dt.date] = Counter()
    delivered_in: Counter[dt.date] = Counter()
    spans: dict[dt.date, list[float]] = {}
    for index, day in enumerate(dates):
        monday = week_start(day)
        if not mondays or mondays[-1] != monday:
            mondays.append(monday)
        opened_in[monday] += opened[index]
        delivered_in[monday] += delivered.per_day[index]
        spans.setdefault(monday, []).extend(delivered.spans[index])
    return tuple(
        Week(monday, opened_in[monday], delivered_in[monday], median_days(spans[monday]))
        for monday in mondays
    )


def _sorted(counts: Iterable[Count]) -> tuple[Count, ...]:
    """Largest first, then by label."""
    return tuple(sorted(counts, key=lambda c: (-c.count, c.label.casefold(), c.key)))


class _Labels:
    """Labels in the report's language."""

    def __init__(self, language: str, needs: dict[str, repo.Label], zones: dict[str, repo.Label]) -> None:
        self.language = language
        self.catalog: gettext.NullTranslations = translations_for(language)
        self.locale = locale_for(language)
        self.needs, self.zones = needs, zones

    def _pick(self, label: repo.Label | None, key: str) -> str:
        return (label.in_language(self.language) if label is not None else "") or key

    def need(self, key: str) -> str:
        return self._pick(self.needs.get(key), key)

    def zone(self, key: str) -> str:
        return self._pick(self.zones.get(key), key) if key else self.catalog.gettext(NO_ZONE)

    def language_label(self, code: str) -> str:
        return language_name(code, self.locale) if code else self.catalog.gettext(NO_LANGUAGE)

    def reason(self, code: str) -> str:
        try:
            return self.catalog.gettext(FailureReason(code).label)
        except ValueError:
            return code

    def counts(self, counter: Counter[str], label: Callable[[str], str]) -> tuple[Count, ...]:
        return _sorted(Count(key, label(key), n) for key, n in counter.items() if n)
