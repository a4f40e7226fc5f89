"""The Settings screen: language, the desk's name, code and region, the data folder, the
backups, accounts, encryption, retention, the exchange folder, need categories and zones."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from aiddesk import i18n
from aiddesk.domain.changes import Kind
from aiddesk.domain.desk import DeskInfo
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.desk import setup as desk_service
from aiddesk.ui.backups.panel import BackupsPanel
from aiddesk.ui.common.field_error import FieldError, show_problems
from aiddesk.ui.common.page_title import page_title
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.settings.accounts_panel import AccountsPanel
from aiddesk.ui.settings.consent_editor import ConsentEditor
from aiddesk.ui.settings.encryption_box import EncryptionBox
from aiddesk.ui.settings.exchange_editor import ExchangeSettings
from aiddesk.ui.settings.labels_editor import LabelsEditor
from aiddesk.ui.settings.region_box import RegionBox
from aiddesk.ui.settings.retention_box import RetentionBox
from aiddesk.ui.settings.vetting_editor import VettingEditor
from aiddesk.ui.shell.operations import Failure
from aiddesk.ui.shell.refreshing import Refreshes

FIELD_WIDTH = 340


def _beside(field: QWidget, error: FieldError) -> QHBoxLayout:
    """A field with its validation message to its right."""
    row = QHBoxLayout()
    field.setFixedWidth(FIELD_WIDTH)
    row.addWidget(field)
    row.addWidget(error, 1)
    return row


class SettingsPage(Refreshes, Retranslating, QWidget):
    """The desk's settings. What it saves reaches the other screens through the change
    notifier (kind DESK, LABEL), like every write. Need categories and zones also arrive from
    the other desks' workbooks: the lists (and the needs that require vetting) are read again
    whenever they changed. The desk's own settings change only here."""

    shows = frozenset({Kind.LABEL})

    def __init__(
        self,
        ctx: DeskContext,
        parent: QWidget | None = None,
        *,
        open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._open_url = open_url
        self.title = page_title()

        # ---- this desk
        self.language_box = QComboBox()
        for code, name in i18n.LANGUAGES.items():  # each name in its own language, never translated
            self.language_box.addItem(name, code)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(120)
        self.code_edit = QLineEdit()
        self.code_edit.setMaxLength(6)
        self.region_box = RegionBox()
        self.language_error, self.name_error, self.code_error, self.region_error = (
            FieldError() for _i in range(4)
        )
        self.form_error = FieldError()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.saved_label = QLabel()
        self.saved_label.hide()
        self.language_caption, self.name_caption, self.code_caption, self.region_caption = (
            QLabel() for _i in range(4)
        )
        self.language_hint = QLabel()
        self.language_hint.setWordWrap(True)
        self.language_hint.setEnabled(False)  # greyed: a hint, not a control

        form = QFormLayout()
        form.addRow(self.language_caption, _beside(self.language_box, self.language_error))
        form.addRow("", self.language_hint)
        form.addRow(self.name_caption, _beside(self.name_edit, self.name_error))
        form.addRow(self.code_caption, _beside(self.code_edit, self.code_error))
        form.addRow(self.region_caption, _beside(self.region_box, self.region_error))
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.saved_label)
        save_row.addWidget(self.form_error, 1)
        save_row.addStretch()
        form.addRow("", save_row)
        self.desk_box = QGroupBox()
        self.desk_box.setLayout(form)

        # ---- data folder
        self.data_path = QLineEdit(str(ctx.paths.data_dir))
        self.data_path.setReadOnly(True)
        self.open_folder_button = QPushButton()
        self.open_folder_button.clicked.connect(self.open_data_folder)
        self.open_folder_error = QLabel()
        self.open_folder_error.hide()
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_path, 1)
        data_row.addWidget(self.open_folder_button)
        data_layout = QVBoxLayout()
        data_layout.addLayout(data_row)
        data_layout.addWidget(self.open_folder_error)
        self.data_box = QGroupBox()
        self.data_box.setLayout(data_layout)

        self.backups_box = BackupsPanel(ctx)
        self.accounts_box = AccountsPanel(ctx)
        self.encryption_box = EncryptionBox(ctx)
        self.retention_box = RetentionBox(ctx)

        # ---- exchange folder
        self.exchange_box = ExchangeSettings(ctx)

        # ---- need categories and zones
        self.categories_editor = LabelsEditor(ctx, "need_category")
        self.zones_editor = LabelsEditor(ctx, "zone")
        for editor in (self.categories_editor, self.zones_editor):
            editor.setMinimumHeight(330)
        editors = QHBoxLayout()
        editors.addWidget(self.categories_editor, 1)
        editors.addWidget(self.zones_editor, 1)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.title)
        layout.addWidget(self.desk_box)
        layout.addWidget(self.data_box)
        layout.addWidget(self.backups_box)
        layout.addWidget(self.accounts_box)
        layout.addWidget(self.encryption_box)
        layout.addWidget(self.retention_box)
        layout.addWidget(self.exchange_box)
        layout.addLayout(editors, 1)
        self.vetting_editor = VettingEditor(ctx)
        layout.addWidget(self.vetting_editor)
        self.consent_editor = ConsentEditor(ctx)
        layout.addWidget(self.consent_editor)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the sidebar to the language
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._show_desk()
        self.language_box.currentIndexChanged.connect(self._language_chosen)
        for edit, error in ((self.name_edit, self.name_error), (self.code_edit, self.code_error)):
            edit.textEdited.connect(self._hide_saved)
            edit.textEdited.connect(error.clear_problem)  # a refusal goes once its field is typed again
        self.region_box.activated.connect(self._hide_saved)
        self.region_box.activated.connect(self.region_error.clear_problem)
        self.retranslate_ui()
        self.follow_changes(ctx.operations.notifier)

    def refresh(self) -> None:
        """Read the need categories, the zones and the needs that require vetting again."""
        self.categories_editor.reload()
        self.zones_editor.reload()
        self.vetting_editor.reload()

    # ---- actions ---------------------------------------------------------------------------

    def _show_desk(self) -> None:
        desk = self._ctx.desk
        self.name_edit.setText(desk.name)
        self.code_edit.setText(desk.code)
        self.region_box.set_region(desk.phone_region)
        self._select_language(i18n.current_language())

    def _select_language(self, language: str) -> None:
        self.language_box.blockSignals(True)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(language)))
        self.language_box.blockSignals(False)

    def _language_chosen(self, index: int) -> None:
        """Save the language with the desk and switch the whole UI to it at once."""
        language = str(self.language_box.itemData(index))
        if language == i18n.current_language():
            return
        desk, db, who = self._ctx.desk, self._ctx.database, self._ctx.who

        def switched(info: DeskInfo) -> None:
            self.language_error.clear_problem()
            self._ctx.desk = info
            i18n.set_language(language, info.phone_region)

        def refused(failure: Failure) -> None:
            if isinstance(failure.error, Invalid):
                show_problems({"language": self.language_error}, failure.error, self.language_error)
            else:
                self.language_error.show_text(failure.message)
            self._select_language(i18n.current_language())

        self._ctx.operations.write(
            lambda: desk_service.update_desk(
                db, who, name=desk.name, code=desk.code, region=desk.phone_region, language=language
            ),
            switched,
            failed=refused,
            parent=self,
        )

    def save(self) -> None:
        """Save the desk's name, code and phone region (the language is saved when chosen)."""
        before, db, who = self._ctx.desk, self._ctx.database, self._ctx.who
        errors = {"name": self.name_error, "code": self.code_error, "phone_region": self.region_error}
        name, code, region = self.name_edit.text(), self.code_edit.text(), self.region_box.region()

        def saved(info: DeskInfo) -> None:
            for error in (*errors.values(), self.form_error):
                error.clear_problem()
            self._ctx.desk = info
            self._show_desk()
            self.saved_label.show()
            if info.phone_region != before.phone_region:  # dates and numbers follow the region
                i18n.set_language(i18n.current_language(), info.phone_region)

        def refused(failure: Failure) -> None:
            if isinstance(failure.error, Invalid):
                show_problems(errors, failure.error, self.form_error)
            else:
                self.form_error.show_text(failure.message)
            self._hide_saved()

        self._ctx.operations.write(
            lambda: desk_service.update_desk(
                db, who, name=name, code=code, region=region, language=before.language
            ),
            saved,
            failed=refused,
            parent=self,
        )

    def _hide_saved(self) -> None:
        self.saved_label.hide()

    def open_data_folder(self) -> None:
        opened = self._open_url(QUrl.fromLocalFile(str(self._ctx.paths.data_dir)))
        self.open_folder_error.setVisible(not opened)

    # ---- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self._select_language(i18n.current_language())
        self.title.setText(_("Settings"))
        self.desk_box.setTitle(_("This desk"))
        self.language_caption.setText(_("Language:"))
        self.language_hint.setText(_("The whole window switches at once."))
        self.name_caption.setText(_("Desk name:"))
        self.code_caption.setText(_("Desk code:"))
        self.code_edit.setPlaceholderText(_("e.g. CC1"))
        self.region_caption.setText(_("Phone region:"))
        self.region_box.setToolTip(
            _("Phone numbers typed without a country code are read as from this region.")
        )
        self.save_button.setText(_("Save"))
        self.saved_label.setText(_("Saved."))
        self.data_box.setTitle(_("Data folder"))
        self.data_path.setToolTip(_("Where this desk keeps its database and its backups."))
        self.open_folder_button.setText(_("Open folder"))
        self.open_folder_error.setText(_("The folder could not be opened; its path is shown above."))
