"""A merge is applied after a verified backup of the desk as it was (made while the workbook is
read): the backup holds none of what the merge brought; a workbook refused leaves no backup and
pushes no older one out of the rotation; a dry run makes none."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import sqlalchemy
from record_makers import add_person
from two_desks import north_and_south

from aiddesk.domain import backup_rotation as rotation
from aiddesk.services.exchange.merge import WorkbookRejected, merge_file
from aiddesk.store import backup
from aiddesk.store.migrate import open_database


def _merge_backups(folder: Path) -> list[backup.BackupFile]:
    return [b for b in backup.list_backups(folder / "backups") if b.reason == rotation.MERGE]


def _people(path: Path) -> int:
    db = open_database(path)
    try:
        with db.session() as session:
            return len(session.execute(sqlalchemy.text("SELECT id FROM person")).all())
    finally:
        db.close()


def test_a_merge_is_applied_after_a_backup_of_the_desk_as_it_was(
    tmp_path: Path, migrated_template: Path
) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        for n in range(3):
            add_person(north.db, f"NOR-{n:04d}", f"Caller {n}")
        add_person(south.db, "SUR-0001", "Already here")

        report = south.merge(north.export())
        dry = south.merge(north.export(), dry_run=True)

        made = _merge_backups(south.folder)
        assert report.applied and report.new >= 3 and not dry.applied
        assert len(made) == 1 and made[0].verified  # the dry run made none
        copy = tmp_path / "restored" / "aiddesk.db"
        copy.parent.mkdir()
        copy.write_bytes(made[0].path.read_bytes())
        assert _people(copy) == 1  # the desk before the merge


def test_a_refused_workbook_leaves_no_backup_and_the_older_ones_stay(
    tmp_path: Path, migrated_template: Path
) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        add_person(north.db, "NOR-0001", "Caller")
        for _ in range(2):
            south.merge(north.export())
        before = {b.path for b in _merge_backups(south.folder)}
        book = openpyxl.load_workbook(north.export())
        book["_state"].cell(2, 2).value = "5d1b2c3a-9f8e-4d7c-8b6a-1e2f3a4b5c6d"  # a record's id changed
        tampered = tmp_path / "tampered.xlsx"
        book.save(tampered)

        with pytest.raises(WorkbookRejected):  # found while the workbook is read, the backup under way
            merge_file(south.db, tampered, "Ana")

        assert len(before) == 2
        assert {b.path for b in _merge_backups(south.folder)} == before
