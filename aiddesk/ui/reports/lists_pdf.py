"""The call-back list and the packing list as printable PDFs (their content comes ready, in its
language, from aiddesk.services.reports.print_lists)."""

from __future__ import annotations

from pathlib import Path

from aiddesk.services.reports.print_lists import CallBackList, PackingList, PackingSection
from aiddesk.services.reports.queue_list import QueueList
from aiddesk.ui.reports.pdf_document import Printable, text, write_pdf

TABLE = (
    '<table width="100%" border="1" cellspacing="0" cellpadding="4" '
    'style="border-collapse: collapse; border-color: #777777; font-size: 9pt;">'
)
TICK = '<span style="font-size: 16pt;">\u2610</span>'
# Call-back list columns: tick, name, phone, speaks, why, last call, call back on.
CALL_BACK_WIDTHS = ("7%", "16%", "16%", "9%", "25%", "14%", "13%")
NO_BREAK = ' style="white-space: nowrap;"'  # a one-word heading is not cut in two


def call_back_printable(data: CallBackList) -> Printable:
    title = f"<h1>{text(data.title)}</h1>"
    keep_private = f'<p class="small">{text(data.keep_private)}</p>'
    if not data.entries:
        body = title + f"<p>{text(data.empty)}</p>" + keep_private
        return Printable(title=data.title, body=body, footer=data.title, page_of=data.page_of)
    head = "".join(
        f'<th width="{w}"{NO_BREAK if " " not in h else ""}>{text(h)}</th>'
        for w, h in zip(CALL_BACK_WIDTHS, data.headings, strict=True)
    )
    rows = []
    for entry in data.entries:
        why = "<br/>".join(text(line) for line in entry.why)
        call_on = f"<b>{text(entry.call_on)}</b>" if entry.overdue else text(entry.call_on)
        cells = (
            TICK,
            f"<b>{text(entry.name)}</b>",
            f'<span style="white-space: nowrap;">{text(entry.phone)}</span>',
            text(entry.speaks),
            why,
            text(entry.last_call),
            call_on,
        )
        rows.append(
            "<tr>"
            + "".join(
                f'<td width="{w}" valign="top">{c}</td>' for w, c in zip(CALL_BACK_WIDTHS, cells, strict=True)
            )
            + "</tr>"
        )
    return Printable(
        title=data.title,
        body=title,
        footer=data.title,
        page_of=data.page_of,
        table=TABLE + f"<thead><tr>{head}</tr></thead>",
        rows=tuple(rows),
        after=keep_private,
    )


def write_call_back_pdf(data: CallBackList, path: Path, *, data_dir: Path, region: str | None = None) -> None:
    write_pdf([call_back_printable(data)], path, data_dir=data_dir, region=region)


def _section_html(section: PackingSection, heading: str) -> str:
    parts = [heading]
    if section.subtitle:
        parts.append(f'<p class="muted">{text(section.subtitle)}</p>')
    tick, need, how_many = section.headings
    rows = "".join(
        f'<tr><td width="8%" align="center">{TICK}</td><td>{text(label)}</td>'
        f'<td class="num" width="18%"><b>{count}</b></td></tr>'
        for label, count in section.lines
    )
    total_label, total = section.total
    rows += f'<tr><td></td><td><b>{text(total_label)}</b></td><td class="num"><b>{total}</b></td></tr>'
    parts.append(
        TABLE
        + f'<thead><tr><th width="8%">{text(tick)}</th><th>{text(need)}</th>'
        + f'<th class="num" width="18%">{text(how_many)}</th></tr></thead>'
        + rows
        + "</table>"
    )
    return "".join(parts)


def packing_printables(data: PackingList) -> list[Printable]:
    """The day's count first (in the list's language), then each run on its own pages (in its
    volunteer's language)."""
    first = [f"<h1>{text(data.title)}</h1>"]
    if not data.runs:
        first.append(f"<p>{text(data.empty)}</p>")
    else:
        first.append(_section_html(data.day_total, f"<h2>{text(data.day_total.title)}</h2>"))
    first.append(f'<p class="small">{text(data.note)}</p>')
    out = [Printable(title=data.title, body="".join(first), footer=data.title, page_of=data.page_of)]
    for run in data.runs:
        body = _section_html(run, f"<h1>{text(run.title)}</h1>")
        out.append(Printable(title=data.title, body=body, footer=run.title, page_of=run.page_of))
    return out


def write_packing_pdf(data: PackingList, path: Path, *, data_dir: Path, region: str | None = None) -> None:
    write_pdf(packing_printables(data), path, data_dir=data_dir, region=region)


# Queue columns: code, name, phone, need, zone, urgency, status, call back on, made on.
QUEUE_WIDTHS = ("11%", "13%", "16%", "12%", "8%", "10%", "11%", "10%", "9%")
# Nine columns on a portrait page: a smaller type, so words are not cut.
QUEUE_TABLE = TABLE.replace("font-size: 9pt;", "font-size: 7.5pt;")


def queue_printable(data: QueueList) -> Printable:
    """The queue as filtered: what it shows, then one line per request."""
    parts = [f"<h1>{text(data.title)}</h1>"]
    if data.filters:
        parts.append(f'<p class="muted">{text(data.filters)}</p>')
    head = "".join(
        f'<th width="{w}" style="font-size: 7.5pt;">{text(h)}</th>'
        for w, h in zip(QUEUE_WIDTHS, data.headings, strict=True)
    )
    rows = []
    for row in data.rows:
        cells = (
            f"<b>{text(row.code)}</b>",
            text(row.name),
            text(row.phone),  # a number never breaks (non-breaking spaces); a note may
            text(row.need),
            text(row.zone),
            text(row.urgency),
            text(row.status),
            text(data.date_text(row.follow_up)),
            text(data.date_text(row.made_on)),
        )
        rows.append(
            "<tr>"
            + "".join(
                f'<td width="{w}" valign="top">{c}</td>' for w, c in zip(QUEUE_WIDTHS, cells, strict=True)
            )
            + "</tr>"
        )
    after = f"<p><b>{text(data.left_out)}</b></p>" if data.left_out else ""
    after += f'<p class="small">{text(data.keep_private)}</p>'
    return Printable(
        title=data.title,
        body="".join(parts),
        footer=data.title,
        page_of=data.page_of,
        table=QUEUE_TABLE + f"<thead><tr>{head}</tr></thead>",
        rows=tuple(rows),
        after=after,
    )
