"""The roster as a Qt table model: filtered and sorted in SQL, rows read a window at a time by id.

Like the requests list: the ordered ids are kept (a few hundred KB at 5,000
volunteers) and rows arrive in windows, so scrolling never sorts again; with the
desk's operation runner every read runs on a worker thread. Deactivated volunteers
are greyed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from aiddesk.domain.enums import Skill
from aiddesk.domain.phone import display
from aiddesk.i18n import N_, _, current_language
from aiddesk.i18n.formatting import format_date, language_name
from aiddesk.services import roster
from aiddesk.services.database import Database
from aiddesk.services.desk.labels import Label
from aiddesk.services.roster import RosterFilter, VolunteerRow
from aiddesk.ui.common.availability import describe, free_days
from aiddesk.ui.common.revealing_model import RevealingModel
from aiddesk.ui.common.windowed_model import WINDOW, AnyIndex

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import Operations

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
ID_ROLE = Qt.ItemDataRole.UserRole


def _skill_label(value: str) -> str:
    try:
        return _(Skill(value).label)
    except ValueError:  # a skill from a newer desk: show it as it came
        return value


class VolunteersModel(RevealingModel[VolunteerRow]):
    COLUMNS = COLUMNS

    def __init__(
        self,
        db: Database,
        parent: QObject | None = None,
        *,
        window: int = WINDOW,
        operations: Operations | None = None,
    ) -> None:
        super().__init__(parent, window=window, operations=operations)
        self._db = db
        self._filter = RosterFilter()
        self._zones: dict[str, Label] = {}
        self._region = "US"
        self._column = COLUMN_KEYS.index("name")
        self._order = Qt.SortOrder.AscendingOrder

    # ---- reading ---------------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._order

    @property
    def current_filter(self) -> RosterFilter:
        return self._filter

    def set_zones(self, zones: list[Label]) -> None:
        """The desk's zones, to name each volunteer's (the rows read show them at once)."""
        self._zones = {z.id: z for z in zones}
        if self._rows:
            column = COLUMN_KEYS.index("zones")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def set_region(self, region: str) -> None:
        self._region = region

    def set_filter(self, filters: RosterFilter) -> None:
        self._filter = filters
        self.refresh()

    def _read_order(self) -> list[str]:
        key = COLUMN_KEYS[self._column]
        descending = self._order == Qt.SortOrder.DescendingOrder
        return roster.search(
            self._db, self._filter, sort=key, descending=descending, language=current_language()
        )

    def _read_rows(self, keys: list[str]) -> list[VolunteerRow]:
        return roster.rows(self._db, keys)

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
        return _("Checked %(date)s") % {"date": format_date(row.checked_on)}
    if row.trained:
        return _("Trained, not checked")
    return _("Not trained")
