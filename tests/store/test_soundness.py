"""A database that is not whole is found at open, and never replaced by a new desk: empty
(where a desk had saved data), zeroed, cut short, or with damaged pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiddesk.domain import backup_rotation as rotation
from aiddesk.services.desk import labels as label_service
from aiddesk.store import backup as backups
from aiddesk.store import soundness
from aiddesk.store.database import Database
from aiddesk.store.migrate import DatabaseDamaged, open_database
from aiddesk.store.soundness import State

PAGE = 4096


@pytest.fixture
def closed_desk(db: Database) -> Path:
    """A desk's database, with a backup, closed (its -wal folded in)."""
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")
    backups.take(db.path, db.path.parent / "backups", rotation.MANUAL)
    db.close()
    return db.path


def scribble(path: Path, start: int, end: int, byte: bytes = b"\xff") -> None:
    data = bytearray(path.read_bytes())
    data[start:end] = byte * (end - start)
    path.write_bytes(bytes(data))


def test_a_sound_database_is_sound(closed_desk: Path) -> None:
    assert soundness.examine(closed_desk).state is State.SOUND
    assert soundness.full_check(closed_desk).state is State.SOUND


def test_an_empty_file_where_a_desk_saved_data_is_damage_and_no_new_desk(closed_desk: Path) -> None:
    closed_desk.write_bytes(b"")
    assert soundness.examine(closed_desk).state is State.EMPTY
    with pytest.raises(DatabaseDamaged) as refused:
        open_database(closed_desk)
    assert refused.value.verdict.state is State.EMPTY
    assert closed_desk.read_bytes() == b""  # nothing was created in its place


def test_an_empty_file_in_a_folder_that_never_held_a_desk_is_new(tmp_path: Path) -> None:
    path = tmp_path / "aiddesk.db"
    path.write_bytes(b"")
    assert soundness.examine(path).state is State.NEW
    open_database(path).close()
    assert soundness.examine(path).state is State.SOUND


def test_a_missing_database_where_backups_are_is_lost_not_new(closed_desk: Path) -> None:
    closed_desk.unlink()
    assert soundness.examine(closed_desk).state is State.MISSING
    assert soundness.examine(closed_desk.parent / "elsewhere" / "aiddesk.db").state is State.NEW


def test_a_zeroed_file_is_not_a_database(closed_desk: Path) -> None:
    scribble(closed_desk, 0, closed_desk.stat().st_size, b"\x00")
    assert soundness.examine(closed_desk).state is State.NOT_A_DATABASE
    with pytest.raises(DatabaseDamaged):
        open_database(closed_desk)


def test_a_file_cut_short_is_found_by_its_header(closed_desk: Path) -> None:
    size = closed_desk.stat().st_size
    assert size > 4 * PAGE
    shutil.copyfile(closed_desk, closed_desk.with_name("mid-page.db"))
    with open(closed_desk, "r+b") as file:
        file.truncate(size - 2 * PAGE)  # whole pages missing at the end
    assert soundness.examine(closed_desk, budget=0).state is State.TRUNCATED
    odd = closed_desk.with_name("mid-page.db")
    with open(odd, "r+b") as file:
        file.truncate(size - 100)
    assert soundness.examine(odd, budget=0).state is State.TRUNCATED


def test_damaged_pages_are_found_by_the_check(closed_desk: Path) -> None:
    scribble(closed_desk, 2 * PAGE + 100, 3 * PAGE)
    assert soundness.header_verdict(closed_desk) is None  # the header cannot tell
    assert soundness.examine(closed_desk, budget=None).state is State.DAMAGED
    assert soundness.full_check(closed_desk).state is State.DAMAGED


def test_the_quick_check_stops_at_its_budget(closed_desk: Path) -> None:
    assert soundness.examine(closed_desk, budget=0).state is State.UNCHECKED


def test_the_whole_check_gives_up_at_once_when_told_to_stop(closed_desk: Path) -> None:
    """The window closing stops the background check: it does not run to its end first."""
    asked: list[bool] = []

    def stop() -> bool:
        asked.append(True)
        return True

    assert soundness.full_check(closed_desk, stop=stop).state == State.UNCHECKED
    assert asked  # SQLite asked as it went
    assert soundness.full_check(closed_desk, stop=lambda: False).state == State.SOUND


def test_a_database_in_use_here_is_read_by_sqlite_alone_and_damage_is_still_found(closed_desk: Path) -> None:
    """The window's check (in_use) reads no header of its own; SQLite finds the same damage."""
    assert soundness.full_check(closed_desk, in_use=True).state is State.SOUND
    size = closed_desk.stat().st_size
    shutil.copyfile(closed_desk, closed_desk.with_name("zeroed.db"))
    with open(closed_desk, "r+b") as file:
        file.truncate(size - 2 * PAGE)  # whole pages missing at the end
    assert soundness.full_check(closed_desk, in_use=True).damaged
    assert soundness.examine(closed_desk, budget=None, in_use=True).damaged  # as a restore looks
    zeroed = closed_desk.with_name("zeroed.db")
    scribble(zeroed, 0, size, b"\x00")
    assert soundness.full_check(zeroed, in_use=True).damaged
    assert soundness.examine(zeroed, budget=None, in_use=True).damaged


def big_database(path: Path, rows: int = 200_000) -> Path:
    """A database large enough that its quick check takes a while (tens of milliseconds)."""
    import sqlite3

    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE filler (n INTEGER PRIMARY KEY, text TEXT)")
        con.execute("CREATE INDEX filler_text ON filler (text)")
        con.executemany("INSERT INTO filler (text) VALUES (?)", ((f"row {n:08d} " * 4,) for n in range(rows)))
    con.close()
    return path


def test_the_quick_check_on_its_thread_finds_what_examine_finds(closed_desk: Path) -> None:
    """At the window's start the check runs while the window is made: same verdicts."""
    assert soundness.QuickCheck(closed_desk).verdict().state is State.SOUND
    scribble(closed_desk, 2 * PAGE + 100, 3 * PAGE)
    assert soundness.QuickCheck(closed_desk, budget=60).verdict().state is State.DAMAGED
    scribble(closed_desk, 0, closed_desk.stat().st_size, b"\x00")
    assert soundness.QuickCheck(closed_desk).verdict().state is State.NOT_A_DATABASE  # the header
    closed_desk.unlink()
    assert soundness.QuickCheck(closed_desk).verdict().state is State.MISSING


def test_the_quick_check_on_its_thread_is_cut_off_at_its_budget(tmp_path: Path) -> None:
    """A large desk's window waits no longer than the budget: SQLite is interrupted, the verdict
    is UNCHECKED (the whole check follows in the background), and the thread ends."""
    import threading
    import time

    path = big_database(tmp_path / "big.db")
    began = time.monotonic()
    assert soundness.examine(path, budget=None).state is State.SOUND
    whole = time.monotonic() - began
    check = soundness.QuickCheck(path, budget=0)
    began = time.monotonic()
    assert check.verdict().state is State.UNCHECKED
    assert time.monotonic() - began < whole
    assert not [t for t in threading.enumerate() if t.name == "aiddesk-quick-check"]
    assert soundness.QuickCheck(path, budget=60).verdict().state is State.SOUND  # given the time


def test_a_quick_check_begun_early_goes_on_until_it_is_asked(tmp_path: Path) -> None:
    """Begun before Qt loads, the check is not cut short before the window asks for its verdict:
    the budget is how long the window waits, as with examine()."""
    import time

    path = big_database(tmp_path / "big.db")
    began = time.monotonic()
    assert soundness.examine(path, budget=None).state is State.SOUND
    whole = time.monotonic() - began
    check = soundness.QuickCheck(path, budget=0.001)
    time.sleep(whole * 3 + 0.2)  # Qt loading meanwhile
    began = time.monotonic()
    assert check.verdict().state is State.SOUND
    assert time.monotonic() - began < 0.1
