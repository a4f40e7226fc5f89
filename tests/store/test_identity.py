"""A database copied or restored by file copy becomes a new desk; a moved one stays the same."""

from __future__ import annotations

import shutil
from pathlib import Path

from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Zone


def _desk_id(path: Path) -> str:
    db = open_database(path)
    try:
        info = desk_service.get_desk(db)
        assert info is not None
        return info.desk_id
    finally:
        db.close()


def _edit(db: Database, label: str) -> None:
    with db.transaction("Ana") as tx:
        tx.session.add(Zone(label_en=label, label_es=label))


def test_a_copied_database_takes_a_new_desk_id_and_the_original_keeps_its_own(tmp_path: Path) -> None:
    original = tmp_path / "a" / "aiddesk.db"
    original.parent.mkdir()
    db = open_database(original)
    first = desk_service.create_desk(db, name="Centro", code="CC1").desk_id
    db.close()
    copy = tmp_path / "b" / "aiddesk.db"
    copy.parent.mkdir()
    shutil.copyfile(original, copy)

    copied_id = _desk_id(copy)

    assert copied_id != first
    assert _desk_id(copy) == copied_id  # once only
    assert _desk_id(original) == first


def test_a_backup_copied_back_over_the_database_takes_a_new_desk_id(tmp_path: Path) -> None:
    path = tmp_path / "aiddesk.db"
    db = open_database(path)
    first = desk_service.create_desk(db, name="Centro", code="CC1").desk_id
    _edit(db, "North side")  # counter 1
    db.close()
    backup = tmp_path / "backup.db"
    shutil.copyfile(path, backup)
    db = open_database(path)
    _edit(db, "South side")  # counter 2: a stamp the backup never saw
    db.close()
    shutil.copyfile(backup, path)  # "restore": the old file copied over the database (same inode)

    assert _desk_id(path) != first


def test_a_renamed_data_folder_keeps_its_desk(tmp_path: Path) -> None:
    path = tmp_path / "old" / "aiddesk.db"
    path.parent.mkdir()
    db = open_database(path)
    first = desk_service.create_desk(db, name="Centro", code="CC1").desk_id
    db.close()
    (tmp_path / "old").rename(tmp_path / "new")

    assert _desk_id(tmp_path / "new" / "aiddesk.db") == first
