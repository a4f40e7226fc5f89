"""What every screen of a running desk needs, passed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiddesk.domain.desk import DeskInfo
from aiddesk.paths import DeskPaths

if TYPE_CHECKING:
    from aiddesk.services.database import Database


@dataclass
class DeskContext:
    db: Database | None  # None while the window is showing and the database is still opening
    paths: DeskPaths
    desk: DeskInfo
    who: str  # the volunteer at the desk this shift; recorded on everything they save

    @property
    def database(self) -> Database:
        if self.db is None:
            raise RuntimeError("the database is not open yet")
        return self.db
