"""A note in the run planners when the chosen volunteer already has a run at that time: planning
it is still allowed (they may be able to do both), but not without the planner seeing it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from aiddesk.i18n import ngettext
from aiddesk.services.deliveries.dispatch import RunTime
from aiddesk.ui.deliveries.table_models import window_text
from aiddesk.ui.retranslate import Retranslating


class ClashWarning(Retranslating, QLabel):
    """Hidden until `show_clashes` gets runs; follows a language switch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clashWarning")
        self.setStyleSheet("color: #8a5300;")
        self.setWordWrap(True)
        self._name = ""
        self._runs: list[RunTime] = []
        self.hide()

    def show_clashes(self, name: str, runs: list[RunTime]) -> None:
        self._name, self._runs = name, list(runs)
        self.retranslate_ui()
        self.setVisible(bool(self._runs))

    def retranslate_ui(self) -> None:
        if not self._runs:
            self.clear()
            return
        listed = "; ".join(
            f"{run.code}, {window_text(run.window_start, run.window_end)}" for run in self._runs
        )
        self.setText(
            ngettext(
                "%(name)s already has a run at that time: %(runs)s.",
                "%(name)s already has runs at that time: %(runs)s.",
                len(self._runs),
            )
            % {"name": self._name, "runs": listed}
        )
