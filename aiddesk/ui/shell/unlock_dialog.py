"""At the start of an encrypted desk: open it with a name and passphrase, or the recovery key.

Each attempt runs on an operation runner of the dialog's own (the key stretching takes about
half a second; there is no desk context yet), and wrong attempts slow down
(services.desk.encryption.Unlocker). A PIN never opens the desk: there is no PIN field here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _
from aiddesk.services.desk import encryption
from aiddesk.services.desk.encryption import DeskKey, Unlocker
from aiddesk.ui.common.field_error import FieldError
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operations


class UnlockDialog(Retranslating, QDialog):
    """`key` holds the desk key once the dialog is accepted."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockDialog")
        self.key: DeskKey | None = None
        self._unlocker = Unlocker(database)
        self.failed_before = 0  # wrong tries before the one that opened the desk
        self.opened_by: str | None = None  # whose passphrase opened it (None: the recovery key)
        self.operations = Operations(None, self)
        self._trying = False
        try:
            names = encryption.names(database)
        except (OSError, encryption.KeyFileDamaged):
            names = []

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name_label = QLabel()
        self.name = QComboBox()
        self.name.setObjectName("unlockName")
        self.name.setEditable(True)
        self.name.addItems(names)
        self.name.setCurrentIndex(0 if len(names) == 1 else -1)
        self.passphrase_label = QLabel()
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("unlockPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.name_label.setBuddy(self.name)
        self.passphrase_label.setBuddy(self.passphrase)
        self.use_recovery = QCheckBox()
        self.use_recovery.setObjectName("useRecoveryKey")
        self.use_recovery.toggled.connect(self._recovery_toggled)
        self.error = FieldError()
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.unlock_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.passphrase_label, 1, 0)
        grid.addWidget(self.passphrase, 1, 1)
        grid.addWidget(self.use_recovery, 2, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.retranslate_ui()
        (self.passphrase if self.name.currentText() else self.name).setFocus()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Open the desk"))
        self.intro.setText(
            _("This desk is encrypted. Type your name and passphrase to open it, or use the recovery key.")
        )
        self.name_label.setText(_("Name:"))
        recovery = self.use_recovery.isChecked()
        self.passphrase_label.setText(_("Recovery key:") if recovery else _("Passphrase:"))
        self.use_recovery.setText(_("Use the recovery key instead"))
        self.unlock_button.setText(_("Open the desk"))

    def _recovery_toggled(self, on: bool) -> None:
        self.name.setEnabled(not on)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.passphrase.clear()
        self.retranslate_ui()
        self.passphrase.setFocus()

    def accept(self) -> None:
        if self._trying:
            return
        secret = self.passphrase.text()
        name = None if self.use_recovery.isChecked() else " ".join(self.name.currentText().split())
        if not secret or name == "":
            self.error.show_text(
                _("Type the recovery key.") if name is None else _("Type your name and your passphrase.")
            )
            return
        unlocker = self._unlocker
        self._set_trying(True)
        wait = unlocker.wait_before_next()
        if wait:
            self.error.show_text(_("Too many wrong tries: wait %(seconds)d seconds…") % {"seconds": wait})
        self.operations.query(
            lambda: unlocker.attempt(secret, name), self._opened, failed=self._refused, parent=self
        )

    def reject(self) -> None:
        if not self._trying:
            super().reject()

    def _set_trying(self, trying: bool) -> None:
        self._trying = trying
        for widget in (self.unlock_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            widget.setEnabled(not trying)

    def _opened(self, key: DeskKey) -> None:
        self._set_trying(False)
        self.passphrase.clear()
        self.key = key
        self.failed_before = self._unlocker.failed_before
        self.opened_by = self._unlocker.opened_by
        super().accept()

    def _refused(self, failure: Failure) -> None:
        self._set_trying(False)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(failure.error, encryption.WrongSecret):
            self.error.show_text(_(encryption.WRONG_TEXT))
        elif isinstance(failure.error, encryption.KeyFileDamaged):
            self.error.show_text(
                _(encryption.DAMAGED_KEYS_TEXT) % {"file": str(encryption.keys_path(self._unlocker.database))}
            )
        else:
            self.error.show_text(failure.message)
