"""The audit trail: who did what and when, filtered by account, action, days and person, newest
first, saved as CSV (owner-only). Read through the operation runner: the newest 1,000 entries that
pass the filters (aiddesk/services/audit.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.changes import Kind
from aiddesk.i18n import _, ngettext
from aiddesk.i18n.formatting import format_datetime, format_number
from aiddesk.services import audit
from aiddesk.services.audit import Trail, TrailEntry, TrailFilter
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.date_field import DateField
from aiddesk.ui.common.file_dialogs import save_file_name
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

COLUMN_WIDTHS = (150, 130, 190, 90, 360)
_Index = QModelIndex | QPersistentModelIndex


class TrailModel(QAbstractTableModel):
    """The entries read, as a table: when, account, action (translated), record, detail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[TrailEntry] = []

    def set_entries(self, entries: list[TrailEntry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 (Qt's names)
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMN_WIDTHS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (_("When"), _("Account"), _("Action"), _("Record code"), _("Detail"))[section]

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if column == 0:
            return format_datetime(entry.at)
        if column == 1:
            return entry.who
        if column == 2:
            return audit.action_text(entry.action, _)
        if column == 3:
            return entry.record
        return audit.detail_text(entry.detail, _, entry.kind)

    def retranslate(self) -> None:
        if self.entries:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.entries) - 1, len(COLUMN_WIDTHS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMN_WIDTHS) - 1)


class AuditPage(Refreshes, Retranslating, QWidget):
    """The desk's audit trail for coordinators (Right.AUDIT)."""

    shows = frozenset({Kind.AUDIT})

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self._ctx = ctx
        self._trail: Trail | None = None
        self.title = page_title()
        self.account = QComboBox()
        self.account.setObjectName("auditAccount")
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.first_day = DateField()
        self.last_day = DateField()
        self.person = QLineEdit()
        self.person.setObjectName("auditPerson")
        self.person.setMaxLength(24)
        self.account_label, self.action_label = QLabel(), QLabel()
        self.first_label, self.last_label, self.person_label = QLabel(), QLabel(), QLabel()
        pairs: tuple[tuple[QLabel, QWidget], ...] = (
            (self.account_label, self.account),
            (self.action_label, self.action),
            (self.first_label, self.first_day),
            (self.last_label, self.last_day),
            (self.person_label, self.person),
        )
        filters = QGridLayout()  # each label above its field: the Spanish labels are long
        for column, (label, field) in enumerate(pairs):
            label.setBuddy(field)
            filters.addWidget(label, 0, column)
            filters.addWidget(field, 1, column)
        filters.setColumnStretch(5, 1)
        self.person.setMinimumWidth(110)
        for combo in (self.account, self.action):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.model = TrailModel(self)
        self.table = record_table(self.model, widths=list(COLUMN_WIDTHS))
        self.table.setObjectName("auditTable")
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.setObjectName("auditSave")
        self.save_button.clicked.connect(lambda: self.save_csv())
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.account.activated.connect(lambda _i: self.refresh())
        self.action.activated.connect(lambda _i: self.refresh())
        self.first_day.dateChanged.connect(lambda _d: self.refresh())
        self.last_day.dateChanged.connect(lambda _d: self.refresh())
        self.person.editingFinished.connect(self.refresh)
        self.retranslate_ui()
        self._stale = True  # nothing read yet: the first showing reads the trail
        self.follow_changes(ctx.operations.notifier)

    # ---- reading ------------------------------------------------------------------------------

    def current_filter(self) -> TrailFilter:
        return TrailFilter(
            who=str(self.account.currentData() or ""),
            action=str(self.action.currentData() or ""),
            first_day=self.first_day.value(),
            last_day=self.last_day.value(),
            person_code=self.person.text().strip(),
        )

    def refresh(self) -> None:
        db, who, chosen = self._ctx.database, self._ctx.who, self.current_filter()
        self._ctx.operations.query(
            lambda: audit.read_trail(db, who, chosen),
            while_alive(self, self._show),
            failed=while_alive(self, self._failed),
            key="audit-trail",
        )

    def _show(self, trail: Trail) -> None:
        self._trail = trail
        self._fill_choices(trail)
        self.model.set_entries(trail.entries)
        self._show_count()

    def _failed(self, failure: Failure) -> None:
        self.status.setText(failure.message)

    def _fill_choices(self, trail: Trail) -> None:
        for combo, everything, values, label in (
            (self.account, _("Every account"), trail.accounts, lambda v: v),
            (self.action, _("Every action"), trail.actions, lambda v: audit.action_text(v, _)),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value in sorted(values, key=label):
                combo.addItem(label(value), value)
            found = combo.findData(chosen) if chosen else 0
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)

    def _show_count(self) -> None:
        trail = self._trail
        if trail is None:
            self.count_label.clear()
        elif trail.total > len(trail.entries):
            self.count_label.setText(
                _("The newest %(shown)s of %(total)s entries: narrow the filters to see the others.")
                % {"shown": format_number(len(trail.entries)), "total": format_number(trail.total)}
            )
        else:
            self.count_label.setText(
                ngettext("%(count)s entry", "%(count)s entries", trail.total)
                % {"count": format_number(trail.total)}
            )

    # ---- saving -------------------------------------------------------------------------------

    def save_csv(self, path: Path | None = None) -> None:
        """Every entry that passes the filters, as CSV, saved owner-only where the person chooses."""
        if path is None:
            name = save_file_name(
                self, _("Save the audit trail"), _("audit-trail") + ".csv", _("CSV files (*.csv)")
            )
            if not name:
                return
            path = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        db, who, chosen, target = self._ctx.database, self._ctx.who, self.current_filter(), path

        def saved(count: int) -> None:
            self.status.setText(
                ngettext("Saved %(count)s entry in %(file)s.", "Saved %(count)s entries in %(file)s.", count)
                % {"count": format_number(count), "file": str(target)}
            )

        self.status.clear()
        self._ctx.operations.query(
            lambda: audit.save_trail_csv(db, who, chosen, target, _),
            while_alive(self, saved),
            failed=while_alive(self, self._failed),
            parent=self,
        )

    def retranslate_ui(self) -> None:
        self.title.setText(_("Audit trail"))
        self.account_label.setText(_("Account:"))
        self.action_label.setText(_("Action:"))
        self.first_label.setText(_("From:"))
        self.last_label.setText(_("To:"))
        self.person_label.setText(_("Person code:"))
        self.person.setPlaceholderText(_("e.g. P-0012"))
        self.save_button.setText(_("Save as CSV…"))
        if self._trail is not None:
            self._fill_choices(self._trail)
        self.model.retranslate()
        self._show_count()
