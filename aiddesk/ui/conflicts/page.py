"""The Conflicts screen: what waits for a person's decision after exchanging workbooks.

Three tabs: values two desks changed at the same time (keep one, or type the right one; a record
deleted at one desk and changed at another: keep it or delete it), changes typed by hand
into a workbook (accept or reject), and people who may have been entered twice (compare and
merge, or say they are not the same person). Every decision but the last is an ordinary edit at
this desk, so it travels to the other desks with the next exchange; "not the same person" is
remembered at this desk only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import RECORD_KINDS, Kind
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_, _, current_language, ngettext, pgettext
from aiddesk.services.exchange import conflicts, proposals, waiting
from aiddesk.services.exchange.conflicts import AFTER_DELETE, OpenConflict
from aiddesk.services.people import same_people
from aiddesk.services.people.same_people import Suggestion
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.question import Role, ask
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.common.short_list_model import Header, ShortListModel
from aiddesk.ui.conflicts.detail_panel import ConflictDetail
from aiddesk.ui.conflicts.proposals_panel import ProposalsPanel
from aiddesk.ui.conflicts.same_people_panel import SamePeoplePanel
from aiddesk.ui.context import DeskContext
from aiddesk.ui.person.merge_dialog import MergePeopleDialog
from aiddesk.ui.requests.texts import when_text
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

EMPTY_CELL = "—"


def _shown(conflict: OpenConflict) -> str:
    if conflict.field == AFTER_DELETE:
        return _("Kept for now")
    return next((c.text or EMPTY_CELL for c in conflict.choices if c.shown), EMPTY_CELL)


def _others(conflict: OpenConflict) -> str:
    if conflict.field == AFTER_DELETE:
        return _("Deleted")
    return " | ".join(c.text or EMPTY_CELL for c in conflict.choices if not c.shown)


def _latest(conflict: OpenConflict) -> str:
    return when_text(max(c.when for c in conflict.choices)) if conflict.choices else ""


CONFLICT_COLUMNS: tuple[tuple[Header, Callable[[OpenConflict], str]], ...] = (
    # L10N: a column of the Conflicts screen's lists: the record (code and name) a change is about
    (lambda: pgettext("list column", "Record"), lambda c: c.record),
    (N_("What"), lambda c: _("Deleted and changed") if c.field == AFTER_DELETE else c.field_label),
    (N_("Shown now"), _shown),
    (N_("Other values"), _others),
    (N_("Last changed"), _latest),
)
CONFLICT_WIDTHS = (165, 235, 190, 210)


class ConflictsPage(Refreshes, Retranslating, QWidget):
    """What waits for a person's decision. Each decision is a write through the runner: its
    changes reach the other screens and the sidebar's count through the change notifier."""

    shows = RECORD_KINDS | {Kind.PROPOSAL}

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.question: QMessageBox | None = None  # the "all" confirmation while it is open
        self.title = page_title()
        self.counts = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("background: palette(alternate-base); padding: 6px;")
        self.message.hide()

        self.conflicts_model: ShortListModel[OpenConflict] = ShortListModel(CONFLICT_COLUMNS, self)
        self.conflicts_table = record_table(self.conflicts_model, widths=CONFLICT_WIDTHS)
        self.conflicts_table.selectionModel().currentRowChanged.connect(self._show_current)
        self.detail = ConflictDetail()
        self.detail.chosen.connect(self.settle)
        self.detail.typed.connect(self.settle_typed)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.conflicts_table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.no_conflicts = QLabel()
        self.no_conflicts.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_conflicts.setWordWrap(True)
        self.conflicts_view = QStackedWidget()
        self.conflicts_view.addWidget(splitter)
        self.conflicts_view.addWidget(self.no_conflicts)

        self.proposals = ProposalsPanel()
        self.proposals.accept.connect(self.accept)
        self.proposals.reject.connect(self.reject)
        self.proposals.accept_all.connect(lambda: self.ask_all(accept=True))
        self.proposals.reject_all.connect(lambda: self.ask_all(accept=False))

        self.same_people = SamePeoplePanel()
        self.same_people.compare.connect(self.compare)
        self.same_people.dismiss.connect(self.not_same_person)
        self.merge_dialog: MergePeopleDialog | None = None  # "Compare and merge…" while it is open

        self.tabs = QTabWidget()
        self.tabs.addTab(self.conflicts_view, "")
        self.tabs.addTab(self.proposals, "")
        self.tabs.addTab(self.same_people, "")
        self.nothing = QLabel()
        self.nothing.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.nothing.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.tabs)
        self.views.addWidget(self.nothing)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.counts)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.views, 1)
        self._open: list[OpenConflict] = []
        self._pending: list[waiting.PendingRow] = []
        self._same: list[Suggestion] = []
        self._ready = False  # read when first shown (or refresh()), not while the window is built
        self._done_note = ""  # said once the list was read again after a decision
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    # ---- reading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        if not event.spontaneous():  # shown from the sidebar, not a window coming back from minimised
            self._note("")
            self._stale = True  # read what waits again when shown (Refreshes does it)
        super().showEvent(event)

    def refresh(self) -> None:
        """Read what waits again (on a worker thread: the "maybe the same person" pairs take a
        while on a big desk); the same row (the next conflict, after one was settled) stays chosen."""
        self._ready = True
        db = self._ctx.database

        language = current_language()

        def read() -> tuple[list[OpenConflict], list[waiting.PendingRow], list[Suggestion]]:
            return (
                waiting.conflicts_to_settle(db),
                waiting.pending_rows(db),
                same_people.suggestions(db, language=language),
            )

        self._ctx.operations.query(read, self._show_waiting, key="conflicts-waiting", again=True)

    def _show_waiting(
        self, read: tuple[list[OpenConflict], list[waiting.PendingRow], list[Suggestion]]
    ) -> None:
        row = max(self.conflicts_table.currentIndex().row(), 0)
        self._open, self._pending, self._same = read
        self.conflicts_model.set_rows(self._open)
        self.conflicts_view.setCurrentIndex(0 if self._open else 1)
        if self._open:
            self.conflicts_table.selectRow(min(row, len(self._open) - 1))
        self._show_current()
        self.proposals.set_rows(self._pending)
        self.same_people.set_rows(self._same)
        counts = (len(self._open), len(self._pending), len(self._same))
        if not counts[self.tabs.currentIndex()] and any(counts):  # an empty tab gives way to one that waits
            self.tabs.setCurrentIndex(next(i for i, n in enumerate(counts) if n))
        self.views.setCurrentWidget(self.tabs if any(counts) else self.nothing)
        self._show_counts()
        if self._done_note:
            self._note(self._done_note)
            self._done_note = ""

    def selected_conflict(self) -> OpenConflict | None:
        row = self.conflicts_table.currentIndex().row()
        return self._open[row] if 0 <= row < len(self._open) else None

    def select_conflict(self, row: int) -> None:
        self.conflicts_table.selectRow(row)

    def _show_current(self) -> None:
        self.detail.show_conflict(self.selected_conflict())
        QWidget.setTabOrder(self.conflicts_table, self.detail.focus_chain()[0])  # Tab: list -> its choices

    # ---- deciding --------------------------------------------------------------------------

    def settle(self, values: dict[str, Any]) -> None:
        """Keep `values` for the conflict shown below the list (a kept value, or keep/delete)."""
        conflict = self.selected_conflict()
        if conflict is None:
            return
        db, who = self._ctx.database, self._ctx.who
        if conflict.field == AFTER_DELETE:
            done = (_("%(record)s was deleted.") if values.get("deleted") else _("%(record)s was kept.")) % {
                "record": conflict.record
            }
        else:
            done = _("%(record)s: %(field)s settled.") % {
                "record": conflict.record,
                "field": conflict.field_label,
            }

        def refused(failure: Failure) -> None:
            self.refresh()
            self._note(failure.message)

        self._ctx.operations.write(
            lambda: conflicts.resolve(db, who, conflict.kind, conflict.record_id, values),
            lambda _none: self._after_decision(done),
            failed=refused,
            parent=self,
        )

    def settle_typed(self, typed: str) -> None:
        conflict = self.selected_conflict()
        if conflict is None:
            return
        if not typed.strip():
            self.detail.show_problem(
                Problem(conflict.field, N_("Type the right value first, or keep one of the values above."))
            )
            return
        try:
            values = conflicts.typed_values(conflict.kind, conflict.field, typed)
        except Invalid as invalid:
            self.detail.show_problem(invalid.problems[0])
            return
        self.settle(values)

    def accept(self, ids: list[int]) -> None:
        db, who = self._ctx.database, self._ctx.who

        def work() -> int:
            before = waiting.open_conflict_count(db)
            proposals.accept(db, who, ids)
            return waiting.open_conflict_count(db) - before

        def accepted(clashes: int) -> None:
            done = ngettext("Accepted %(count)d change.", "Accepted %(count)d changes.", len(ids)) % {
                "count": len(ids)
            }
            if clashes > 0:
                done += " " + ngettext(
                    "%(count)d of them had also been changed here after the workbook was made: "
                    "both values are kept, as a conflict to settle.",
                    "%(count)d of them had also been changed here after the workbook was made: "
                    "both values are kept, as conflicts to settle.",
                    clashes,
                ) % {"count": clashes}
            self._after_decision(done)

        self._ctx.operations.write(work, accepted, parent=self)

    def reject(self, ids: list[int]) -> None:
        db, who = self._ctx.database, self._ctx.who
        done = ngettext("Rejected %(count)d change.", "Rejected %(count)d changes.", len(ids)) % {
            "count": len(ids)
        }
        self._ctx.operations.write(
            lambda: proposals.reject(db, who, ids), lambda _none: self._after_decision(done), parent=self
        )

    def ask_all(self, *, accept: bool) -> QMessageBox:
        """Ask before accepting (or rejecting) every waiting change; answered in `_all_answered`."""
        ids = [row.edit.id for row in self._pending]
        count = len(ids)
        if accept:
            text = ngettext(
                "Accept the %(count)d change typed into workbooks?",
                "Accept all %(count)d changes typed into workbooks?",
                count,
            ) % {"count": count}
            detail = _("Each one is stored as if typed here, at this desk.")
            choices = [("yes", _("Accept all"), Role.AcceptRole), ("no", _("Cancel"), Role.RejectRole)]
        else:
            text = ngettext(
                "Reject the %(count)d change typed into workbooks?",
                "Reject all %(count)d changes typed into workbooks?",
                count,
            ) % {"count": count}
            detail = _("The records stay as they are. The changes cannot be brought back later.")
            choices = [("yes", _("Reject all"), Role.DestructiveRole), ("no", _("Cancel"), Role.RejectRole)]

        def answered(key: str) -> None:
            self.question = None
            if key == "yes":
                (self.accept if accept else self.reject)(ids)

        box, _buttons = ask(self, text, detail, choices, answered)
        self.question = box
        box.open()
        return box

    def compare(self, suggestion: Suggestion) -> MergePeopleDialog:
        """Open the merge of people with both records of the pair already side by side."""
        dialog = MergePeopleDialog(self._ctx, suggestion.a.id, parent=self)
        dialog.choose_other(suggestion.b.id)
        self.merge_dialog = dialog
        dialog.finished.connect(lambda _code: self._after_merge(dialog, suggestion))
        dialog.open()
        return dialog

    def _after_merge(self, dialog: MergePeopleDialog, suggestion: Suggestion) -> None:
        self.merge_dialog = None
        dialog.deleteLater()
        if dialog.kept_id is None:
            return
        kept, other = (
            (suggestion.a, suggestion.b)
            if dialog.kept_id == suggestion.a.id
            else (suggestion.b, suggestion.a)
        )
        self._after_decision(
            _("%(other)s was merged into %(kept)s.")
            % {"other": other.code, "kept": f"{kept.code} {kept.name}"}
        )

    def not_same_person(self, suggestion: Suggestion) -> None:
        db, who = self._ctx.database, self._ctx.who
        done = _("%(a)s and %(b)s are not the same person; this desk will not suggest them again.") % {
            "a": suggestion.a.code,
            "b": suggestion.b.code,
        }
        self._ctx.operations.write(
            lambda: same_people.dismiss(db, who, suggestion.a.id, suggestion.b.id),
            lambda _none: self._after_decision(done),
            parent=self,
        )

    def _after_decision(self, done: str) -> None:
        """Say what was done once the list is read again (the decision's changes refresh it; a
        decision that changed no record, such as "not the same person", reads it here)."""
        self._done_note = done
        self.refresh()

    def _note(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- texts -----------------------------------------------------------------------------

    def _show_counts(self) -> None:
        open_count, pending, same = len(self._open), len(self._pending), len(self._same)
        self.counts.setVisible(bool(open_count or pending or same))  # the empty state says it in full
        if not open_count and not pending and not same:
            self.counts.setText(_("Nothing is waiting for a decision."))
        else:
            parts = [
                ngettext("%(count)d conflict", "%(count)d conflicts", open_count) % {"count": open_count},
                ngettext("%(count)d proposed change", "%(count)d proposed changes", pending)
                % {"count": pending},
            ]
            if same:
                parts.append(
                    ngettext(
                        "%(count)d pair of records to compare", "%(count)d pairs of records to compare", same
                    )
                    % {"count": same}
                )
            self.counts.setText(" · ".join(parts))
        # L10N: tab of the Conflicts screen, with how many are open
        self.tabs.setTabText(0, _("Changed at two desks (%(count)d)") % {"count": open_count})
        # L10N: tab of the Conflicts screen, with how many wait
        self.tabs.setTabText(1, _("Typed into workbooks (%(count)d)") % {"count": pending})
        # L10N: tab of the Conflicts screen, with how many pairs of records may be one person
        self.tabs.setTabText(2, _("Maybe the same person (%(count)d)") % {"count": same})

    def retranslate_ui(self) -> None:
        # L10N: the screen's name (the sidebar too); Spanish: "Cambios en conflicto"
        self.title.setText(pgettext("screen", "Conflicts"))
        self.counts.setAccessibleName(_("Waiting"))
        self.intro.setText(
            _(
                "When desks exchange workbooks, some changes need a person to decide. "
                "Each decision is sent to the other desks with the next exchange."
            )
        )
        self.no_conflicts.setText(_("No conflicts: every desk agrees on every value."))
        self.nothing.setText(
            _("Nothing is waiting.")
            + "\n"
            + _("Conflicts between desks and changes typed into workbooks show up here after an exchange.")
        )
        self.conflicts_table.setAccessibleName(_("Conflicts between desks"))
        self.conflicts_model.retranslate()
        if self._ready:
            self.refresh()  # values, field names and dates as the new language writes them


def sidebar_text(count: int) -> str:
    """The sidebar entry: "Conflicts", or "Conflicts (3)" when something waits."""
    # L10N: the sidebar entry of the Conflicts screen with how many wait for a decision
    return _("Conflicts (%(count)d)") % {"count": count} if count else pgettext("screen", "Conflicts")
