"""The queue as filtered, to print or to save as a workbook: the requests the Requests screen
lists, in its order, every text in the list's language.

Each row: code, name (none for a caller who asked not to be named or was erased), phone only when
they agreed to be called, need, zone, urgency, status, call-back day and the day it was made. No
notes, no address, no safety notes. A printout holds at most PRINTED rows (it says how many were
left out); the workbook holds them all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiddesk.domain.enums import RequestStatus, Urgency
from aiddesk.i18n import N_, locale_for, translations_for
from aiddesk.i18n.formatting import format_date, format_decimal_in, format_long_date
from aiddesk.services.reports.print_lists import KEEP_PRIVATE, PAGE_OF, _name, _phone
from aiddesk.services.requests.queue import QueueQuery
from aiddesk.store.database import Database
from aiddesk.store.repositories import request_queue as queue_repo
from aiddesk.store.repositories.reports import print_lists as lists_repo
from aiddesk.store.repositories.route_sheets import phone_region

PRINTED = 2000
WINDOW = 500
# L10N: title of the printed queue; %(date)s is like "Monday, November 23, 2026"
TITLE = N_("Requests, as of %(date)s")
HEADINGS = (
    N_("Code"),
    N_("Name"),
    N_("Phone"),
    N_("Need"),
    N_("Zone"),
    N_("Urgency"),
    N_("Status"),
    N_("Call back on"),
    N_("Made on"),
)


@dataclass(frozen=True)
class QueueListRow:
    code: str
    name: str
    phone: str
    need: str
    zone: str
    urgency: str
    status: str
    follow_up: dt.date | None
    made_on: dt.date  # the desk's local day


@dataclass(frozen=True)
class QueueList:
    language: str
    title: str
    filters: str  # what the list shows, as the screen said it ("Open · Call-back due today")
    headings: tuple[str, ...]
    rows: tuple[QueueListRow, ...]
    total: int  # every request the filters list (rows may hold fewer)
    left_out: str  # "1,234 more are not printed: …" or ""
    keep_private: str
    page_of: str

    def date_text(self, day: dt.date | None) -> str:
        return format_date(day, locale=locale_for(self.language)) if day is not None else ""


def queue_list(
    db: Database,
    query: QueueQuery,
    *,
    filters: str = "",
    sort: str = "age",
    descending: bool = False,
    language: str = "en",
    today: dt.date,
    now: dt.datetime,
    limit: int | None = PRINTED,
) -> QueueList:
    """The requests `query` lists, in the screen's order (at most `limit` of them; None: all)."""
    catalog = translations_for(language)
    t = catalog.gettext
    locale = locale_for(language)
    with db.session() as session:
        snapshot = queue_repo.queue_snapshot(
            session,
            sort=sort,
            descending=descending,
            language=language,
            filters=query.to_filter(today=today, now=now),
            with_counts=False,
        )
        chosen = snapshot.rowids if limit is None else snapshot.rowids[:limit]
        rows: list[queue_repo.RequestRow] = []
        for start in range(0, len(chosen), WINDOW):
            rows += queue_repo.request_rows(session, chosen[start : start + WINDOW], language=language)
        people = lists_repo.callers(session, {r.person_id for r in rows})
        region = phone_region(session)
    listed = []
    for row in rows:
        person = people.get(row.person_id)
        listed.append(
            QueueListRow(
                code=row.code,
                name=_name(person, t) if person is not None else row.person_name,
                phone=_phone(person, region, t) if person is not None else "",
                need=row.need,
                zone=row.zone,
                urgency=_label(Urgency, row.urgency, t),
                status=_label(RequestStatus, row.status, t),
                follow_up=row.follow_up,
                made_on=row.created_at.replace(tzinfo=dt.UTC).astimezone().date(),
            )
        )
    total = len(snapshot.rowids)
    more = total - len(listed)
    left_out = (
        catalog.ngettext(
            "%(count)s more request is not printed: save the list as a workbook to have them all.",
            "%(count)s more requests are not printed: save the list as a workbook to have them all.",
            more,
        )
        % {"count": format_decimal_in(more, locale)}
        if more > 0
        else ""
    )
    return QueueList(
        language=language,
        title=t(TITLE) % {"date": format_long_date(today, locale=locale, weekday=False)},
        filters=filters,
        headings=tuple(t(h) for h in HEADINGS),
        rows=tuple(listed),
        total=total,
        left_out=left_out,
        keep_private=t(KEEP_PRIVATE),
        page_of=t(PAGE_OF),
    )


def _label(enum: Any, value: str, t: Any) -> str:
    try:
        return str(t(enum(value).label))
    except ValueError:
        return value


def write_queue_workbook(data: QueueList, path: Path, data_dir: Path) -> None:
    """The list as an owner-only .xlsx (dates as dates), saved as exports are."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from aiddesk.services.desk.documents import save_document

    book = Workbook()
    sheet = book.active
    sheet.title = data.title[:31].replace(":", " ")
    sheet.append([data.title])
    sheet["A1"].font = Font(bold=True, size=13)
    if data.filters:
        sheet.append([data.filters])
    sheet.append([])
    sheet.append(list(data.headings))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in data.rows:
        sheet.append(
            [
                row.code,
                row.name,
                row.phone,
                row.need,
                row.zone,
                row.urgency,
                row.status,
                row.follow_up,
                row.made_on,
            ]
        )
        for column in (8, 9):
            sheet.cell(sheet.max_row, column).number_format = "yyyy-mm-dd"
    for letter, width in zip("ABCDEFGHI", (12, 26, 20, 18, 14, 16, 20, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    book.properties.creator = "AidDesk"
    book.properties.title = data.title
    buffer = io.BytesIO()
    book.save(buffer)
    save_document(buffer.getvalue(), path, data_dir)
