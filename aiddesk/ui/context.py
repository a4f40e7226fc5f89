"""What every screen of a running desk needs, passed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiddesk.domain.access import Right, may
from aiddesk.domain.desk import DeskInfo
from aiddesk.paths import DeskPaths

if TYPE_CHECKING:
    from aiddesk.services.database import Database
    from aiddesk.ui.shell.operations import Operations


@dataclass
class DeskContext:
    db: Database | None  # None while the window is showing and the database is still opening
    paths: DeskPaths
    desk: DeskInfo
    who: str  # the volunteer at the desk this shift; recorded on everything they save
    # Whether people sign in (then `who` is an Actor: a name with a role; domain/access.py).
    accounts: bool = False
    _operations: Operations | None = field(default=None, repr=False)

    def may(self, right: Right) -> bool:
        """May the person at the desk do `right`? (Everything on a desk without accounts.)"""
        return may(self.who, right)

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is not open yet")
        return self.db

    @property
    def operations(self) -> Operations:
        """The desk's operation runner (made with the first screen that asks for it)."""
        if self._operations is None:
            from aiddesk.ui.shell.operations import Operations

            self._operations = Operations(self.database)
        return self._operations
