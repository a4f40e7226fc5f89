"""Merging a workbook: its password when it has one, then the dry run's report to confirm
("Merge") or leave ("Cancel", nothing changes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aiddesk.i18n import _
from aiddesk.i18n.formatting import format_number
from aiddesk.ui.exchange.texts import column_header, exported_text
from aiddesk.ui.retranslate import Retranslating

if TYPE_CHECKING:
    from aiddesk.services.merge import MergeReport

WARNING_STYLE = "color: #b3261e;"


class PasswordDialog(Retranslating, QDialog):
    """The password of an encrypted workbook; `problem` (translated) says why it is asked again."""

    def __init__(self, file_name: str, *, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_name = file_name
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(problem)
        self.problem.setObjectName("fieldError")
        self.problem.setStyleSheet(WARNING_STYLE)
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.retranslate_ui()

    def password(self) -> str:
        return self.password_edit.text()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Password"))
        self.prompt.setText(
            _("%(file)s is protected with a password. Type the password to open it:")
            % {"file": self.file_name}
        )


class MergeReportDialog(Retranslating, QDialog):
    """What merging the workbook would do (the dry run's report); Accepted means "Merge"."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.source = QLabel()
        self.source.setWordWrap(True)
        font = self.source.font()
        font.setBold(True)
        self.source.setFont(font)
        self.clock_warning = QLabel()
        self.clock_warning.setWordWrap(True)
        self.clock_warning.setStyleSheet(WARNING_STYLE)
        self.clock_warning.setVisible(report.clock_flagged)

        counts = report.counts()
        self.captions = {key: QLabel() for key in counts}
        self.values = {key: QLabel(format_number(value)) for key, value in counts.items()}
        form = QFormLayout()
        for key in counts:
            form.addRow(self.captions[key], self.values[key])
        self.blank_rows = QLabel()
        self.blank_rows.setVisible(report.blank_rows > 0)
        self.waiting_note = QLabel()
        self.waiting_note.setWordWrap(True)
        self.waiting_note.setVisible(bool(report.conflicts or report.proposals))

        self.rejected_caption = QLabel()
        self.rejected_caption.setWordWrap(True)
        self.rejected_table = QTableWidget(len(report.rejected), 4)
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected_table.verticalHeader().hide()
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        self.rejected_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((130, 60, 140)):
            self.rejected_table.setColumnWidth(column, width)
        for row, cell in enumerate(report.rejected):
            self.rejected_table.setItem(row, 0, QTableWidgetItem(cell.sheet))
            self.rejected_table.setItem(row, 1, QTableWidgetItem("" if cell.row is None else str(cell.row)))
            self.rejected_table.setItem(row, 3, QTableWidgetItem(cell.reason))
        for widget in (self.rejected_caption, self.rejected_table):
            widget.setVisible(bool(report.rejected))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.source)
        layout.addWidget(self.clock_warning)
        layout.addLayout(form)
        layout.addWidget(self.blank_rows)
        layout.addWidget(self.waiting_note)
        layout.addWidget(self.rejected_caption)
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        report = self.report
        self.setWindowTitle(_("Merge a workbook"))
        name = f"{report.desk_code} ({report.desk_name})" if report.desk_name else report.desk_code
        self.source.setText(
            _("%(file)s — from the desk %(desk)s, exported %(when)s")
            % {"file": report.source, "desk": name, "when": exported_text(report.exported_at)}
        )
        self.clock_warning.setText(
            _(
                "The clock of the desk %(desk)s is more than a day ahead. The merge is safe, but please "
                "ask them to check the date and time of their computer."
            )
            % {"desk": report.desk_code}
        )
        captions = {
            "new": _("New records:"),
            "updated": _("Updated records:"),
            "unchanged": _("Unchanged records:"),
            "conflicts": _("Conflicts:"),
            "proposals": _("Hand edits found:"),
            "rejected": _("Cells not taken:"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.blank_rows.setText(
            _("Blank rows skipped: %(count)s") % {"count": format_number(report.blank_rows)}
        )
        self.waiting_note.setText(
            _(
                "Nothing is lost: conflicts keep both values and hand edits wait on the Conflicts screen "
                "for someone to accept or reject them."
            )
        )
        self.rejected_caption.setText(
            _("These cells were changed by hand but cannot be taken; the rest merges:")
        )
        self.rejected_table.setHorizontalHeaderLabels([_("Sheet"), _("Row"), _("Column"), _("Why")])
        for row, cell in enumerate(report.rejected):
            self.rejected_table.setItem(row, 2, QTableWidgetItem(column_header(cell.column)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Merge"))
