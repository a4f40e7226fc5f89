"""Settings, "Encryption": whether the desk is encrypted at rest and who can open it; for a plain
desk, the way to encrypt it (AidDesk closes the desk and offers the conversion as it opens it
again: no connection may be open while the database is replaced)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from aiddesk.i18n import _
from aiddesk.services.desk import encryption
from aiddesk.ui.backups import request_restart
from aiddesk.ui.common.question import Role, ask
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating


class EncryptionBox(Retranslating, QGroupBox):
    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        restart: Callable[[], None] = request_restart,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("encryptionBox")
        self._ctx = ctx
        self._restart = restart
        self.state = QLabel()
        self.state.setObjectName("encryptionState")
        self.state.setWordWrap(True)
        self.encrypt_button = QPushButton()
        self.encrypt_button.setObjectName("encryptDeskButton")
        self.encrypt_button.clicked.connect(self.encrypt)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.encrypt_button)
        self.retranslate_ui()

    def _encrypted(self) -> bool:
        return self._ctx.db is not None and self._ctx.db.encrypted

    def retranslate_ui(self) -> None:
        self.setTitle(_("Encryption"))
        encrypted = self._encrypted()
        if encrypted:
            self.state.setText(
                _(
                    "This desk is encrypted: its database and backups can be read only with a "
                    "passphrase or the recovery key."
                )
            )
        else:
            self.state.setText(
                _("This desk is not encrypted: anyone who gets the laptop or a backup can read it.")
            )
        self.encrypt_button.setText(_("Encrypt this desk…"))
        self.encrypt_button.setVisible(not encrypted)

    def encrypt(self) -> None:
        ask(
            self,
            _("Encrypt this desk now?"),
            _(
                "AidDesk closes the desk and opens it again to encrypt it. You choose a passphrase "
                "and get a recovery key to print. Save what you are typing first."
            ),
            [("encrypt", _("Close and encrypt"), Role.AcceptRole), ("cancel", _("Cancel"), Role.RejectRole)],
            self._answered,
        )[0].open()

    def _answered(self, key: str) -> None:
        if key != "encrypt" or self._ctx.db is None:
            return
        database = self._ctx.db.path
        self._ctx.operations.write(
            lambda: encryption.offer_again(database), lambda _none: self._restart(), parent=self
        )
