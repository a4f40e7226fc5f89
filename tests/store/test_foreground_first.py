"""The desk's own writes go first (store/foreground.py, issue 13): background work (an exchange
pass on its worker thread) pauses at its next statement while a save runs, never while it holds
the writer turn, and at most a bounded time, so a long write of the desk's own slows a pass down
and never stops it."""

from __future__ import annotations

import hashlib
import os
import struct
import threading
import time

import pytest
from sqlalchemy import func, select

from aiddesk.store import foreground
from aiddesk.store.database import Database
from aiddesk.store.models import Person


def count_people(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Person)) or 0)


class OpenSave:
    """A save of the desk's own, on a thread of its own, writing from its start until end()."""

    def __init__(self, db: Database) -> None:
        self._writing, self._ends = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._save, args=(db,))
        self._thread.start()
        assert self._writing.wait(10)

    def _save(self, db: Database) -> None:
        with db.write_session():
            self._writing.set()
            assert self._ends.wait(10)

    def end(self) -> float:
        """Let the save finish; the time it was told to."""
        ended_at = time.monotonic()
        self._ends.set()
        self._thread.join(10)
        return ended_at


def test_a_pass_waits_at_its_next_statement_while_a_save_writes(db: Database) -> None:
    read_at: list[float] = []

    def background_read() -> None:
        with db.background():
            count_people(db)
            read_at.append(time.monotonic())

    save = OpenSave(db)
    reader = threading.Thread(target=background_read)
    reader.start()
    time.sleep(0.05)
    assert read_at == []  # paused while the save writes
    ended_at = save.end()
    reader.join(10)
    assert read_at and read_at[0] >= ended_at


def test_the_desks_own_reads_and_a_pass_alone_never_wait(db: Database) -> None:
    save = OpenSave(db)
    started = time.monotonic()
    count_people(db)  # a screen's read during a save: not background, no pause
    assert time.monotonic() - started < foreground.PAUSE_S
    save.end()
    with db.background():
        started = time.monotonic()
        count_people(db)
        with db.write_session():  # a background write is not the desk's own
            count_people(db)
    assert time.monotonic() - started < foreground.PAUSE_S


def test_a_pass_holding_the_writer_turn_is_not_paused(db: Database) -> None:
    """The save waits for the pass's write (its turn); the pass must not wait for the save."""
    in_turn, saved = threading.Event(), threading.Event()

    def save() -> None:
        with db.write_session():
            saved.set()

    with db.background(), db.write_session():
        in_turn.set()
        saver = threading.Thread(target=save)
        saver.start()
        time.sleep(0.02)  # the save waits for the turn (and counts as writing)
        started = time.monotonic()
        count_people(db)
        assert time.monotonic() - started < foreground.PAUSE_S
    saver.join(10)
    assert saved.is_set()


def test_a_long_write_of_the_desk_slows_a_pass_never_stops_it(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(foreground, "PAUSE_S", 0.05)
    monkeypatch.setattr(foreground, "FREE_S", 0.05)
    writing, write_ends = threading.Event(), threading.Event()

    def long_write() -> None:
        with db.write_session():
            writing.set()
            assert write_ends.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    assert writing.wait(10)
    try:
        with db.background():
            started = time.monotonic()
            reads = 0
            while time.monotonic() - started < 0.5:
                count_people(db)
                reads += 1
        assert reads >= 3  # it went on, between pauses
    finally:
        write_ends.set()
        writer.join(10)


def stretched_by_the_book(password: str, salt: bytes, spins: int) -> bytes:
    """MS-OFFCRYPTO 2.3.4.11's key stretching, written out from the specification."""
    value = hashlib.sha512(salt + password.encode("utf-16-le")).digest()
    for round_ in range(spins):
        value = hashlib.sha512(struct.pack("<I", round_) + value).digest()
    return value


def test_a_pass_stretching_the_group_password_pauses_while_a_save_writes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stretching of the exchange password (~100 ms of Python, no SQL statement where the
    pass would pause) made a save beside a pass's first file of a desk wait for it: it gives
    way too, and still stretches as the specification says (Excel opens the files)."""
    from aiddesk.exchange.workbook import key_cache

    monkeypatch.setattr(foreground, "PAUSE_S", 5.0)
    salt = os.urandom(key_cache.SALT_BYTES)
    stretched: list[tuple[bytes, float]] = []

    def background_stretch() -> None:
        with db.background():
            value = key_cache._stretched("group password", salt, "SHA512", 20_000)
            stretched.append((value, time.monotonic()))

    save = OpenSave(db)
    stretcher = threading.Thread(target=background_stretch)
    stretcher.start()
    time.sleep(0.3)  # 20,000 rounds take ~20 ms alone
    assert stretched == []  # paused while the save writes
    ended_at = save.end()
    stretcher.join(10)
    ((value, done_at),) = stretched
    assert done_at >= ended_at
    assert value == stretched_by_the_book("group password", salt, 20_000)
    for spins in (0, 1, key_cache.GIVE_WAY_EVERY, key_cache.GIVE_WAY_EVERY + 1, 100_000):
        assert key_cache._stretched("contraseña", salt, "SHA512", spins) == stretched_by_the_book(
            "contraseña", salt, spins
        )


def test_the_desks_own_computing_never_gives_way(db: Database) -> None:
    """give_way() pauses background work only: a screen's or a save's own computing goes on."""
    save = OpenSave(db)
    try:
        started = time.monotonic()
        for _ in range(100):
            foreground.give_way()
        assert time.monotonic() - started < foreground.PAUSE_S
    finally:
        save.end()
