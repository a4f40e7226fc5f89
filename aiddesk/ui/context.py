"""What every screen of a running desk needs, passed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.paths import DeskPaths
from aiddesk.services.desk import DeskInfo
from aiddesk.store.database import Database


@dataclass
class DeskContext:
    db: Database
    paths: DeskPaths
    desk: DeskInfo
    who: str  # the volunteer at the desk this shift; recorded on everything they save
