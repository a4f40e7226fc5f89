"""The roster as a Qt table model: filtered and sorted in SQL, rows read a window at a time by id.

Like the requests list: the ordered ids are kept (a few hundred KB at 5,000
volunteers) and rows arrive in windows, so scrolling never sorts again.
Deactivated volunteers are greyed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from aiddesk.domain.enums import Skill
from aiddesk.domain.phone import display
from aiddesk.i18n import N_, _, current_language, locale_name
from aiddesk.i18n.formatting import format_date, language_name
from aiddesk.services import roster
from aiddesk.services.labels import Label
from aiddesk.services.roster import RosterFilter, VolunteerRow
from aiddesk.store.database import Database
from aiddesk.ui.widgets.volunteer_availability import describe, free_days

# (key, header) in column order; keys in roster SORT_KEYS sort in SQL, the others do not sort.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("Code")),
    ("name", N_("Name")),
    ("active", N_("Status")),
    ("phone", N_("Phone")),
    ("languages", N_("Languages")),
    ("skills", N_("Skills")),
    ("zones", N_("Zones")),
    ("available", N_("Available")),
    ("trained", N_("Vetting")),
    # L10N: a short column header: the most runs a week a volunteer takes
    ("max_runs", N_("Runs")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _header in COLUMNS)
SORTABLE = frozenset({"code", "name", "trained", "max_runs", "active"})
WINDOW = 200
ID_ROLE = Qt.ItemDataRole.UserRole

AnyIndex = QModelIndex | QPersistentModelIndex


def _skill_label(value: str) -> str:
    try:
        return _(Skill(value).label)
    except ValueError:  # a skill from a newer desk: show it as it came
        return value


class VolunteersModel(QAbstractTableModel):
    def __init__(self, db: Database, parent: QObject | None = None, *, window: int = WINDOW) -> None:
        super().__init__(parent)
        self._db = db
        self._window = window
        self._filter = RosterFilter()
        self._ids: list[str] = []
        self._read_upto = 0
        self._rows: list[VolunteerRow] = []
        self._zones: dict[str, Label] = {}
        self._region = "US"
        self._column = COLUMN_KEYS.index("name")
        self._order = Qt.SortOrder.AscendingOrder
        self._locale = ""

    # ---- reading ---------------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self._ids)

    @property
    def sort_column(self) -> int:
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    @property
    def current_filter(self) -> RosterFilter:
        return self._filter

    def row_at(self, row: int) -> VolunteerRow:
        return self._rows[row]

    def row_of(self, volunteer_id: str) -> int:
        """The row showing `volunteer_id` (windows are read until it is found); -1 when filtered out."""
        if volunteer_id not in self._ids:
            return -1
        position = self._ids.index(volunteer_id)
        while position >= len(self._rows) and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        for row, item in enumerate(self._rows):
            if item.id == volunteer_id:
                return row
        return -1

    def set_zones(self, zones: list[Label]) -> None:
        self._zones = {z.id: z for z in zones}

    def set_region(self, region: str) -> None:
        self._region = region

    def set_filter(self, filters: RosterFilter) -> None:
        self._filter = filters
        self.refresh()

    def _read_window(self) -> list[VolunteerRow]:
        start, self._read_upto = self._read_upto, self._read_upto + self._window
        return roster.rows(self._db, self._ids[start : self._read_upto])

    def refresh(self) -> None:
        """Read the order and the first window again (new data, new filter, new language)."""
        self.beginResetModel()
        self._locale = locale_name()
        key = COLUMN_KEYS[self._column]
        descending = self._order == Qt.SortOrder.DescendingOrder
        self._ids = roster.search(self._db, self._filter, sort=key, descending=descending)
        self._read_upto = 0
        self._rows = self._read_window()
        self.endResetModel()

    def retranslate(self) -> None:
        if self._locale != locale_name():
            self.refresh()
        else:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # ---- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._read_upto < len(self._ids)

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        more = self._read_window()
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMN_KEYS[column] not in SORTABLE:
            return
        self._column, self._order = column, order
        self.refresh()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section][1])
        if role == Qt.ItemDataRole.ToolTipRole:
            if COLUMN_KEYS[section] == "max_runs":
                return _("Runs a week, at most")
            if COLUMN_KEYS[section] not in SORTABLE:
                return _("This column does not sort.")
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMN_KEYS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "available":
                return describe(row.availability) or _("No time set")
            return self._text(row, key)
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        if role == ID_ROLE:
            return row.id
        return None

    def _text(self, row: VolunteerRow, key: str) -> str:
        if key == "code":
            return row.code
        if key == "name":
            return row.name
        if key == "phone":
            return display(row.phone, row.phone_raw, self._region)
        if key == "languages":
            return ", ".join(language_name(code) for code in row.languages)
        if key == "skills":
            return ", ".join(_skill_label(s) for s in row.skills)
        if key == "zones":
            language = current_language()
            return ", ".join(self._zones[z].text(language) if z in self._zones else "?" for z in row.zones)
        if key == "available":
            return free_days(row.availability)
        if key == "trained":
            return _vetting(row)
        if key == "max_runs":
            return str(row.max_runs_week)
        return _("Active") if row.active else _("Inactive")


def _vetting(row: VolunteerRow) -> str:
    if row.trained and row.checked_on is not None:
        # L10N: the vetting column: trained and background checked on that date
        return _("Checked %(date)s") % {"date": format_date(row.checked_on, "medium")}
    if row.trained:
        return _("Trained, not checked")
    return _("Not trained")
