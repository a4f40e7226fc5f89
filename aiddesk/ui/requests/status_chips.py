"""A row of status chips with their counts: each one shows or hides its status in the queue."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtWidgets import QMenu, QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QWidget

from aiddesk.domain.enums import RequestStatus
from aiddesk.i18n import _, pgettext
from aiddesk.i18n.formatting import format_number
from aiddesk.services.requests.queue import OPEN_STATUSES, QueueCounts
from aiddesk.ui.requests.flow_layout import FlowLayout
from aiddesk.ui.retranslate import Retranslating

CHIP_STYLE = """
QPushButton[chip="true"] { border: 1px solid palette(mid); border-radius: 11px; padding: 3px 10px; }
QPushButton[chip="true"]:checked { background: palette(highlight); color: palette(highlighted-text);
  border-color: palette(highlight); }
QPushButton[chip="true"]:disabled { color: palette(mid); }
"""


# Each chip has room for a count this long, so chips keep their places as counts change: a status
# has up to three digits of requests, "Open" up to four and "All" (closed ones too) up to five.
RESERVED_COUNT = 999
RESERVED_OPEN = 9999
RESERVED_ALL = 99999


class _Chip(QPushButton):
    """A chip as wide as its name with a three-digit count, whatever its count now: when counts
    change (or are still being read) no chip moves and the chips never re-flow onto another line."""

    def __init__(self) -> None:
        super().__init__()
        self._widest = ""

    def show_text(self, text: str, widest: str) -> None:
        self._widest = widest
        self.setText(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """QPushButton's own hint, for the widest text."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = self._widest or self.text()
        metrics = self.fontMetrics()
        contents = QSize(metrics.horizontalAdvance(option.text), metrics.height())
        size = self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, option, contents, self)
        return size.expandedTo(super().sizeHint().boundedTo(QSize(0, 10_000)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()


def _chip() -> _Chip:
    button = _Chip()
    button.setCheckable(True)
    button.setProperty("chip", True)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class QueueStatusChips(Retranslating, QWidget):
    """Chips "Call back today", "Open", "All" and one per status, each with its count.

    A status chip adds its status to the list or takes it away (the last one
    stays); its context menu shows that status alone. `changed` after the user
    chose; read `statuses` and `call_back_today`."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CHIP_STYLE)
        self._statuses: frozenset[RequestStatus] = frozenset(OPEN_STATUSES)
        self._call_back_today = False
        self._counts: QueueCounts | None = None
        self.call_back_chip = _chip()
        self.open_chip = _chip()
        self.all_chip = _chip()
        self.status_chips: dict[RequestStatus, _Chip] = {s: _chip() for s in RequestStatus}
        layout = self._flow = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)  # more lines of chips when the window is narrow
        self.setSizePolicy(policy)
        for chip in (self.call_back_chip, self.open_chip, self.all_chip, *self.status_chips.values()):
            layout.addWidget(chip)
        self.call_back_chip.clicked.connect(self._toggle_call_back)
        self.open_chip.clicked.connect(lambda: self._choose(frozenset(OPEN_STATUSES)))
        self.all_chip.clicked.connect(lambda: self._choose(frozenset(RequestStatus)))
        for status, chip in self.status_chips.items():
            chip.clicked.connect(lambda _checked=False, s=status: self._toggle(s))
            chip.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            chip.customContextMenuRequested.connect(lambda pos, s=status: self._only_menu(s, pos))
        self._show_state()
        self.retranslate_ui()

    # ---- state ---------------------------------------------------------------------------

    @property
    def statuses(self) -> frozenset[RequestStatus]:
        return self._statuses

    @property
    def call_back_today(self) -> bool:
        return self._call_back_today

    def set_statuses(self, statuses: frozenset[RequestStatus], *, call_back_today: bool = False) -> None:
        """Show this choice (no `changed`)."""
        self._statuses = statuses or frozenset(OPEN_STATUSES)
        self._call_back_today = call_back_today
        self._show_state()

    def set_counts(self, counts: QueueCounts) -> None:
        self._counts = counts
        self.retranslate_ui()

    def _choose(self, statuses: frozenset[RequestStatus]) -> None:
        self._statuses, self._call_back_today = statuses, False
        self._show_state()
        self.changed.emit()

    def _toggle(self, status: RequestStatus) -> None:
        if self._call_back_today:  # leaving the call-back view: start from this status alone
            self._choose(frozenset({status}))
            return
        chosen = self._statuses ^ {status}
        self._choose(chosen or self._statuses)  # the last status stays

    def _toggle_call_back(self) -> None:
        self._call_back_today = not self._call_back_today
        self._show_state()
        self.changed.emit()

    def _only_menu(self, status: RequestStatus, pos: QPoint) -> None:
        menu = QMenu(self)
        action = menu.addAction(_("Show only “%(status)s”") % {"status": _(status.label)})
        action.triggered.connect(lambda: self._choose(frozenset({status})))
        menu.popup(self.status_chips[status].mapToGlobal(pos))

    def _show_state(self) -> None:
        call_back = self._call_back_today
        self.call_back_chip.setChecked(call_back)
        self.open_chip.setChecked(not call_back and self._statuses == frozenset(OPEN_STATUSES))
        self.all_chip.setChecked(not call_back and self._statuses == frozenset(RequestStatus))
        for status, chip in self.status_chips.items():
            chip.setChecked(not call_back and status in self._statuses)

    # ---- texts ---------------------------------------------------------------------------

    def _count(self, statuses: tuple[RequestStatus, ...] | frozenset[RequestStatus]) -> int | None:
        return self._counts.total(statuses) if self._counts is not None else None

    def _show_count(self, chip: _Chip, name: str, count: int | None, reserve: int = RESERVED_COUNT) -> None:
        # L10N: a filter chip: the status and how many requests have it, e.g. "New · 12"
        chip_text = _("%(name)s · %(count)s")
        shown = format_number(count) if count is not None else "…"
        widest = format_number(max(count or 0, reserve))
        chip.show_text(
            chip_text % {"name": name, "count": shown}, chip_text % {"name": name, "count": widest}
        )

    def retranslate_ui(self) -> None:
        counts = self._counts
        self._show_count(
            self.call_back_chip, _("Call back today"), counts.call_back_today if counts is not None else None
        )
        self.call_back_chip.setToolTip(
            _("Requests that need info or a call back with a follow-up date today or earlier.")
        )
        # L10N: the status chip of every open request (adjective: "open requests")
        self._show_count(
            self.open_chip, pgettext("requests", "Open"), self._count(OPEN_STATUSES), RESERVED_OPEN
        )
        self.open_chip.setToolTip(_("Every request still being worked on."))
        # L10N: the status chip of every request whatever its status ("all requests")
        self._show_count(
            self.all_chip, pgettext("requests", "All"), self._count(tuple(RequestStatus)), RESERVED_ALL
        )
        self.all_chip.setToolTip(_("Every request, closed and delivered ones too."))
        for status, chip in self.status_chips.items():
            self._show_count(chip, _(status.label), self._count((status,)))
            chip.setToolTip(_("Click to show or hide this status; right-click to show it alone."))
        self.setAccessibleName(_("Statuses"))
        self._flow.invalidate()  # longer texts may need another line of chips
        self.updateGeometry()
