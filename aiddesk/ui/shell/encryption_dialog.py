"""Encrypting the desk: at the first start (on by default), or converting a plain desk.

First page: what encryption protects and what it does not, the first coordinator's name and a
passphrase typed twice. Second page: the recovery key, shown once, with a bilingual recovery
sheet to print or save as a PDF (owner-only); the desk opens only once the person says the key
is put away. The work (key stretching, the conversion) runs on the dialog's own operation
runner: there is no desk context yet."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services import accounts
from aiddesk.services.desk import encryption
from aiddesk.services.desk.documents import save_document
from aiddesk.services.desk.encryption import DeskKey, SetUp
from aiddesk.services.desk.recovery_sheet import LOSS, PROTECTS, RecoverySheet, recovery_sheet
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.common.file_dialogs import save_file_name
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operations


def sheet_html(sheet: RecoverySheet) -> str:
    parts = []
    for part in sheet.parts:
        parts.append(f"<h2>{html.escape(part.title)}</h2>")
        if part.desk:
            parts.append(f"<p>{html.escape(part.desk)}</p>")
        parts.append(
            f"<p><b>{html.escape(part.key_label)}</b><br/>"
            f'<span style="font-family: monospace; font-size: 16pt;">{html.escape(sheet.recovery_key)}</span></p>'
        )
        parts += [f"<p>{html.escape(p)}</p>" for p in part.paragraphs]
        parts.append("<hr/>")
    return "".join(parts)


def sheet_document(sheet: RecoverySheet) -> QTextDocument:
    document = QTextDocument()
    document.setHtml(sheet_html(sheet))
    return document


def sheet_pdf(sheet: RecoverySheet) -> bytes:
    """The sheet as PDF bytes, made in memory."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
        )
    )
    document = sheet_document(sheet)
    document.print_(writer)
    del writer
    buffer.close()
    return bytes(buffer.data().data())


class EncryptionDialog(Retranslating, QDialog):
    """`encrypted` tells whether the desk is now encrypted, `key` its desk key. `converting`: the
    plain desk at `database` is converted; otherwise a new desk is set up (or left plain)."""

    def __init__(self, database: Path, *, converting: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encryptionDialog")
        self.database = database
        self.converting = converting
        self.key: DeskKey | None = None
        self.opener: tuple[str, str] | None = None  # (name, passphrase verifier) once encrypted
        self.encrypted = False
        self._recovery = ""
        self._busy = False
        self.operations = Operations(None, self)

        # -- page 1: the choice and the passphrase
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.encrypt = QCheckBox()
        self.encrypt.setObjectName("encryptDesk")
        self.encrypt.setChecked(True)
        self.encrypt.toggled.connect(self._encrypt_toggled)
        self.protects = QLabel()
        self.protects.setWordWrap(True)
        self.loss = QLabel()
        self.loss.setWordWrap(True)
        self.loss.setStyleSheet("font-weight: bold;")
        self.name_label, self.name = QLabel(), QLineEdit()
        self.name.setObjectName("coordinatorName")
        self.name.setMaxLength(120)
        self.passphrase_label, self.passphrase = QLabel(), QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.again_label, self.again = QLabel(), QLineEdit()
        self.again.setObjectName("passphraseAgain")
        for field in (self.passphrase, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: palette(placeholder-text);")
        self.name_error, self.passphrase_error, self.again_error, self.other_error = (
            FieldError(),
            FieldError(),
            FieldError(),
            FieldError(),
        )
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        rows: list[tuple[QLabel, QWidget, FieldError]] = [
            (self.name_label, self.name, self.name_error),
            (self.passphrase_label, self.passphrase, self.passphrase_error),
            (self.again_label, self.again, self.again_error),
        ]
        for n, (label, widget, error) in enumerate(rows):
            label.setBuddy(widget)
            grid.addWidget(label, 2 * n, 0)
            grid.addWidget(widget, 2 * n, 1)
            grid.addWidget(error, 2 * n + 1, 1)
        first = QWidget()
        first_layout = QVBoxLayout(first)
        for widget in (self.intro, self.encrypt, self.protects, self.loss):
            first_layout.addWidget(widget)
        first_layout.addLayout(grid)
        first_layout.addWidget(self.rule)
        first_layout.addWidget(self.other_error)
        first_layout.addStretch(1)

        # -- page 2: the recovery key
        self.key_intro = QLabel()
        self.key_intro.setWordWrap(True)
        self.key_text = QLabel()
        self.key_text.setObjectName("recoveryKey")
        self.key_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.Bold)
        self.key_text.setFont(font)
        self.key_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printRecoverySheet")
        self.print_button.clicked.connect(self._print)
        self.pdf_button = QPushButton()
        self.pdf_button.setObjectName("saveRecoverySheet")
        self.pdf_button.clicked.connect(self._save_pdf)
        self.saved_line = FieldError()
        self.saved_line.setStyleSheet("")
        self.put_away = QCheckBox()
        self.put_away.setObjectName("recoveryKeyPutAway")
        self.put_away.toggled.connect(self._update_buttons)
        second = QWidget()
        second_layout = QVBoxLayout(second)
        second_layout.addWidget(self.key_intro)
        second_layout.addSpacing(8)
        second_layout.addWidget(self.key_text)
        second_layout.addSpacing(8)
        sheet_buttons = QHBoxLayout()
        sheet_buttons.addWidget(self.print_button)
        sheet_buttons.addWidget(self.pdf_button)
        sheet_buttons.addStretch(1)
        second_layout.addLayout(sheet_buttons)
        second_layout.addWidget(self.saved_line)
        second_layout.addWidget(self.put_away)
        second_layout.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(first)
        self.pages.addWidget(second)
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("encryptionContinue")
        self.continue_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # wrapped texts are never cut
        layout.addWidget(self.pages)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self.retranslate_ui()

    # -- texts

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Encrypt this desk") if self.converting else _("Protect this desk"))
        if self.converting:
            self.intro.setText(
                _(
                    "This desk is not encrypted: anyone who gets the laptop or a backup can read it. "
                    "AidDesk can encrypt it now. It makes a checked backup first, encrypts, checks that "
                    "every record is there, and then removes the unencrypted database and backups."
                )
            )
            self.encrypt.setText(_("Encrypt this desk now"))
        else:
            self.intro.setText(
                _(
                    "AidDesk keeps names, addresses and safety notes of people who may be at risk. "
                    "Encrypt this desk so that only people with a passphrase can open it."
                )
            )
            self.encrypt.setText(_("Encrypt this desk (recommended)"))
        self.protects.setText(_(PROTECTS))
        self.loss.setText(_(LOSS))
        self.name_label.setText(_("Your name:"))
        self.name.setPlaceholderText(_("the first coordinator"))
        self.passphrase_label.setText(_("Passphrase:"))
        self.again_label.setText(_("Passphrase again:"))
        self.rule.setText(
            _("At least 12 characters. A few words you remember are best, like “green bus seven tortillas”.")
        )
        self.key_intro.setText(
            _(
                "This is the desk's recovery key. It opens the desk if every passphrase is forgotten. "
                "It is shown only now: print the recovery sheet or write the key down, and keep it "
                "locked away, apart from the laptop."
            )
        )
        groups = self._recovery.split("-")
        half = (len(groups) + 1) // 2
        self.key_text.setText("-".join(groups[:half]) + "\n" + "-".join(groups[half:]))
        self.print_button.setText(_("Print the recovery sheet…"))
        self.pdf_button.setText(_("Save the recovery sheet as PDF…"))
        self.put_away.setText(_("I have printed or written down the recovery key and put it away safely"))
        self._update_buttons()

    def _update_buttons(self) -> None:
        on_key_page = self.pages.currentIndex() == 1
        self.continue_button.setText(_("Open the desk") if on_key_page else _("Continue"))
        self.continue_button.setEnabled(not self._busy and (not on_key_page or self.put_away.isChecked()))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setEnabled(not self._busy and not on_key_page)

    def _encrypt_toggled(self, on: bool) -> None:
        for widget in (self.name, self.passphrase, self.again):
            widget.setEnabled(on)

    # -- steps

    def accept(self) -> None:
        if self._busy:
            return
        if self.pages.currentIndex() == 1:
            if self.put_away.isChecked():
                super().accept()
            return
        if not self.encrypt.isChecked():
            self.encrypted = False
            super().accept()
            return
        database, converting = self.database, self.converting
        name, passphrase, again = self.name.text(), self.passphrase.text(), self.again.text()

        def work() -> tuple[SetUp, str]:
            if converting:
                made = encryption.convert(database, name=name, passphrase=passphrase, again=again)
            else:
                made = encryption.set_up(database, name=name, passphrase=passphrase, again=again)
            # the person who chose the passphrase becomes the desk's first account, signing in
            # with it: its verifier is made here, so the passphrase is not kept
            return made, accounts.verifier_of(passphrase)

        self._set_busy(True)
        self.operations.write(
            work,
            self._done,
            failed=self._refused,
            parent=self,
            progress=_("Encrypting the desk…") if converting else None,
        )

    def reject(self) -> None:
        if not self._busy and self.pages.currentIndex() == 0:
            super().reject()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _done(self, result: tuple[SetUp, str]) -> None:
        made, verifier = result
        self._set_busy(False)
        self.passphrase.clear()
        self.again.clear()
        self.opener = (" ".join(self.name.text().split()), verifier)
        self.key, self._recovery, self.encrypted = made.key, made.recovery, True
        self.pages.setCurrentIndex(1)
        self.retranslate_ui()

    def _refused(self, failure: Failure) -> None:
        self._set_busy(False)
        errors = {"name": self.name_error, "passphrase": self.passphrase_error, "again": self.again_error}
        if isinstance(failure.error, Invalid):
            show_problems(errors, failure.error, self.other_error)
        else:
            for error in errors.values():
                error.clear_problem()
            self.other_error.show_text(failure.message)

    # -- the recovery sheet

    @property
    def recovery_key(self) -> str:
        return self._recovery

    def sheet(self) -> RecoverySheet:
        return recovery_sheet(self._recovery, str(self.database.parent))

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        preview = QPrintPreviewDialog(printer, self)
        document = sheet_document(self.sheet())
        preview.paintRequested.connect(lambda p: document.print_(p))
        preview.exec()
        preview.deleteLater()

    def _save_pdf(self) -> None:
        chosen = save_file_name(
            self, _("Save the recovery sheet"), str(Path.home() / "aiddesk-recovery-sheet.pdf"), "PDF (*.pdf)"
        )
        if not chosen:
            return
        self.save_pdf_to(Path(chosen))

    def save_pdf_to(self, path: Path) -> None:
        data, data_dir = sheet_pdf(self.sheet()), self.database.parent
        self.operations.write(
            lambda: save_document(data, path, data_dir),
            lambda _none: self.saved_line.show_text(_("Saved: %(file)s") % {"file": str(path)}),
            failed=lambda failure: self.saved_line.show_text(failure.message),
            parent=self,
        )
