"""The Matching screen at 1000 px wide (a small laptop), in English and in Spanish: every column of
"Ruled out" fits its list (no column cut off past the right edge) and each row is as tall as its
wrapped text, so why a volunteer is ruled out and what speaks for them are read whole."""

from __future__ import annotations

import pytest
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
