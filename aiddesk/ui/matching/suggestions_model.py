"""Suggested (or ruled out) volunteers for the selected requests, with their reasons in words.

A short list (the best few hundred of a ranking): an ordinary table model. The
reasons are kept as data and rendered in the UI language each time they are shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from aiddesk.domain.matching import Suggestion
from aiddesk.domain.sorting import repeated_names, shown_name
from aiddesk.i18n import N_, _
from aiddesk.services.matching import reasons_text

RANKED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("Volunteer")),
    ("score", N_("Score")),
    ("why", N_("Why")),
)
EXCLUDED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", N_("Volunteer")),
    ("out", N_("Ruled out because")),
    ("why", N_("Why")),
)
ID_ROLE = Qt.ItemDataRole.UserRole

AnyIndex = QModelIndex | QPersistentModelIndex


class SuggestionsModel(QAbstractTableModel):
    """`excluded=False`: the ranked volunteers, best first; True: the ruled out ones, greyed."""

    def __init__(self, *, excluded: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.excluded = excluded
        self._columns = EXCLUDED_COLUMNS if excluded else RANKED_COLUMNS
        self._items: list[Suggestion] = []
        self._repeated: frozenset[str] = frozenset()  # names several volunteers have: shown with codes

    @property
    def column_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _header in self._columns)

    def set_suggestions(self, items: list[Suggestion], repeated: frozenset[str] | None = None) -> None:
        """`repeated`: names more than one volunteer has (sorting.repeated_names; by default those
        repeated among `items`), shown with the volunteer's code so they can be told apart."""
        self.beginResetModel()
        self._items = list(items)
        self._repeated = (
            repeated if repeated is not None else repeated_names(s.candidate.name for s in self._items)
        )
        self.endResetModel()

    def suggestion_at(self, row: int) -> Suggestion:
        return self._items[row]

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(self._columns) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._columns):
            return _(self._columns[section][1])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        key = self._columns[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.text(item, "code" if key == "name" else key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "score":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.excluded:
            return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == ID_ROLE:
            return item.candidate.id
        return None

    def text(self, item: Suggestion, key: str) -> str:
        if key == "name":
            return shown_name(item.candidate.name, item.candidate.code, self._repeated)
        if key == "code":
            return f"{item.candidate.name} ({item.candidate.code})"
        if key == "score":
            return str(item.score)
        if key == "out":
            return reasons_text(item.exclusions, item.requests)
        return reasons_text(item.reasons, item.requests)
