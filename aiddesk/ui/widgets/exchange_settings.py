"""Settings: the exchange folder and the group password (kept outside the database and its
backups: in the platform's keyring, or in a file beside the database only this computer's user
may read; see aiddesk/store/group_secret.py)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
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
from aiddesk.services import exchange_folder
from aiddesk.ui.context import DeskContext
from aiddesk.ui.dialogs.export_dialog import hint_label
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.widgets.field_error import FieldError, show_problems

FIELD_WIDTH = 340


class ExchangeSettings(Retranslating, QGroupBox):
    """`saved` after the folder or the group password changed."""

    saved = Signal()

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        stored = exchange_folder.folder_settings(ctx.database)
        self.intro = hint_label()
        self.folder_edit = QLineEdit(stored.folder)
        self.folder_edit.setMaxLength(1000)
        self.choose_button = QPushButton()
        self.choose_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.choose_button.clicked.connect(self.choose_folder)
        self.password_edit = QLineEdit(stored.password)
        self.password_edit.setMaxLength(200)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.show_password = QCheckBox()
        self.show_password.toggled.connect(self._show_password)
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
        password_row.addWidget(self.errors["password"], 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved_label)
        save_row.addWidget(self.form_error, 1)
        save_row.addStretch()
        form = QFormLayout()
        form.addRow(self.folder_caption, folder_row)
        form.addRow(self.password_caption, password_row)
        form.addRow("", self.password_hint)
        form.addRow("", save_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        for edit in (self.folder_edit, self.password_edit):
            edit.textEdited.connect(self.saved_label.hide)
        self.retranslate_ui()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Choose the exchange folder"), self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)
            self.saved_label.hide()

    def _show_password(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.password_edit.setEchoMode(mode)

    def save(self) -> bool:
        try:
            stored = exchange_folder.save_folder_settings(
                self._ctx.database, self.folder_edit.text(), self.password_edit.text()
            )
        except Invalid as refused:
            show_problems(self.errors, refused, self.form_error)
            self.saved_label.hide()
            return False
        for error in (*self.errors.values(), self.form_error):
            error.clear_problem()
        self.folder_edit.setText(stored.folder)
        self.saved_label.show()
        self.saved.emit()
        return True

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
        self.save_button.setText(_("Save"))
        self.saved_label.setText(_("Saved."))
