"""A question over the window that does not block it: buttons by key, the answer to a callback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from aiddesk.i18n import _

Role = QMessageBox.ButtonRole
Choice = tuple[str, str, QMessageBox.ButtonRole]  # (key, button text, role)


def ask(
    parent: QWidget, text: str, detail: str, choices: list[Choice], answered: Callable[[str], None]
) -> tuple[QMessageBox, dict[str, QPushButton]]:
    """A question over the window (it does not block); `answered(key)` gets the chosen key, the last
    choice's on Esc. Enter answers the first choice that loses nothing (never a destructive one).
    Returns the box and its buttons by key."""
    box = QMessageBox(QMessageBox.Icon.Question, _("AidDesk"), text, parent=parent)
    box.setInformativeText(detail)
    buttons = {key: box.addButton(label, role) for key, label, role in choices}
    keys = {id(button): key for key, button in buttons.items()}
    safe = next((key for key, _label, role in choices if role != Role.DestructiveRole), choices[-1][0])
    box.setDefaultButton(buttons[safe])
    box.setEscapeButton(buttons[choices[-1][0]])
    box.setWindowModality(Qt.WindowModality.WindowModal)

    def finished() -> None:
        clicked = box.clickedButton()
        box.deleteLater()
        answered(keys.get(id(clicked), choices[-1][0]) if clicked is not None else choices[-1][0])

    box.finished.connect(finished)
    return box, buttons
