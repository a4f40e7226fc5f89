"""The handle on a desk's database that the screens hold and pass to every service.

Opened by aiddesk.store (the start-up, the first-run dialog through services.desk.setup); the
UI keeps it in its DeskContext and never opens a session itself."""

from __future__ import annotations

from aiddesk.store.database import Database

__all__ = ["Database"]
