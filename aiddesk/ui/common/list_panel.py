"""A list on the Conflicts screen: a line of explanation, the rows (or a note when there are
none) and a row of buttons under them. Subclasses add their buttons and say what they mean."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from aiddesk.ui.common.record_table import record_table
from aiddesk.ui.common.short_list_model import Header, ShortListModel

Row = TypeVar("Row")


class ListPanel(QWidget, Generic[Row]):
    def __init__(
        self,
        columns: Sequence[tuple[Header, Callable[[Any], str]]],
        widths: Sequence[int],
        *,
        selection: QAbstractItemView.SelectionMode = QAbstractItemView.SelectionMode.SingleSelection,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model: ShortListModel[Row] = ShortListModel(columns, self)
        self.table = record_table(self.model, selection=selection, widths=widths)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setContentsMargins(4, 4, 4, 4)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.table)
        self.views.addWidget(self.empty_label)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.views, 1)
        layout.addLayout(self.buttons)

    def show_rows(self, rows: list[Row]) -> None:
        """The rows, or the note that there are none."""
        self.model.set_rows(rows)
        self.views.setCurrentWidget(self.table if rows else self.empty_label)

    def _update_buttons(self) -> None:
        """Enable the buttons that need a chosen row (subclasses)."""
