"""Screens that refresh themselves when an operation changed what they show."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QShowEvent

from aiddesk.domain.changes import Changes, Kind

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import ChangeNotifier, Operations


class Refreshes:
    """Mixin for a screen (before QWidget in its bases): it names the kinds it `shows` and has a
    `refresh()`. After any operation that changed one of those kinds, from any screen or the
    exchange timer, it refreshes at once when visible, or when it is next shown."""

    shows: ClassVar[frozenset[Kind]] = frozenset()
    _stale = False

    def follow_changes(self, notifier: ChangeNotifier) -> None:
        notifier.changed.connect(self.changes_arrived)

    def changes_arrived(self, changes: Changes) -> None:
        if not changes.touches(self.shows):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self._stale = False
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


class Spaced:
    """A costly reading again, asked after each change, runs at most once every `gap_ms`: the
    first at once, those asked within the gap as one at its end (while `owner` lives). A burst
    of saves (or saves during an exchange pass, whose merges change everything) made the
    Overview read all its figures again after each one, beside the saves and the pass, which
    waited for the interpreter (issue 13); once a second is as fresh as anyone reads them."""

    def __init__(
        self, owner: QObject, operations: Operations, call: Callable[[], None], gap_ms: int, *, key: str
    ) -> None:
        self._owner = owner
        self._operations = operations
        self._call = call
        self._gap_s = gap_ms / 1000
        self._key = key
        self._last = -float("inf")  # when it last ran (time.monotonic)

    def ask(self) -> None:
        wait = self._last + self._gap_s - time.monotonic()
        if wait <= 0:
            self._run()
        else:
            self._operations.soon(self._run, round(wait * 1000), key=self._key)

    def ran(self) -> None:
        """It ran now by other means (the screen shown, Refresh pressed): the gap counts from now."""
        self._last = time.monotonic()

    def _run(self) -> None:
        if shiboken6.isValid(self._owner):
            self.ran()
            self._call()
