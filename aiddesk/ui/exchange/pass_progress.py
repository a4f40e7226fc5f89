"""The status bar's progress of a running exchange pass: what it does ("writing this desk's
file", "reading file 2 of 5") and a bar, shown only for a pass that lasts (most passes end in
well under a second and would only make the status bar flicker every minute)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QWidget

from aiddesk.i18n import _
from aiddesk.services.exchange.folder import PassStep
from aiddesk.ui.retranslate import Retranslating

if TYPE_CHECKING:
    from aiddesk.ui.exchange.timer import ExchangeTimer

SHOW_AFTER_MS = 700
BAR_WIDTH = 120


def step_text(step: PassStep | None) -> str:
    if step is None or step.writing:
        return _("Exchange: writing this desk's file…")
    return _("Exchange: reading file %(number)d of %(total)d…") % {
        "number": step.done + 1,
        "total": step.total,
    }


class PassProgressBar(Retranslating, QWidget):
    """Follows one timer's passes: hidden between passes and during the first moments of one.
    While it shows, the widget it `covers` (the status bar's note about the last exchange) is
    hidden: one note about the exchange at a time. While the status bar shows a notice (its
    temporary message), neither is shown over the notice's words: the right one comes back when
    the notice goes."""

    def __init__(
        self, timer: ExchangeTimer, parent: QWidget | None = None, *, covers: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._covers = covers
        self.setObjectName("exchangeProgress")
        self.step: PassStep | None = None
        self.running = False
        self._appeared = False  # the pass has lasted long enough to show
        self._followed: QStatusBar | None = None  # whose notices it waits for
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(BAR_WIDTH)
        self.bar.setTextVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(SHOW_AFTER_MS)
        self._delay.timeout.connect(self._appear)
        timer.pass_started.connect(self._started)
        timer.pass_progress.connect(self._stepped)
        timer.pass_finished.connect(self._ended)
        timer.pass_failed.connect(self._ended)
        self.setVisible(False)
        self.retranslate_ui()

    def _started(self) -> None:
        self._follow_notices()
        self.running = True
        self._appeared = False
        self.step = None
        self._show_step()
        self._delay.start()

    def _stepped(self, step: PassStep) -> None:
        if self.running:
            self.step = step
            self._show_step()

    def _ended(self, *_args: object) -> None:
        self.running = False
        self._appeared = False
        self._delay.stop()
        self._place()

    def _appear(self) -> None:
        if self.running:
            self._appeared = True
            self._place()

    def _place(self) -> None:
        """The bar, or the note it covers; neither under a notice of the status bar (Qt hides the
        notes a notice covers and shows them again after it: a note shown meanwhile would be
        drawn over the notice's words)."""
        noticed = self._followed is not None and bool(self._followed.currentMessage())
        self.setVisible(self._appeared and not noticed)
        if self._covers is not None:
            self._covers.setVisible(not self._appeared and not noticed)

    def _follow_notices(self) -> None:
        status_bar = self.parentWidget()
        if self._followed is None and isinstance(status_bar, QStatusBar):
            self._followed = status_bar
            status_bar.messageChanged.connect(self._notice_changed)

    def _notice_changed(self, text: str) -> None:
        if not text:  # the notice went: Qt showed again what it had covered; keep the right one
            self._place()

    def _show_step(self) -> None:
        step = self.step
        self.label.setText(step_text(step))
        if step is None or step.writing or step.total <= 0:
            self.bar.setRange(0, 0)  # busy: how long a file takes is not known
        else:
            self.bar.setRange(0, step.total)
            self.bar.setValue(step.done)

    def retranslate_ui(self) -> None:
        self._show_step()
