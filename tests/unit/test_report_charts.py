"""The report charts: PNG images titled in the chosen language, colours that stay apart in grey
print, and matplotlib never loaded when AidDesk starts (only when a chart is drawn)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from aiddesk.services.reports import charts as report_charts
from aiddesk.services.reports.figures import Count, DayCount, PeriodReport, Week

PNG = b"\x89PNG\r\n\x1a\n"


def report(language: str, *, empty: bool = False) -> PeriodReport:
    days = tuple(
        DayCount(dt.date(2026, 11, 1) + dt.timedelta(days=n), 0 if empty else n % 5) for n in range(30)
    )
    weeks = tuple(
        Week(
            dt.date(2026, 10, 26) + dt.timedelta(days=7 * n),
            0 if empty else 10 + n,
            0 if empty else 8 + n,
            None if empty else 2.5,
        )
        for n in range(6)
    )
    counts = () if empty else (Count("a", "Mandado / despensa", 12), Count("b", "Comida caliente", 3))
    return PeriodReport(
        first=dt.date(2026, 11, 1),
        last=dt.date(2026, 11, 30),
        language=language,
        calls=0,
        requests_opened=0,
        requests_delivered=0,
        households_served=0,
        stops_failed=0,
        failed_by_reason=(),
        median_days_to_delivery=None,
        by_need=counts,
        by_zone=counts,
        by_language=counts,
        calls_per_day=days,
        weeks=weeks,
        open_by_need=counts,
        open_by_zone=counts,
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG)
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("en", ["Calls per day", "Requests opened and delivered, per week", "Open requests today, by need"]),
        (
            "es",
            [
                "Llamadas por día",
                "Pedidos abiertos y entregados, por semana",
                "Pedidos abiertos hoy, por necesidad",
            ],
        ),
    ],
)
def test_six_charts_as_png_titled_in_the_language(language: str, titles: list[str]) -> None:
    charts = report_charts.report_charts(report(language))
    assert [c.key for c in charts] == [
        "calls_per_day",
        "opened_delivered",
        "median_days",
        "open_by_need",
        "open_by_zone",
        "languages",
    ]
    assert [charts[0].title, charts[1].title, charts[3].title] == titles
    for chart in charts:
        width, height = png_size(chart.png)
        assert width >= 900 and height >= 200


def test_an_empty_period_still_draws_every_chart() -> None:
    charts = report_charts.report_charts(report("en", empty=True))
    assert len(charts) == 6 and all(c.png.startswith(PNG) for c in charts)


def grey(colour: str) -> float:
    """Relative luminance (what a grey printout keeps of a colour)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_the_two_series_stay_apart_in_grey() -> None:
    assert abs(grey(report_charts.BLUE) - grey(report_charts.ORANGE)) > 0.25


def test_matplotlib_is_not_loaded_when_aiddesk_starts() -> None:
    script = (
        "import sys\n"
        "import aiddesk.cli, aiddesk.app, aiddesk.ui.shell.main_window, aiddesk.services.reports.figures, aiddesk.services.reports.overview\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
