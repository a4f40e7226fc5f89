"""The title at the top of each screen."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def page_title() -> QLabel:
    title = QLabel()
    title.setObjectName("pageTitle")
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    title.setFont(font)
    return title
