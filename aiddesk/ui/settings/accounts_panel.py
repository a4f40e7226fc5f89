"""Settings' accounts (administrators): who may sign in, their role, a new PIN or passphrase,
disabling an account, and the minutes before the desk locks itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.access import ROLE_LABELS, Role
from aiddesk.domain.changes import Changes, Kind
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _, current_language, ngettext
from aiddesk.services import accounts
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure


class AccountsPanel(Retranslating, QGroupBox):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPanel")
        self._ctx = ctx
        self._rows: list[accounts.AccountInfo] = []
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("accountsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on, the account chosen stays
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(150)
        self.name = QLineEdit()
        self.name.setObjectName("newAccountName")
        self.role = QComboBox()
        self.role.setObjectName("accountRole")
        for role in Role:
            self.role.addItem("", role)
        self.secret = QLineEdit()
        self.secret.setObjectName("accountSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button, self.role_button = QPushButton(), QPushButton()
        self.secret_button, self.disable_button = QPushButton(), QPushButton()
        self.add_button.clicked.connect(self.add)
        self.role_button.clicked.connect(self.change_role)
        self.secret_button.clicked.connect(self.reset_secret)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.error = FieldError()
        self.said = QLabel()  # what a change of an account did beyond what the list shows
        self.said.setObjectName("accountsSaid")
        self.said.setWordWrap(True)
        self.said.hide()
        self.idle = QSpinBox()
        self.idle.setObjectName("idleMinutes")
        self.idle.setRange(*accounts.IDLE_MINUTES_RANGE)
        self.idle.setValue(accounts.IDLE_MINUTES_DEFAULT)
        self.idle_button = QPushButton()
        self.idle_button.clicked.connect(self.save_idle)
        self.name_label, self.role_label, self.secret_label, self.idle_label = (QLabel() for _i in range(4))

        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.role_label, self.role)
        form.addRow(self.secret_label, self.secret)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.secret_button, self.disable_button):
            buttons.addWidget(button)
        buttons.addStretch()
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_label)
        idle_row.addWidget(self.idle)
        idle_row.addWidget(self.idle_button)
        idle_row.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(self.said)
        layout.addLayout(idle_row)
        self.table.itemSelectionChanged.connect(self._selected)
        ctx.operations.notifier.changed.connect(while_alive(self, self._changes))
        self.retranslate_ui()
        self.reload()

    def _changes(self, changes: Changes) -> None:
        if changes.touches({Kind.ACCOUNT, Kind.DESK}):
            self.reload()

    def reload(self) -> None:
        db = self._ctx.database

        def show(result: tuple[list[accounts.AccountInfo], int]) -> None:
            self._rows, minutes = result
            self.idle.setValue(minutes)
            self._fill()

        self._ctx.operations.query(
            lambda: (accounts.list_accounts(db), accounts.idle_minutes(db)),
            while_alive(self, show),
            key="accounts",
            again=True,
        )

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for row, account in enumerate(self._rows):
            state = _("Disabled") if account.disabled else _("Can sign in")
            language = "Español" if account.language == "es" else "English"
            for column, text in enumerate((account.name, _(ROLE_LABELS[account.role]), state)):
                self.table.setItem(
                    row, column, QTableWidgetItem(text if column != 2 else f"{text} · {language}")
                )
        self._selected()

    def _current(self) -> accounts.AccountInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def _selected(self) -> None:
        chosen = self._current()
        for button in (self.role_button, self.secret_button, self.disable_button):
            button.setEnabled(chosen is not None)
        self.disable_button.setText(_("Enable") if chosen is not None and chosen.disabled else _("Disable"))
        if chosen is not None:
            self.role.setCurrentIndex(list(Role).index(chosen.role))

    def _write(self, work: object, then: Callable[[Any], str] | None = None) -> None:
        """`then`: what to tell once done (from the service's result), under the buttons."""
        self.said.hide()

        def done(result: object) -> None:
            self.error.clear_problem()
            self.secret.clear()
            text = then(result) if then is not None else ""
            self.said.setText(text)
            self.said.setVisible(bool(text))

        def refused(failure: Failure) -> None:
            if isinstance(failure.error, Invalid):
                self.error.show_problem(failure.error.problems[0])
            else:
                self.error.show_text(failure.message)

        self._ctx.operations.write(work, done, failed=refused, parent=self)  # type: ignore[arg-type]

    def add(self) -> None:
        db, who, language = self._ctx.database, self._ctx.who, current_language()
        name, role, secret = self.name.text(), Role(self.role.currentData()), self.secret.text()
        self.name.clear()
        self._write(
            lambda: accounts.add_account(db, who, name=name, role=role, secret=secret, language=language)
        )

    def change_role(self) -> None:
        chosen = self._current()
        if chosen is not None:
            db, who, role, secret = (
                self._ctx.database,
                self._ctx.who,
                Role(self.role.currentData()),
                self.secret.text(),
            )
            self._write(lambda: accounts.change_role(db, who, chosen.name, role, secret))

    def reset_secret(self) -> None:
        chosen = self._current()
        if chosen is not None:
            db, who, secret = self._ctx.database, self._ctx.who, self.secret.text()
            self._write(lambda: accounts.reset_secret(db, who, chosen.name, secret))

    def toggle_disabled(self) -> None:
        chosen = self._current()
        if chosen is not None:
            db, who = self._ctx.database, self._ctx.who
            opens_desk = db.key is not None and not chosen.uses_pin
            self._write(
                lambda: accounts.set_disabled(db, who, chosen.name, not chosen.disabled),
                lambda forgotten: toggled_text(
                    chosen.name, not chosen.disabled, forgotten, opens_desk=opens_desk
                ),
            )

    def save_idle(self) -> None:
        db, who, minutes = self._ctx.database, self._ctx.who, self.idle.value()
        self._write(lambda: accounts.set_idle_minutes(db, who, minutes))

    def retranslate_ui(self) -> None:
        self.setTitle(_("Accounts"))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Sign-in")])
        for index, role in enumerate(Role):
            self.role.setItemText(index, _(ROLE_LABELS[role]))
        self.name_label.setText(_("New account's name:"))
        self.role_label.setText(_("Role:"))
        self.secret_label.setText(_("PIN (phone volunteers) or passphrase:"))
        self.add_button.setText(_("Add account"))
        self.role_button.setText(_("Change role"))
        self.secret_button.setText(_("Set new PIN or passphrase"))
        self.idle_label.setText(_("Lock the desk after this many idle minutes:"))
        self.idle_button.setText(_("Save"))
        self._selected()
        if self._rows:
            self._fill()


def toggled_text(name: str, disabled: bool, forgotten: int, *, opens_desk: bool) -> str:
    """What disabling or enabling `name` did that the list does not show."""
    if disabled:
        if not forgotten:
            return ""
        return ngettext(
            "%(name)s left %(count)d call half-typed: it was forgotten with their account.",
            "%(name)s left %(count)d calls half-typed: they were forgotten with their account.",
            forgotten,
        ) % {"name": name, "count": forgotten}
    if opens_desk:
        return _(
            "%(name)s can sign in again. Their passphrase opens the desk at the start once you set "
            "a new one (Set new PIN or passphrase)."
        ) % {"name": name}
    return ""
