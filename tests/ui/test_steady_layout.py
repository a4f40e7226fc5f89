"""The layout holds still: the status chips keep their places as their counts change, and the
Intake form does not move when the saved-call message appears."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.enums import RequestStatus
from aiddesk.services.requests.queue import QueueCounts
from aiddesk.store.database import Database
from aiddesk.ui.requests.status_chips import QueueStatusChips
from tests.ui.test_intake import CTRL, done, make_page, press, type_new_caller


def places(chips: QueueStatusChips) -> list[QRect]:
    QTest.qWait(10)
    QApplication.processEvents()
    return [chips.call_back_chip.geometry(), chips.open_chip.geometry(), chips.all_chip.geometry()] + [
        chip.geometry() for chip in chips.status_chips.values()
    ]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [1010, 700])  # the queue at the default window size, and narrower
def test_status_chips_keep_their_places_as_counts_change(
    qtbot: QtBot, qt_language: None, language: str, width: int
) -> None:
    i18n.set_language(language, "US")
    chips = QueueStatusChips()
    qtbot.addWidget(chips)
    chips.resize(width, chips.heightForWidth(width))
    chips.show()
    qtbot.waitExposed(chips)
    seen = []
    for count in (0, 7, 64, 190, 800):  # up to 800 of each status
        chips.set_counts(QueueCounts({status: count for status in RequestStatus}, count))
        chips.resize(width, chips.heightForWidth(width))
        seen.append((chips.heightForWidth(width), places(chips)))
    assert all(shown == seen[0] for shown in seen), "the chips moved as their counts changed"


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_saved_message_does_not_push_the_intake_form_down(
    qtbot: QtBot, qt_language: None, db: Database, language: str
) -> None:
    i18n.set_language(language, "US")
    page = make_page(qtbot, db)
    form_top = page.form_scroll.mapTo(page, QPoint(0, 0))
    fields_top = page.caller.phone_edit.mapTo(page, QPoint(0, 0))
    type_new_caller(page)
    press(Qt.Key.Key_S, CTRL)
    done(qtbot, page)
    QTest.qWait(20)
    assert page.saved_label.isVisible() and page.saved_label.text()
    assert page.form_scroll.mapTo(page, QPoint(0, 0)) == form_top
    assert page.caller.phone_edit.mapTo(page, QPoint(0, 0)) == fields_top
    assert page.saved_label.height() >= page.saved_label.heightForWidth(page.saved_label.width())
