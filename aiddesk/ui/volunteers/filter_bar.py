"""The roster's search and filters: the questions coordinators ask ("speaks Spanish",
"driver with a car", "available Saturday morning", "serves zone North", "not yet trained")."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from aiddesk.domain import availability
from aiddesk.i18n import _, current_language
from aiddesk.i18n.formatting import language_name
from aiddesk.services.labels import Label
from aiddesk.services.roster import RosterFilter
from aiddesk.ui.common.availability import day_name, slot_name
from aiddesk.ui.retranslate import Retranslating

# Languages always offered in the filter, besides those the roster speaks.
COMMON_LANGUAGES = ("en", "es")


class VolunteerFilterBar(Retranslating, QWidget):
    """Emits `changed` whenever the filter changes; `filter()` is what it asks for."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(220)
        self.language_box = QComboBox()
        self.zone_box = QComboBox()
        self.day_box = QComboBox()
        self.slot_box = QComboBox()
        for box in (self.language_box, self.zone_box, self.day_box, self.slot_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.driver_check = QCheckBox()
        self.untrained_check = QCheckBox()
        self.active_check = QCheckBox()
        self.active_check.setChecked(True)
        self.language_caption, self.zone_caption, self.available_caption = QLabel(), QLabel(), QLabel()
        self._languages: list[str] = list(COMMON_LANGUAGES)
        self._zones: list[Label] = []

        first = QHBoxLayout()
        first.addWidget(self.search_edit, 1)
        first.addWidget(self.language_caption)
        first.addWidget(self.language_box)
        first.addWidget(self.zone_caption)
        first.addWidget(self.zone_box)
        second = QHBoxLayout()
        second.addWidget(self.available_caption)
        second.addWidget(self.day_box)
        second.addWidget(self.slot_box)
        second.addSpacing(12)
        second.addWidget(self.driver_check)
        second.addWidget(self.untrained_check)
        second.addWidget(self.active_check)
        second.addStretch(1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(first, 0, 0)
        layout.addLayout(second, 1, 0)

        self.search_edit.textChanged.connect(self.changed)
        for box in (self.language_box, self.zone_box, self.day_box, self.slot_box):
            box.currentIndexChanged.connect(self.changed)
        for check in (self.driver_check, self.untrained_check, self.active_check):
            check.toggled.connect(self.changed)
        self.retranslate_ui()

    # ---- choices ---------------------------------------------------------------------------

    def set_languages(self, codes: list[str]) -> None:
        """The languages to offer (those the roster speaks); English and Spanish always."""
        self._languages = list(dict.fromkeys([*COMMON_LANGUAGES, *codes]))
        self._fill_languages()

    def set_zones(self, zones: list[Label]) -> None:
        self._zones = [z for z in zones if not z.retired]
        self._fill_zones()

    def _refill(self, box: QComboBox, items: list[tuple[str, object]]) -> None:
        """Replace the items, keeping the choice (by its data) without a change signal."""
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        index = box.findData(chosen) if chosen is not None else 0
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)
        if box.currentData() != chosen:
            self.changed.emit()

    def _fill_languages(self) -> None:
        named = sorted(
            ((language_name(code), code) for code in self._languages), key=lambda p: p[0].casefold()
        )
        # L10N: the language filter of the roster, when no language is chosen
        self._refill(self.language_box, [(_("Any language"), ""), *named])

    def _fill_zones(self) -> None:
        language = current_language()
        self._refill(self.zone_box, [(_("Any zone"), ""), *((z.text(language), z.id) for z in self._zones)])

    def _fill_days(self) -> None:
        days = [(day_name(d, "wide"), d) for d in range(availability.DAYS)]
        self._refill(self.day_box, [(_("Any day"), -1), *days])
        slots = [(slot_name(s), s) for s in range(len(availability.SLOTS))]
        self._refill(self.slot_box, [(_("Any time"), -1), *slots])

    # ---- the filter ------------------------------------------------------------------------

    def filter(self) -> RosterFilter:
        day = self.day_box.currentData()
        slot = self.slot_box.currentData()
        return RosterFilter(
            text=self.search_edit.text(),
            language=self.language_box.currentData() or "",
            driver_with_car=self.driver_check.isChecked(),
            day=None if day is None or day < 0 else int(day),
            slot=None if slot is None or slot < 0 else int(slot),
            zone_id=self.zone_box.currentData() or "",
            not_trained=self.untrained_check.isChecked(),
            active_only=self.active_check.isChecked(),
        )

    def choose(self, box: QComboBox, data: object) -> None:
        """Pick the item of `box` holding `data` (as a click would)."""
        box.setCurrentIndex(box.findData(data))

    def retranslate_ui(self) -> None:
        self.search_edit.setPlaceholderText(_("Search by name or code"))
        self.language_caption.setText(_("Speaks:"))
        self.zone_caption.setText(_("Serves:"))
        self.available_caption.setText(_("Available:"))
        self.driver_check.setText(_("Driver with a car"))
        self.untrained_check.setText(_("Not yet trained"))
        self.active_check.setText(_("Active only"))
        self._fill_languages()
        self._fill_zones()
        self._fill_days()
