"""While the window is open: the whole-database check runs in the background after the start,
then the day's backup; a damaged database found by the check is reported, and not backed up."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from aiddesk.services import backups
from aiddesk.store.database import Database
from aiddesk.ui.backups.keeper import BackupKeeper


def test_after_the_check_the_days_first_backup(qtbot: QtBot, db: Database) -> None:
    keeper = BackupKeeper(db.path)
    with qtbot.waitSignal(keeper.backed_up, timeout=20_000) as made:
        keeper.start(first_ms=0)
    keeper.stop()
    assert keeper.checked
    assert made.args[0].reason == "daily"
    assert [b.reason for b in backups.list_backups(db.path)] == ["daily"]


def test_a_damaged_database_found_in_the_background_is_reported(qtbot: QtBot, db: Database) -> None:
    db.close()
    data = bytearray(db.path.read_bytes())
    data[2 * 4096 + 100 : 3 * 4096] = b"\xff" * (4096 - 100)
    db.path.write_bytes(bytes(data))
    keeper = BackupKeeper(db.path)
    with qtbot.waitSignal(keeper.damaged, timeout=20_000) as found:
        keeper.start(first_ms=0)
    keeper.stop()
    assert found.args[0].state == "damaged"
    assert backups.list_backups(db.path) == []
    assert not keeper.timer.isActive()
