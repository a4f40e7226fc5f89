"""A person's page: details, every call, request and delivery, merges; "Merge with…" for two
records of the same person; "Erase this person's data…" for privacy. Reached from the queue
("Open person"), not from the sidebar: it stands in for the screen it was opened from and its
Back button returns there. It reads, merges and erases through the desk's operation runner, and
reads again whenever an operation changed what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.access import Right
from aiddesk.domain.changes import Kind
from aiddesk.domain.enums import CallChannel, CallOutcome, DeliveryStatus, StopOutcome, Urgency
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import N_, _, current_language
from aiddesk.services.people import erasure
from aiddesk.services.people import person as people
from aiddesk.services.people.person import PersonPage as PersonData
from aiddesk.ui.common.field_error import problem_text
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.question import Role, ask
from aiddesk.ui.context import DeskContext
from aiddesk.ui.person.edit_dialog import EditPersonDialog
from aiddesk.ui.person.edited_text import edited_text
from aiddesk.ui.person.merge_dialog import MergePeopleDialog
from aiddesk.ui.requests.table_model import enum_label
from aiddesk.ui.requests.texts import (
    SAFETY_COLOR,
    contact_text,
    date_text,
    household_text,
    language_text,
    phones_text,
    status_label,
    when_text,
    yes_no,
)
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

EMPTY = "—"
# (key, caption) of the details, in two columns.
DETAILS_LEFT = (
    ("phones", N_("Phone:")),
    ("email", N_("E-mail:")),
    ("language", N_("Language:")),
    ("address", N_("Address:")),
    ("zone", N_("Zone:")),
    ("household", N_("Household:")),
    ("contact", N_("Contact by:")),
)
DETAILS_RIGHT = (
    ("dietary_needs", N_("Dietary needs:")),
    ("delivery_notes", N_("Delivery notes:")),
    ("elevated_risk", N_("Elevated risk:")),
    ("consent", N_("Consent:")),
    ("anonymous", N_("Anonymous:")),
    ("safety_notes", N_("Safety notes:")),
)
CALL_COLUMNS = (N_("When"), N_("Taken by"), N_("Came in by"), N_("Outcome"), N_("Notes"))
REQUEST_COLUMNS = (
    N_("Code"),
    N_("Need"),
    N_("Details"),
    N_("Urgency"),
    N_("Status"),
    N_("Follow-up"),
    N_("Taken"),
)
DELIVERY_COLUMNS = (
    N_("Date"),
    N_("Run"),
    N_("Time"),
    N_("Driver"),
    N_("Request"),
    N_("Stop"),
    N_("Run status"),
)
HISTORY_COLUMNS = (N_("When"), N_("Who"), N_("What"))


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)  # Tab leaves the list (it walked every cell)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def _fill(table: QTableWidget, headers: tuple[str, ...], rows: list[list[str]]) -> None:
    table.setHorizontalHeaderLabels([_(h) for h in headers])
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()  # a person's own rows: a few, never a big model
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, min(table.columnWidth(column), 260))


def _value_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class PersonPage(Refreshes, Retranslating, QWidget):
    """`back_requested` from Back (or Alt+Left)."""

    back_requested = Signal()
    shows = frozenset(
        {Kind.PERSON, Kind.CALL, Kind.REQUEST, Kind.DELIVERY, Kind.STOP, Kind.HISTORY, Kind.LABEL}
    )

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._wanted: str | None = None  # the person shown, or being read
        self._missing = False  # the person asked for is not on this desk
        self._data: PersonData | None = None
        self._language = ""  # the language need labels were read in
        self.merge_dialog: MergePeopleDialog | None = None
        self.edit_dialog: EditPersonDialog | None = None
        self.erase_question: QMessageBox | None = None  # the confirmation while it is open
        self._erased = False

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back_requested)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self, self.back_requested.emit)
        QShortcut(QKeySequence("Ctrl+E"), self, self.ask_edit)
        self.title = page_title()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edit_button = QPushButton()
        self.edit_button.clicked.connect(self.ask_edit)
        self.merge_button = QPushButton()
        self.merge_button.clicked.connect(self.ask_merge)
        self.erase_button = QPushButton()
        self.erase_button.clicked.connect(self.ask_erase)

        self.merged_note = QLabel()
        self.merged_note.setWordWrap(True)
        self.merged_note.setStyleSheet("background: palette(alternate-base); padding: 6px;")
        self.open_kept_button = QPushButton()
        self.open_kept_button.clicked.connect(self._open_kept)
        self.merged_bar = QFrame()
        merged_layout = QHBoxLayout(self.merged_bar)
        merged_layout.setContentsMargins(0, 0, 0, 0)
        merged_layout.addWidget(self.merged_note, 1)
        merged_layout.addWidget(self.open_kept_button)

        self.details_box = QGroupBox()
        self.values = {key: _value_label() for key, _c in (*DETAILS_LEFT, *DETAILS_RIGHT)}
        self.safety_tag = QLabel()
        self.safety_tag.setStyleSheet(
            f"color: white; background: {SAFETY_COLOR}; border-radius: 3px; padding: 1px 5px; font-weight: bold;"
        )
        self._captions: list[tuple[QLabel, str]] = []
        columns = QGridLayout(self.details_box)
        for column, rows in enumerate((DETAILS_LEFT, DETAILS_RIGHT)):
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key, caption in rows:
                label = QLabel()
                self._captions.append((label, caption))
                field: QWidget = self.values[key]
                if key == "safety_notes":
                    field = self._safety_field = QWidget()
                    self._safety_caption = label
                    box = QVBoxLayout(field)
                    box.setContentsMargins(0, 0, 0, 0)
                    box.setSpacing(2)
                    box.addWidget(self.safety_tag, 0, Qt.AlignmentFlag.AlignLeft)
                    box.addWidget(self.values[key])
                form.addRow(label, field)
            columns.addLayout(form, 0, column)
        columns.setColumnStretch(0, 1)
        columns.setColumnStretch(1, 1)

        self.tabs = QTabWidget()
        self.calls_table = _table(len(CALL_COLUMNS))
        self.requests_table = _table(len(REQUEST_COLUMNS))
        self.deliveries_table = _table(len(DELIVERY_COLUMNS))
        self.history_table = _table(len(HISTORY_COLUMNS))
        for table in (self.calls_table, self.requests_table, self.deliveries_table, self.history_table):
            self.tabs.addTab(table, "")

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.merge_button)
        top.addWidget(self.erase_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.merged_bar)
        layout.addWidget(self.details_box)
        layout.addWidget(self.tabs, 1)
        self.merged_bar.hide()
        self._clear()
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- showing a person ------------------------------------------------------------------

    @property
    def person_id(self) -> str | None:
        return self._data.person.id if self._data is not None else None

    @property
    def data(self) -> PersonData | None:
        return self._data

    def show_person(self, person_id: str) -> bool:
        """Show the person (read off the GUI thread). True: the page shows them once read, or
        says that they are not on this desk."""
        if person_id != self.person_id:
            self._data = None
            self._clear()
        self._wanted, self._missing = person_id, False
        self.retranslate_ui()
        self._read()
        return True

    def refresh(self) -> None:
        """Read the person shown again (after a change here or elsewhere)."""
        if self._wanted is not None:
            self._read()

    def _read(self) -> None:
        person_id, db, language = self._wanted, self._ctx.database, current_language()
        who = self._ctx.who
        assert person_id is not None

        def read() -> tuple[PersonData | None, bool]:
            data = people.person_page(db, person_id, language=language, who=who)
            return data, data is not None and erasure.is_erased(db, person_id)

        def show(result: tuple[PersonData | None, bool]) -> None:
            if person_id != self._wanted:  # another person was asked for meanwhile
                return
            data, erased = result
            self._missing = data is None
            self._data, self._language, self._erased = data, language, erased
            if data is None:
                self._clear()
            self.retranslate_ui()

        self._ctx.operations.query(read, show, key="person-page", parent=self)

    def apply_role(self) -> None:
        """What the person at the desk may not use is not shown: safety notes, merge, erase."""
        may_read = self._ctx.may(Right.SAFETY_NOTES)
        self._safety_caption.setVisible(may_read)
        self._safety_field.setVisible(may_read)
        self.merge_button.setVisible(self._ctx.may(Right.MERGE))
        self.erase_button.setVisible(self._ctx.may(Right.ERASE))

    def _clear(self) -> None:
        """Nothing shown (while another person is read, or none is found)."""
        for label in self.values.values():
            label.clear()
        for table in (self.calls_table, self.requests_table, self.deliveries_table, self.history_table):
            table.setRowCount(0)
        self.merged_bar.hide()
        self.edit_button.setEnabled(False)
        self.merge_button.setEnabled(False)
        self.erase_button.setEnabled(False)

    def _open_kept(self) -> None:
        if self._data is not None and self._data.replaced_by is not None:
            self.show_person(self._data.replaced_by.id)

    def ask_edit(self) -> EditPersonDialog | None:
        """The dialog editing the person's details (not for an erased or merged record)."""
        if self._data is None or self._data.person.deleted or self._erased:
            return None
        dialog = EditPersonDialog(self._ctx, self._data.person.id, parent=self)
        self.edit_dialog = dialog
        dialog.finished.connect(lambda _code: self._after_edit(dialog))
        dialog.open()
        return dialog

    def _after_edit(self, dialog: EditPersonDialog) -> None:
        self.edit_dialog = None
        dialog.deleteLater()  # a saved edit is read again by every screen showing the person

    def ask_merge(self) -> MergePeopleDialog | None:
        if self._data is None or self._data.person.deleted:
            return None
        dialog = MergePeopleDialog(self._ctx, self._data.person.id, parent=self)
        self.merge_dialog = dialog
        dialog.finished.connect(lambda _code: self._after_merge(dialog))
        dialog.open()
        return dialog

    def _after_merge(self, dialog: MergePeopleDialog) -> None:
        self.merge_dialog = None
        dialog.deleteLater()
        if dialog.kept_id is not None:  # the screens showing either record read again by themselves
            self.show_person(dialog.kept_id)

    def ask_erase(self) -> QMessageBox | None:
        """Ask (in plain words: it cannot be undone, it spreads to the other desks) and erase."""
        if self._data is None or self._erased:
            return None
        person = self._data.person
        text = _("Erase the personal data of %(name)s (%(code)s)?") % {
            "name": person.name or EMPTY,
            "code": person.code,
        }
        detail = "\n\n".join(
            (
                _(
                    "Their name, phone numbers, e-mail, address and notes will be emptied, and the "
                    "record deleted. Their calls and requests stay, without their name."
                ),
                _("This cannot be undone."),
                _("The next exchange of workbooks erases them at the other desks too."),
            )
        )
        choices = [
            ("erase", _("Erase the data"), Role.DestructiveRole),
            ("cancel", _("Cancel"), Role.RejectRole),
        ]
        box, buttons = ask(self, text, detail, choices, lambda key: self._erase_answered(key, person.id))
        box.setIcon(QMessageBox.Icon.Warning)
        box.setDefaultButton(buttons["cancel"])
        self.erase_question = box
        box.open()
        return box

    def _erase_answered(self, key: str, person_id: str) -> None:
        self.erase_question = None
        if key != "erase":
            return
        db, who = self._ctx.database, self._ctx.who

        def refused(failure: Failure) -> None:
            error = failure.error
            text = problem_text(error.problems[0]) if isinstance(error, Invalid) else failure.message
            self.merged_note.setText(text)
            self.merged_bar.show()

        # Once erased, the change read again shows the record emptied (here and on every screen).
        self._ctx.operations.write(
            lambda: erasure.erase_person(db, who, person_id), failed=refused, parent=self
        )

    # ---- texts -----------------------------------------------------------------------------

    def _fill_details(self, data: PersonData) -> None:
        person = data.person
        values = {
            "phones": phones_text(person, self._ctx.desk.phone_region),
            "email": person.email,
            "language": language_text(person),
            "address": person.address,
            "zone": person.zone,
            "household": household_text(person),
            "contact": contact_text(person),
            "dietary_needs": person.dietary_needs,
            "delivery_notes": person.delivery_notes,
            "elevated_risk": yes_no(person.elevated_risk),
            "consent": (
                _("Yes (script %(version)s)") % {"version": person.consent_version}
                if person.consent and person.consent_version
                else yes_no(person.consent)
            ),
            "anonymous": yes_no(person.anonymous),
            "safety_notes": person.safety_notes,
        }
        for key, text in values.items():
            self.values[key].setText(text or EMPTY)
        self.values["safety_notes"].setStyleSheet(f"color: {SAFETY_COLOR};" if person.safety_notes else "")
        # L10N: the person's page title: name and code
        # L10N: in place of the name of a person whose data was erased
        name = person.name or (_("(data erased)") if self._erased else EMPTY)
        self.title.setText(_("%(name)s (%(code)s)") % {"name": name, "code": person.code})
        kept = data.replaced_by
        self.merged_bar.setVisible(person.deleted)
        self.open_kept_button.setVisible(kept is not None)
        notes = []
        if kept is not None:
            notes.append(
                _("This record was merged into %(name)s (%(code)s); it is kept only for the history.")
                % {"name": kept.name, "code": kept.code}
            )
            self.open_kept_button.setText(_("Open %(name)s") % {"name": kept.name})
        if self._erased:
            notes.append(
                _(
                    "This person's data was erased for privacy. Their calls and requests are kept "
                    "for the history, without their name."
                )
            )
        elif kept is None and person.deleted:
            notes.append(_("This record was deleted; it is kept only for the history."))
        self.merged_note.setText(" ".join(notes))
        self.merge_button.setEnabled(not person.deleted)
        self.edit_button.setEnabled(not person.deleted and not self._erased)
        if not self.edit_button.isEnabled():
            self.edit_button.setToolTip(_("An erased or merged record cannot be edited."))
        self.erase_button.setEnabled(not self._erased)

    def _fill_tables(self, data: PersonData) -> None:
        _fill(
            self.calls_table,
            CALL_COLUMNS,
            [
                [
                    when_text(c.taken_at),
                    c.taken_by,
                    enum_label(CallChannel, c.channel),
                    enum_label(CallOutcome, c.outcome),
                    c.notes,
                ]
                for c in reversed(data.calls)  # newest first, like the requests
            ],
        )
        _fill(
            self.requests_table,
            REQUEST_COLUMNS,
            [
                [
                    r.code,
                    r.need,
                    r.details,
                    enum_label(Urgency, r.urgency),
                    status_label(r.status) + (f" — {r.status_reason}" if r.status_reason else ""),
                    date_text(r.follow_up),
                    when_text(r.created_at),
                ]
                for r in data.requests
            ],
        )
        _fill(
            self.deliveries_table,
            DELIVERY_COLUMNS,
            [
                [
                    date_text(d.date),
                    d.delivery_code,
                    f"{d.window_start}–{d.window_end}" if d.window_start else "",
                    d.volunteer_name,
                    d.request_code,
                    enum_label(StopOutcome, d.stop_outcome),
                    enum_label(DeliveryStatus, d.delivery_status),
                ]
                for d in data.deliveries
            ],
        )
        _fill(
            self.history_table,
            HISTORY_COLUMNS,
            [
                [
                    when_text(e.at),
                    e.who,
                    edited_text(e.detail)
                    if e.what == "edited"
                    else _("Merged %(other)s into %(kept)s")
                    % {
                        "other": e.detail.get("other_code", ""),
                        "kept": e.detail.get("kept_code", ""),
                    },
                ]
                for e in data.events
            ],
        )
        counts = (len(data.calls), len(data.requests), len(data.deliveries), len(data.events))
        names = (_("Calls (%(n)s)"), _("Requests (%(n)s)"), _("Deliveries (%(n)s)"), _("History (%(n)s)"))
        for index, (name, count) in enumerate(zip(names, counts, strict=True)):
            self.tabs.setTabText(index, name % {"n": count})

    def retranslate_ui(self) -> None:
        self.back_button.setText(_("← Back"))
        self.back_button.setToolTip(_("Back to the screen you came from (Alt+Left)"))
        self.edit_button.setText(_("Edit details…"))
        self.edit_button.setToolTip(_("Change their phone, address, language, notes and the rest (Ctrl+E)."))
        self.merge_button.setText(_("Merge with…"))
        self.merge_button.setToolTip(_("This person was entered twice: merge the two records into one."))
        self.erase_button.setText(_("Erase this person's data…"))
        self.erase_button.setToolTip(
            _("When a person asks to be forgotten: empty their personal details here and at every desk.")
        )
        self.details_box.setTitle(_("Details"))
        self.safety_tag.setText(_("Coordinators only"))
        self.safety_tag.setToolTip(_("Never read these out to others and never print them."))
        for label, caption in self._captions:
            label.setText(_(caption))
        if self._data is None:
            self.title.setText(_("Person"))
            self.merged_note.setText(_("This person is not on this desk.") if self._missing else "")
            self.merged_bar.setVisible(self._missing)
            self.open_kept_button.hide()
            return
        self._fill_details(self._data)
        self._fill_tables(self._data)
        if self._language != current_language():
            self._read()  # need and zone labels in the new language
