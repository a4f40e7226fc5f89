"""The Matching screen at 1000 px wide (a small laptop), in English and in Spanish: every column of
"Ruled out" fits its list (no column cut off past the right edge) and each row is as tall as its
wrapped text, so why a volunteer is ruled out and what speaks for them are read whole."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.store.database import Database
from tests.ui.test_matching_page import click_row, desk, make_page

__all__ = ["desk"]  # the fixture


@pytest.mark.parametrize("language", ["en", "es"])
def test_ruled_out_fits_a_1000_px_screen(
    qtbot: QtBot, db: Database, desk: dict[str, str], language: str
) -> None:
    i18n.set_language(language, "US")
    try:
        page = make_page(qtbot, db)
        page.resize(1000, 700)
        click_row(qtbot, page.requests_table, 2)  # two volunteers ruled out, with long reasons
        qtbot.wait(20)  # the rows' heights follow the new widths
        table = page.excluded_table
        model = table.model()
        assert model.rowCount() == 2
        header = table.horizontalHeader()
        assert header.length() <= table.viewport().width()  # nothing past the right edge
        assert not table.horizontalScrollBar().isVisible()
        assert min(header.sectionSize(c) for c in (1, 2)) >= 150  # neither a sliver
        for row in range(model.rowCount()):
            assert table.rowHeight(row) >= table.sizeHintForRow(row)  # the wrapped text whole
    finally:
        i18n.set_language("en", "US")


def lines_drawn(table: QTableView, row: int, column: int, height: int) -> int:
    """How many rows of pixels the cell's text takes when the cell is `height` pixels tall (a line
    that does not fit is left out or cut, so fewer)."""
    index = table.model().index(row, column)
    width = table.visualRect(index).width()
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    option = QStyleOptionViewItem()
    table.initViewItemOption(option)
    option.rect = QRect(0, 0, width, height)
    painter = QPainter(image)
    table.itemDelegateForIndex(index).paint(painter, option, index)
    painter.end()
    blank = QColor("white")
    margin = 4  # the text's side margins: left out, nothing of the text is there
    return sum(
        1
        for y in range(height)
        if any(image.pixelColor(x, y) != blank for x in range(margin, width - margin))
    )


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_reasons_keep_their_last_line_with_room_to_spare(
    qtbot: QtBot, db: Database, desk: dict[str, str], language: str
) -> None:
    """Each row of reasons is taller than its wrapped text by a few pixels: drawn two pixels
    shorter (another font's rounding, a scaled screen) the cell still shows every line. A row
    measured to the last pixel dropped its whole last line one pixel short (the last line of why
    a volunteer is ruled out was reported cut in Spanish at 1000 px), and its text touched the
    lines between the rows."""
    i18n.set_language(language, "US")
    try:
        page = make_page(qtbot, db)
        page.resize(1000, 700)
        click_row(qtbot, page.requests_table, 2)  # two volunteers ruled out, with long reasons
        qtbot.wait(20)
        for table, columns in ((page.excluded_table, (1, 2)), (page.ranked_table, (2,))):
            for row in range(table.model().rowCount()):
                height = table.visualRect(table.model().index(row, 0)).height()
                for column in columns:
                    whole = lines_drawn(table, row, column, height + 200)
                    assert whole > 0
                    assert lines_drawn(table, row, column, height - 2) == whole, (
                        table.model().index(row, column).data()
                    )
    finally:
        i18n.set_language("en", "US")
