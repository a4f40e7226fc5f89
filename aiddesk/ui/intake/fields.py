"""Small inputs shared by the intake screen: lists of enum values and of labels (zones, needs)
that keep their choice when the language changes, and a caption with its field's error."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from aiddesk.domain.enums import Labelled
from aiddesk.i18n import _, current_language
from aiddesk.services.labels import Label
from aiddesk.ui.common.field_error import FieldError


def shrinkable(box: QComboBox, characters: int = 10) -> None:
    """Let a list box be narrower than its longest entry (Spanish entries are long)."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(characters)


class EnumBox(QComboBox):
    """The values of an enum with their translated labels; optionally a first blank entry."""

    def __init__(self, enum: type[Labelled], blank: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        shrinkable(self)
        self._enum = enum
        self._blank = blank  # English, marked N_
        self.retranslate()

    def value(self) -> str:
        data = self.currentData()
        return str(data) if data else ""

    def set_value(self, value: str) -> None:
        self.setCurrentIndex(max(0, self.findData(value or "")))

    def retranslate(self) -> None:
        """Labels in the UI language, keeping the choice."""
        chosen = self.value()
        self.blockSignals(True)
        self.clear()
        if self._blank is not None:
            self.addItem(_(self._blank), "")
        for member in self._enum:
            self.addItem(_(member.label), member.value)
        self.set_value(chosen)
        self.blockSignals(False)


class LabelBox(QComboBox):
    """Need categories or zones in the UI language; retired ones only when already chosen."""

    def __init__(self, blank: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        shrinkable(self)
        self._blank = blank  # English, marked N_
        self._labels: list[Label] = []

    def value(self) -> str | None:
        data = self.currentData()
        return str(data) if data else None

    def set_value(self, label_id: str | None) -> None:
        if label_id and self.findData(label_id) < 0:
            self._fill(label_id)
        self.setCurrentIndex(max(0, self.findData(label_id or "")))

    def set_labels(self, labels: Iterable[Label]) -> None:
        self._labels = list(labels)
        self._fill(self.value())

    def retranslate(self) -> None:
        self._fill(self.value())

    def _fill(self, chosen: str | None) -> None:
        language = current_language()
        self.blockSignals(True)
        self.clear()
        self.addItem(_(self._blank), "")
        for label in self._labels:
            if not label.retired or label.id == chosen:
                self.addItem(label.text(language), label.id)
        self.setCurrentIndex(max(0, self.findData(chosen or "")))
        self.blockSignals(False)


def with_error(field: QWidget, error: FieldError, *more: QWidget) -> QWidget:
    """A field with its validation message (and any notes) under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    for widget in more:
        layout.addWidget(widget)
    layout.addWidget(error)
    return box


def note_label() -> QLabel:
    """A small grey note under a field."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(mid);")
    return label
