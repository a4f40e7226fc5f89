"""Restoring a backup: only a sound AidDesk backup; the current database is kept first; the
desk takes a new desk id; a damaged database is set aside, never lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aiddesk.domain import backup_rotation as rotation
from aiddesk.services import backups as backup_service
from aiddesk.services.desk import labels as label_service
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.store import backup as backups
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.store.restore import BackupRejected
from aiddesk.store.soundness import State


def desk_id(db: Database) -> str:
    info = desk_service.get_desk(db)
    assert info is not None
    return info.desk_id


def test_restore_keeps_the_current_database_and_takes_a_new_desk_id(db: Database) -> None:
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")
    made = backup_service.back_up(db.path, rotation.MANUAL)
    at_backup, old_id = dump(db), desk_id(db)
    label_service.add_label(db, "Ana", "zone", "Hill", "Cerro")
    after = dump(db)
    db.close()

    restored = backup_service.restore(db.path, made.path)

    back = open_database(db.path)
    try:
        assert dump(back) == at_backup
        assert desk_id(back) == restored.new_desk_id != old_id
        assert restored.old_desk_id == old_id
    finally:
        back.close()
    assert restored.kept is not None and not restored.set_aside
    kept = [b for b in backup_service.list_backups(db.path) if b.reason == rotation.RESTORE]
    assert [b.path for b in kept] == [restored.kept]
    before_restore = open_database(restored.kept)
    try:
        assert dump(before_restore) == after  # nothing typed after the backup is lost
    finally:
        before_restore.close()


def test_a_damaged_database_is_set_aside_and_the_backup_put_in_its_place(db: Database) -> None:
    made = backup_service.back_up(db.path, rotation.MANUAL)
    expected = dump(db)
    db.close()
    db.path.write_bytes(b"\0" * 8192)

    restored = backup_service.restore(db.path, made.path)

    assert restored.set_aside and restored.kept is not None
    assert restored.kept.read_bytes() == b"\0" * 8192
    assert backup_service.list_backups(db.path)[0].reason == rotation.DAMAGED
    back = open_database(db.path)
    try:
        assert dump(back) == expected
    finally:
        back.close()


@pytest.mark.parametrize("content", [b"", b"shopping list", None])
def test_only_a_sound_aiddesk_backup_is_restored(db: Database, tmp_path: Path, content: bytes | None) -> None:
    before = dump(db)
    db.close()
    candidate = tmp_path / "candidate.db"
    if content is not None:
        candidate.write_bytes(content)
    with pytest.raises(BackupRejected):
        backup_service.restore(db.path, candidate)
    back = open_database(db.path)
    try:
        assert dump(back) == before
    finally:
        back.close()
    assert backup_service.list_backups(db.path) == []


def test_a_backup_with_damaged_pages_is_refused(db: Database, tmp_path: Path) -> None:
    made = backup_service.back_up(db.path, rotation.MANUAL)
    data = bytearray(made.path.read_bytes())
    data[2 * 4096 + 100 : 3 * 4096] = b"\xff" * (4096 - 100)
    made.path.write_bytes(bytes(data))
    with pytest.raises(BackupRejected) as refused:
        backup_service.check_backup(made.path)
    assert refused.value.problem == "damaged"
    assert backup_service.newest_sound(db.path) is None


def test_a_daily_backup_at_the_first_start_of_a_day_then_every_few_hours(db: Database) -> None:
    now = dt.datetime.now(dt.UTC)
    assert backup_service.due(db.path, now) == rotation.DAILY
    first = backup_service.back_up_if_due(db.path, now)
    assert first is not None and first.reason == rotation.DAILY
    assert backup_service.due(db.path, now) is None  # nothing changed since
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")

    def same_day(later: dt.datetime) -> bool:  # (this computer's day: a test run near midnight)
        return later.astimezone().date() == first.created.astimezone().date()

    later = first.created + dt.timedelta(seconds=1)
    assert backup_service.due(db.path, later) == (None if same_day(later) else rotation.DAILY)  # too soon
    later, every = first.created + dt.timedelta(seconds=2), dt.timedelta(seconds=1)
    due_then = backup_service.due(db.path, later, every)
    assert due_then == (rotation.PERIODIC if same_day(later) else rotation.DAILY)
    assert backup_service.due(db.path, first.created + dt.timedelta(days=1)) == rotation.DAILY  # the next day


def test_the_newest_sound_backup_skips_broken_ones(db: Database) -> None:
    good = backup_service.back_up(db.path, rotation.MERGE)
    broken = backup_service.back_up(db.path, rotation.MERGE)
    broken.path.write_bytes(b"\0" * 4096)
    assert backup_service.newest_sound(db.path) == good
    assert backups.list_backups(db.path.parent / "backups")[0].path == broken.path
    assert backup_service.examine(db.path).state is State.SOUND
