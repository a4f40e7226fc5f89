"""One desk per data folder, in-process: the lock, the answering socket, leftovers of a killed desk,
and what a second launch says when the first cannot be reached."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSysInfo
from PySide6.QtWidgets import QApplication, QMainWindow

from aiddesk.app import GuiStart
from aiddesk.paths import DeskPaths
from aiddesk.ui.shell import application
from aiddesk.ui.shell.application import bring_forward
from aiddesk.ui.shell.single_instance import RaiseReply, SingleInstance, ask_to_raise, server_name


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "desk"


@pytest.fixture
def instances(qapp: QApplication, folder: Path) -> Iterator[list[SingleInstance]]:
    folder.mkdir(exist_ok=True)
    made: list[SingleInstance] = []
    yield made
    for instance in made:
        instance.release()


def make(instances: list[SingleInstance], folder: Path) -> SingleInstance:
    instance = SingleInstance(folder / "aiddesk.lock", folder)
    instances.append(instance)
    return instance


def ask(name: str, timeout_ms: int = 5000) -> RaiseReply:
    """The second launch's side; it keeps events running, so this process's desk can answer it."""
    return ask_to_raise(name, timeout_ms)


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_server_name_depends_on_the_folder_not_its_spelling(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert server_name(a) != server_name(b)
    assert server_name(a) == server_name(tmp_path / "b" / ".." / "a")
    assert len(server_name(a)) < 40 and "/" not in server_name(a)


def test_the_first_holds_the_lock_and_a_second_is_refused(instances, folder: Path) -> None:
    first = make(instances, folder)
    assert first.acquire()
    second = make(instances, folder)
    assert not second.acquire()
    assert second.holder().pid == os.getpid()
    first.release()
    assert second.acquire()  # released: the next start takes it


def test_a_second_launch_asks_the_first_to_come_forward(qtbot, instances, folder: Path) -> None:
    first = make(instances, folder)
    assert first.acquire()
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        reply = ask(first.name)
    assert reply == RaiseReply(True, pid=os.getpid(), connected=True)


def test_a_desk_still_starting_holds_the_lock_and_answers_once_it_listens(
    qtbot, instances, folder: Path
) -> None:
    """The app takes the lock first and starts its socket after its window's first paint: a
    second launch in between is refused the folder and waits for the answer (its grace)."""
    from PySide6.QtCore import QTimer

    first = make(instances, folder)
    assert first.acquire(listen=False)
    assert not make(instances, folder).acquire()  # no second desk meanwhile
    QTimer.singleShot(300, first.listen)  # the first paint, a moment later
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        reply = ask(first.name)
    assert reply.raised and reply.pid == os.getpid()


def test_the_raise_request_brings_a_minimised_window_back(qtbot, instances, folder: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    first = make(instances, folder)
    assert first.acquire()
    first.raise_requested.connect(lambda: bring_forward(window))
    with qtbot.waitSignal(first.raise_requested, timeout=5000):
        assert ask(first.name).raised
    assert window.isVisible() and not window.isMinimized()


def test_a_lock_left_by_a_dead_process_does_not_block(instances, folder: Path) -> None:
    lock = folder / "aiddesk.lock"
    lock.write_text(f"{dead_pid()}\npython3\n{QSysInfo.machineHostName()}\n", encoding="utf-8")
    first = make(instances, folder)
    assert first.acquire()
    assert first.holder().pid in (None, os.getpid())


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="local sockets are files only on Unix")
def test_a_socket_left_by_a_killed_desk_does_not_block(qtbot, instances, folder: Path) -> None:
    name = server_name(folder)
    leftover = Path(tempfile.gettempdir()) / name
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(leftover))
    stale.close()  # the file stays, as after kill -9
    try:
        first = make(instances, folder)
        assert first.acquire()
        with qtbot.waitSignal(first.raise_requested, timeout=5000):
            reply = ask(first.name)
        assert reply.raised
    finally:
        instances[0].release()
        leftover.unlink(missing_ok=True)


def test_asking_when_nobody_answers_gives_up_and_says_so(qapp, folder: Path) -> None:
    reply = ask_to_raise(server_name(folder), timeout_ms=300)
    assert not reply.raised
    assert not reply.connected


def test_the_second_launch_says_who_holds_the_folder_when_it_cannot_reach_it(
    qapp, instances, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = make(instances, folder)
    assert holder.acquire()
    # The holder keeps its lock but stops answering (e.g. stuck).
    assert holder._server is not None
    holder._server.close()

    shown: list[str] = []
    monkeypatch.setattr(application, "show_problem", lambda text, **_: shown.append(text))
    monkeypatch.setattr("aiddesk.ui.shell.single_instance.ANSWER_TIMEOUT_MS", 300)
    monkeypatch.setattr("aiddesk.ui.shell.single_instance.START_GRACE_S", 0.1)
    second = make(instances, folder)
    assert not second.acquire()
    start = GuiStart(DeskPaths(folder, folder / "logs"), folder / "logs" / "aiddesk.log")
    assert start.already_running(second) == 1
    assert len(shown) == 1
    assert shown[0].startswith(f"AidDesk is already open for this data folder (process {os.getpid()}).")
    assert "could not be asked to come forward" in shown[0]
    assert shown[0] in capsys.readouterr().err
