"""Settings: which needs require a vetted volunteer (trained and background checked).

One checkbox per need category; a change is saved at once (through the desk's operation runner)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from aiddesk.i18n import _, current_language
from aiddesk.services import matching
from aiddesk.services.desk import labels as labels_service
from aiddesk.services.desk.labels import Label
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retranslate import Retranslating
from aiddesk.ui.shell.operations import Failure, show_failure

COLUMNS = 3


class VettingEditor(Retranslating, QGroupBox):
    """The screens that suggest volunteers read the choice again through the change notifier."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.checks: dict[str, QCheckBox] = {}
        self._labels: list[Label] = []
        self._grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self._grid)
        self.reload()

    def reload(self) -> None:
        """The need categories and the choice again (after a category was added, renamed or retired)."""
        db = self._ctx.database

        def read() -> tuple[frozenset[str], list[Label]]:
            return matching.vetted_categories(db), labels_service.list_labels(db, "need_category")

        self._ctx.operations.query(read, lambda found: self._show(*found), key="settings-vetting")

    def _show(self, chosen: frozenset[str], categories: list[Label]) -> None:
        for check in self.checks.values():
            self._grid.removeWidget(check)
            check.deleteLater()
        # A retired category stays listed while it is still chosen.
        self._labels = [label for label in categories if not label.retired or label.id in chosen]
        self.checks = {}
        for i, label in enumerate(self._labels):
            check = QCheckBox()
            check.setChecked(label.id in chosen)
            check.toggled.connect(self._save)
            self.checks[label.id] = check
            self._grid.addWidget(check, i // COLUMNS, i % COLUMNS)
        self.retranslate_ui()

    def chosen(self) -> list[str]:
        return [category_id for category_id, check in self.checks.items() if check.isChecked()]

    def _save(self) -> None:
        db, who, chosen = self._ctx.database, self._ctx.who, self.chosen()
        self._ctx.operations.write(
            lambda: matching.set_vetted_categories(db, who, chosen), failed=self._refused, parent=self
        )

    def _refused(self, failure: Failure) -> None:
        show_failure(self, failure)
        self.reload()  # the boxes show what is stored

    def retranslate_ui(self) -> None:
        self.setTitle(_("Needs that require a vetted volunteer"))
        self.hint.setText(
            _("Only volunteers who are trained and background checked are suggested for these needs.")
        )
        language = current_language()
        for label in self._labels:
            self.checks[label.id].setText(label.text(language))
