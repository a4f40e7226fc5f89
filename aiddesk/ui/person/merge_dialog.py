"""Merging two records of the same person: find the other record, see both side by side, choose
which one stays. The other becomes a merged record (kept for the history, no longer found by
searches); its requests and calls move over and it fills the empty fields of the one that stays."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import N_, _, current_language, ngettext
from aiddesk.services import lookup, people
from aiddesk.services.people import MergePlan
from aiddesk.store.database import Database
from aiddesk.store.repositories.person_detail import PersonInfo
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.requests.texts import contact_text, household_text, language_text, phones_text
from aiddesk.ui.retranslate import Retranslating

# Rows of the side-by-side view: (key, caption); the fields a merge may fill map onto them.
ROWS = (
    ("name", N_("Name")),
    ("phones", N_("Phones")),
    ("email", N_("E-mail")),
    ("language", N_("Language")),
    ("address", N_("Address")),
    ("zone", N_("Zone")),
    ("household", N_("Household")),
    ("dietary_needs", N_("Dietary needs")),
    ("delivery_notes", N_("Delivery notes")),
    ("safety_notes", N_("Safety notes")),
    ("contact", N_("Contact by")),
    ("calls", N_("Calls")),
    ("requests", N_("Requests")),
)
ROW_OF_FIELD = {
    "name": "name",
    "phone": "phones",
    "phone_raw": "phones",
    "phone2": "phones",
    "phone2_raw": "phones",
    "email": "email",
    "language": "language",
    "needs_interpreter": "language",
    "address": "address",
    "zone_id": "zone",
    "household_size": "household",
    "dietary_needs": "dietary_needs",
    "delivery_notes": "delivery_notes",
    "safety_notes": "safety_notes",
    "contact_method": "contact",
    "contact_time": "contact",
}


def _texts(person: PersonInfo, region: str) -> dict[str, str]:
    return {
        "name": person.name,
        "phones": phones_text(person, region),
        "email": person.email,
        "language": language_text(person),
        "address": person.address,
        "zone": person.zone,
        "household": household_text(person),
        "dietary_needs": person.dietary_needs,
        "delivery_notes": person.delivery_notes,
        "safety_notes": person.safety_notes,
        "contact": contact_text(person),
    }


class MergePeopleDialog(Retranslating, QDialog):
    """`kept_id` is the record that stayed once the merge is done (None until then)."""

    def __init__(
        self, db: Database, who: str, region: str, person_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._who = who
        self._region = region
        self._person_id = person_id
        self._other_id: str | None = None
        self._plan: MergePlan | None = None
        self.kept_id: str | None = None
        self.resize(760, 640)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search)
        self.results = QListWidget()
        self.results.setMaximumHeight(130)
        self.results.currentItemChanged.connect(self._picked)
        self.compare = QTableWidget(len(ROWS), 2)
        self.compare.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.compare.setWordWrap(True)
        self.compare.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.keep_this = QRadioButton()
        self.keep_other = QRadioButton()
        self.keep_this.setChecked(True)
        self.keep_this.toggled.connect(self._replan)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = FieldError()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = QPushButton()
        self.merge_button.setEnabled(False)
        self.buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.try_merge)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.compare, 1)
        layout.addWidget(self.keep_this)
        layout.addWidget(self.keep_other)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    # ---- choosing --------------------------------------------------------------------------

    @property
    def other_id(self) -> str | None:
        return self._other_id

    @property
    def plan(self) -> MergePlan | None:
        return self._plan

    def _search(self, typed: str) -> None:
        self.results.clear()
        for match in lookup.find_callers(self._db, typed, self._region):
            if match.id == self._person_id:
                continue
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, match.id)
            item.setText(" — ".join(t for t in (match.name, match.code, match.phone_raw, match.address) if t))
            self.results.addItem(item)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.choose_other(str(item.data(Qt.ItemDataRole.UserRole)))

    def choose_other(self, other_id: str) -> None:
        """Compare with `other_id` (what picking it in the list does)."""
        self._other_id = other_id
        self._replan()

    def _keep_and_other(self) -> tuple[str, str] | None:
        if self._other_id is None:
            return None
        if self.keep_this.isChecked():
            return self._person_id, self._other_id
        return self._other_id, self._person_id

    def _replan(self) -> None:
        self.error.clear_problem()
        self._plan = None
        pair = self._keep_and_other()
        if pair is not None:
            try:
                self._plan = people.plan_merge(self._db, *pair, language=current_language())
            except Invalid as invalid:
                self.error.show_problem(invalid.problems[0])
        self.merge_button.setEnabled(self._plan is not None)
        self.retranslate_ui()

    def try_merge(self) -> None:
        pair = self._keep_and_other()
        if pair is None:
            return
        try:
            result = people.merge_people(self._db, self._who, *pair)
        except Invalid as invalid:
            self.error.show_problem(invalid.problems[0])
            return
        self.kept_id = result.keep_id
        self.accept()

    # ---- texts -----------------------------------------------------------------------------

    def _fill_compare(self, plan: MergePlan | None) -> None:
        self.compare.setVerticalHeaderLabels([_(caption) for _key, caption in ROWS])
        if plan is None:
            self.compare.setHorizontalHeaderLabels([_("Stays"), _("Merged into it")])
            for row in range(len(ROWS)):
                for column in range(2):
                    self.compare.setItem(row, column, QTableWidgetItem(""))
            return
        self.compare.setHorizontalHeaderLabels(
            [
                _("Stays: %(code)s") % {"code": plan.keep.code},
                _("Merged into it: %(code)s") % {"code": plan.other.code},
            ]
        )
        keep, other = _texts(plan.keep, self._region), _texts(plan.other, self._region)
        for side, counts in ((keep, 0), (other, 1)):
            side["calls"] = str(plan.calls[counts])
            side["requests"] = str(plan.requests[counts])
        filled_rows = {ROW_OF_FIELD[f] for f in plan.filled}
        after = _texts(_with(plan.keep, plan.filled, plan.other), self._region)
        for row, (key, _caption) in enumerate(ROWS):
            kept_text = keep[key]
            item = QTableWidgetItem(kept_text)
            if key in filled_rows:
                item = QTableWidgetItem(_("%(value)s (from the other record)") % {"value": after[key]})
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.compare.setItem(row, 0, item)
            self.compare.setItem(row, 1, QTableWidgetItem(other[key]))

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Merge two records of one person"))
        self.intro.setText(
            _(
                "Find the other record of the same person by name or phone number, then choose which record stays."
            )
        )
        self.search_edit.setPlaceholderText(_("Name or phone number of the other record"))
        self.search_edit.setAccessibleName(_("Find the other record"))
        self.merge_button.setText(_("Merge"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        plan = self._plan
        this, other = (plan.keep, plan.other) if plan and self.keep_this.isChecked() else (None, None)
        if plan and not self.keep_this.isChecked():
            this, other = plan.other, plan.keep
        self.keep_this.setText(
            _("Keep this record (%(code)s)") % {"code": this.code} if this else _("Keep this record")
        )
        self.keep_other.setText(
            _("Keep the other record (%(code)s)") % {"code": other.code}
            if other
            else _("Keep the other record")
        )
        self._fill_compare(plan)
        if plan is None:
            self.note.setText(_("Pick the other record in the list above."))
            return
        moving = _("Moving to the record that stays: %(requests)s and %(calls)s.") % {
            "requests": ngettext("%(n)s request", "%(n)s requests", plan.requests[1])
            % {"n": plan.requests[1]},
            "calls": ngettext("%(n)s call", "%(n)s calls", plan.calls[1]) % {"n": plan.calls[1]},
        }
        filled = sorted({_(dict(ROWS)[ROW_OF_FIELD[f]]) for f in plan.filled})
        filling = (
            _("Empty fields of the record that stays are filled from the other: %(fields)s.")
            % {"fields": ", ".join(filled)}
            if filled
            else _("The record that stays has no empty field the other could fill.")
        )
        gone = _("The other record is kept as merged, for the history; searches no longer find it.")
        self.note.setText(" ".join((moving, filling, gone)))


def _with(person: PersonInfo, changes: dict[str, object], other: PersonInfo) -> PersonInfo:
    """`person` with the merge's filled fields (to show what the kept record will hold)."""
    shown = {k: v for k, v in changes.items() if hasattr(person, k)}
    if "zone_id" in changes:
        shown["zone"] = other.zone
    return replace(person, **shown)  # type: ignore[arg-type]
