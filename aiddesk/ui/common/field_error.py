"""A translated validation message shown next to the field it is about."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QLabel, QWidget

from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import _
from aiddesk.ui.retranslate import Retranslating


def problem_text(problem: Problem) -> str:
    """The problem's message in the UI language with its parameters filled in."""
    message = _(problem.message)
    return message % problem.params if problem.params else message


class FieldError(Retranslating, QLabel):
    """Empty and hidden until a problem is shown; follows a language switch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setStyleSheet("color: #b3261e;")
        self.setWordWrap(True)
        self._problem: Problem | None = None
        self.hide()

    @property
    def problem(self) -> Problem | None:
        return self._problem

    def show_problem(self, problem: Problem) -> None:
        self._problem = problem
        self.retranslate_ui()
        self.show()

    def show_text(self, text: str) -> None:
        """A message that is already in the user's language (a failure's)."""
        self._problem = None
        self.setText(text)
        self.show()

    def clear_problem(self) -> None:
        self._problem = None
        self.clear()
        self.hide()

    def retranslate_ui(self) -> None:
        if self._problem is not None:
            self.setText(problem_text(self._problem))


def clear_when(signals: tuple[SignalInstance, ...], *errors: FieldError) -> None:
    """Hide the messages once what they are about changes (typed again, another choice made)."""
    for signal in signals:
        for error in errors:
            signal.connect(lambda *_args, error=error: error.clear_problem())


def show_problems(errors: Mapping[str, FieldError], invalid: Invalid, fallback: FieldError) -> None:
    """Put each problem next to its field; problems about other fields go to `fallback`."""
    for error in {*errors.values(), fallback}:
        error.clear_problem()
    for problem in invalid.problems:
        target = errors.get(problem.field, fallback)
        if target.problem is None:  # one message per field: the first one
            target.show_problem(problem)
