"""The period report as a printable PDF: title, the figures, each breakdown as a table, then the
charts (aiddesk.services.reports.charts), all in the report's language with months spelled out.
No name of anyone is printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from aiddesk.i18n.formatting import format_decimal_in, format_long_date
from aiddesk.services.reports.charts import Chart
from aiddesk.services.reports.document import ReportDocument, Table
from aiddesk.ui.reports.pdf_document import Printable, body_width, image_tag, text, write_pdf

TABLE = '<table width="{width}" border="1" cellspacing="0" cellpadding="4" style="border-collapse: collapse; border-color: #777777;">'
# Tables printed (the calls of each day are in the workbook; the chart shows them here).
PRINTED = ("by_reason", "by_need", "by_zone", "by_language", "weeks")


def _cell(value: object, locale: str) -> tuple[str, bool]:
    """(text, is a number) of a table cell."""
    if value is None:
        return "—", True
    if isinstance(value, bool):
        return text(value), False
    if isinstance(value, int | float):
        return text(format_decimal_in(value, locale)), True
    if isinstance(value, dt.date):
        return text(format_long_date(value, locale=locale)), False
    return text(value), False


def table_html(table: Table, document: ReportDocument, *, title: bool = True, width: str = "70%") -> str:
    parts = [f"<h2>{text(table.title)}</h2>"] if title else []
    if not table.rows:
        parts.append(f'<p class="muted">{text(document.empty)}</p>')
        return "".join(parts)
    numeric = [
        all(isinstance(r[i], int | float) or r[i] is None for r in table.rows)
        for i in range(len(table.headers))
    ]
    head = "".join(
        f"<th{' class=num' if numeric[i] else ''}>{text(h)}</th>" for i, h in enumerate(table.headers)
    )
    rows = []
    for row in table.rows:
        cells = []
        for value in row:
            shown, number = _cell(value, document.locale)
            cells.append(f'<td class="num">{shown}</td>' if number else f"<td>{shown}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    parts.append(TABLE.format(width=width) + f"<thead><tr>{head}</tr></thead>" + "".join(rows) + "</table>")
    return "".join(parts)


def report_printable(
    document: ReportDocument, charts: Sequence[Chart], *, region: str | None = None
) -> Printable:
    width = body_width(region)
    parts = [
        f"<h1>{text(document.title)}</h1>",
        f'<p class="muted">{text(document.desk)} · {text(document.made_on)}</p>',
        table_html(document.summary, document),
    ]
    parts += [table_html(t, document) for t in document.tables if t.key in PRINTED]
    parts.append(f'<p class="small">{text(document.how_counted)}</p>')
    for n, chart in enumerate(charts):
        style = ' style="page-break-before: always;"' if n == 0 else ""
        parts.append(f"<p{style}>{image_tag(chart.key, chart.png, width * 0.98)}</p>")
    return Printable(
        title=document.title,
        body="".join(parts),
        footer=document.title,
        page_of=document.page_of,
        images={chart.key: chart.png for chart in charts},
    )


def write_report_pdf(
    document: ReportDocument,
    charts: Sequence[Chart],
    path: Path,
    *,
    data_dir: Path,
    region: str | None = None,
) -> None:
    write_pdf([report_printable(document, charts, region=region)], path, data_dir=data_dir, region=region)
