"""The panel beside the queue: the selected request, its person and its history, and the status
moves the domain allows for the selection."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.enums import Recurring, RequestStatus, Urgency
from aiddesk.domain.status import CLOSING
from aiddesk.i18n import N_, _, ngettext
from aiddesk.i18n.formatting import format_age
from aiddesk.services.requests.queue import RequestDetail
from aiddesk.ui.requests.table_model import enum_label
from aiddesk.ui.requests.texts import (
    SAFETY_COLOR,
    date_text,
    history_lines,
    language_text,
    phones_text,
    status_label,
    when_text,
)
from aiddesk.ui.retranslate import Retranslating

EMPTY = "—"
PERSON_ROWS = (
    ("phones", N_("Phone:")),
    ("language", N_("Language:")),
    ("address", N_("Address:")),
    ("zone", N_("Zone:")),
    ("delivery_notes", N_("Delivery notes:")),
    ("safety_notes", N_("Safety notes:")),
)
REQUEST_ROWS = (
    ("need", N_("Need:")),
    ("details", N_("Details:")),
    ("urgency", N_("Urgency:")),
    ("recurring", N_("Recurring:")),
    ("status", N_("Status:")),
    ("reason", N_("Reason:")),
    ("follow_up", N_("Follow-up:")),
    ("waiting", N_("Waiting:")),
)


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _bold(label: QLabel, scale: float = 1.0) -> None:
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)


class QueueDetailPanel(Retranslating, QWidget):
    """`open_person(person_id)` from "Open person"; `edit_person(person_id)` from "Edit person…";
    `move_to(status)` from the status menu."""

    open_person = Signal(str)
    edit_person = Signal(str)
    move_to = Signal(object)  # RequestStatus

    def __init__(self, region: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._region = region
        self._detail: RequestDetail | None = None
        self._selected = 0
        self._targets: list[RequestStatus] = []
        self._now: dt.datetime | None = None

        self.move_button = QPushButton()
        self.move_menu = QMenu(self)
        self.move_button.setMenu(self.move_menu)
        self.selection_label = QLabel()
        self.selection_label.setWordWrap(True)
        self.selection_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        _bold(self.selection_label)
        self.placeholder = QLabel()
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # ---- the person
        self.person_box = QGroupBox()
        self.person_name = _value_label()
        _bold(self.person_name, 1.2)
        self.open_person_button = QPushButton()
        self.open_person_button.clicked.connect(self._open_person)
        self.edit_person_button = QPushButton()
        self.edit_person_button.clicked.connect(self._edit_person)
        self.safety_tag = QLabel()
        self.safety_tag.setStyleSheet(
            f"color: white; background: {SAFETY_COLOR}; border-radius: 3px; padding: 1px 5px; font-weight: bold;"
        )
        self.person_values = {key: _value_label() for key, _caption in PERSON_ROWS}
        self._captions: list[tuple[QLabel, str]] = []
        # Safety notes carry their warning above them.
        safety = QWidget()
        safety_layout = QVBoxLayout(safety)
        safety_layout.setContentsMargins(0, 0, 0, 0)
        safety_layout.setSpacing(2)
        safety_layout.addWidget(self.safety_tag, 0, Qt.AlignmentFlag.AlignLeft)
        safety_layout.addWidget(self.person_values["safety_notes"])
        fields: dict[str, QWidget] = {**self.person_values, "safety_notes": safety}
        person_layout = QVBoxLayout(self.person_box)
        person_layout.addWidget(self.person_name)
        self.person_form = self._form(PERSON_ROWS, fields)
        person_layout.addLayout(self.person_form)
        person_layout.addStretch(1)

        # ---- the request
        self.request_box = QGroupBox()
        self.request_values = {key: _value_label() for key, _caption in REQUEST_ROWS}
        request_layout = QVBoxLayout(self.request_box)
        request_layout.addLayout(self._form(REQUEST_ROWS, dict(self.request_values)))
        request_layout.addStretch(1)

        # ---- the history
        self.history_box = QGroupBox()
        self.history_list = QListWidget()
        self.history_list.setWordWrap(True)
        self.history_list.setAlternatingRowColors(True)
        self.history_list.setSpacing(1)
        self.history_list.setMinimumHeight(120)
        self.history_list.setFrameShape(QFrame.Shape.NoFrame)
        QVBoxLayout(self.history_box).addWidget(self.history_list)

        # Side by side under the queue: the person, the request, the history.
        detail = QWidget()
        detail_layout = QHBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        for box in (self.person_box, self.request_box, self.history_box):
            box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            detail_layout.addWidget(box, 1)
        self.detail_view = QScrollArea()
        self.detail_view.setWidgetResizable(True)
        self.detail_view.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_view.setWidget(detail)

        self.views = QStackedWidget()
        for view in (self.placeholder, self.selection_label, self.detail_view):
            self.views.addWidget(view)
        top = QHBoxLayout()
        top.addWidget(self.move_button)
        top.addWidget(self.open_person_button)
        top.addWidget(self.edit_person_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.views, 1)
        self.show_nothing()

    def _form(self, rows: tuple[tuple[str, str], ...], values: dict[str, QWidget]) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, caption in rows:
            label = QLabel()
            self._captions.append((label, caption))
            form.addRow(label, values[key])
        return form

    def show_safety_notes(self, shown: bool) -> None:
        """The safety notes row, for the roles that may read them (the service leaves them out
        for the others, so the row would only say there are none)."""
        row = [key for key, _caption in PERSON_ROWS].index("safety_notes")
        self.person_form.setRowVisible(row, shown)

    # ---- what it shows -------------------------------------------------------------------

    @property
    def detail(self) -> RequestDetail | None:
        return self._detail

    def show_nothing(self) -> None:
        self._detail, self._selected, self._targets = None, 0, []
        self.views.setCurrentWidget(self.placeholder)
        self.retranslate_ui()

    def show_selection(self, count: int, targets: list[RequestStatus]) -> None:
        """Several requests selected: how many, and the moves allowed for at least one of them."""
        self._detail, self._selected, self._targets = None, count, targets
        self.views.setCurrentWidget(self.selection_label)
        self.retranslate_ui()

    def show_detail(self, detail: RequestDetail, now: dt.datetime) -> None:
        """One request; `now` (naive UTC) counts how long it has waited."""
        self._detail, self._selected, self._targets = detail, 1, detail.allowed
        self._now = now
        self.views.setCurrentWidget(self.detail_view)
        self.retranslate_ui()

    def _open_person(self) -> None:
        if self._detail is not None:
            self.open_person.emit(self._detail.person.id)

    def _edit_person(self) -> None:
        if self._detail is not None and not self._detail.person.deleted:
            self.edit_person.emit(self._detail.person.id)

    def _fill_menu(self) -> None:
        self.move_menu.clear()
        forward = [s for s in self._targets if s not in CLOSING]
        closing = [s for s in self._targets if s in CLOSING]
        for group in (forward, closing):
            if group and not self.move_menu.isEmpty():
                self.move_menu.addSeparator()
            for status in group:
                action = QAction(_(status.label), self.move_menu)
                action.setData(status.value)
                action.triggered.connect(lambda _checked=False, s=status: self.move_to.emit(s))
                self.move_menu.addAction(action)
        self.move_button.setEnabled(bool(self._targets))
        self.open_person_button.setEnabled(self._detail is not None)
        self.edit_person_button.setEnabled(self._detail is not None and not self._detail.person.deleted)

    def _fill_detail(self, detail: RequestDetail) -> None:
        person, request = detail.person, detail.request
        self.person_name.setText(f"{person.name or EMPTY}  ({person.code})")
        values = {
            "phones": phones_text(person, self._region),
            "language": language_text(person),
            "address": person.address,
            "zone": person.zone,
            "delivery_notes": person.delivery_notes,
            "safety_notes": person.safety_notes,
        }
        for key, text in values.items():
            self.person_values[key].setText(text or EMPTY)
        self.person_values["safety_notes"].setStyleSheet(
            f"color: {SAFETY_COLOR};" if person.safety_notes else ""
        )
        request_values = {
            "need": request.need,
            "details": request.details,
            "urgency": enum_label(Urgency, request.urgency),
            "recurring": enum_label(Recurring, request.recurring),
            "status": status_label(request.status),
            "reason": request.status_reason,
            "follow_up": date_text(request.follow_up),
            "waiting": (
                _("%(age)s (since %(when)s)")
                % {"age": format_age(request.created_at, self._now), "when": when_text(request.created_at)}
                if self._now is not None
                else when_text(request.created_at)
            ),
        }
        for key, text in request_values.items():
            self.request_values[key].setText(text or EMPTY)
        self.request_box.setTitle(_("Request %(code)s") % {"code": request.code})
        self.history_list.clear()
        for entry in detail.history:
            headline, what = history_lines(entry)
            item = QListWidgetItem(f"{headline}\n{what}")
            item.setData(Qt.ItemDataRole.UserRole, entry.kind)
            self.history_list.addItem(item)
        if not detail.history:
            self.history_list.addItem(_("Nothing yet."))

    def retranslate_ui(self) -> None:
        self.move_button.setText(_("Change status"))
        self.move_button.setToolTip(_("Only the moves allowed from the current status are offered."))
        self.placeholder.setText(_("Select a request to see the person, the request and its history here."))
        self.selection_label.setText(
            ngettext(
                "%(count)s request selected. Change status moves each one that may move.",
                "%(count)s requests selected. Change status moves each one that may move.",
                self._selected,
            )
            % {"count": self._selected}
        )
        self.person_box.setTitle(_("Person"))
        self.open_person_button.setText(_("Open person"))
        self.edit_person_button.setText(_("Edit person…"))
        self.edit_person_button.setToolTip(
            _("Change their phone, address, language, notes and the rest.")
            if self._detail is None or not self._detail.person.deleted
            else _("An erased or merged record cannot be edited.")
        )
        self.safety_tag.setText(_("Coordinators only"))
        self.safety_tag.setToolTip(_("Never read these out to others and never print them."))
        self.history_box.setTitle(_("History: calls and status changes"))
        for label, caption in self._captions:
            label.setText(_(caption))
        self._fill_menu()
        if self._detail is not None:
            self._fill_detail(self._detail)
