"""The period report's figures agree with the definitions, computed here from the records: local
days at both ends (in a time zone that is not UTC, across the end of daylight saving time), merged
and erased people, deleted records; labels in both languages; the weekly and daily series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk.services.reports.figures import period_report
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from tests.report_desk import FIRST, LAST, NEW_YORK, ReportDesk, expected, make_desk_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory, desk_template: Path) -> tuple[Path, ReportDesk]:
    path = tmp_path_factory.mktemp("report") / "desk"
    return path, make_desk_folder(path, desk_template)


@pytest.fixture
def desk(folder: tuple[Path, ReportDesk]) -> ReportDesk:
    return folder[1]


@pytest.fixture
def db(folder: tuple[Path, ReportDesk]) -> Iterator[Database]:
    database = open_database(folder[0] / "aiddesk.db")
    yield database
    database.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_figures_follow_the_definitions(db: Database, desk: ReportDesk, language: str) -> None:
    report = period_report(db, FIRST, LAST, language=language, tz=NEW_YORK)
    assert report.figures() == expected(db, FIRST, LAST, NEW_YORK, language)


def test_what_counts_at_this_desk(db: Database, desk: ReportDesk) -> None:
    """The same figures worked out by hand, so a mistake shared by the report and `expected`
    still shows."""
    figures = period_report(db, FIRST, LAST, language="en", tz=NEW_YORK).figures()
    assert figures["calls"] == 4  # 00:05 on Nov 1 and 23:59 on Nov 30 in; the deleted one out
    assert figures["requests_opened"] == 7
    assert figures["requests_delivered"] == 5  # one made in October; the deleted one left out
    assert figures["households_served"] == 3  # Ana (also as Carla), Dora (erased), Beto
    assert figures["stops_failed"] == 2  # the deleted stop's failure left out
    assert figures["stops_failed_by_reason"] == {"Not home": 1, "Unreachable": 1}
    assert figures["median_days_to_delivery"] == 2.4
    assert figures["by_zone"] == {"North": 2, "South": 2, "West": 1, "No zone": 2}
    assert figures["by_language"] == {"Spanish": 2, "English": 2, "Somali": 1, "Not recorded": 2}
    assert figures["by_need"] == {
        "Groceries": 3,
        "Prescription pickup": 1,
        "Hot meals": 1,
        "Ride": 1,
        "Hygiene supplies": 1,
    }


def test_spanish_labels(db: Database, desk: ReportDesk) -> None:
    figures = period_report(db, FIRST, LAST, language="es", tz=NEW_YORK).figures()
    assert figures["by_zone"] == {"Norte": 2, "Sur": 2, "Oeste": 1, "Sin zona": 2}
    assert figures["by_language"]["español"] == 2 and figures["by_language"]["somalí"] == 1
    assert figures["stops_failed_by_reason"] == {"No había nadie": 1, "No se pudo localizar": 1}


def test_one_day_and_the_days_around_it(db: Database, desk: ReportDesk) -> None:
    for day in (dt.date(2026, 10, 31), FIRST, dt.date(2026, 11, 3), LAST, dt.date(2026, 12, 1)):
        report = period_report(db, day, day, language="en", tz=NEW_YORK)
        assert report.figures() == expected(db, day, day, NEW_YORK, "en"), day
    assert period_report(db, dt.date(2026, 10, 31), dt.date(2026, 10, 31), tz=NEW_YORK).calls == 1
    # The same records read as UTC days: the edge calls change day.
    utc = period_report(db, FIRST, LAST, tz=dt.UTC)
    assert utc.figures() == expected(db, FIRST, LAST, dt.UTC, "en")
    assert {d.day: d.count for d in utc.calls_per_day}[FIRST] == 2  # 23:55 on Oct 31 is Nov 1 in UTC


def test_a_period_that_ends_before_it_starts_is_refused(db: Database) -> None:
    with pytest.raises(ValueError):
        period_report(db, LAST, FIRST)


def test_series_for_the_charts(db: Database, desk: ReportDesk) -> None:
    report = period_report(db, FIRST, LAST, language="en", tz=NEW_YORK)
    days = {d.day: d.count for d in report.calls_per_day}
    assert len(days) == 30 and sum(days.values()) == report.calls
    assert days[FIRST] == 1 and days[LAST] == 1 and days[dt.date(2026, 11, 12)] == 0
    weeks = {w.monday: w for w in report.weeks}
    # November 2026 starts on a Sunday: its first week is the one of Monday October 26.
    assert list(weeks) == [dt.date(2026, 10, 26) + dt.timedelta(days=7 * n) for n in range(6)]
    assert sum(w.opened for w in report.weeks) == report.requests_opened
    assert sum(w.delivered for w in report.weeks) == report.requests_delivered
    assert weeks[dt.date(2026, 11, 2)].delivered == 2 and weeks[dt.date(2026, 11, 30)].delivered == 1
    assert weeks[dt.date(2026, 11, 30)].median_days == 30.0  # made Oct 31 23:50, delivered Nov 30 23:30
    assert weeks[dt.date(2026, 11, 23)].median_days is None
    # Open now: Eli's (ready again after failing), his new one, Beto's of December 1 and the one
    # under Carla's merged record (counted in Ana's zone).
    open_needs = {c.label: c.count for c in report.open_by_need}
    assert open_needs == {"Groceries": 2, "Hygiene supplies": 1, "Pet care": 1}
    assert {c.label: c.count for c in report.open_by_zone} == {"No zone": 2, "South": 1, "North": 1}


def test_a_long_period_charts_its_last_ninety_days(db: Database, desk: ReportDesk) -> None:
    report = period_report(db, dt.date(2026, 1, 1), dt.date(2026, 12, 31), tz=NEW_YORK)
    assert len(report.calls_per_day) == 90
    assert report.calls_per_day[-1].day == dt.date(2026, 12, 31)
    assert report.calls == 6  # the deleted call left out
