"""Desks of their own for exchange tests: each a copy of the migrated template with a new desk
(a new random desk id), unlike the `db` fixture whose desk id is the template's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Person


def new_desk(folder: Path, template: Path, code: str, *, language: str = "en", name: str = "") -> Database:
    folder.mkdir(parents=True)
    shutil.copyfile(template, folder / "aiddesk.db")
    os.chmod(folder / "aiddesk.db", 0o600)
    db = open_database(folder / "aiddesk.db")
    desk_service.create_desk(db, name=name or f"Desk {code}", code=code, language=language)
    return db


def rename_person(db: Database, person_id: str, name: str) -> None:
    """An edit at this desk, as the person's page would save it."""
    with db.transaction("Ana") as tx:
        person = tx.session.get(Person, person_id)
        assert person is not None
        person.name = name
