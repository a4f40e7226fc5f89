"""What a period report document says, in its language: title, the figures, and one table per
breakdown. The PDF (aiddesk.ui.reports.report_pdf) lays it out with the charts; the workbook
(report_workbook) puts each table on a sheet of its own, numbers as numbers.

No name of anyone appears: not the callers', not the volunteers', not who made the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import format_long_date, format_period
from aiddesk.services.reports.figures import Count, PeriodReport

Cell = str | int | float | dt.date | None

# L10N: the title of a period report; %(period)s is like "November 1, 2026 – November 30, 2026"
TITLE = N_("Report for %(period)s")
# L10N: under a report's title: the desk's code and name
DESK = N_("Desk %(code)s (%(name)s)")
# L10N: under a report's title: the day the report was made
MADE_ON = N_("Made on %(date)s")
FIGURES = N_("In figures")
WHAT = N_("What")
HOW_MANY = N_("How many")
CALLS = N_("Calls taken")
OPENED = N_("Requests opened")
DELIVERED = N_("Requests delivered")
HOUSEHOLDS = N_("Households served")
FAILED = N_("Deliveries that failed")
MEDIAN = N_("Median days from request to delivery")
BY_REASON = N_("Failed deliveries, by reason")
REASON = N_("Reason")
BY_NEED = N_("Requests opened, by need")
NEED = N_("Need")
BY_ZONE = N_("Requests opened, by zone")
ZONE = N_("Zone")
BY_LANGUAGE = N_("Requests opened, by the caller's language")
LANGUAGE = N_("Language")
PER_WEEK = N_("Per week")
WEEK = N_("Week of")
OPENED_SHORT = N_("Opened")
DELIVERED_SHORT = N_("Delivered")
MEDIAN_SHORT = N_("Median days to delivery")
PER_DAY = N_("Calls per day")
PER_LAST_DAYS = N_("Calls per day, the last %(days)d days")
DAY = N_("Day")
CALLS_SHORT = N_("Calls")
NONE_IN_PERIOD = N_("None in this period.")
PAGE_OF = N_("Page %(page)d of %(pages)d")
HOW_COUNTED = N_(
    "Days are this desk's local days, both ends included. Deleted records are not counted; the "
    "records of people whose data was erased are (the help happened); a person merged into "
    "another counts as that other. “Open requests today” are counted when the report was made."
)


@dataclass(frozen=True)
class Table:
    key: str  # stable: summary, by_reason, by_need, by_zone, by_language, weeks, days
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class ReportDocument:
    language: str
    title: str
    desk: str
    made_on: str
    how_counted: str
    empty: str  # what an empty table says
    page_of: str  # with %(page)d and %(pages)d
    summary: Table
    tables: tuple[Table, ...]

    @property
    def locale(self) -> str:
        return locale_for(self.language)


def report_document(
    report: PeriodReport, *, desk_code: str, desk_name: str, today: dt.date
) -> ReportDocument:
    t: Callable[[str], str] = translations_for(report.language).gettext
    locale = locale_for(report.language)
    period = format_period(report.first, report.last, locale)
    what, how_many = t(WHAT), t(HOW_MANY)
    summary = Table(
        "summary",
        t(FIGURES),
        (what, how_many),
        (
            (t(CALLS), report.calls),
            (t(OPENED), report.requests_opened),
            (t(DELIVERED), report.requests_delivered),
            (t(HOUSEHOLDS), report.households_served),
            (t(FAILED), report.stops_failed),
            (t(MEDIAN), report.median_days_to_delivery),
        ),
    )

    def counts(key: str, title: str, header: str, values: tuple[Count, ...]) -> Table:
        return Table(key, t(title), (t(header), how_many), tuple((c.label, c.count) for c in values))

    weeks = Table(
        "weeks",
        t(PER_WEEK),
        (t(WEEK), t(OPENED_SHORT), t(DELIVERED_SHORT), t(MEDIAN_SHORT)),
        tuple((w.monday, w.opened, w.delivered, w.median_days) for w in report.weeks),
    )
    shown = len(report.calls_per_day)
    cut = shown < (report.last - report.first).days + 1
    days = Table(
        "days",
        t(PER_LAST_DAYS) % {"days": shown} if cut else t(PER_DAY),
        (t(DAY), t(CALLS_SHORT)),
        tuple((d.day, d.count) for d in report.calls_per_day),
    )
    return ReportDocument(
        language=report.language,
        title=t(TITLE) % {"period": period},
        desk=t(DESK) % {"code": desk_code, "name": desk_name},
        made_on=t(MADE_ON) % {"date": format_long_date(today, locale=locale)},
        how_counted=t(HOW_COUNTED),
        empty=t(NONE_IN_PERIOD),
        page_of=t(PAGE_OF),
        summary=summary,
        tables=(
            counts("by_reason", BY_REASON, REASON, report.failed_by_reason),
            counts("by_need", BY_NEED, NEED, report.by_need),
            counts("by_zone", BY_ZONE, ZONE, report.by_zone),
            counts("by_language", BY_LANGUAGE, LANGUAGE, report.by_language),
            weeks,
            days,
        ),
    )
