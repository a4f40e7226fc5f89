"""Step 4: every row as it would be stored — who, what they need, what stops the row or deserves a
look, and who already on the desk it may repeat. For each row, choose: a new record, add it to
the one suggested, or skip it. Rows that may repeat someone start as "Skip"."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from aiddesk.domain.validation import Invalid
from aiddesk.i18n import _
from aiddesk.services.exchange.sheet_import.plan import Choice, Decision
from aiddesk.services.exchange.sheet_import.preview import PreviewRow, problem_text
from aiddesk.services.exchange.sheet_import.session import ImportSession
from aiddesk.ui.common.record_table import ColumnsFitText
from aiddesk.ui.exchange.sheet_import.page_file import error_label
from aiddesk.ui.exchange.sheet_import.texts import (
    cell_text,
    decision_text,
    issue_text,
    repeat_text,
    summary_lines,
    what_text,
    who_text,
)
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, Operation, Operations

PROBLEM_COLOUR = QColor("#b3261e")
WIDTHS = (60, 230, 220, 300)


class PreviewPage(Retranslating, QWizardPage):
    def __init__(self, session: ImportSession, operations: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.operations = operations
        self.job: Operation[object] | None = None
        self.ready = False
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        self.table.currentCellChanged.connect(lambda row, *_rest: self._show_row(row))
        ColumnsFitText(self.table)  # every column as wide as its text
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decision_box = QComboBox()
        self.decision_box.activated.connect(self._decided)
        self.decision_caption = QLabel()
        self.decision_caption.setBuddy(self.decision_box)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.decision_caption, self.decision_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self._choices: list[Decision] = []
        self.retranslate_ui()

    @property
    def items(self) -> tuple[PreviewRow, ...]:
        return self.session.preview.rows if self.ready and self.session.preview is not None else ()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        """Read every row on a worker thread (a long sheet takes a while); the page fills in when done."""
        self.error.clear()
        self.ready = False
        self.session.preview = None
        self.table.setRowCount(0)
        self.retranslate_ui()
        job: list[Operation[object]] = []
        job.append(
            self.operations.query(
                self.session.make_preview,
                lambda preview: self._read(job[0], preview),
                failed=lambda failure: self._not_read(job[0], failure),
            )
        )
        self.job = job[0]
        self.completeChanged.emit()

    def _read(self, job: Operation[object], _preview: object) -> None:
        if job is not self.job or not shiboken6.isValid(self):
            return  # a reading the user went back from, or the wizard closed
        self.ready = True
        self.table.setRowCount(len(self.items))
        self.retranslate_ui()
        if self.items:
            self.table.setCurrentCell(0, 0)
        self.completeChanged.emit()

    def _not_read(self, job: Operation[object], failure: Failure) -> None:
        if job is not self.job or not shiboken6.isValid(self):
            return
        error = failure.error
        self.session.preview = None
        if isinstance(error, Invalid):
            self.error.setText("\n".join(problem_text(p) for p in error.problems))
        else:
            self.error.setText(_("The rows could not be read: %(error)s") % {"error": failure.message})
        self.retranslate_ui()

    def isComplete(self) -> bool:  # noqa: N802
        return self.ready and self.session.preview is not None

    # ---- one row -------------------------------------------------------------------------------

    def _row_texts(self, item: PreviewRow, *, full: bool = False) -> list[str]:
        """Row, who, what, what to look at (cells by letter; `full`: with their questions), what to do."""
        found = self.session.preview
        assert found is not None
        outcome = item.outcome
        issues = (*outcome.problems, *outcome.notes)
        look = [issue_text(found, item.row, i) if full else cell_text(item.row, i) for i in issues]
        look += [repeat_text(s) for s in item.suggestions]
        return [
            str(item.row),
            who_text(outcome),
            what_text(outcome, found.kind, self.session.words),
            ("\n" if full else " · ").join(look),
            decision_text(self.session.decisions.get(item.row), found.kind),
        ]

    def _fill_row(self, index: int) -> None:
        item = self.items[index]
        for column, text in enumerate(self._row_texts(item)):
            cell = QTableWidgetItem(text)
            cell.setToolTip(text)
            if not item.outcome.ok:
                cell.setForeground(QBrush(PROBLEM_COLOUR))
            self.table.setItem(index, column, cell)

    def _show_row(self, index: int) -> None:
        """The chosen row in full, and what may be done with it."""
        self.decision_box.clear()
        self._choices = []
        if not 0 <= index < len(self.items) or self.session.preview is None:
            self.detail.clear()
            self.decision_box.setEnabled(False)
            return
        item = self.items[index]
        texts = self._row_texts(item, full=True)
        self.detail.setText(
            _("Row %(row)s: %(who)s") % {"row": texts[0], "who": texts[1]}
            + ("\n" + texts[3] if texts[3] else "")
        )
        if not item.outcome.ok:
            self.decision_box.addItem(_("Not imported: fix the sheet and import it again"))
            self.decision_box.setEnabled(False)
            return
        self._choices = [
            Decision(Choice.NEW),
            *(Decision(Choice.ATTACH, s) for s in item.suggestions),
            Decision(Choice.SKIP),
        ]
        for choice in self._choices:
            self.decision_box.addItem(decision_text(choice, self.session.preview.kind))
        current = self.session.decisions.get(item.row)
        self.decision_box.setCurrentIndex(self._choices.index(current) if current in self._choices else 0)
        self.decision_box.setEnabled(True)

    def _decided(self, index: int) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items) or not 0 <= index < len(self._choices):
            return
        self.session.decide(self.items[row].row, self._choices[index])
        self._fill_row(row)
        self._show_counts()

    def decide(self, sheet_row: int, choice: Choice, suggestion: int = 0) -> None:
        """Choose what happens to a row, as selecting it and picking in the list does."""
        index = next(i for i, item in enumerate(self.items) if item.row == sheet_row)
        self.table.setCurrentCell(index, 0)
        wanted = next(
            i
            for i, d in enumerate(self._choices)
            if d.choice is choice
            and (choice is not Choice.ATTACH or d.target == self.items[index].suggestions[suggestion])
        )
        self.decision_box.setCurrentIndex(wanted)
        self._decided(wanted)

    def _show_counts(self) -> None:
        if not self.ready or self.session.preview is None:
            self.counts.setText("" if self.error.text() else _("Reading every row…"))
            return
        self.counts.setText(
            _("If you import now: %(counts)s.")
            % {"counts": ", ".join(summary_lines(self.session.planned_summary()))}
        )

    def retranslate_ui(self) -> None:
        self.setTitle(_("Check every row"))
        self.setSubTitle(
            _(
                "Rows in red are not imported. For a row that may repeat someone already on the desk, choose what to do."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Row"), _("Who"), _("What"), _("To look at"), _("What to do")]
        )
        self.table.setAccessibleName(_("Rows of the sheet"))
        self.decision_caption.setText(_("&What to do with this row:"))
        self.decision_box.setAccessibleName(_("What to do with this row"))
        for index in range(len(self.items)):
            self._fill_row(index)
        self._show_row(self.table.currentRow())
        self._show_counts()
