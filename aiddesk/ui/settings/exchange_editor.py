"""Settings: the exchange folder and the group password (kept outside the database and its
backups: in the platform's keyring, or in a file beside the database only this computer's user
may read; see aiddesk/store/group_secret.py), read and saved through the desk's operation runner."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.common.file_dialogs import existing_folder
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.export_dialog import hint_label
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure

FIELD_WIDTH = 340


class ExchangeSettings(Retranslating, QGroupBox):
    """A change reaches the exchange screen and its timer through the change notifier (kind DESK)."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.intro = hint_label()
        self.folder_edit = QLineEdit()
        self.folder_edit.setMaxLength(1000)
        self.choose_button = QPushButton()
        self.choose_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.choose_button.clicked.connect(self.choose_folder)
        self.password_edit = QLineEdit()
        self.password_edit.setMaxLength(200)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = QCheckBox()
        self.show_password.toggled.connect(self._show_password)
        self.new_password = QCheckBox()  # offered when the password opens none of the folder's files
        self.new_password.hide()
        self.errors = {"folder": FieldError(), "password": FieldError()}
        self.form_error = FieldError()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.hide()
        self.folder_caption, self.password_caption = QLabel(), QLabel()
        self.password_hint = hint_label()

        self.folder_edit.setFixedWidth(FIELD_WIDTH)
        self.password_edit.setFixedWidth(FIELD_WIDTH)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit)
        folder_row.addWidget(self.choose_button)
        folder_row.addWidget(self.errors["folder"], 1)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit)
        password_row.addWidget(self.show_password)
        password_row.addStretch(1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved_label)
        save_row.addWidget(self.form_error, 1)
        save_row.addStretch()
        form = QFormLayout()
        form.addRow(self.folder_caption, folder_row)
        form.addRow(self.password_caption, password_row)
        form.addRow("", self.errors["password"])  # below the field: a refusal can be two lines long
        form.addRow("", self.password_hint)
        form.addRow("", self.new_password)
        form.addRow("", save_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        for key, edit in (("folder", self.folder_edit), ("password", self.password_edit)):
            edit.textEdited.connect(self.saved_label.hide)
            edit.textEdited.connect(self.errors[key].clear_problem)  # typed again: the refusal goes
            edit.textEdited.connect(self._forget_new_password)
        self.save_button.setEnabled(False)  # until the stored settings are shown
        self.retranslate_ui()
        self.reload()

    def reload(self) -> None:
        """Show the stored folder and password (what was typed and not saved is replaced)."""
        db = self._ctx.database

        def show(stored: exchange_folder.FolderSettings) -> None:
            self.folder_edit.setText(stored.folder)
            self.password_edit.setText(stored.password)
            self.save_button.setEnabled(True)

        self._ctx.operations.query(lambda: exchange_folder.folder_settings(db), show, key="settings-exchange")

    def choose_folder(self) -> None:
        chosen = existing_folder(self, _("Choose the exchange folder"), self.folder_edit.text())
        if chosen:
            self.folder_edit.setText(chosen)
            self.saved_label.hide()
            self.errors["folder"].clear_problem()

    def _forget_new_password(self) -> None:
        self.new_password.setChecked(False)
        self.new_password.hide()

    def _show_password(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password_edit.setEchoMode(mode)

    def save(self) -> None:
        """Save the folder and the password; a refusal is shown by its field."""
        db, folder, password = self._ctx.database, self.folder_edit.text(), self.password_edit.text()
        who = self._ctx.who
        new_password = not self.new_password.isHidden() and self.new_password.isChecked()
        self.save_button.setEnabled(False)  # until saved

        def saved(stored: exchange_folder.FolderSettings) -> None:
            self.save_button.setEnabled(True)
            self._forget_new_password()
            for error in (*self.errors.values(), self.form_error):
                error.clear_problem()
            self.folder_edit.setText(stored.folder)
            self.saved_label.show()

        def refused(failure: Failure) -> None:
            self.save_button.setEnabled(True)
            if isinstance(failure.error, Invalid):
                show_problems(self.errors, failure.error, self.form_error)
                if isinstance(failure.error, exchange_folder.GroupPasswordRefused):
                    self.new_password.setChecked(False)
                    self.new_password.show()  # the group may have chosen a new password on purpose
            else:
                for error in self.errors.values():
                    error.clear_problem()
                self.form_error.show_text(failure.message)
            self.saved_label.hide()

        self._ctx.operations.write(
            lambda: exchange_folder.save_folder_settings(
                db, folder, password, who=who, new_password=new_password
            ),
            saved,
            failed=refused,
            parent=self,
        )

    def retranslate_ui(self) -> None:
        self.setTitle(_("Exchange folder"))
        self.intro.setText(
            _(
                "A folder every desk of the group can reach: a shared folder, or one that a sync service "
                "keeps up to date. Leave it empty to exchange by hand only."
            )
        )
        self.folder_caption.setText(_("Folder:"))
        self.choose_button.setText(_("Choose…"))
        self.password_caption.setText(_("Group password:"))
        self.show_password.setText(_("Show"))
        self.password_hint.setText(
            _(
                "The same for every desk of the group, at least 8 characters. The workbooks in the folder "
                "are locked with it."
            )
        )
        self.new_password.setText(_("Our group chose a new password: keep this one"))
        self.save_button.setText(_("Save"))
        self.saved_label.setText(_("Saved."))
