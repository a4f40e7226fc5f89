"""Set-up's last step: the desk's first account, a coordinator who administers.

With it, everyone signs in (phone volunteers with a PIN the administrator gives them, in
Settings' accounts). Skipped, the desk works as before: whoever sits down types their name and
may do everything."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_, _, current_language
from aiddesk.services import accounts
from aiddesk.services.database import Database
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operations


class FirstAccountDialog(Retranslating, QDialog):
    """Accepted once the account is stored; rejected when set-up goes on without accounts."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAccountDialog")
        self._db = db
        self._operations = Operations(db, self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("accountName")
        self.secret = QLineEdit()
        self.secret.setObjectName("accountSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("accountSecretAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {"name": FieldError(), "secret": FieldError()}
        self.form_error = FieldError()
        self.name_label, self.secret_label, self.again_label = QLabel(), QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow("", self.errors["name"])
        form.addRow(self.secret_label, self.secret)
        form.addRow(self.again_label, self.again)
        form.addRow("", self.errors["secret"])

        self.create_button = QPushButton()
        self.create_button.setObjectName("createAccount")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_account)
        self.skip_button = QPushButton()
        self.skip_button.setObjectName("skipAccounts")
        self.skip_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.skip_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.retranslate_ui()

    def create_account(self) -> None:
        name, secret, again = self.name.text(), self.secret.text(), self.again.text()
        if secret != again:
            show_problems(
                self.errors,
                Invalid([Problem("secret", N_("The two passphrases are not the same."))]),
                self.form_error,
            )
            return
        db, language = self._db, current_language()
        self.create_button.setEnabled(False)

        def done(_actor: object) -> None:
            self.accept()

        def refused(failure: Failure) -> None:
            self.create_button.setEnabled(True)
            if isinstance(failure.error, Invalid):
                show_problems(self.errors, failure.error, self.form_error)
            else:
                self.form_error.show_text(failure.message)

        self._operations.write(
            lambda: accounts.create_first_account(db, name=name, secret=secret, language=language),
            done,
            failed=refused,
            parent=self,
        )

    def done(self, result: int) -> None:  # noqa: D102 (QDialog's)
        self._operations.wait()
        super().done(result)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Your account"))
        self.intro.setText(
            _(
                "You will look after this desk: make your account. Each volunteer then gets their own "
                "name and a PIN (you add them in Settings), signs in at the start of a shift, and sees "
                "only what their role needs. After some minutes without use the desk locks itself."
            )
        )
        self.name_label.setText(_("Your name:"))
        self.secret_label.setText(_("Passphrase (12 characters or more):"))
        self.again_label.setText(_("The passphrase again:"))
        self.create_button.setText(_("Create my account"))
        self.skip_button.setText(_("Go on without accounts"))
