"""A volunteer's weekly availability: a day x morning/afternoon/evening grid of checkboxes,
and the names of days and slots in the UI language."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from aiddesk.domain import availability
from aiddesk.i18n import _, locale_name
from aiddesk.ui.retranslate import Retranslating


def day_name(index: int, width: Literal["abbreviated", "wide"] = "abbreviated") -> str:
    """The weekday (Monday = 0) in the UI language: "Sat" / "sáb" (or "wide": "Saturday" / "sábado")."""
    from babel.dates import get_day_names

    return str(get_day_names(width, locale=locale_name())[index])


def slot_name(slot: int) -> str:
    return _(availability.SLOTS[slot].label)


def describe(mask: int) -> str:
    """Every free slot in words, by day: "Mon: morning, evening; Sat: morning"."""
    days: dict[int, list[str]] = {}
    for day, slot in availability.free_slots(mask):
        days.setdefault(day, []).append(slot_name(slot).lower())
    # L10N: one day of a volunteer's availability, e.g. "Sat: morning, evening"
    return "; ".join(
        _("%(day)s: %(slots)s") % {"day": day_name(d), "slots": ", ".join(s)} for d, s in days.items()
    )


def free_days(mask: int) -> str:
    """The days with any free slot: "Mon, Wed, Sat"."""
    return ", ".join(day_name(day) for day in range(availability.DAYS) if availability.free_on_day(mask, day))


class AvailabilityGrid(Retranslating, QWidget):
    """Seven columns (Monday first) by three rows (morning, afternoon, evening); `changed` on a click."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(6)
        self.day_labels = [QLabel() for _day in range(availability.DAYS)]
        self.slot_labels = [QLabel() for _slot in availability.SLOTS]
        self.boxes: dict[tuple[int, int], QCheckBox] = {}
        for day, label in enumerate(self.day_labels):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label, 0, day + 1)
        for slot, label in enumerate(self.slot_labels):
            layout.addWidget(label, slot + 1, 0)
            for day in range(availability.DAYS):
                box = QCheckBox()
                box.toggled.connect(self.changed)
                self.boxes[(day, slot)] = box
                layout.addWidget(box, slot + 1, day + 1, Qt.AlignmentFlag.AlignCenter)
        self.retranslate_ui()

    def value(self) -> int:
        """The free slots as a mask (bit day * 3 + slot)."""
        return availability.from_slots(key for key, box in self.boxes.items() if box.isChecked())

    def set_value(self, mask: int) -> None:
        for (day, slot), box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(availability.is_free(mask, day, slot))
            box.blockSignals(False)
        self.changed.emit()

    def box(self, day: int, slot: int) -> QCheckBox:
        return self.boxes[(day, slot)]

    def retranslate_ui(self) -> None:
        for day, label in enumerate(self.day_labels):
            label.setText(day_name(day))
            label.setToolTip(day_name(day, "wide"))
        for slot, label in enumerate(self.slot_labels):
            label.setText(slot_name(slot))
        for (day, slot), box in self.boxes.items():
            # L10N: tooltip of one checkbox of the availability grid, e.g. "Saturday, Morning"
            box.setToolTip(_("%(day)s, %(slot)s") % {"day": day_name(day, "wide"), "slot": slot_name(slot)})
            box.setAccessibleName(box.toolTip())
