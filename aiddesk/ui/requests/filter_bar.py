"""The queue's filters besides status: free text, need, zone, urgency, how long a request has waited,
and the overview's numbers (new today, call-backs due today or overdue, failed deliveries to plan again)."""

from __future__ import annotations

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import Urgency
from aiddesk.i18n import N_, _, current_language, ngettext
from aiddesk.services.desk.labels import Label
from aiddesk.services.requests.queue import NO_ZONE, Focus
from aiddesk.ui.retranslate import Retranslating

AGES = (0, 1, 3, 7, 14, 30)  # days; 0 is any age
TYPING_PAUSE_MS = 250  # the search runs this long after the last keystroke (Enter runs it at once)
ANY = None  # the data of the "all ..." entry of a box
FOCUSES = (
    (Focus.NEW_TODAY, N_("New today")),
    (Focus.DUE_TODAY, N_("Call-back due today")),
    (Focus.OVERDUE, N_("Call-back overdue")),
    (Focus.FAILED, N_("Delivery failed, to plan again")),
)


def _box(width: int) -> QComboBox:
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(width)
    return box


class QueueFilterBar(Retranslating, QWidget):
    """`changed` whenever a filter changed (typing: after a short pause)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._needs: list[Label] = []
        self._zones: list[Label] = []
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(200)
        self.search_edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.need_box = _box(14)
        self.zone_box = _box(11)
        self.urgency_box = _box(14)
        self.age_box = _box(16)
        self.focus_box = _box(16)
        self.clear_button = QPushButton()
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.changed)
        self.search_edit.textChanged.connect(lambda _text: self._typing.start())
        self.search_edit.returnPressed.connect(self._search_now)
        for box in self._boxes():
            box.activated.connect(lambda _index: self.changed.emit())
        self.clear_button.clicked.connect(self.clear)

        # One row when the screen is wide enough; on a small screen the boxes go under the search
        # (the row asked 960 pixels and made the whole window at least 1,160 wide).
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._first = QHBoxLayout()
        self._second = QHBoxLayout()
        layout.addLayout(self._first)
        layout.addLayout(self._second)
        self._first.addWidget(self.search_edit, 1)
        # The focus box is placed by the screen (beside its title: the row here is full).
        for widget in self._wrapping():
            self._first.addWidget(widget)
        self._second.addStretch(1)
        self.retranslate_ui()

    def _wrapping(self) -> tuple[QWidget, ...]:
        return (self.need_box, self.zone_box, self.urgency_box, self.age_box, self.clear_button)

    def one_row(self) -> bool:
        return self._second.count() == 1  # only its stretch

    def _boxes_width(self) -> int:
        spacing = max(0, self._first.spacing())
        return sum(w.sizeHint().width() + spacing for w in self._wrapping())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the two rows allow: the window may be narrower than the one row."""
        hint = super().minimumSizeHint()
        width = max(self.search_edit.minimumSizeHint().width(), self.search_edit.minimumWidth())
        return QSize(max(width, self._boxes_width()), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        wide = event.size().width() >= self.search_edit.minimumWidth() + self._boxes_width()
        if wide != self.one_row():
            source, target = (self._second, self._first) if wide else (self._first, self._second)
            for widget in self._wrapping():
                source.removeWidget(widget)
                target.insertWidget(target.count() - (0 if wide else 1), widget)
        super().resizeEvent(event)

    def _boxes(self) -> tuple[QComboBox, ...]:
        return (self.need_box, self.zone_box, self.urgency_box, self.age_box, self.focus_box)

    # ---- what is chosen ------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.search_edit.text().strip()

    @property
    def category_ids(self) -> frozenset[str]:
        chosen = self.need_box.currentData()
        return frozenset({chosen}) if chosen is not ANY else frozenset()

    @property
    def zone_ids(self) -> frozenset[str]:
        chosen = self.zone_box.currentData()
        return frozenset({chosen}) if chosen is not ANY else frozenset()

    @property
    def urgencies(self) -> frozenset[Urgency]:
        chosen = self.urgency_box.currentData()
        return frozenset({Urgency(chosen)}) if chosen is not ANY else frozenset()

    @property
    def older_than_days(self) -> int:
        return int(self.age_box.currentData() or 0)

    @property
    def focus(self) -> Focus:
        chosen = self.focus_box.currentData()
        return Focus(chosen) if chosen is not ANY else Focus.NONE

    def is_filtering(self) -> bool:
        return bool(
            self.text
            or self.category_ids
            or self.zone_ids
            or self.urgencies
            or self.older_than_days
            or self.focus is not Focus.NONE
        )

    def show_only(self, focus: Focus) -> None:
        """Every filter back to "all" but `focus` (no `changed`: the caller lists the requests)."""
        self._typing.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        for box in self._boxes():
            box.setCurrentIndex(0)
        if focus is not Focus.NONE:
            self.focus_box.setCurrentIndex(max(self.focus_box.findData(focus.value), 0))

    def set_labels(self, needs: list[Label], zones: list[Label]) -> None:
        """The need categories and zones to offer (after they changed in Settings)."""
        self._needs, self._zones = needs, zones
        self.retranslate_ui()

    def clear(self) -> None:
        """Every filter back to "all" (one `changed`)."""
        self._typing.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        for box in self._boxes():
            box.setCurrentIndex(0)
        self.changed.emit()

    def _search_now(self) -> None:
        self._typing.stop()
        self.changed.emit()

    # ---- texts ---------------------------------------------------------------------------

    @staticmethod
    def _fill(box: QComboBox, items: list[tuple[str, object]]) -> None:
        """Replace the entries and keep the chosen one (by its data) when it is still there."""
        chosen = box.currentData()
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        index = box.findData(chosen) if chosen is not ANY else 0
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)

    def retranslate_ui(self) -> None:
        language = current_language()
        self.search_edit.setPlaceholderText(_("Search name, code or details"))
        self.search_edit.setAccessibleName(_("Search"))
        self._fill(
            self.need_box,
            [(_("All needs"), ANY), *((label.text(language), label.id) for label in self._needs)],
        )
        self._fill(
            self.zone_box,
            [
                (_("All zones"), ANY),
                *((label.text(language), label.id) for label in self._zones),
                (_("No zone"), NO_ZONE),
            ],
        )
        self._fill(self.urgency_box, [(_("Any urgency"), ANY), *((_(u.label), u.value) for u in Urgency)])
        self._fill(
            self.age_box,
            [(_("Any age"), ANY)]
            + [
                (ngettext("Waiting over %(n)s day", "Waiting over %(n)s days", days) % {"n": days}, days)
                for days in AGES[1:]
            ],
        )
        self._fill(
            self.focus_box,
            [(_("Any follow-up"), ANY), *((_(label), focus.value) for focus, label in FOCUSES)],
        )
        self.focus_box.setToolTip(_("The overview's numbers: new today, call-backs, failed deliveries."))
        self.need_box.setAccessibleName(_("Need"))
        self.zone_box.setAccessibleName(_("Zone"))
        self.urgency_box.setAccessibleName(_("Urgency"))
        self.age_box.setAccessibleName(_("Age"))
        self.focus_box.setAccessibleName(_("Follow-up"))
        self.clear_button.setText(_("Clear filters"))
