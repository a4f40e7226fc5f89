"""A backup taken while the desk goes on saving (issue 13: a save during the exchange pass that
takes the hourly backup must not be held up by it). The copy goes a few pages at a time from one
snapshot: a writer commits between two steps, the copy neither restarts nor takes in what was
saved after it began, and each step reaches the disk before the next (no single long flush at the
end for a save's commit to queue behind). The copying and checking yield the processor to the
desk's own threads."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from aiddesk.domain import backup_rotation as rotation
from aiddesk.store import backup as backups
from aiddesk.store import cipher, low_priority
from aiddesk.store.cipher import DeskKey

ROWS = 6_000  # about 2.5 MB: more than SQLite keeps in its cache, so the copy reaches the file in steps
STEP = 64  # pages a step in these tests (the desk's is 1024)


def make_desk(folder: Path, key: DeskKey | None) -> Path:
    """A database in WAL mode, as a desk's is, with ROWS callers' notes in it."""
    folder.mkdir()
    path = folder / "aiddesk.db"
    con = cipher.connect(path, key)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        con.executemany(
            "INSERT INTO note (body) VALUES (?)",
            [(f"Ana Lopez called, note {i} " * 12,) for i in range(ROWS)],
        )
        con.commit()
    finally:
        con.close()
    if key is not None:
        cipher.keys_file(path).write_bytes(b"the wrapped desk key")  # travels beside the backup
    return path


def count(path: Path, key: DeskKey | None) -> int:
    con = cipher.connect(path, key)
    try:
        return int(con.execute("SELECT count(*) FROM note").fetchone()[0])
    finally:
        con.close()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_save_commits_between_two_steps_of_the_copy_and_the_backup_is_the_state_it_began_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encrypted: bool
) -> None:
    key = DeskKey(os.urandom(32)) if encrypted else None
    source = make_desk(tmp_path / "desk", key)
    pages = os.path.getsize(source) // cipher.PAGE_SIZE
    monkeypatch.setattr(backups, "COPY_STEP_PAGES", STEP)
    desk = cipher.connect(source, key, check_same_thread=False)  # the desk saving meanwhile
    flushed: list[int] = []
    real_flush = backups._flush_data

    def flush_then_save(fd: int) -> None:
        real_flush(fd)
        flushed.append(os.fstat(fd).st_size)
        assert len(flushed) <= pages, "the copy started over"
        desk.execute("INSERT INTO note (body) VALUES ('a caller saved during the backup')")
        desk.commit()  # WAL: does not wait for the copy

    monkeypatch.setattr(backups, "_flush_data", flush_then_save)
    try:
        made = backups.take(source, tmp_path / "backups", rotation.MERGE, key=key)
    finally:
        desk.close()

    steps = -(-pages // STEP)
    assert len(flushed) == steps - 1  # after every step but the last, and never started over
    assert count(source, key) == ROWS + steps - 1  # every save went through
    assert count(made.path, key) == ROWS  # the backup: the desk as it was when it began
    assert backups.integrity_ok(made.path, key)
    assert flushed == sorted(flushed) and flushed[-1] > os.path.getsize(made.path) // 2  # on disk as it goes
    assert oct(os.stat(made.path).st_mode & 0o777) == oct(0o600)
    if encrypted:
        assert b"Ana Lopez" not in made.path.read_bytes()
        assert cipher.keys_file(made.path).read_bytes() == b"the wrapped desk key"
        assert not backups.integrity_ok(made.path, None)  # it does not open without the key


@pytest.mark.skipif(not low_priority.supported(), reason="a thread's own priority: Linux only")
def test_the_backup_copies_and_checks_at_a_lower_priority_and_the_caller_keeps_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_desk(tmp_path / "desk", None)
    caller = low_priority.thread_niceness()
    seen: dict[str, Any] = {}
    real_copy, real_check = backups.copy_database, backups.integrity_ok

    def copy(*args: Any, **kwargs: Any) -> None:
        seen["copy"] = (low_priority.thread_niceness(), threading.get_ident())
        real_copy(*args, **kwargs)

    def check(*args: Any, **kwargs: Any) -> bool:
        seen["check"] = (low_priority.thread_niceness(), threading.get_ident())
        return real_check(*args, **kwargs)

    monkeypatch.setattr(backups, "copy_database", copy)
    monkeypatch.setattr(backups, "integrity_ok", check)
    made = backups.take(source, tmp_path / "backups", rotation.MERGE)

    lowered = min(19, caller + low_priority.NICENESS)
    assert seen["copy"][0] == seen["check"][0] == lowered
    assert seen["copy"][1] != threading.get_ident()  # a thread of its own, not the caller lowered
    assert low_priority.thread_niceness() == caller
    assert count(made.path, None) == ROWS


def test_what_fails_on_the_low_priority_thread_is_raised_to_the_caller(tmp_path: Path) -> None:
    source = make_desk(tmp_path / "desk", None)
    source.write_bytes(b"not a database at all" * 500)
    with pytest.raises(backups.BackupFailed):
        backups.take(source, tmp_path / "backups", rotation.MERGE)
    assert list((tmp_path / "backups").iterdir()) == []


def test_elsewhere_the_work_runs_on_the_calling_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert low_priority.run_at_low_priority(threading.get_ident) == threading.get_ident()
