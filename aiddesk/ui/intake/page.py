"""The Intake screen: log a call in under a minute, from the keyboard.

Focus starts on the phone; Enter moves on (not in the call notes), Tab follows
the form; Ctrl+S saves, Ctrl+N starts a new call, Esc asks before discarding,
Ctrl+Shift+N adds a need. As a number or a name is typed, the side panel lists
earlier callers (Ctrl+Down/Up choose, Ctrl+Enter or Alt+1..9 take the call for
them). What is typed is kept as a draft within half a second of each change and
offered back after a crash.

Everything the screen reads or saves goes through the desk's operation runner
(`ctx.operations`): the lookups as the caller's number is typed, the known
caller, the lists, the consent script, the drafts and the call itself, so the
form never waits on the database."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import Changes, Kind
from aiddesk.domain.intake import IntakeForm, merge_person, person_part, phone_warning, script_language
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language
from aiddesk.services.desk import consent as consent_service
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk.consent import ConsentScript
from aiddesk.services.desk.labels import Label
from aiddesk.services.intake import calls as intake_service
from aiddesk.services.intake import drafts as drafts_service
from aiddesk.services.intake.calls import (
    CallerMatch,
    Duplicate,
    DuplicateCaller,
    KnownCaller,
    OtherCaller,
    SavedCall,
    search_key,
)
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.question import Choice, ask
from aiddesk.ui.context import DeskContext
from aiddesk.ui.intake.call_fields import CallFields
from aiddesk.ui.intake.caller_fields import CallerFields
from aiddesk.ui.intake.caller_panel import CallerPanel
from aiddesk.ui.intake.consent_box import ConsentBox
from aiddesk.ui.intake.form_columns import FormColumns
from aiddesk.ui.intake.keys import EnterMovesOn, add_shortcuts
from aiddesk.ui.intake.messages import (
    discard_question,
    duplicate_question,
    other_caller_question,
    restore_question,
    saved_message,
)
from aiddesk.ui.intake.needs_editor import NeedsEditor
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 400  # a draft is written this long after the last change
PANEL_WIDTH = 250


LIST_KINDS = frozenset({Kind.LABEL, Kind.DESK})  # the need categories, zones and the consent script


class IntakePage(Refreshes, Retranslating, QWidget):
    """The form of one call. A saved call reaches the other screens through the change notifier;
    this one reads again its lists, the consent script and the callers it lists when they change."""

    shows = frozenset({Kind.LABEL, Kind.DESK, Kind.PERSON, Kind.CALL, Kind.REQUEST, Kind.DELIVERY})

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._draft_id = drafts_service.new_draft_id()  # also names the call being typed
        self._draft_written = False  # a draft of this call may be stored
        self._saving = False  # the call is on its way to the database
        self._lists_read = False  # the need categories and zones arrived once
        self._script = consent_service.DEFAULT  # until the desk's own script is read
        self._person_id: str | None = None
        self._before_attach: IntakeForm | None = None  # what was typed before a caller was chosen
        self._filling = False
        self._shown_once = False
        self._postponed: set[str] = set()  # drafts the user said "not now" to
        self.question: QMessageBox | None = None  # the open question, if any
        self.question_buttons: dict[str, QPushButton] = {}
        self.last_saved: SavedCall | None = None
        self._last_query: str | None = None  # the search behind the listed callers
        self._typed = ""  # the text that search was typed as
        self._matches: list[CallerMatch] = []

        self.title = page_title()
        self.keys_hint = QLabel()
        self.keys_hint.setWordWrap(True)
        self.keys_hint.setEnabled(False)
        self.saved_label = QLabel()
        self.saved_label.setObjectName("savedCall")
        self.saved_label.setStyleSheet("QLabel#savedCall { color: #1b5e20; font-weight: bold; }")
        self.saved_label.setWordWrap(True)
        self.saved_label.hide()
        self.notice = QLabel()
        self.notice.setObjectName("intakeNotice")
        self.notice.setStyleSheet("QLabel#intakeNotice { color: #0b4f8a; font-weight: bold; }")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.caller = CallerFields()
        self.consent_box = ConsentBox()
        self.needs_editor = NeedsEditor()
        self.call_box = CallFields()
        self.panel = CallerPanel()
        self.panel.setFixedWidth(PANEL_WIDTH)
        self.save_button = QPushButton()
        self.save_button.setDefault(False)
        self.new_button = QPushButton()
        self.form_error = FieldError()

        right = QVBoxLayout()
        right.addWidget(self.consent_box)
        right.addWidget(self.needs_editor)
        right.addWidget(self.call_box)
        right.addStretch(1)
        content = self.form_content = FormColumns(self.caller, right)
        self.form_scroll = QScrollArea()
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFocusPolicy(
            Qt.FocusPolicy.NoFocus
        )  # Tab: no stop between the sidebar and the phone
        self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.form_scroll.setWidget(content)
        content.follow(self.form_scroll.viewport())

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.form_error, 1)
        left = QVBoxLayout()
        left.addWidget(self.form_scroll, 1)
        left.addLayout(buttons)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.keys_hint)
        layout.addWidget(self._message_row())
        layout.addLayout(body, 1)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.write_draft)
        self._offer_timer = QTimer(self)  # a child: it dies with the page (a bare singleShot would not)
        self._offer_timer.setSingleShot(True)
        self._offer_timer.setInterval(0)
        self._offer_timer.timeout.connect(self.offer_drafts)
        self._enter = EnterMovesOn(self._next_field, self)
        self._connect()
        self._shortcuts()
        self._update_tab_order()
        self.retranslate_ui()
        self.consent_box.consent_check.setEnabled(False)  # until the desk's script is read
        self.reload_lists()  # then drafts are offered (a draft's zone and needs need the lists)
        self.follow_changes(ctx.operations.notifier)

    # ---- wiring ----------------------------------------------------------------------------

    def _message_row(self) -> QWidget:
        """The saved-call message and the notice, in a row whose line is always there: a message
        appearing does not push the form down under the volunteer's cursor."""
        row = QWidget()
        row.setObjectName("intakeMessages")
        messages = QVBoxLayout(row)
        messages.setContentsMargins(0, 0, 0, 0)
        messages.setSpacing(2)
        messages.addWidget(self.saved_label)
        messages.addWidget(self.notice)
        bold = QFont(self.saved_label.font())
        bold.setBold(True)
        row.setMinimumHeight(QFontMetrics(bold).height() + 2)
        return row

    def _connect(self) -> None:
        for part in (self.caller, self.consent_box, self.needs_editor, self.call_box):
            part.changed.connect(self._changed)
        self.needs_editor.rows_changed.connect(self._update_tab_order)
        self.caller.phone_edit.textEdited.connect(self.look_up)
        self.caller.name_edit.textEdited.connect(self.look_up)
        self.caller.phone_edit.editingFinished.connect(self._check_phone)
        self.caller.language_box.changed.connect(self._show_consent)
        self.panel.pick_requested.connect(self.attach)
        self.panel.detach_requested.connect(self.detach)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_call)

    def _shortcuts(self) -> None:
        bindings: list[tuple[QKeySequence | str, Callable[[], object]]] = [
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence(QKeySequence.StandardKey.New), self.new_call),
            ("Esc", self.new_call),
            ("Ctrl+Shift+N", self.add_need),
            ("Ctrl+Shift+Del", self.remove_need),
            ("Ctrl+Down", lambda: self.panel.move_selection(1)),
            ("Ctrl+Up", lambda: self.panel.move_selection(-1)),
            ("Ctrl+Return", self.pick_selected),
            ("Ctrl+Enter", self.pick_selected),
        ]
        bindings += [(f"Alt+{n}", partial(self.attach, n - 1)) for n in range(1, 10)]
        self.shortcuts = add_shortcuts(self, bindings)

    def _inputs(self) -> list[QWidget]:
        return [
            *self.caller.inputs(),
            self.consent_box.consent_check,
            *self.needs_editor.inputs(),
            self.needs_editor.add_button,
            *self.call_box.inputs(),
            self.save_button,
            self.new_button,
        ]

    def _update_tab_order(self) -> None:
        inputs = self._inputs()
        for first, second in zip(inputs, inputs[1:], strict=False):
            QWidget.setTabOrder(first, second)
        for widget in inputs:
            if isinstance(widget, QLineEdit | QComboBox | QCheckBox):
                self._enter.watch(widget)

    def _next_field(self) -> None:
        self.focusNextPrevChild(True)
        self._reveal_focus()

    def _reveal_focus(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and self.form_content.isAncestorOf(focus):
            self.form_scroll.ensureWidgetVisible(focus)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # Refreshes: reads again what changed while hidden
        if not self._shown_once:
            self._shown_once = True
            self.caller.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.write_draft()
        super().hideEvent(event)

    def changes_arrived(self, changes: Changes) -> None:
        """While shown, read again only what changed: the lists and the consent script after a
        change of the labels or the desk's settings, not after every call saved (here, or
        elsewhere during an exchange pass: issue 13); the callers after any change of theirs."""
        if not changes.touches(self.shows) or not self.isVisible():
            super().changes_arrived(changes)  # hidden: everything, when shown next
            return
        if changes.touches(LIST_KINDS):
            self.reload_lists()
        if changes.touches(self.shows - {Kind.DESK}):
            self._read_callers_again()

    def refresh(self) -> None:
        """Read again what the form offers and shows: the lists, the consent script, the earlier
        callers listed and the caller the call is for (after a change here or elsewhere)."""
        self.reload_lists()
        self._read_callers_again()

    def _read_callers_again(self) -> None:
        if self._last_query is not None:
            self._read_callers(self._typed)
        if self._person_id is not None:
            self._show_attached()

    def reload_lists(self) -> None:
        """Need categories, zones and the consent script as they are now."""
        db = self._ctx.database

        def read() -> tuple[list[Label], list[Label], ConsentScript]:
            return (
                labels_service.list_labels(db, "zone"),
                labels_service.list_labels(db, "need_category"),
                consent_service.get_script(db),
            )

        def show(lists: tuple[list[Label], list[Label], ConsentScript]) -> None:
            zones, categories, self._script = lists
            self.caller.set_zones(zones)
            self.needs_editor.set_categories(categories)
            self._show_consent()
            if not self._lists_read:
                self._lists_read = True
                self.consent_box.consent_check.setEnabled(True)  # the version read aloud is known now
                self._offer_timer.start()

        self._ctx.operations.query(read, show, key="intake-lists")

    # ---- the form --------------------------------------------------------------------------

    def read_form(self) -> IntakeForm:
        form = IntakeForm(person_id=self._person_id)
        self.caller.read_into(form)
        form.consent, form.consent_version = self.consent_box.consent()
        self.call_box.read_into(form)
        form.needs = self.needs_editor.needs()
        return form

    def show_form(self, form: IntakeForm, known: KnownCaller | None = None) -> None:
        """Fill the form; `known` is the caller it is attached to when already read."""
        self._filling = True
        try:
            self.caller.show_form(form)
            self.consent_box.set_consent(form.consent, form.consent_version)
            self.call_box.show_form(form)
            self.needs_editor.set_needs(form.needs)
            self._person_id = form.person_id
        finally:
            self._filling = False
        self._show_attached(known)
        self._show_consent()

    def clear_form(self) -> None:
        """A fresh form for the next call, focus on the phone."""
        self._draft_timer.stop()
        self._before_attach = None
        self.show_form(IntakeForm())
        self._clear_errors()
        self.caller.show_phone_warning(None)
        self._last_query, self._typed, self._matches = None, "", []
        self.panel.show_matches([], "", self._region())
        self._draft_id = drafts_service.new_draft_id()
        self._draft_written = False
        self.caller.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.form_scroll.ensureVisible(0, 0)

    def _changed(self) -> None:
        # While the call is being saved no draft is written: it would outlive the saved call.
        if not self._filling and not self._saving:
            self._draft_timer.start()
            self.saved_label.hide()  # the next call is being typed: the last one's codes were read

    def _region(self) -> str:
        return self._ctx.desk.phone_region

    def _show_consent(self) -> None:
        language = script_language(self.caller.language_box.language(), current_language())
        self.consent_box.show_script(self._script, language)

    def _check_phone(self) -> None:
        self.caller.show_phone_warning(phone_warning(self.caller.phone_edit.text(), self._region()))

    def add_need(self) -> None:
        self.needs_editor.add_need()
        self._reveal_focus()

    def remove_need(self) -> None:
        row = self.needs_editor.focused_row()
        if row is not None:
            self.needs_editor.remove_row(row)
            self._reveal_focus()

    # ---- earlier callers -------------------------------------------------------------------

    def look_up(self, typed: str) -> None:
        """List the people matching what was just typed in the phone or the name (every keystroke,
        read off the GUI thread; only the answer for the latest text shows). A key that does not
        change the search, like the dash of a number, reads nothing."""
        self._typed = typed
        if search_key(typed) != self._last_query:
            self._read_callers(typed)
        else:
            self.panel.show_matches(self._matches, typed, self._region())
        if self.caller.phone_warning.isVisible():
            self._check_phone()

    def _read_callers(self, typed: str) -> None:
        query = self._last_query = search_key(typed)
        db, region = self._ctx.database, self._region()

        def show(matches: list[CallerMatch]) -> None:
            if query != self._last_query:  # the form was cleared meanwhile
                return
            self._matches = matches
            self.panel.show_matches(matches, self._typed, region)

        self._ctx.operations.query(
            lambda: intake_service.look_up_callers(db, typed, region), show, key="intake-callers"
        )

    def pick_selected(self) -> None:
        row = self.panel.selected_row()
        self.attach(row if row >= 0 else 0)

    def attach(self, row: int) -> None:
        """The call is for the listed person `row`: fill what is known of them (once read)."""
        match = self.panel.match_at(row)
        if match is None:
            return
        call = self._draft_id

        def fill(known: KnownCaller | None) -> None:
            if call != self._draft_id:  # another call by now
                return
            if known is None:  # merged away or deleted since the list was shown: list again
                self._read_callers(self.caller.phone_edit.text() or self.caller.name_edit.text())
                return
            typed = self.read_form()
            if self._person_id is None:
                self._before_attach = typed
            self.show_form(merge_person(typed, known.form, prefer_typed=False), known)
            self._check_phone()
            self._changed()
            rows = self.needs_editor.row_widgets
            focus = rows[0].category_box if rows else self.caller.name_edit
            focus.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._reveal_focus()

        self._read_known(match.id, fill)

    def _read_known(self, person_id: str, done: Callable[[KnownCaller | None], None]) -> None:
        db, region, who = self._ctx.database, self._region(), self._ctx.who
        self._ctx.operations.query(
            lambda: intake_service.known_caller(db, person_id, region, who=who), done, key="intake-known"
        )

    def detach(self) -> None:
        """Not that person after all: the caller's fields go back to what was typed before."""
        form = self.read_form()
        before = self._before_attach or IntakeForm()
        for name, value in person_part(before).items():
            setattr(form, name, value)
        form.person_id = None
        self._before_attach = None
        self.show_form(form)
        self._changed()
        self.caller.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_attached(self, known: KnownCaller | None = None) -> None:
        """Who the call is for: `known` when just read, else read (they may have been merged)."""
        person_id = self._person_id
        if person_id is None:
            self.panel.show_attached(None)
            return
        if known is not None and known.form.person_id == person_id:
            self.panel.show_attached((known.form.name, known.code))
            return

        def show(found: KnownCaller | None) -> None:
            if self._person_id != person_id:  # the form moved on meanwhile
                return
            if found is None:
                self._person_id = None
                self.panel.show_attached(None)
            else:
                self._person_id = found.form.person_id
                self.panel.show_attached((found.form.name, found.code))

        db, region, who = self._ctx.database, self._region(), self._ctx.who
        self._ctx.operations.query(
            lambda: intake_service.known_caller(db, person_id, region, who=who), show, key="intake-attached"
        )

    # ---- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        if self.question is None and not self._saving:
            self._save(self.read_form(), allow_duplicate=False)

    def _save(self, form: IntakeForm, *, allow_duplicate: bool, change_caller: bool = False) -> None:
        """Save on the writer thread; a refused field is shown by its field, a caller already on
        the desk is asked about (and so is a known caller whose name and phone were both typed
        over), and what was typed stays until the call is saved."""
        self._clear_errors()
        self.saved_label.hide()
        self._draft_timer.stop()
        self._saving = True
        db, who, region, draft_id = self._ctx.database, self._ctx.who, self._region(), self._draft_id

        def work() -> SavedCall | DuplicateCaller | OtherCaller:
            try:
                return intake_service.save_call(
                    db,
                    who,
                    form,
                    region,
                    allow_duplicate=allow_duplicate,
                    change_caller=change_caller,
                    draft_id=draft_id,
                )
            except (DuplicateCaller, OtherCaller) as found:  # a question for the volunteer, not a failure
                return found

        def answered(result: SavedCall | DuplicateCaller | OtherCaller) -> None:
            self._saving = False
            if isinstance(result, DuplicateCaller):
                self._draft_timer.start()  # keeps the last keys typed while the question is open
                self._ask_duplicate(form, result.duplicates[0])
                return
            if isinstance(result, OtherCaller):
                self._draft_timer.start()
                self._ask_other_caller(form, result)
                return
            self.last_saved = result
            self._saved_text()
            self.saved_label.show()
            self.clear_form()
            self._offer_timer.start()

        def refused(failure: Failure) -> None:
            self._saving = False
            if isinstance(failure.error, Invalid):
                self._show_problems(failure.error)
            else:
                self.form_error.show_text(failure.message)
            self._draft_timer.start()

        self._ctx.operations.write(work, answered, failed=refused, parent=self)

    def _ask_duplicate(self, form: IntakeForm, duplicate: Duplicate) -> None:
        def answered(choice: str) -> None:
            if choice == "attach":
                self._attach_duplicate(form, duplicate.person.id)
            elif choice == "new":
                self._save(form, allow_duplicate=True)
            else:
                self.caller.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ask(*duplicate_question(duplicate), answered)

    def _ask_other_caller(self, form: IntakeForm, known: OtherCaller) -> None:
        def answered(choice: str) -> None:
            if choice == "new":
                self._as_new_caller(form)
            elif choice == "change":
                self._save(form, allow_duplicate=False, change_caller=True)
            else:
                self.caller.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

        self.ask(*other_caller_question(known), answered)

    def _as_new_caller(self, form: IntakeForm) -> None:
        """Another caller: the form leaves the known person, keeping the name and phone just typed
        and what was typed before they were chosen (never their address or notes); the volunteer
        checks, then saves again (which asks about a caller already on the desk, as ever)."""
        before = person_part(self._before_attach or IntakeForm())
        before.update(person_id=None, name=form.name, phone=form.phone)
        self._before_attach = None
        self.show_form(replace(form, **before))
        self._changed()
        self.notice.show()
        self.caller.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._reveal_focus()

    def _attach_duplicate(self, form: IntakeForm, person_id: str) -> None:
        """The call is theirs: their record fills what was not typed; the volunteer checks, then saves."""
        call = self._draft_id

        def fill(known: KnownCaller | None) -> None:
            if call != self._draft_id:
                return
            if known is None:
                self._save(form, allow_duplicate=True)
                return
            self._before_attach = form
            self.show_form(merge_person(form, known.form, prefer_typed=True), known)
            self._changed()
            self.notice.show()
            self.caller.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self._reveal_focus()

        self._read_known(person_id, fill)

    def _show_problems(self, refused: Invalid) -> None:
        errors = {**self.caller.errors, **self.call_box.errors}
        for problem in refused.problems:
            error = self.needs_editor.error_for(problem.field)
            if error is not None:
                errors[problem.field] = error
        show_problems(errors, refused, self.form_error)
        self.caller.show_phone_error_alone()
        first = refused.problems[0].field
        widget = (
            self.caller.field_widget(first)
            or self.call_box.field_widget(first)
            or self.needs_editor.field_widget(first)
        )
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self._reveal_focus()

    def _clear_errors(self) -> None:
        self.notice.hide()
        self.caller.clear_errors()
        self.call_box.clear_errors()
        self.needs_editor.clear_errors()
        self.form_error.clear_problem()

    def _saved_text(self) -> None:
        if self.last_saved is not None:
            self.saved_label.setText(saved_message(self.last_saved))

    # ---- new call, discard, drafts ---------------------------------------------------------

    def new_call(self) -> None:
        """Start a new call; asks first when something was typed (Esc and Ctrl+N)."""
        if self.question is not None or self._saving:
            return
        if self.read_form().is_blank():
            self._discard()
            return

        def answered(choice: str) -> None:
            if choice == "discard":
                self._discard()
            else:
                self._reveal_focus()

        self.ask(*discard_question(), answered)

    def _discard(self) -> None:
        written, draft_id = self._draft_written, self._draft_id
        self.clear_form()
        if written:  # drafts are offered once it is gone, or it would be offered back
            self._discard_draft(draft_id, then=self._offer_timer.start)
        else:
            self._offer_timer.start()

    def _discard_draft(self, draft_id: str, *, then: Callable[[], None] | None = None) -> None:
        db = self._ctx.database
        self._ctx.operations.write(
            lambda: drafts_service.discard_draft(db, draft_id),
            (lambda _none: then()) if then is not None else None,
            failed=self._draft_failed,
        )

    def write_draft(self) -> None:
        """Keep what is typed now (a blank form keeps nothing), on the writer thread."""
        form, draft_id = self.read_form(), self._draft_id
        if form.is_blank():
            if self._draft_written:
                self._draft_written = False
                self._discard_draft(draft_id)
            return
        db, who = self._ctx.database, self._ctx.who
        self._draft_written = True  # from now on: writes run in order, a later discard follows it
        self._ctx.operations.write(
            lambda: drafts_service.save_draft(db, draft_id, who, form), failed=self._draft_failed
        )

    def put_away(self) -> None:
        """Another account comes to the desk (or the shift ends): what is typed is kept as the
        draft of the account that typed it, offered back when it signs in again, and the form
        is cleared. Call it while the desk's `who` is still the one who typed."""
        if not self.read_form().is_blank():
            self.write_draft()
        self.clear_form()

    def take_up_drafts(self) -> None:
        """A new account at the desk: offer back its own calls left half-typed."""
        self._offer_timer.start()

    def _draft_failed(self, failure: Failure) -> None:
        # A draft must never interrupt the call; the next change tries again (the log has why).
        log.warning("a draft could not be written or discarded")

    def offer_drafts(self) -> None:
        """Offer back a call typed earlier and never saved (the newest first)."""
        if self.question is not None or not self.read_form().is_blank():
            return
        db, who = self._ctx.database, self._ctx.who

        def offer(drafts: list[drafts_service.SavedDraft]) -> None:
            if self.question is not None or not self.read_form().is_blank():
                return  # typing started meanwhile
            waiting = [d for d in drafts if d.id != self._draft_id and d.id not in self._postponed]
            if waiting:
                self._offer(waiting[0])

        self._ctx.operations.query(lambda: drafts_service.list_drafts(db, who), offer, key="intake-drafts")

    def _offer(self, draft: drafts_service.SavedDraft) -> None:
        def answered(choice: str) -> None:
            if choice == "restore":
                self._restore(draft)
            elif choice == "discard":
                self._discard_draft(draft.id, then=self._offer_timer.start)
            else:
                self._postponed.add(draft.id)

        self.ask(*restore_question(draft), answered)

    def _restore(self, draft: drafts_service.SavedDraft) -> None:
        self._draft_id = draft.id
        self._draft_written = True
        self.show_form(draft.form)
        self._check_phone()
        typed = draft.form.phone.strip() or draft.form.name.strip()
        if draft.form.person_id is None and typed:
            self.look_up(typed)  # earlier callers, as while it was typed
        self.caller.phone_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- questions -------------------------------------------------------------------------

    def ask(self, text: str, detail: str, choices: list[Choice], answered: Callable[[str], None]) -> None:
        """A question over the window; `question` and `question_buttons` hold it until it is answered."""

        def done(choice: str) -> None:
            self.question, self.question_buttons = None, {}
            answered(choice)

        self.question, self.question_buttons = ask(self, text, detail, choices, done)
        self.question.open()

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.title.setText(_("New call"))
        self.keys_hint.setText(
            _(
                "Enter: next field · Ctrl+S: save · Ctrl+N or Esc: new call · "
                "Ctrl+Shift+N: add a need · Ctrl+Down, Ctrl+Enter: choose an earlier caller"
            )
        )
        self.save_button.setText(_("Save call (Ctrl+S)"))
        self.new_button.setText(_("New call (Ctrl+N)"))
        self._saved_text()
        self.notice.setText(_("Check their details, then save again."))
        self._show_consent()
