"""The Requests screen: every request with its person, need, zone, urgency, status and age."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_number
from aiddesk.ui.context import DeskContext
from aiddesk.ui.models.requests_model import COLUMN_KEYS, RequestsModel
from aiddesk.ui.retranslate import Retranslating

# Fixed starting widths (the user may drag them); never sized to the contents of a big model.
COLUMN_WIDTHS: dict[str, int] = {
    "code": 90,
    "person": 170,
    "need": 170,
    "zone": 95,
    "urgency": 150,
    "status": 190,  # "Cancelado por la persona" fits
    "age": 80,
}


class RequestsPage(Retranslating, QWidget):
    """Lists all requests over a windowed SQL model; click a header to sort by it."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = RequestsModel(ctx.database, self)

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.count_label = QLabel()

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: no per-row measuring
        rows.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSectionsClickable(True)
        for column, key in enumerate(COLUMN_KEYS):
            header.resizeSection(column, COLUMN_WIDTHS[key])
        # Show the model's own starting order, then let header clicks call model.sort().
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        header.setSortIndicatorShown(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)

        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.count_label)
        layout.addWidget(self.views, 1)

        self.model.refresh()
        self.retranslate_ui()

    def refresh(self) -> None:
        """Read the requests again (after new records or renamed labels)."""
        self.model.refresh()

    def _show_count(self) -> None:
        total = self.model.total
        self.count_label.setText(
            ngettext("%(count)s request", "%(count)s requests", total) % {"count": format_number(total)}
        )
        self.count_label.setVisible(total > 0)
        self.views.setCurrentWidget(self.table if total > 0 else self.empty_label)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Requests"))
        self.empty_label.setText(
            _("No requests yet.") + "\n" + _("Requests taken at the phone desk will be listed here.")
        )
        self.model.retranslate()
        self._show_count()
