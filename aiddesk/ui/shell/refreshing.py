"""Screens that refresh themselves when an operation changed what they show."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtGui import QShowEvent

from aiddesk.domain.changes import Changes, Kind

if TYPE_CHECKING:
    from aiddesk.ui.shell.operations import ChangeNotifier


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
