"""Settings: retention (administrators). After how many months closed requests lose their details
and notes, and people not heard from are erased; a preview lists what would go, and only
turning it on after that preview makes it run (once a day, ui/retention/keeper.py). Everything
is read and saved through the desk's operation runner; the service refuses anyone but an
administrator."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain import retention as rule
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.i18n.formatting import format_date
from aiddesk.services import retention
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure


class RetentionBox(Retranslating, QGroupBox):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._policy = RetentionPolicy()
        self._last_run: dt.date | None = None
        self._previewed: RetentionPolicy | None = None  # the months the shown preview is for
        self._plan: retention.RetentionPlan | None = None
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.requests_check, self.people_check = QCheckBox(), QCheckBox()
        self.requests_months, self.people_months = QSpinBox(), QSpinBox()
        self.requests_unit, self.people_unit = QLabel(), QLabel()
        self.requests_error, self.people_error = FieldError(), FieldError()
        for check, spin in (
            (self.requests_check, self.requests_months),
            (self.people_check, self.people_months),
        ):
            spin.setRange(rule.MIN_MONTHS, rule.MAX_MONTHS)
            spin.setValue(rule.DEFAULT_MONTHS)
            spin.setEnabled(False)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            check.toggled.connect(spin.setEnabled)
            check.toggled.connect(self._changed)
            spin.valueChanged.connect(self._changed)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.preview_button, self.turn_on_button, self.turn_off_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.preview_button.clicked.connect(self.preview)
        self.turn_on_button.clicked.connect(self.turn_on)
        self.turn_off_button.clicked.connect(self.turn_off)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.codes = QPlainTextEdit()
        self.codes.setReadOnly(True)
        self.codes.setMaximumHeight(90)
        self.codes.hide()
        self.form_error = FieldError()

        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        for check, spin, unit, error in (
            (self.requests_check, self.requests_months, self.requests_unit, self.requests_error),
            (self.people_check, self.people_months, self.people_unit, self.people_error),
        ):
            row = QHBoxLayout()
            row.addWidget(check)
            row.addWidget(spin)
            row.addWidget(unit)
            row.addWidget(error)
            row.addStretch()
            layout.addLayout(row)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.turn_on_button, self.turn_off_button):
            buttons.addWidget(button)
        buttons.addWidget(self.form_error, 1)
        buttons.addStretch()
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.codes)
        layout.addWidget(self.state_label)
        self.retranslate_ui()
        self._show_buttons()
        self.reload()

    # ---- reading ----------------------------------------------------------------------------

    def reload(self) -> None:
        db = self._ctx.database

        def read() -> tuple[RetentionPolicy, dt.date | None]:
            return retention.get_policy(db), retention.last_run(db)

        def show(result: tuple[RetentionPolicy, dt.date | None]) -> None:
            self._policy, self._last_run = result
            self._show_policy(self._policy)

        self._ctx.operations.query(read, show, key="settings-retention")

    def _show_policy(self, policy: RetentionPolicy) -> None:
        for check, spin, months in (
            (self.requests_check, self.requests_months, policy.request_months),
            (self.people_check, self.people_months, policy.people_months),
        ):
            for widget in (check, spin):
                widget.blockSignals(True)
            check.setChecked(months is not None)
            spin.setEnabled(months is not None)
            spin.setValue(months if months is not None else rule.DEFAULT_MONTHS)
            for widget in (check, spin):
                widget.blockSignals(False)
        self._show_state()
        self._show_buttons()

    def form_policy(self, *, enabled: bool) -> RetentionPolicy:
        return RetentionPolicy(
            request_months=self.requests_months.value() if self.requests_check.isChecked() else None,
            people_months=self.people_months.value() if self.people_check.isChecked() else None,
            enabled=enabled,
        )

    # ---- actions ----------------------------------------------------------------------------

    def _changed(self) -> None:
        """Other months than the preview's: the preview no longer says what would go."""
        self._previewed = None
        self._plan = None
        self.summary.clear()
        self.codes.hide()
        self.form_error.clear_problem()
        self._show_buttons()

    def preview(self) -> None:
        db, who, policy = self._ctx.database, self._ctx.who, self.form_policy(enabled=False)

        def show(plan: retention.RetentionPlan) -> None:
            self._previewed, self._plan = policy, plan
            self._show_plan()
            self._show_buttons()

        self._ctx.operations.query(
            lambda: retention.preview(db, who, policy),
            show,
            key="settings-retention-preview",
            failed=self._refused,
            parent=self,
        )

    def turn_on(self) -> None:
        if self._previewed is None:
            return
        self._save(
            RetentionPolicy(self._previewed.request_months, self._previewed.people_months, enabled=True)
        )

    def turn_off(self) -> None:
        self._save(RetentionPolicy(self._policy.request_months, self._policy.people_months, enabled=False))

    def _save(self, policy: RetentionPolicy) -> None:
        db, who = self._ctx.database, self._ctx.who

        def saved(stored: RetentionPolicy) -> None:
            self._policy = stored
            self.form_error.clear_problem()
            self._show_state()
            self._show_buttons()

        self._ctx.operations.write(
            lambda: retention.save_policy(db, who, policy), saved, failed=self._refused, parent=self
        )

    def _refused(self, failure: Failure) -> None:
        errors = {"request_months": self.requests_error, "people_months": self.people_error}
        if isinstance(failure.error, Invalid):
            show_problems(errors, failure.error, self.form_error)
        else:
            self.form_error.show_text(failure.message)

    # ---- showing ----------------------------------------------------------------------------

    def _show_buttons(self) -> None:
        form = self.form_policy(enabled=True)
        self.preview_button.setEnabled(form.anything)
        self.turn_on_button.setEnabled(self._previewed is not None and form != self._policy)
        self.turn_off_button.setEnabled(self._policy.enabled)

    def _show_plan(self) -> None:
        plan = self._plan
        if plan is None:
            return
        self.summary.setText(retention.summary(plan, done=False))
        lines = []
        if plan.requests:
            lines.append(_("Requests:") + " " + ", ".join(plan.requests))
        if plan.people:
            lines.append(_("People:") + " " + ", ".join(plan.people))
        self.codes.setPlainText("\n".join(lines))
        self.codes.setVisible(bool(lines))

    def _show_state(self) -> None:
        if not self._policy.enabled:
            self.state_label.setText(_("Retention is off: nothing is forgotten."))
        elif self._last_run is None:
            self.state_label.setText(_("Retention is on. It runs once a day while AidDesk is open."))
        else:
            self.state_label.setText(
                _("Retention is on. It runs once a day while AidDesk is open; last run: %(date)s.")
                % {"date": format_date(self._last_run)}
            )

    def retranslate_ui(self) -> None:
        self.setTitle(_("Retention"))
        self.hint.setText(
            _(
                "Forget what is no longer needed. Reports keep counting the help given. Nothing is "
                "forgotten until you look at a preview and turn retention on."
            )
        )
        self.requests_check.setText(_("Closed requests lose their details and notes after"))
        self.people_check.setText(_("People not heard from (no call, request or delivery) are erased after"))
        for unit in (self.requests_unit, self.people_unit):
            unit.setText(_("months"))
        self.preview_button.setText(_("Preview"))
        self.turn_on_button.setText(_("Turn on"))
        self.turn_off_button.setText(_("Turn off"))
        self._show_state()
        self._show_plan()
