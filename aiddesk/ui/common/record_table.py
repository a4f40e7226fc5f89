"""The table view every list of records uses: whole rows, read-only, uniform row heights
(no per-row measuring, so a model of 100,000 rows scrolls smoothly), starting widths set by hand,
and every column widened to the widest text of the rows read (`ColumnsFitText`): a code, a name
or a date is never cut off, whatever the desk code's length or the language."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTableWidget,
)

Selection = QAbstractItemView.SelectionMode

MEASURED_ROWS = 1000  # rows measured after a reset or an arrival: a window or two of a big table
CHUNK_ROWS = 20  # rows measured per turn of the event loop (a few milliseconds)
WRAPPED_ROOM = 3  # pixels above and below the text of a wrapped cell


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
    # Tab leaves the list for what comes next (the record's buttons): it walked the cells, one row
    # after the other, choosing another record on the way and never reaching the buttons
    table.setTabKeyNavigation(False)
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
    if wrapped:
        delegate = WrappedText(table)
        for column in wrapped:
            table.setItemDelegateForColumn(column, delegate)
    ColumnsFitText(table, skip=wrapped)
    return table


class WrappedText(QStyledItemDelegate):
    """A cell of text that wraps asks for a few pixels more than its lines, above and below.

    Its row was as tall as the wrapped lines to the pixel, and a cell one pixel shorter than its
    lines leaves the whole last line out: a line drawn a pixel taller than measured (another
    font's rounding, a scaled screen) cuts the last line of a row (reported: why a volunteer is
    ruled out, in Spanish at 1000 px), and the text touched the lines between the rows. The text
    is centred in the room."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2 * WRAPPED_ROOM)


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
        self._last_width = table.horizontalHeader().sectionSize(max(model.columnCount() - 1, 0))
        self._later(0, model.rowCount())

    def measuring(self) -> bool:
        """Rows are still waiting to be measured."""
        return self._pending is not None

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
        """Measure the next few rows (a model formats its cells as they are asked for: the rows of
        a window are measured a chunk per turn of the event loop, so the screen never stalls)."""
        if self._pending is None:
            return
        first, end = self._pending
        table, model = self._table, self._table.model()
        end = min(end, model.rowCount(), first + MEASURED_ROWS)
        stop = min(end, first + CHUNK_ROWS)
        self._pending = (stop, end) if stop < end else None
        header = table.horizontalHeader()
        style = table.style()
        pad = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1) + 4
        header_pad = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 4
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + header_pad // 2
        metrics = QFontMetrics(table.font())
        header_metrics = QFontMetrics(header.font())
        display = Qt.ItemDataRole.DisplayRole
        own_fonts = isinstance(table, QTableWidget)  # its items may be bold (a sheet's header row)
        self._fitting = True
        try:
            for column in range(model.columnCount()):
                if column in self._by_hand or table.isColumnHidden(column):
                    continue
                title = model.headerData(column, Qt.Orientation.Horizontal, display)
                needed = header_metrics.horizontalAdvance(str(title or "")) + header_pad
                if header.isSortIndicatorShown():
                    needed += arrow
                for row in range(first, stop):
                    index = model.index(row, column)
                    text = index.data(display)
                    if text is None or text == "":
                        continue
                    font = index.data(Qt.ItemDataRole.FontRole) if own_fonts else None
                    shown = QFontMetrics(font) if isinstance(font, QFont) else metrics
                    widest = max(shown.horizontalAdvance(line) for line in str(text).split("\n"))
                    needed = max(needed, widest + pad)
                if header.stretchLastSection() and column == model.columnCount() - 1:
                    # A stretched last column shows its stretched width; the width given here is the
                    # one it falls back to when the table is narrower than its columns.
                    if needed > self._last_width:
                        self._last_width = needed
                        header.resizeSection(column, needed)
                elif needed > header.sectionSize(column):
                    header.resizeSection(column, needed)
        finally:
            self._fitting = False
        if self._pending is not None:
            self._timer.start()
