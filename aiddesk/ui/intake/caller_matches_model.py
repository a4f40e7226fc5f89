"""The people matching what is typed at the intake screen, as a short list (a dozen at most)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from aiddesk.domain.phone import display
from aiddesk.i18n import _, locale_name, ngettext
from aiddesk.i18n.formatting import format_date
from aiddesk.services.intake import CallerMatch

AnyIndex = QModelIndex | QPersistentModelIndex
PICK_KEYS = 9  # Alt+1 .. Alt+9


# While a number or a name is typed the same people come back key after key: their phone numbers
# and dates are formatted once (Babel and phonenumbers are the slow part of a row's text).
@lru_cache(maxsize=2048)
def _phone(e164: str | None, raw: str, region: str) -> str:
    return display(e164, raw, region)


@lru_cache(maxsize=2048)
def _date(day: dt.date, locale: str) -> str:
    return format_date(day, locale=locale)


def describe(match: CallerMatch, number: int, region: str) -> str:
    """Three short lines: "1. name · phone", code and activity, address."""
    locale = locale_name()
    name = match.name or _("(no name given)")
    phone = _phone(match.phone, match.phone_raw, region)
    first = " · ".join(part for part in (name, phone) if part)
    if number <= PICK_KEYS:
        first = f"{number}. {first}"
    facts = [
        match.code,
        ngettext("%(count)d open request", "%(count)d open requests", match.open_requests)
        % {"count": match.open_requests},
    ]
    if match.last_call is not None:
        facts.append(_("last call %(date)s") % {"date": _date(match.last_call.date(), locale)})
    if match.last_delivery is not None:
        facts.append(_("last delivery %(date)s") % {"date": _date(match.last_delivery.date(), locale)})
    lines = [first, " · ".join(facts)]
    if match.address:
        lines.append(match.address)
    return "\n".join(lines)


class CallerMatchesModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._matches: list[CallerMatch] = []
        self._texts: list[str] = []
        self._region = "US"

    def set_matches(self, matches: list[CallerMatch], region: str) -> None:
        self.beginResetModel()
        self._matches, self._region = list(matches), region
        self._texts = [describe(m, i, region) for i, m in enumerate(self._matches, start=1)]
        self.endResetModel()

    def retranslate(self) -> None:
        self.set_matches(self._matches, self._region)

    def match_at(self, row: int) -> CallerMatch | None:
        return self._matches[row] if 0 <= row < len(self._matches) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._matches)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._matches):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._texts[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return self._matches[index.row()].id
        return None
