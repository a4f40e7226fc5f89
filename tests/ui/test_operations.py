"""The operation runner: work off the GUI thread, results back on it, what writes changed
broadcast to every screen, failures said in one translated line and never logged with a
person's data."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import shiboken6
from pytestqt.qtbot import QtBot
from record_makers import NEED, add_person
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aiddesk.domain.changes import Changes, Kind
from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.services.database import Database
from aiddesk.services.desk.setup import update_desk
from aiddesk.services.intake.calls import save_call
from aiddesk.store import foreground
from aiddesk.store.database import WriteOutsideTransaction, make_engine
from aiddesk.store.models import Person
from aiddesk.ui.shell.operations import Failure, Operations
from tests.ui.settle import settle

SECRET_NAME = "Dolores Secreto Ibarra"


@pytest.fixture
def ops(qapp: object, db: Database) -> Operations:
    return Operations(db)


def test_work_runs_off_the_gui_thread_and_the_answer_comes_back_on_it(qtbot: QtBot, ops: Operations) -> None:
    gui = threading.get_ident()
    where: list[int] = []
    answers: list[tuple[int, int]] = []
    ops.query(
        lambda: where.append(threading.get_ident()) or 42,
        lambda n: answers.append((n, threading.get_ident())),
    )
    settle(qtbot, ops)
    assert where and where[0] != gui
    assert answers == [(42, gui)]


def test_a_write_broadcasts_the_kinds_and_ids_it_changed(qtbot: QtBot, ops: Operations, db: Database) -> None:
    seen: list[Changes] = []
    ops.notifier.changed.connect(seen.append)
    made: list[str] = []
    ops.write(lambda: made.append(add_person(db, "TST-0001", "Ana Ruiz")))
    settle(qtbot, ops)
    (changes,) = seen
    assert Kind.PERSON in changes.kinds
    assert changes.changed_ids(Kind.PERSON) == frozenset(made)
    assert changes.touches({Kind.PERSON}) and not changes.touches({Kind.VOLUNTEER})


def test_a_save_does_not_say_the_desk_changed_a_rename_does(
    qtbot: QtBot, ops: Operations, db: Database
) -> None:
    """Every save moves the desk's counter and clock and uses a code number: that is no change
    of the desk a screen shows (its title, settings, exchange folder), which would all read
    again after each save (issue 13: a save during a pass waited for them)."""
    seen: list[Changes] = []
    ops.notifier.changed.connect(seen.append)
    form = IntakeForm(phone="(508) 555-0101", name="Ana Ruiz", needs=[NeedRow(NEED["groceries"])])
    ops.write(lambda: save_call(db, "Luis", form, "US"))
    settle(qtbot, ops)
    (saved,) = seen
    assert {Kind.PERSON, Kind.CALL, Kind.REQUEST} <= saved.kinds
    assert Kind.DESK not in saved.kinds

    ops.write(lambda: update_desk(db, "Luis", name="North Desk", code="ND", region="US", language="en"))
    settle(qtbot, ops)
    assert Kind.DESK in seen[-1].kinds


def test_a_read_broadcasts_nothing(qtbot: QtBot, ops: Operations, db: Database) -> None:
    seen: list[Changes] = []
    ops.notifier.changed.connect(seen.append)
    ops.query(lambda: db.session().query(Person).count(), lambda _n: None)
    settle(qtbot, ops)
    assert seen == []


def test_a_failed_write_changes_nothing_says_why_and_logs_no_personal_data(
    qtbot: QtBot, ops: Operations, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Changes] = []
    ops.notifier.changed.connect(seen.append)
    failures: list[Failure] = []
    add_person(db, "TST-0001", "Ana Ruiz")

    def clash() -> None:  # a first write, then one the database refuses (a key used twice)
        with db.transaction("Rosa") as tx:
            tx.session.add(Person(id=tx.new_id(), code="TST-0002", name="Other"))
            tx.session.flush()
            insert_twice(tx.session, SECRET_NAME)

    caplog.set_level(logging.DEBUG)
    ops.write(clash, lambda _r: pytest.fail("it was refused"), failed=failures.append)
    settle(qtbot, ops)
    (failure,) = failures
    assert isinstance(failure.error, IntegrityError)
    assert failure.message.startswith("Something went wrong, and what you asked was not done.")
    assert seen == []  # rolled back: nothing to refresh
    assert [p.code for p in db.session().query(Person)] == ["TST-0001"]
    assert SECRET_NAME not in caplog.text and "TST-0001" not in caplog.text
    assert "IntegrityError" in caplog.text  # what broke, for whoever looks into it
    assert "sqlite3.IntegrityError SQLITE_CONSTRAINT_" in caplog.text  # and SQLite's own code


def test_a_damaged_database_is_logged_with_sqlites_own_code(
    qtbot: QtBot, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The screens failed with a bare "sqlalchemy.exc.DatabaseError" in the log: the next time, the
    log says which SQLite error it was (never the statement's values)."""
    for n in range(40):
        add_person(db, f"TST-{n:04d}", f"{SECRET_NAME} {n}")
    with db.session() as session:
        root = session.execute(text("SELECT rootpage FROM sqlite_master WHERE name = 'person'")).scalar_one()
        size = session.execute(text("PRAGMA page_size")).scalar_one()
    db.close()
    data = bytearray(db.path.read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size  # the people's first page overwritten
    db.path.write_bytes(bytes(data))
    damaged = Database(make_engine(db.path), db.path)
    ops = Operations(damaged)
    failures: list[Failure] = []

    def read() -> list[str]:
        with damaged.session() as session:
            return [
                p.name for p in session.query(Person).filter(Person.name != SECRET_NAME).order_by(Person.name)
            ]

    caplog.set_level(logging.DEBUG)
    try:
        ops.query(read, lambda _r: pytest.fail("it read a damaged page"), failed=failures.append)
        settle(qtbot, ops)
    finally:
        damaged.close()
    assert len(failures) == 1
    assert (
        "operation failed: sqlalchemy.exc.DatabaseError (sqlite3.DatabaseError SQLITE_CORRUPT" in caplog.text
    )
    assert SECRET_NAME not in caplog.text


def test_a_refusal_is_said_in_the_users_language(qtbot: QtBot, ops: Operations) -> None:
    def refuse() -> None:
        raise Invalid([Problem("name", "This field cannot be empty.")])

    failures: list[Failure] = []
    ops.write(refuse, failed=failures.append)
    settle(qtbot, ops)
    assert failures[0].message == "This field cannot be empty."


def test_only_the_newest_query_under_a_key_is_delivered(qtbot: QtBot, ops: Operations) -> None:
    go_on = threading.Event()
    answers: list[str] = []

    def slow() -> str:
        assert go_on.wait(10)
        return "old"

    ops.query(slow, answers.append, key="lookup")
    ops.query(lambda: "new", answers.append, key="lookup")
    qtbot.waitUntil(lambda: answers == ["new"])
    go_on.set()
    settle(qtbot, ops)
    assert answers == ["new"]


def test_a_query_asked_again_while_it_runs_runs_once_more_with_the_newest(
    qtbot: QtBot, ops: Operations
) -> None:
    """A burst of saves asks a screen to read again after each one: while its read runs, only
    the newest of those asked meanwhile runs after it (the others never take a thread from the
    saves), and the screen gets the newest answer."""
    go_on = threading.Event()
    ran: list[int] = []
    shown: list[int] = []
    dropped: list[int] = []

    def read(n: int) -> int:
        if n == 0:
            assert go_on.wait(10)
        ran.append(n)
        return n

    for n in range(5):
        operation = ops.query(lambda n=n: read(n), shown.append, key="figures", again=True)
        operation.dropped.connect(lambda n=n: dropped.append(n))
    qtbot.wait(50)
    assert ran == [] and not ops.idle()  # the first one holds its key; the rest wait
    go_on.set()
    settle(qtbot, ops)
    assert ran == [0, 4]
    assert shown == [4]
    assert sorted(dropped) == [0, 1, 2, 3]
    ops.query(lambda: read(5), shown.append, key="figures", again=True)  # the key is free again
    settle(qtbot, ops)
    assert shown == [4, 5]


def test_writes_run_one_at_a_time_in_the_order_asked(qtbot: QtBot, ops: Operations) -> None:
    order: list[int] = []
    running: list[int] = []

    def write(n: int) -> None:
        running.append(n)
        assert len(running) == 1  # no other write at the same time
        time.sleep(0.01)
        order.append(n)
        running.remove(n)

    for n in range(8):
        ops.write(lambda n=n: write(n))
    settle(qtbot, ops)
    assert order == list(range(8))


def test_a_read_session_cannot_write(db: Database) -> None:
    with db.session() as session, pytest.raises(WriteOutsideTransaction):
        session.connection().exec_driver_sql("DELETE FROM draft")


def test_database_errors_carry_no_values(db: Database) -> None:
    with pytest.raises(IntegrityError) as raised, db.write_session() as session:
        insert_twice(session, SECRET_NAME)
    assert "UNIQUE" in str(raised.value) and SECRET_NAME not in str(raised.value)


def insert_twice(session: Session, value: str) -> None:
    for _ in range(2):
        session.execute(text("INSERT INTO code_sequence (kind, last) VALUES (:kind, 0)"), {"kind": value})


def test_a_save_is_not_queued_behind_a_merge(qtbot: QtBot, ops: Operations) -> None:
    """A merge reads and compares for long and takes the write lock only to apply: it runs
    beside the desk's writes, so a save made meanwhile goes through before it ends."""
    go_on = threading.Event()
    order: list[str] = []

    def merge() -> None:
        assert go_on.wait(10)
        order.append("merge")

    ops.write(merge, alongside=True)
    ops.write(lambda: order.append("save"))
    qtbot.waitUntil(lambda: order == ["save"])
    go_on.set()
    settle(qtbot, ops)
    assert order == ["save", "merge"]


def test_a_merge_lets_a_save_made_meanwhile_go_first(qtbot: QtBot, ops: Operations, db: Database) -> None:
    """A merge (an exchange pass) runs as background work: while a save writes, the merge waits
    at its next statement instead of taking the interpreter from the save (issue 13)."""
    saving, save_ends = threading.Event(), threading.Event()
    order: list[str] = []

    def save() -> None:
        with db.write_session():
            saving.set()
            assert save_ends.wait(10)

    def end_save() -> None:
        order.append("save ends")
        save_ends.set()

    def merge() -> None:
        saver = threading.Thread(target=save)
        saver.start()
        assert saving.wait(10)
        threading.Timer(0.03, end_save).start()
        with db.session() as session:
            session.query(Person).count()
        order.append("merge reads")
        saver.join(10)

    ops.write(merge, alongside=True)
    settle(qtbot, ops)
    assert order == ["save ends", "merge reads"]


def computing_merge(steps: list[float], stop: threading.Event, started: threading.Event) -> None:
    """A merge computing (no SQL statement) in steps, with a pause point between two."""
    started.set()
    while not stop.is_set():
        foreground.give_way()
        steps.append(time.monotonic())
        time.sleep(0.001)


@contextmanager
def merge_computing(qtbot: QtBot, ops: Operations) -> Iterator[list[float]]:
    """A merge computing through the runner (the time of each step) until the block ends."""
    steps: list[float] = []
    stop, started = threading.Event(), threading.Event()
    ops.write(lambda: computing_merge(steps, stop, started), alongside=True)
    assert started.wait(10)
    try:
        yield steps
    finally:
        stop.set()
        settle(qtbot, ops)


def test_a_merge_waits_until_a_saves_answer_is_on_the_screen(
    qtbot: QtBot, ops: Operations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desk's save goes first from the moment it is handed over until its answer is on the
    GUI thread, not only while it writes: its checks before, the files it keeps after its commit
    and its answer on the way to the screen shared the interpreter with the pass (issue 13: the
    answer took up to ~50 ms to reach the GUI thread). Then the merge goes on."""
    monkeypatch.setattr(foreground, "PAUSE_S", 5.0)
    with merge_computing(qtbot, ops) as steps:
        answered: list[int] = []
        handed = len(steps)
        ops.write(lambda: time.sleep(0.05), lambda _none: answered.append(len(steps)))
        qtbot.waitUntil(lambda: bool(answered), timeout=5000)
        assert answered[0] - handed <= 2  # at most the step it was in: ~40 without giving way
        qtbot.waitUntil(lambda: len(steps) > answered[0] + 5, timeout=1000)  # going on


def test_a_merge_goes_on_while_a_saves_answer_asks_something(
    qtbot: QtBot, ops: Operations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `done` that opens a dialog (its own event loop, waiting for the volunteer) does not keep
    the pass paused meanwhile."""
    from PySide6.QtCore import QEventLoop, QTimer

    monkeypatch.setattr(foreground, "PAUSE_S", 5.0)
    with merge_computing(qtbot, ops) as steps:
        during: list[int] = []

        def ask(_none: None) -> None:  # as a modal dialog would, for 0.3 s
            before = len(steps)
            loop = QEventLoop()
            QTimer.singleShot(300, loop.quit)
            loop.exec()
            during.append(len(steps) - before)

        ops.write(lambda: None, ask)
        qtbot.waitUntil(lambda: bool(during), timeout=5000)
        assert during[0] >= 20  # ~1 ms steps: the merge went on while the question waited


def test_a_refused_save_lets_the_merge_go_on(
    qtbot: QtBot, ops: Operations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(foreground, "PAUSE_S", 5.0)
    with merge_computing(qtbot, ops) as steps:
        refused: list[int] = []

        def refuse() -> None:
            raise Invalid([Problem("name", "A name is needed.")])

        ops.write(refuse, failed=lambda _failure: refused.append(len(steps)))
        qtbot.waitUntil(lambda: bool(refused), timeout=5000)
        qtbot.waitUntil(lambda: len(steps) > refused[0] + 5, timeout=1000)


def test_a_window_closing_after_a_save_waits_for_the_pass_at_its_full_pace(
    qtbot: QtBot, ops: Operations, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window closes (its event loop has ended) right after a save: the save's answer never
    reaches the screen, so its hold on the foreground must not outlive the wait for the pass,
    which would otherwise pause at each of its steps while the closing waits for it."""
    monkeypatch.setattr(foreground, "PAUSE_S", 5.0)
    steps: list[float] = []
    stop, started = threading.Event(), threading.Event()

    def merge() -> None:
        computing_merge(steps, stop, started)

    ops.write(merge, alongside=True)
    assert started.wait(10)
    saved = threading.Event()
    ops.write(saved.set)  # its answer is queued for an event loop that does not run again
    assert saved.wait(10)
    threading.Timer(0.3, stop.set).start()  # the pass has 0.3 s of work left

    began = time.monotonic()
    done = ops.wait(3000)  # as the exchange timer does when the application quits

    assert done and time.monotonic() - began < 2.5
    assert len(steps) > 50  # ~1 ms steps: it went on at its pace
    settle(qtbot, ops)


def test_no_full_garbage_collection_freezes_the_window_during_a_merge(qtbot: QtBot, ops: Operations) -> None:
    """A full collection walks every object holding the GIL (1.4 s in the middle of a
    20,000-person merge): the runner's collections (on the GUI thread) wait while a merge runs,
    and go on afterwards."""
    import gc

    from aiddesk.ui.shell import operations

    collected: list[int] = []
    real = gc.collect
    release = threading.Event()
    try:
        gc.collect = lambda generation=2: collected.append(generation) or real(generation)  # type: ignore[assignment]
        ops.write(lambda: release.wait(5), alongside=True)
        qtbot.waitUntil(operations.collections_paused.running, timeout=5_000)
        collected.clear()
        qtbot.wait(3 * operations.COLLECT_EVERY_MS)
        during = list(collected)
        release.set()
        settle(qtbot, ops)
        qtbot.waitUntil(lambda: bool(collected), timeout=5_000)
    finally:
        gc.collect = real  # type: ignore[assignment]
    assert during == [] and not gc.isenabled()


def test_steps_run_on_the_gui_thread_one_per_turn_with_their_reads_on_a_worker(
    qtbot: QtBot, ops: Operations
) -> None:
    """A job of steps (a PDF painted): each step on the GUI thread, the event loop turning between
    two (a timer fires), its OnWorker reads on a worker; the runner is busy until it ended."""
    from PySide6.QtCore import QTimer

    from aiddesk.ui.shell.operations import OnWorker

    gui = threading.get_ident()
    where: list[tuple[str, int]] = []
    ticks = [0]
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))

    def job() -> Iterator[object]:
        read = yield OnWorker(lambda: (where.append(("read", threading.get_ident())), 3)[1])
        for n in range(read):
            where.append((f"step {n}", threading.get_ident()))
            seen = ticks[0]
            yield None
            assert ticks[0] > seen  # the event loop turned before the next step
        return "done"

    answers: list[str] = []
    ticker.start()
    ops.steps(job(), answers.append)  # type: ignore[arg-type]
    assert not ops.idle()
    settle(qtbot, ops)
    ticker.stop()
    assert answers == ["done"]
    assert where[0][0] == "read" and where[0][1] != gui
    assert [w for w in where[1:]] == [(f"step {n}", gui) for n in range(3)]


def test_a_failing_step_is_said_in_one_line_and_a_gone_screens_job_goes_on_unheard(
    qtbot: QtBot, ops: Operations
) -> None:
    import shiboken6
    from PySide6.QtWidgets import QWidget

    def broken() -> Iterator[None]:
        yield None
        raise Invalid([Problem("name", "Please enter the caller's name.")])

    failures: list[Failure] = []
    ops.steps(broken(), failed=failures.append)  # type: ignore[arg-type]
    settle(qtbot, ops)
    assert [f.message for f in failures] == ["Please enter the caller's name."]

    steps = [0]
    told: list[object] = []

    def long() -> Iterator[None]:
        for _ in range(100):
            steps[0] += 1
            time.sleep(0.005)
            yield None
        return "saved"

    owner = QWidget()
    ops.steps(long(), told.append, parent=owner, failed=told.append)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: steps[0] >= 3)
    shiboken6.delete(owner)  # the dialog that asked is closed: the file asked for is still made
    settle(qtbot, ops)
    assert steps[0] == 100 and told == [] and ops.idle()


def test_a_window_closing_finishes_a_job_of_steps_and_tells_nobody(qtbot: QtBot, ops: Operations) -> None:
    """wait() before the database closes: a PDF being painted is finished there (the file asked
    for is saved), with the answer of the read it waited for; nobody is told, and that answer,
    arriving later, does not wake it again."""
    from aiddesk.ui.shell.operations import OnWorker

    got: list[object] = []
    answers: list[object] = []
    release = threading.Event()
    reads = 0

    def read(value: str) -> str:
        nonlocal reads
        reads += 1
        release.wait(5)
        return value

    def job() -> Iterator[object]:
        got.append((yield OnWorker(lambda: read("rows"))))
        yield None
        got.append((yield OnWorker(lambda: read("saved"))))
        return "done"

    ops.steps(job(), answers.append)  # type: ignore[arg-type]
    threading.Timer(0.1, release.set).start()
    assert ops.wait(5_000)
    assert got == ["rows", "saved"] and reads == 2  # the read under way was not made twice
    settle(qtbot, ops)  # the first read's answer arrives now
    assert answers == [] and got == ["rows", "saved"] and ops.idle()


def test_a_long_job_of_steps_shows_its_progress(qtbot: QtBot, ops: Operations) -> None:
    from PySide6.QtWidgets import QProgressDialog, QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    owner.show()

    def job() -> Iterator[None]:
        for _ in range(40):
            time.sleep(0.02)
            yield None

    ops.steps(job(), parent=owner, progress="Saving the route sheets…")  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: any(d.isVisible() for d in owner.findChildren(QProgressDialog)), timeout=5_000)
    (dialog,) = [d for d in owner.findChildren(QProgressDialog) if d.isVisible()]
    assert dialog.labelText() == "Saving the route sheets…"
    settle(qtbot, ops)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()  # hidden, maybe deleted already


class _Held:
    """Something a screen's work or answer holds (a form's values, the screen itself): notes the
    thread it is freed on."""

    def __init__(self, freed: list[int]) -> None:
        self._freed = freed

    def __del__(self) -> None:
        self._freed.append(threading.get_ident())


def test_what_an_operation_held_is_freed_on_the_gui_thread_once_it_answered(
    qtbot: QtBot, ops: Operations
) -> None:
    """A desk runs thousands of operations a day: each one's work and answer (and what they hold:
    a search's text, a form's values, a screen) must be freed once it answered, not kept for as
    long as the window is open; and freed on the GUI thread, where a screen may be destroyed."""
    import gc

    gui = threading.get_ident()
    freed: list[int] = []

    def ask(n: int) -> None:
        work_holds, answer_holds = _Held(freed), _Held(freed)
        ops.query(
            lambda: (work_holds, n)[1],
            lambda _n: answer_holds,
            failed=lambda _f: answer_holds,
        )
        ops.query(lambda: 1 / 0 if work_holds else 0, lambda _n: None, failed=lambda _f: answer_holds)

    for n in range(50):
        ask(n)
    settle(qtbot, ops)
    qtbot.wait(50)
    gc.collect()
    assert len(freed) == 100 and set(freed) == {gui}


def test_the_operations_themselves_are_freed_once_answered(qtbot: QtBot, ops: Operations) -> None:
    """Each operation (its cancel token, its hold on the database, what runs it on a worker) is
    freed once answered, not only what its work held: the Python QRunnable that ran each one
    stayed referenced by the thread pool's wrapper (PySide keeps what start() was given), and the
    operation with it, one more for every search and save until the window closed."""
    import gc

    answered: list[int] = []
    operations: list[weakref.ref[Any]] = []
    for n in range(60):
        operations.append(weakref.ref(ops.query(lambda n=n: n, answered.append, key="type-ahead")))
        operations.append(weakref.ref(ops.query(lambda: 1 / 0, answered.append, failed=lambda _f: None)))
        settle(qtbot, ops)  # one at a time, as a volunteer types and waits
    qtbot.wait(50)
    gc.collect()
    assert answered == list(range(60))
    assert [ref for ref in operations if ref() is not None] == []


def test_a_garbage_cycle_is_collected_on_the_gui_thread_never_on_a_worker(
    qtbot: QtBot, ops: Operations
) -> None:
    """Python collects reference cycles on whichever thread allocates: a worker could so destroy a
    QObject left in a cycle and freeze the window for good (docs/architecture.md). With a runner,
    cycles are collected on the GUI thread only, while the workers allocate as much as they like."""
    import gc

    gui = threading.get_ident()
    freed: list[int] = []
    for _ in range(20):
        cycle: list[object] = [_Held(freed)]
        cycle.append(cycle)
    del cycle

    def allocate() -> int:
        return len([[n] for n in range(200_000)])  # past every threshold of the collector

    for _ in range(5):
        ops.query(allocate, lambda _n: None)
    settle(qtbot, ops)
    qtbot.waitUntil(lambda: len(freed) == 20, timeout=10_000)
    assert set(freed) == {gui}
    assert not gc.isenabled()
