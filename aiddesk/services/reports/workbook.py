"""A period report as an .xlsx workbook: the figures on the first sheet, then one sheet per
breakdown; headers in the report's language, figures as numbers and days as dates, so they can
be summed and charted in Excel or LibreOffice. Written beside the target and renamed into place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, BinaryIO

from aiddesk.exchange.workbook.saving import write_atomically
from aiddesk.i18n import N_, translations_for
from aiddesk.services.reports.document import ReportDocument, Table
from aiddesk.store.temp_files import TempFiles

# Sheet names are short (Excel allows 31 characters); each sheet's first row says more.
SHEET_NAMES = {
    "summary": N_("Figures"),
    "by_reason": N_("Failed, by reason"),
    "by_need": N_("By need"),
    "by_zone": N_("By zone"),
    "by_language": N_("By language"),
    "weeks": N_("Per week"),
    "days": N_("Calls per day"),
}
DATE_FORMAT = "yyyy-mm-dd"


def write_report_workbook(document: ReportDocument, path: Path, data_dir: Path) -> None:
    """Write the report as an owner-only .xlsx, atomically (its temporary file journaled in the
    desk's `data_dir`, so a killed write leaves nothing behind)."""
    write_atomically(Path(path), lambda target: _write(document, target), temp_files=TempFiles(data_dir))


def _write(document: ReportDocument, target: BinaryIO) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    gettext = translations_for(document.language).gettext
    book = Workbook()
    first = book.active
    first.title = gettext(SHEET_NAMES["summary"])
    for line in (document.title, document.desk, document.made_on):
        first.append([line])
    first["A1"].font = Font(bold=True, size=13)
    first.append([])
    _table(first, document.summary, Font(bold=True))
    first.append([])
    first.append([document.how_counted])
    for table in document.tables:
        _table(book.create_sheet(gettext(SHEET_NAMES[table.key])), table, Font(bold=True), caption=True)
    book.properties.creator = "AidDesk"
    book.properties.title = document.title
    book.save(target)


def _table(ws: Any, table: Table, bold: Any, *, caption: bool = False) -> None:
    """`table` below what `ws` (an openpyxl worksheet) holds: its title, its headers, its rows."""
    if caption:
        ws.append([table.title])
        ws.cell(ws.max_row, 1).font = bold
    ws.append(list(table.headers))
    header = ws.max_row
    for column in range(1, len(table.headers) + 1):
        ws.cell(header, column).font = bold
    for row in table.rows:
        ws.append(list(row))
        for column, value in enumerate(row, start=1):
            if isinstance(value, dt.date):
                ws.cell(ws.max_row, column).number_format = DATE_FORMAT
    for index, heading in enumerate(table.headers):
        width = max([len(heading)] + [len(str(row[index])) for row in table.rows])
        ws.column_dimensions[chr(ord("A") + index)].width = min(60, max(12, width + 2))
