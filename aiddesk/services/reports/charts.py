"""The charts of the reports and the overview, drawn by matplotlib as PNG images.

One module for every chart, so the PDF report and the overview screen show the same ones:
calls per day, requests opened and delivered per week, open requests by need and by zone,
median days from request to delivery per week, and the callers' languages.

matplotlib is imported only here, inside the functions (never at start-up: it takes a good
fraction of a second), and only its Agg renderer is used: no window, no pyplot state, safe in
a worker thread. Colours are the Okabe-Ito palette (told apart with every kind of colour
blindness) and also differ in lightness and hatching, so a grey printout still separates them.
Titles, labels and dates are in the chosen language."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import format_day_month, format_decimal_in

if TYPE_CHECKING:
    from aiddesk.services.reports.figures import Count, DayCount, PeriodReport, Week

# Okabe-Ito: dark blue and orange differ in lightness too (about 30 % and 65 % grey).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
GRID = "#BBBBBB"
WIDTH_IN = 7.0
HEIGHT_IN = 2.8
DPI = 150
MOST_BARS = 12  # horizontal bars shown; the rest are summed as "Others"

CALLS_PER_DAY = N_("Calls per day")
OPENED_DELIVERED = N_("Requests opened and delivered, per week")
OPENED = N_("Requests opened")
DELIVERED = N_("Requests delivered")
OPEN_BY_NEED = N_("Open requests today, by need")
OPEN_BY_ZONE = N_("Open requests today, by zone")
MEDIAN_DAYS = N_("Median days from request to delivery, per week")
DAYS = N_("days")
LANGUAGES = N_("Callers' languages (requests opened)")
# L10N: a bar summing the smaller groups of a chart
OTHERS = N_("Others")
# L10N: under a weekly chart: each bar is a week, named by the date of its Monday
WEEKS = N_("Weeks, by their Monday")
NOTHING = N_("Nothing to show for this period.")


@dataclass(frozen=True)
class Chart:
    key: str  # calls_per_day, opened_delivered, open_by_need, open_by_zone, median_days, languages
    title: str  # in the chart's language
    png: bytes


class _Text:
    def __init__(self, language: str) -> None:
        self.gettext: Callable[[str], str] = translations_for(language).gettext
        self.locale = locale_for(language)

    def day(self, day: dt.date) -> str:
        return format_day_month(day, self.locale)

    def number(self, value: float) -> str:
        return format_decimal_in(value, self.locale)


def _figure(height: float = HEIGHT_IN) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    return figure


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(figure).print_png(buffer, metadata={"Software": None})
    return buffer.getvalue()


def _style(axes: Any, title: str) -> None:
    axes.set_title(title, loc="left", fontsize=10, fontweight="bold")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=7.5)
    axes.set_axisbelow(True)


def _empty(axes: Any, text: _Text) -> None:
    axes.text(0.5, 0.5, text.gettext(NOTHING), ha="center", va="center", transform=axes.transAxes, fontsize=9)
    axes.set_xticks([])
    axes.set_yticks([])


def _day_ticks(axes: Any, days: Sequence[dt.date], text: _Text, most: int = 10) -> None:
    step = max(1, -(-len(days) // most))
    positions = list(range(0, len(days), step))
    axes.set_xticks(positions, [text.day(days[i]) for i in positions])


def _whole_numbers(axes: Any, text: _Text) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: text.number(int(value))))
    axes.grid(axis="y", color=GRID, linewidth=0.5)


# ---- the charts ---------------------------------------------------------------------------------


def calls_per_day(days: Sequence[DayCount], language: str) -> Chart:
    text = _Text(language)
    title = text.gettext(CALLS_PER_DAY)
    figure = _figure()
    axes = figure.add_subplot()
    _style(axes, title)
    if not days or not any(d.count for d in days):
        _empty(axes, text)
    else:
        axes.bar(range(len(days)), [d.count for d in days], color=BLUE, width=0.8)
        _day_ticks(axes, [d.day for d in days], text)
        _whole_numbers(axes, text)
    return Chart("calls_per_day", title, _png(figure))


def opened_delivered(weeks: Sequence[Week], language: str) -> Chart:
    text = _Text(language)
    title = text.gettext(OPENED_DELIVERED)
    figure = _figure()
    axes = figure.add_subplot()
    _style(axes, title)
    if not weeks or not any(w.opened or w.delivered for w in weeks):
        _empty(axes, text)
    else:
        positions = range(len(weeks))
        axes.bar(
            [p - 0.2 for p in positions],
            [w.opened for w in weeks],
            0.4,
            color=BLUE,
            label=text.gettext(OPENED),
        )
        axes.bar(
            [p + 0.2 for p in positions],
            [w.delivered for w in weeks],
            0.4,
            color=ORANGE,
            hatch="///",
            edgecolor="#5a3d00",
            linewidth=0.3,
            label=text.gettext(DELIVERED),
        )
        _day_ticks(axes, [w.monday for w in weeks], text)
        axes.set_xlabel(text.gettext(WEEKS), fontsize=7.5)
        _whole_numbers(axes, text)
        axes.legend(fontsize=7.5, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return Chart("opened_delivered", title, _png(figure))


def median_days(weeks: Sequence[Week], language: str) -> Chart:
    text = _Text(language)
    title = text.gettext(MEDIAN_DAYS)
    figure = _figure()
    axes = figure.add_subplot()
    _style(axes, title)
    points = [(i, w.median_days) for i, w in enumerate(weeks) if w.median_days is not None]
    if not points:
        _empty(axes, text)
    else:
        axes.plot(
            [p for p, _v in points], [v for _p, v in points], color=VERMILLION, marker="o", markersize=3.5
        )
        _day_ticks(axes, [w.monday for w in weeks], text)
        axes.set_xlim(-0.5, len(weeks) - 0.5)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(text.gettext(DAYS), fontsize=7.5)
        axes.set_xlabel(text.gettext(WEEKS), fontsize=7.5)
        axes.grid(axis="y", color=GRID, linewidth=0.5)
    return Chart("median_days", title, _png(figure))


def horizontal_bars(
    key: str, title_text: str, counts: Sequence[Count], language: str, colour: str = BLUE
) -> Chart:
    """Largest first, the smallest summed as "Others" beyond MOST_BARS."""
    text = _Text(language)
    title = text.gettext(title_text)
    shown = [(c.label, c.count) for c in counts if c.count]
    if len(shown) > MOST_BARS:
        rest = sum(n for _l, n in shown[MOST_BARS - 1 :])
        shown = [*shown[: MOST_BARS - 1], (text.gettext(OTHERS), rest)]
    figure = _figure(max(1.6, 0.6 + 0.22 * len(shown)))
    axes = figure.add_subplot()
    _style(axes, title)
    if not shown:
        _empty(axes, text)
    else:
        positions = list(range(len(shown)))[::-1]
        bars = axes.barh(positions, [n for _l, n in shown], color=colour, height=0.7)
        axes.set_yticks(positions, [label for label, _n in shown])
        axes.bar_label(bars, labels=[text.number(n) for _l, n in shown], padding=2, fontsize=7)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    return Chart(key, title, _png(figure))


def report_charts(report: PeriodReport) -> list[Chart]:
    """The charts of a period report, in its language."""
    language = report.language
    return [
        calls_per_day(report.calls_per_day, language),
        opened_delivered(report.weeks, language),
        median_days(report.weeks, language),
        horizontal_bars("open_by_need", OPEN_BY_NEED, report.open_by_need, language),
        horizontal_bars("open_by_zone", OPEN_BY_ZONE, report.open_by_zone, language, GREEN),
        horizontal_bars("languages", LANGUAGES, report.by_language, language, ORANGE),
    ]
