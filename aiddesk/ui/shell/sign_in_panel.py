"""The sign-in: pick your name, type your PIN or passphrase. It starts a shift, changes who is at
the desk and unlocks a locked desk (one place for all three).

The PIN is checked on the writer thread (scrypt takes a tenth of a second, and a wrong one is
counted); after a few wrong tries the button waits, counting down, before the next one."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.access import Actor
from aiddesk.i18n import _, ngettext
from aiddesk.services import accounts
from aiddesk.ui.common.alive import while_alive
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure


class SignInPanel(Retranslating, QWidget):
    """Fills the window while nobody (or the locked account) is at the desk. Emits `signed_in`
    with the account once its PIN or passphrase was right."""

    signed_in = Signal(object)  # Actor

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPanel")
        self._ctx = ctx
        self._locked_for: str | None = None  # the account the desk locked on, if any
        self._wait_left = 0

        self.title = QLabel()
        self.title.setObjectName("signInTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.name = QComboBox()
        self.name.setObjectName("signInName")
        self.secret = QLineEdit()
        self.secret.setObjectName("signInSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.returnPressed.connect(self.submit)
        self.error = FieldError()
        self.button = QPushButton()
        self.button.setObjectName("signInButton")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.name_label, self.secret_label = QLabel(), QLabel()
        self.name_label.setBuddy(self.name)
        self.secret_label.setBuddy(self.secret)

        card = QFrame()
        card.setObjectName("signInCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(480)  # a fixed width lets the wrapped lines take the height they need
        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.secret_label, self.secret)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(self.title)
        inner.addWidget(self.explain)
        inner.addSpacing(8)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.retranslate_ui()

    # ---- showing -----------------------------------------------------------------------------

    def start(self, locked_for: str | None) -> None:
        """Ask again: `locked_for` is the account the desk locked on (None: a new shift)."""
        self._locked_for = locked_for or None
        self.secret.clear()
        self.error.clear_problem()
        self.retranslate_ui()
        db = self._ctx.database

        def show(names: list[str]) -> None:
            self.name.clear()
            self.name.addItems(names)
            wanted = self.name.findText(locked_for or "", Qt.MatchFlag.MatchFixedString)
            self.name.setCurrentIndex(wanted if locked_for else -1)
            (self.secret if locked_for else self.name).setFocus()

        self._ctx.operations.query(lambda: accounts.sign_in_names(db), while_alive(self, show), key="sign-in")

    def submit(self) -> None:
        if not self.button.isEnabled():
            return
        name, secret = self.name.currentText(), self.secret.text()
        if not name:
            self.error.show_text(_("Please pick your name from the list."))
            self.name.setFocus()
            return
        db = self._ctx.database
        self.button.setEnabled(False)
        self.secret.clear()  # the secret lives no longer than this call

        def done(actor: Actor) -> None:
            self.button.setEnabled(True)
            self.error.clear_problem()
            self.signed_in.emit(actor)

        def refused(failure: Failure) -> None:
            self.button.setEnabled(True)
            error = failure.error
            if isinstance(error, accounts.SignInRefused):
                self.error.show_problem(error.problems[0])
                if error.wait > 0:
                    self._wait(int(error.wait + 0.999))
            else:
                self.error.show_text(failure.message)
            self.secret.setFocus()

        self._ctx.operations.write(
            lambda: accounts.sign_in(db, name, secret), done, failed=refused, parent=self
        )

    def _wait(self, seconds: int) -> None:
        self._wait_left = seconds
        self.button.setEnabled(False)
        self._countdown.start()
        self._tick_text()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self.button.setEnabled(True)
        self._tick_text()

    def _tick_text(self) -> None:
        if self._wait_left > 0:
            self.button.setText(
                ngettext("Try again in %(n)d second", "Try again in %(n)d seconds", self._wait_left)
                % {"n": self._wait_left}
            )
        else:
            self.button.setText(_("Sign in"))

    def retranslate_ui(self) -> None:
        desk = self._ctx.desk
        if self._locked_for:
            self.title.setText(_("The desk is locked"))
            self.explain.setText(
                _("Nothing was lost: what you were typing is kept. Type your PIN or passphrase to go on.")
            )
        else:
            self.title.setText(_("Who is at the desk?"))
            self.explain.setText(
                _("Desk %(code)s. Pick your name and type your PIN or passphrase to start your shift.")
                % {"code": desk.code}
            )
        self.name_label.setText(_("&Name:"))
        self.secret_label.setText(_("&PIN or passphrase:"))
        self._tick_text()
