"""What the Deliveries screen lists: the runs of a day or of a volunteer, the stops of a run, and
the ready requests a run can take. Reads only, one short session each; the rows are the
repository's (RunRow, StopRow, ReadyRow), re-exported here so the screen needs no store import."""

from __future__ import annotations

import datetime as dt

from aiddesk.store.database import Database
from aiddesk.store.repositories import deliveries as repo
from aiddesk.store.repositories.deliveries import ReadyRow, RunRow, StopRow, VolunteerChoice

__all__ = [
    "ReadyRow",
    "RunRow",
    "StopRow",
    "VolunteerChoice",
    "ready_requests",
    "runs_of_volunteer",
    "runs_on",
    "stop_rows",
]


def runs_on(db: Database, day: dt.date) -> list[RunRow]:
    """The runs planned for a day."""
    with db.session() as session:
        return repo.runs_on(session, day)


def runs_of_volunteer(db: Database, volunteer_id: str) -> list[RunRow]:
    """A volunteer's recent runs, newest first."""
    with db.session() as session:
        return repo.runs_of_volunteer(session, volunteer_id)


def stop_rows(db: Database, delivery_id: str, *, language: str) -> list[StopRow]:
    """The stops of a run in their order, labels in `language`."""
    with db.session() as session:
        return repo.stop_rows(session, delivery_id, language=language)


def ready_requests(db: Database, *, language: str) -> list[ReadyRow]:
    """The ready requests a run can take, labels in `language`."""
    with db.session() as session:
        return repo.ready_requests(session, language=language)
