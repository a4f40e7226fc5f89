"""Step 1: the spreadsheet — the file, which sheet, which row holds the questions, and whether its
rows are callers with their needs or volunteers. The first rows are shown to choose by."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from aiddesk.domain.sheet_fields import SheetKind
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange.files import WorkbookRejected
from aiddesk.services.exchange.sheet_import.plan import column_letter
from aiddesk.services.exchange.sheet_import.preview import problem_text
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.common.file_dialogs import file_dialog
from aiddesk.ui.common.record_table import ColumnsFitText
from aiddesk.ui.exchange.sheet_import.texts import kind_label
from aiddesk.ui.retranslate import Retranslating

ERROR_STYLE = "color: #b3261e;"
SHOWN_ROWS = 6


def error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("fieldError")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class FilePage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.file_dialog: QFileDialog | None = None
        self.path_edit = QLineEdit()
        self.path_edit.editingFinished.connect(self._typed_path)
        self.path_edit.setMinimumWidth(600)
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self._sheet_chosen)
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 1000)
        self.header_spin.setMaximumWidth(120)
        self.sheet_box.setMinimumWidth(320)
        self.header_spin.valueChanged.connect(self._header_chosen)
        self.kind_buttons = QButtonGroup(self)
        self.kind_radios = {kind: QRadioButton() for kind in SheetKind}
        for kind, radio in self.kind_radios.items():
            self.kind_buttons.addButton(radio)
            radio.toggled.connect(lambda on, k=kind: self._kind_chosen(k) if on else None)
        self.kind_radios[session.kind].setChecked(True)
        self.rows_table = QTableWidget()
        self.rows_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows_table.setWordWrap(False)
        self.rows_table.setMinimumHeight(170)
        ColumnsFitText(self.rows_table)  # every column as wide as its text
        self.error = error_label()

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        kinds = QVBoxLayout()
        for radio in self.kind_radios.values():
            kinds.addWidget(radio)
        self.captions = [QLabel() for _row in range(4)]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        buddies: tuple[QWidget, ...] = (
            self.path_edit,
            self.sheet_box,
            self.header_spin,
            self.kind_radios[SheetKind.PERSON_REQUESTS],
        )
        for caption, buddy in zip(self.captions, buddies, strict=True):
            caption.setBuddy(buddy)
        form.addRow(self.captions[0], file_row)
        form.addRow(self.captions[1], self.sheet_box)
        form.addRow(self.captions[2], self.header_spin)
        form.addRow(self.captions[3], kinds)
        self.rows_caption = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.rows_caption)
        layout.addWidget(self.rows_table, 1)
        layout.addWidget(self.error)
        self.retranslate_ui()

    # ---- choosing ------------------------------------------------------------------------------

    def browse(self) -> QFileDialog:
        dialog = file_dialog(self, _("Choose the spreadsheet to import"), str(Path.home()), save=False)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Spreadsheets (*.xlsx *.csv)"), _("All files (*)")])
        dialog.fileSelected.connect(self.open_file)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _typed_path(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.session.path is None or Path(text) != self.session.path):
            self.open_file(text)

    def open_file(self, path: str) -> None:
        self.path_edit.setText(path)
        message = ""
        try:
            self.session.open(Path(path))
        except WorkbookRejected as rejected:
            self.session.sheets = []
            message = rejected.message
        except OSError as failed:
            self.session.sheets = []
            message = _("Could not read %(file)s: %(reason)s") % {
                "file": path,
                "reason": failed.strerror or str(failed),
            }
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        self.sheet_box.addItems([sheet.name for sheet in self.session.sheets])
        self.sheet_box.blockSignals(False)
        self.header_spin.setValue(1)
        self.error.setText(message)  # about this file (set after the row and sheet went back)
        self._show_rows()

    def _sheet_chosen(self, index: int) -> None:
        self.error.clear()  # another sheet: what was said of the last one has had its moment
        if 0 <= index < len(self.session.sheets):
            self.session.sheet_index = index
            self._show_rows()

    def _header_chosen(self, row: int) -> None:
        self.error.clear()
        self.session.header_row = row
        self._show_rows()

    def _kind_chosen(self, kind: SheetKind) -> None:
        self.session.kind = kind
        self.session.columns = {}

    def _show_rows(self) -> None:
        """The first rows of the sheet, the header row in bold."""
        rows = self.session.first_rows(SHOWN_ROWS) if self.session.sheets else []
        width = max((len(r) for r in rows), default=0)
        self.rows_table.clear()
        self.rows_table.setRowCount(len(rows))
        self.rows_table.setColumnCount(width)
        bold = QFont(self.rows_table.font())
        bold.setBold(True)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem("" if value is None else " ".join(str(value).split()))
                if r + 1 == self.session.header_row:
                    item.setFont(bold)
                self.rows_table.setItem(r, c, item)
        self.rows_table.setVerticalHeaderLabels([str(n) for n in range(1, len(rows) + 1)])
        self.rows_table.setHorizontalHeaderLabels([column_letter(c) for c in range(width)])
        self.completeChanged.emit()

    # ---- QWizardPage ---------------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802 (Qt's name)
        return bool(self.session.sheets)

    def validatePage(self) -> bool:  # noqa: N802
        try:
            self.session.headers()
        except Invalid as invalid:
            self.error.setText(problem_text(invalid.problems[0]))
            return False
        self.session.guess_columns()
        if self.session.remembered:
            self.kind_radios[self.session.kind].setChecked(True)
        return True

    def retranslate_ui(self) -> None:
        self.setTitle(_("Which spreadsheet?"))
        self.setSubTitle(
            _("Choose an Excel workbook (.xlsx) or a CSV file, for example the answers of a Google form.")
        )
        self.browse_button.setText(_("Choose a file…"))
        self.path_edit.setPlaceholderText(_("The spreadsheet's file"))
        self.path_edit.setAccessibleName(_("Spreadsheet file"))
        self.sheet_box.setAccessibleName(_("Sheet"))
        self.header_spin.setAccessibleName(_("Row with the questions"))
        for caption, text in zip(
            self.captions,
            (_("&File:"), _("&Sheet:"), _("&Questions in row:"), _("Each &row is:")),
            strict=True,
        ):
            caption.setText(text)
        for kind, radio in self.kind_radios.items():
            radio.setText(kind_label(kind))
        self.rows_caption.setText(_("The first rows of the sheet (the row with the questions in bold):"))
        self.rows_table.setAccessibleName(_("The first rows of the sheet"))
