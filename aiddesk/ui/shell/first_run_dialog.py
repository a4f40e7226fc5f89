"""First run: name the desk, give it a short code and pick the language (the desk gets a random id).

It shows before the main window and before any desk exists, so there is no DeskContext yet: the
dialog runs its one write through an operation runner of its own over the database it is given
(off the GUI thread, a failure said in one translated line). The desk's screens get theirs later."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
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

from aiddesk import i18n
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.database import Database
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.setup import REGIONS, DeskInfo
from aiddesk.ui.common.field_error import FieldError, clear_when, show_problems
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operations

HINT_STYLE = "color: palette(placeholder-text);"


def system_defaults() -> tuple[str, str]:
    """The language and phone region to offer first, from the computer's locale (English/US otherwise)."""
    system = QLocale.system()
    language = "es" if system.language() == QLocale.Language.Spanish else "en"
    region = QLocale.territoryToCode(system.territory()).upper()
    return language, region if region in REGIONS else "US"


class FirstRunDialog(Retranslating, QDialog):
    """Creates the desk with services.desk.create_desk; `desk` holds it once the dialog is accepted
    (accept() starts creating it; the dialog closes when it is done)."""

    def __init__(self, db: Database, region: str = "US", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self._db = db
        self._region = region
        self.desk: DeskInfo | None = None
        self.operations = Operations(db, self)
        self._creating = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name_label = QLabel()
        self.name = QLineEdit()
        self.name.setObjectName("deskName")
        self.name.setMaxLength(120)
        self.name_error = FieldError()
        self.code_label = QLabel()
        self.code = QLineEdit()
        self.code.setObjectName("deskCode")
        self.code.textEdited.connect(self._uppercase_code)
        self.code_hint = QLabel()
        self.code_hint.setWordWrap(True)
        self.code_hint.setStyleSheet(HINT_STYLE)
        self.code_error = FieldError()
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language.setObjectName("deskLanguage")
        for code, native_name in i18n.LANGUAGES.items():
            self.language.addItem(native_name, code)  # each language in its own words, never translated
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.current_language())))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.language_error = FieldError()
        self.other_error = FieldError()
        clear_when((self.name.textEdited,), self.name_error, self.other_error)
        clear_when((self.code.textEdited,), self.code_error, self.other_error)
        clear_when((self.language.currentIndexChanged,), self.language_error, self.other_error)
        for field, label in (
            (self.name, self.name_label),
            (self.code, self.code_label),
            (self.language, self.language_label),
        ):
            label.setBuddy(field)

        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.name_label, 0, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(self.name_error, 1, 1)
        grid.addWidget(self.code_label, 2, 0)
        grid.addWidget(self.code, 2, 1)
        grid.addWidget(self.code_hint, 3, 1)
        grid.addWidget(self.code_error, 4, 1)
        grid.addWidget(self.language_label, 5, 0)
        grid.addWidget(self.language, 5, 1)
        grid.addWidget(self.language_error, 6, 1)

        self.create_button = QPushButton()
        self.create_button.setObjectName("createDesk")
        self.create_button.setDefault(True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.other_error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Set up this desk"))
        self.intro.setText(
            _(
                "Welcome to AidDesk. Name this desk and give it a short code; you can change both later in Settings."
            )
        )
        self.name_label.setText(_("Desk name:"))
        self.name.setPlaceholderText(_("e.g. Eastside Community Center"))
        self.code_label.setText(_("Desk code:"))
        self.code.setPlaceholderText(_("e.g. CC1"))
        self.code_hint.setText(
            _("2 to 6 capital letters or digits. It begins the codes of this desk's records, like CC1-R0042.")
        )
        self.language_label.setText(_("Language:"))
        self.create_button.setText(_("Create desk"))

    def _fit(self) -> None:
        """Grow to show every line of the wrapped texts (a message under a field, a language whose
        words are longer): the dialog was sized for what it showed when it opened."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else 0
        need = max(need, layout.totalMinimumSize().height())
        if need > self.height():
            self.resize(self.width(), need)

    def _uppercase_code(self, text: str) -> None:
        if text != text.upper():
            position = self.code.cursorPosition()
            self.code.setText(text.upper())
            self.code.setCursorPosition(position)

    def _language_chosen(self, _index: int) -> None:
        # The whole app follows at once (Qt's own buttons through the QtLanguage listener).
        i18n.set_language(self.language.currentData(), self._region)
        self.retranslate_ui()
        self._fit()

    def accept(self) -> None:
        """Create the desk (on a worker thread); the dialog closes once it is created."""
        if self._creating:
            return
        db, region = self._db, self._region
        name, code, language = self.name.text(), self.code.text(), self.language.currentData()
        self._set_creating(True)
        self.operations.write(
            lambda: desk_service.create_desk(db, name=name, code=code, language=language, region=region),
            self._created,
            failed=self._refused,
            parent=self,
        )

    def reject(self) -> None:
        if not self._creating:  # a desk half asked for is not left behind: wait for the answer
            super().reject()

    def _set_creating(self, creating: bool) -> None:
        self._creating = creating
        for widget in (self.create_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            widget.setEnabled(not creating)

    def _created(self, desk: DeskInfo) -> None:
        self._set_creating(False)
        self.desk = desk
        super().accept()

    def _refused(self, failure: Failure) -> None:
        self._set_creating(False)
        errors = {"name": self.name_error, "code": self.code_error, "language": self.language_error}
        if not isinstance(failure.error, Invalid):
            for error in errors.values():
                error.clear_problem()
            self.other_error.show_text(failure.message)
            self._fit()
            return
        show_problems(errors, failure.error, self.other_error)
        self._fit()
        first = {"name": self.name, "code": self.code, "language": self.language}.get(
            failure.error.problems[0].field
        )
        if first is not None:
            first.setFocus()
