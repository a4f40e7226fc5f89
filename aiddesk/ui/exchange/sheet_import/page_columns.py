"""Step 2: which column feeds which field. Each column of the sheet with a few of its answers and
a list of fields, first guessed from the question (or as remembered from the last import of a
sheet with the same questions)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from aiddesk.domain.sheet_fields import FIELDS
from aiddesk.domain.sheet_mapping import check
from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.services.sheet_import import problem_text
from aiddesk.ui.exchange.sheet_import.page_file import error_label
from aiddesk.ui.exchange.sheet_import.texts import field_label
from aiddesk.ui.retranslate import Retranslating

SAMPLE = '<span style="color: #5f6368;">%s</span>'


class ColumnsPage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.boxes: dict[int, QComboBox] = {}
        self.captions: dict[int, QLabel] = {}
        self.holder = QWidget()
        self.form = QFormLayout(self.holder)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setVerticalSpacing(12)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.holder)
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.error)
        self.retranslate_ui()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.error.clear()
        while self.form.rowCount():
            self.form.removeRow(0)
        self.boxes.clear()
        self.captions.clear()
        for index, header in enumerate(self.session.headers()):
            if not header:
                continue
            caption = QLabel()
            caption.setWordWrap(True)
            caption.setTextFormat(Qt.TextFormat.RichText)
            caption.setMinimumWidth(320)
            box = QComboBox()
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(lambda _n, i=index: self._chosen(i))
            caption.setBuddy(box)
            self.captions[index] = caption
            self.boxes[index] = box
            self.form.addRow(caption, box)
        self.retranslate_ui()

    def _chosen(self, index: int) -> None:
        key = self.boxes[index].currentData()
        if key:
            self.session.columns[index] = key
        else:
            self.session.columns.pop(index, None)
        self.error.clear()

    def choose(self, header: str, key: str) -> None:
        """Set the field a column feeds ("" : not imported), as picking it in its list does."""
        index = self.session.headers().index(header)
        box = self.boxes[index]
        box.setCurrentIndex(box.findData(key))

    def validatePage(self) -> bool:  # noqa: N802
        problems = check(self.session.mapping(), self.session.words)[2]
        if problems:
            self.error.setText("\n".join(problem_text(p) for p in problems))
            return False
        try:
            self.session.answers(self.session.mapped_fields()[0])
        except Invalid as invalid:
            self.error.setText("\n".join(problem_text(p) for p in invalid.problems))
            return False
        return True

    def retranslate_ui(self) -> None:
        self.setTitle(_("Which column is which?"))
        self.setSubTitle(_("For each question of the sheet, choose the field it fills in, or leave it out."))
        if self.session.remembered:
            self.note.setText(
                _("These choices are the ones made the last time a sheet with these questions was imported.")
            )
        else:
            self.note.setText(_("AidDesk guessed from the questions; please check each one."))
        headers = self.session.headers() if self.session.sheets else []
        specs = FIELDS[self.session.kind]
        for index, box in self.boxes.items():
            samples = self.session.samples(index)
            example = (
                _("for example: %(answers)s") % {"answers": " · ".join(samples)}
                if samples
                else _("(no answers)")
            )
            self.captions[index].setText(f"<b>{escape(headers[index])}</b><br>{SAMPLE % escape(example)}")
            box.blockSignals(True)
            box.clear()
            box.addItem(_("— leave out —"), "")
            for key in specs:
                box.addItem(field_label(self.session.kind, key), key)
            box.setCurrentIndex(max(box.findData(self.session.columns.get(index, "")), 0))
            box.setAccessibleName(_("Field for the column “%(header)s”") % {"header": headers[index]})
            box.blockSignals(False)
