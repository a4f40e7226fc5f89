"""The status bar's data folder: all of it when there is room, shortened in the middle when not
(the tooltip always has all of it)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from aiddesk.ui.common.elided_label import ElidedLabel

FOLDER = "Data: /home/volunteer/Documents/AidDesk/the-north-side-desk"


def test_the_folder_shows_whole_when_it_fits_and_shortened_in_the_middle_when_not(qtbot: QtBot) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.set_full_text(FOLDER)
    label.resize(label.sizeHint().width() + 40, 30)
    label.show()
    qtbot.waitExposed(label)
    assert label.text() == FOLDER
    label.resize(160, 30)
    qtbot.waitUntil(lambda: label.text() != FOLDER)
    shown = label.text()
    assert "…" in shown and shown.startswith("Data: /") and shown.endswith("desk")
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.toolTip() == FOLDER
    label.resize(label.sizeHint().width() + 40, 30)
    qtbot.waitUntil(lambda: label.text() == FOLDER)
