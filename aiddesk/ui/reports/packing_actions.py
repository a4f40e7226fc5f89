"""The packing list's two entries in a menu (print with a preview, save as PDF), for the day a
screen shows: the Deliveries screen's "Print the day" menu."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QWidget

from aiddesk.i18n import _, current_language
from aiddesk.ui.context import DeskContext
from aiddesk.ui.reports.pdf_document import Printable
from aiddesk.ui.reports.printing import ListPrinter


class PackingListActions:
    """Adds "Print the packing list…" and "Save the packing list as PDF…" to `menu`; `day()`
    gives the day whose runs to count. `printer.said` tells how it went."""

    def __init__(self, ctx: DeskContext, parent: QWidget, menu: QMenu, day: Callable[[], dt.date]) -> None:
        self._ctx = ctx
        self._day = day
        self.printer = ListPrinter(ctx, parent)
        self.print_action = menu.addAction("")
        self.print_action.triggered.connect(self.print_list)
        self.pdf_action = menu.addAction("")
        self.pdf_action.triggered.connect(lambda: self.save_pdf())
        self.retranslate_ui()

    def _parts(self) -> Callable[[], list[Printable]]:
        from aiddesk.services.reports.print_lists import packing_list
        from aiddesk.ui.reports.lists_pdf import packing_printables

        db, day, language = self._ctx.database, self._day(), current_language()
        return lambda: packing_printables(packing_list(db, day, language=language))

    def print_list(self) -> None:
        self.printer.print_preview(self._parts())

    def save_pdf(self, path: Path | None = None) -> None:
        self.printer.save_pdf(self._parts(), f"packing-{self._day().isoformat()}.pdf", path)

    def retranslate_ui(self) -> None:
        self.print_action.setText(_("Print the packing list…"))
        self.pdf_action.setText(_("Save the packing list as PDF…"))
