"""One running AidDesk per data folder: a lock file plus a local socket to bring the first one forward.

The lock is a QLockFile: Qt finds a lock left by a killed process (its pid is gone) and takes it over;
staleLockTime 0 switches off the age rule, so a long-running desk is never mistaken for a dead one.
The socket name is derived from the data folder (and the user), so two folders run side by side.

The lock is taken first (`acquire`); the socket (QtNetwork, loaded only then) may start answering a
little later (`listen`): the app starts it after its window's first paint, and a later launch
retries for START_GRACE_S meanwhile."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QLockFile, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE = b"raise\n"
RAISED = b"raised"
ANSWER_TIMEOUT_MS = 5000  # the first desk may be busy (an upgrade runs before its event loop)
START_GRACE_S = 2.0  # between its lock and its socket the first desk is not listening yet


def server_name(data_dir: Path) -> str:
    """A local socket name for this data folder and user: short, stable, no path characters."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    digest = hashlib.sha256(f"{user}\0{Path(data_dir).resolve()}".encode()).hexdigest()[:20]
    return f"aiddesk-{digest}"


@dataclass(frozen=True)
class Holder:
    """Who holds the lock, as the lock file says."""

    pid: int | None
    hostname: str


@dataclass(frozen=True)
class RaiseReply:
    """What happened when we asked the running desk to come forward."""

    raised: bool
    pid: int | None = None
    connected: bool = False  # it took the connection but did not confirm (busy), vs. no socket at all
    detail: str = ""  # technical detail for the log


class SingleInstance(QObject):
    """Holds the data folder's lock and answers later launches; `raise_requested` asks for the window."""

    raise_requested = Signal()

    def __init__(self, lock_file: Path, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self._lock = QLockFile(str(lock_file))
        self._lock.setStaleLockTime(0)
        self._server: QLocalServer | None = None
        self._listening = False

    # -- the first launch ---------------------------------------------------------------------------

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock (a stale one is taken over) and, unless `listen` is False (then `listen()`
        follows), start answering; False if another desk has it."""
        if not self._lock.tryLock(0):
            return False
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Start answering later launches (once; only while the lock is held)."""
        if self._listening or not self._lock.isLocked():
            return
        self._listening = True
        self._listen()

    def lock_error(self) -> QLockFile.LockError:
        return self._lock.error()

    def holder(self) -> Holder:
        info = self._lock.getLockInfo()
        if not info:
            return Holder(None, "")
        pid, hostname = info[0], info[1]
        return Holder(int(pid) if pid else None, str(hostname or ""))

    def _listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        # We hold the lock, so a socket of this name can only be left over from a killed desk.
        QLocalServer.removeServer(self.name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        if not server.listen(self.name):
            # The desk still works; later launches will say they could not reach it.
            log.warning("cannot listen on %s: %s", self.name, server.errorString())
            return
        self._server = server
        log.info("single instance: listening on %s", self.name)

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == RAISE:
                log.info("another launch asked this desk to come forward")
                self.raise_requested.emit()
                socket.write(RAISED + b" " + str(os.getpid()).encode() + b"\n")
                socket.flush()
            else:
                socket.abort()
                return
        if socket.bytesAvailable() > len(RAISE):  # no line yet, more than a request holds: not ours
            socket.abort()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._listening = False
        if self._lock.isLocked():
            self._lock.unlock()

    # -- a later launch -----------------------------------------------------------------------------

    def ask_to_raise(self, timeout_ms: int | None = None) -> RaiseReply:
        """Ask the desk holding the lock to bring its window forward; wait for its answer."""
        return ask_to_raise(self.name, timeout_ms)


def ask_to_raise(name: str, timeout_ms: int | None = None) -> RaiseReply:
    """Ask the desk listening on `name` to come forward and wait (running events) for its answer.

    Events keep running while we wait, so this works whether the desk is another process or, as in
    tests, this one."""
    asker = _Asker(name, ANSWER_TIMEOUT_MS if timeout_ms is None else timeout_ms)
    loop = QEventLoop()
    asker.finished.connect(loop.quit)
    asker.start()
    if asker.reply is None:
        loop.exec()
    assert asker.reply is not None
    return asker.reply


class _Asker(QObject):
    """One request on a QLocalSocket: connect (retrying while the desk is still starting), send
    RAISE, read the answer; `reply` is set and `finished` emitted exactly once."""

    finished = Signal()

    def __init__(self, name: str, timeout_ms: int) -> None:
        from PySide6.QtNetwork import QLocalSocket

        super().__init__()
        self.name = name
        self.reply: RaiseReply | None = None
        self._connected = False
        self._grace_end = time.monotonic() + min(START_GRACE_S, timeout_ms / 1000)
        self._socket = QLocalSocket(self)
        self._socket.connected.connect(self._on_connected)
        self._socket.readyRead.connect(self._on_ready_read)
        self._socket.errorOccurred.connect(self._on_error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._on_timeout)

    def start(self) -> None:
        self._timer.start()
        self._socket.connectToServer(self.name)

    def _finish(self, reply: RaiseReply) -> None:
        if self.reply is not None:
            return
        self.reply = reply
        self._timer.stop()
        self._socket.abort()
        self.finished.emit()

    def _on_connected(self) -> None:
        self._connected = True
        self._socket.write(RAISE)
        self._socket.flush()

    def _on_ready_read(self) -> None:
        if not self._socket.canReadLine():
            return
        words = bytes(self._socket.readLine().data()).split()
        if len(words) == 2 and words[0] == RAISED and words[1].isdigit():
            self._finish(RaiseReply(True, pid=int(words[1]), connected=True))
        else:
            self._finish(RaiseReply(False, connected=True, detail=f"unexpected answer {words!r}"))

    def _on_error(self, error: QLocalSocket.LocalSocketError) -> None:
        from PySide6.QtNetwork import QLocalSocket

        if self.reply is not None:
            return
        not_there = error in (
            QLocalSocket.LocalSocketError.ServerNotFoundError,
            QLocalSocket.LocalSocketError.ConnectionRefusedError,
        )
        if not self._connected and not_there and time.monotonic() < self._grace_end:
            # It may hold its lock but not have its socket yet: try again shortly.
            QTimer.singleShot(50, self, lambda: self._socket.connectToServer(self.name))
            return
        self._finish(RaiseReply(False, connected=self._connected, detail=self._socket.errorString()))

    def _on_timeout(self) -> None:
        self._finish(RaiseReply(False, connected=self._connected, detail="no answer in time"))
