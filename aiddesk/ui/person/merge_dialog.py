"""Merging two records of the same person: find the other record, see both side by side, choose
which one stays. The other becomes a merged record (kept for the history, no longer found by
searches); its requests and calls move over and it fills the empty fields of the one that stays.

The search, the side-by-side view and the merge itself go through the desk's operation runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

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
from aiddesk.services.intake import lookup
from aiddesk.services.people import person as people
from aiddesk.services.people.person import MergePlan, MergeResult, PersonInfo
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.context import DeskContext
from aiddesk.ui.requests.texts import contact_text, household_text, language_text, phones_text
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

if TYPE_CHECKING:
    from aiddesk.services.intake.lookup import PersonMatch

T = TypeVar("T")

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


def _refusal_or(work: Callable[[], T]) -> Callable[[], T | Invalid]:
    """`work` answering a refusal (Invalid) as its result: it is an answer to show, not a failure
    to log (its message may name the person)."""

    def run() -> T | Invalid:
        try:
            return work()
        except Invalid as refused:
            return refused

    return run


class MergePeopleDialog(Retranslating, QDialog):
    """`kept_id` is the record that stayed once the merge is done (None until then)."""

    def __init__(self, ctx: DeskContext, person_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._region = ctx.desk.phone_region
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
        """List the records matching what is typed (read off the GUI thread, the latest answer only)."""
        db, region, me = self._ctx.database, self._region, self._person_id

        def show(matches: list[PersonMatch]) -> None:
            self.results.clear()
            for match in matches:
                if match.id == me:
                    continue
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, match.id)
                item.setText(
                    " — ".join(t for t in (match.name, match.code, match.phone_raw, match.address) if t)
                )
                self.results.addItem(item)

        self._ctx.operations.query(
            lambda: lookup.find_callers(db, typed, region), show, key="merge-search", parent=self
        )

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
        """Read what merging the chosen pair would do (or why it cannot be done)."""
        self.error.clear_problem()
        self._plan = None
        self.merge_button.setEnabled(False)
        pair = self._keep_and_other()
        self.retranslate_ui()
        if pair is None:
            return
        db, language = self._ctx.database, current_language()

        def show(plan: MergePlan | Invalid) -> None:
            if pair != self._keep_and_other():  # another choice was made meanwhile
                return
            if isinstance(plan, Invalid):
                self.error.show_problem(plan.problems[0])
            else:
                self._plan = plan
            self.merge_button.setEnabled(self._plan is not None)
            self.retranslate_ui()

        self._ctx.operations.query(
            _refusal_or(lambda: people.plan_merge(db, *pair, language=language)),
            show,
            failed=self._failed,
            key="merge-plan",
            parent=self,
        )

    def try_merge(self) -> None:
        pair = self._keep_and_other()
        if pair is None or not self.merge_button.isEnabled():
            return
        self.merge_button.setEnabled(False)  # until the merge answers
        db, who = self._ctx.database, self._ctx.who

        def merged(result: MergeResult | Invalid) -> None:
            self.merge_button.setEnabled(True)
            if isinstance(result, Invalid):
                self.error.show_problem(result.problems[0])
                return
            self.kept_id = result.keep_id
            self.accept()

        def failed(failure: Failure) -> None:
            self.merge_button.setEnabled(True)
            self._failed(failure)

        self._ctx.operations.write(
            _refusal_or(lambda: people.merge_people(db, who, *pair)), merged, failed=failed, parent=self
        )

    def _failed(self, failure: Failure) -> None:
        self.error.show_text(failure.message)

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
