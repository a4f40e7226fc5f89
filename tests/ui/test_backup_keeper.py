"""While the window is open: the whole-database check runs in the background after the start,
then the day's backup; a damaged database found by the check is reported, and not backed up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from aiddesk.services import backups
from aiddesk.services.backups import State, Verdict
from aiddesk.store.database import Database
from aiddesk.store.models import Person
from aiddesk.ui.backups.keeper import BackupKeeper
from tests.command_beside import people_seen_elsewhere, save_person_beside


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


def test_closing_does_not_wait_for_the_whole_check_to_end(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check of a large desk lasts many seconds (18 s at 100,000 people): closing the window
    while it runs stops it at once; it is done again at the next start, and no backup is made."""
    started = threading.Event()

    def long_check(
        database: Path,
        *,
        strict: bool = False,
        key: object = None,
        stop: Callable[[], bool] | None = None,
        in_use: bool = False,
    ) -> Verdict:
        started.set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (stop is not None and stop()):
            time.sleep(0.01)
        return Verdict(State.UNCHECKED)

    monkeypatch.setattr(backups, "full_check", long_check)
    keeper = BackupKeeper(db.path)
    keeper.start(first_ms=0)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    began = time.monotonic()
    keeper.stop()
    assert time.monotonic() - began < 2
    qtbot.wait(50)
    assert backups.list_backups(db.path) == []
    assert not keeper.checked


def _people(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(session.scalars(select(Person.code)))


def test_what_a_command_saves_beside_the_window_reaches_the_window_after_its_check(
    qtbot: QtBot, db: Database
) -> None:
    """The window's whole check used to read the database's header with a file of its own; closing
    that file dropped every lock SQLite held on the database in the window's process. The next
    command run beside the window then took the database for unused: it deleted the WAL and its
    index under the window's connections, and the window read stale pages, then 'database disk
    image is malformed' on every screen until it was restarted."""
    before = _people(db)  # the window has the database open
    keeper = BackupKeeper(db.path)
    keeper.check_then_back_up()
    qtbot.waitUntil(lambda: keeper.checked and keeper.operations.idle(), timeout=20_000)
    keeper.stop()
    for code in ("CMD1", "CMD2"):  # two exchanges in a row
        save_person_beside(db.path, code)
    assert _people(db) == sorted([*before, "CMD1", "CMD2"])
    with db.transaction("Rosa") as tx:  # and what the window saves lands in the database itself
        tx.session.add(Person(id=tx.new_id(), code="WIN1", name="Saved at the window"))
    assert people_seen_elsewhere(db.path) == len(before) + 3
