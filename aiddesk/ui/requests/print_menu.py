"""The queue's Print menu: the requests as filtered (print with a preview, PDF, workbook) and
today's call-back list (print, PDF). Data is read on a worker thread; see ui.reports.printing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from aiddesk.domain.enums import RequestStatus
from aiddesk.i18n import _, current_language, pgettext
from aiddesk.services.requests.queue import OPEN_STATUSES, Focus
from aiddesk.ui.reports.pdf_document import Printable
from aiddesk.ui.reports.printing import MENU_BUTTON_STYLE, ListPrinter
from aiddesk.ui.requests.filter_bar import FOCUSES
from aiddesk.ui.retranslate import Retranslating

if TYPE_CHECKING:
    from aiddesk.services.reports.queue_list import QueueList
    from aiddesk.ui.requests.page import RequestsPage


class QueuePrintButton(Retranslating, QToolButton):
    """ "Print" with its menu, beside the queue's count. `printer.said` tells how a save went."""

    def __init__(self, page: RequestsPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page = page
        self.printer = ListPrinter(page._ctx, page)
        self.menu_ = QMenu(self)
        self.print_action = self.menu_.addAction("")
        self.print_action.triggered.connect(self.print_queue)
        self.pdf_action = self.menu_.addAction("")
        self.pdf_action.triggered.connect(lambda: self.save_pdf())
        self.xlsx_action = self.menu_.addAction("")
        self.xlsx_action.triggered.connect(lambda: self.save_workbook())
        self.menu_.addSeparator()
        self.call_back_print_action = self.menu_.addAction("")
        self.call_back_print_action.triggered.connect(self.print_call_backs)
        self.call_back_pdf_action = self.menu_.addAction("")
        self.call_back_pdf_action.triggered.connect(lambda: self.save_call_backs())
        self.setMenu(self.menu_)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setStyleSheet(MENU_BUTTON_STYLE)
        self.retranslate_ui()

    # ---- the queue as filtered -------------------------------------------------------------

    def describe(self) -> str:
        """What the queue shows, as the screen says it: "Open · Call-back due today · Groceries"."""
        page = self._page
        chips, bar = page.chips, page.filters
        if chips.call_back_today:
            parts = [_("Call back today")]
        elif chips.statuses == frozenset(OPEN_STATUSES):
            parts = [pgettext("requests", "Open")]
        elif chips.statuses == frozenset(RequestStatus):
            parts = [pgettext("requests", "All")]
        else:
            parts = [", ".join(_(s.label) for s in RequestStatus if s in chips.statuses)]
        focus = bar.focus
        parts += [_(label) for f, label in FOCUSES if f is focus and focus is not Focus.NONE]
        for box, chosen in (
            (bar.need_box, bar.category_ids),
            (bar.zone_box, bar.zone_ids),
            (bar.urgency_box, bar.urgencies),
            (bar.age_box, bar.older_than_days),
        ):
            if chosen:
                parts.append(box.currentText())
        if bar.text:
            parts.append(_("“%(text)s”") % {"text": bar.text})
        return " · ".join(parts)

    def _read(self, *, limit: int | None) -> Callable[[], QueueList]:
        from aiddesk.services.reports.queue_list import queue_list

        page = self._page
        db, query, language = page._ctx.database, page.current_query(), current_language()
        sort, descending = page.model.query_order()  # the screen's order
        today, now, filters = page.model.today(), page.model.now(), self.describe()
        return lambda: queue_list(
            db,
            query,
            filters=filters,
            sort=sort,
            descending=descending,
            language=language,
            today=today,
            now=now,
            limit=limit,
        )

    def _parts(self) -> Callable[[], list[Printable]]:
        from aiddesk.ui.reports.lists_pdf import queue_printable

        read = self._read(limit=PRINTED_ROWS)
        return lambda: [queue_printable(read())]

    def print_queue(self) -> None:
        self.printer.print_preview(self._parts())

    def save_pdf(self, path: Path | None = None) -> None:
        self.printer.save_pdf(self._parts(), f"requests-{dt.date.today().isoformat()}.pdf", path)

    def save_workbook(self, path: Path | None = None) -> None:
        from aiddesk.services.reports.queue_list import write_queue_workbook

        read, data_dir = self._read(limit=None), self._page._ctx.paths.data_dir
        self.printer.save_workbook(
            lambda target: write_queue_workbook(read(), target, data_dir),
            f"requests-{dt.date.today().isoformat()}.xlsx",
            path,
        )

    # ---- today's call-back list -------------------------------------------------------------

    def _call_back_parts(self) -> Callable[[], list[Printable]]:
        from aiddesk.services.reports.print_lists import call_back_list
        from aiddesk.ui.reports.lists_pdf import call_back_printable

        db, day, language = self._page._ctx.database, self._page.model.today(), current_language()
        return lambda: [call_back_printable(call_back_list(db, day, language=language))]

    def print_call_backs(self) -> None:
        self.printer.print_preview(self._call_back_parts())

    def save_call_backs(self, path: Path | None = None) -> None:
        day = self._page.model.today()
        self.printer.save_pdf(self._call_back_parts(), f"call-backs-{day.isoformat()}.pdf", path)

    def retranslate_ui(self) -> None:
        self.setText(_("Print"))
        self.print_action.setText(_("Print the requests listed…"))
        self.pdf_action.setText(_("Save the requests listed as PDF…"))
        self.xlsx_action.setText(_("Save the requests listed as a workbook…"))
        self.call_back_print_action.setText(_("Print today's call-back list…"))
        self.call_back_pdf_action.setText(_("Save today's call-back list as PDF…"))


PRINTED_ROWS = 2000
