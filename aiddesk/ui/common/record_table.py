"""The table view every list of records uses: whole rows, read-only, uniform row heights
(no per-row measuring, so a model of 100,000 rows scrolls smoothly), starting widths set by hand,
and every column widened to the widest text of the rows read (`ColumnsFitText`): a code, a name
or a date is never cut off, whatever the desk code's length or the language."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView

Selection = QAbstractItemView.SelectionMode

MEASURED_ROWS = 1000  # rows measured at a time: a window or two of a big table (cheap, a few ms)


def record_table(
    model: QAbstractItemModel,
    *,
    selection: Selection = Selection.SingleSelection,
    widths: Sequence[int] = (),
    wrapped: Sequence[int] = (),
) -> QTableView:
    """`wrapped`: columns of long text that wraps onto more lines, each row as high as its text
    (only for short lists: every row is measured)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(bool(wrapped))
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(
        QHeaderView.ResizeMode.ResizeToContents if wrapped else QHeaderView.ResizeMode.Fixed
    )
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # Qt never measures every row
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    ColumnsFitText(table, skip=wrapped)
    return table


class ColumnsFitText(QObject):
    """Widens a table's columns to the widest header and cell text of the rows the model holds, as
    rows arrive and after a language switch; never narrows one (no column jumps back and forth),
    and leaves alone a column the user resized by hand."""

    def __init__(self, table: QTableView, *, skip: Sequence[int] = ()) -> None:
        super().__init__(table)
        self._table = table
        self._fitting = False
        self._by_hand: set[int] = set(skip)
        self._pending: tuple[int, int] | None = None  # the rows still to measure
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fit)
        model = table.model()
        model.modelReset.connect(lambda: self._later(0, model.rowCount()))
        model.layoutChanged.connect(lambda: self._later(0, model.rowCount()))
        model.headerDataChanged.connect(lambda *_args: self._later(0, model.rowCount()))
        model.rowsInserted.connect(lambda _parent, first, last: self._later(first, last + 1))
        model.dataChanged.connect(lambda top, bottom, *_roles: self._later(top.row(), bottom.row() + 1))
        table.horizontalHeader().sectionResized.connect(self._resized)
        self._later(0, model.rowCount())

    def _resized(self, column: int, _old: int, _new: int) -> None:
        """A column dragged by the user keeps the width they gave it."""
        header = self._table.horizontalHeader()
        dragged = bool(QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton) and header.underMouse()
        if not self._fitting and dragged:
            self._by_hand.add(column)

    def _later(self, first: int, end: int) -> None:
        if self._pending is not None:
            first, end = min(first, self._pending[0]), max(end, self._pending[1])
        self._pending = (first, end)
        self._timer.start()

    def _fit(self) -> None:
        if self._pending is None:
            return
        first, end = self._pending
        self._pending = None
        table, model = self._table, self._table.model()
        header = table.horizontalHeader()
        style = table.style()
        pad = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 4
        header_pad = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 4
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + header_pad // 2
        metrics = QFontMetrics(table.font())
        header_metrics = QFontMetrics(header.font())
        end = min(end, model.rowCount(), first + MEASURED_ROWS)
        self._fitting = True
        try:
            for column in range(model.columnCount()):
                if column in self._by_hand or table.isColumnHidden(column):
                    continue
                title = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
                needed = header_metrics.horizontalAdvance(str(title or "")) + header_pad
                if header.isSortIndicatorShown():
                    needed += arrow
                for row in range(first, end):
                    needed = max(needed, self._cell_width(model.index(row, column), metrics) + pad)
                if needed > header.sectionSize(column):
                    header.resizeSection(column, needed)
        finally:
            self._fitting = False

    def _cell_width(self, index: QModelIndex, metrics: QFontMetrics) -> int:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if text is None or text == "":
            return 0
        font = index.data(Qt.ItemDataRole.FontRole)
        if isinstance(font, QFont):
            metrics = QFontMetrics(font)
        width = max(metrics.horizontalAdvance(line) for line in str(text).split("\n"))
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            icon = self._table.iconSize()
            width += (icon.width() if icon.isValid() else 16) + 4
        return width
