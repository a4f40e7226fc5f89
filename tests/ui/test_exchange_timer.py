"""The exchange timer: a pass on each tick (on a worker thread), the status bar's note, the
notice when conflicts wait, and no traceback for a pass that breaks."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.services.exchange.folder import FolderStatus, PassProgress, PassStep, PassSummary
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange import pass_progress
from aiddesk.ui.exchange.pass_progress import PassProgressBar
from aiddesk.ui.exchange.texts import status_bar_text, waiting_text
from aiddesk.ui.exchange.timer import ExchangeTimer, install_exchange_timer
from aiddesk.ui.shell.main_window import MainWindow
from tests.exchange_desks import new_desk, rename_person
from tests.record_makers import add_person
from tests.ui.settle import settle

PASSWORD = "shared-secret-1"


def context(db: Database) -> DeskContext:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")


@pytest.fixture
def folder(db: Database, tmp_path: Path) -> Path:
    path = tmp_path / "shared"
    path.mkdir()
    exchange_folder.save_folder_settings(db, str(path), PASSWORD)
    return path


def test_a_tick_runs_a_pass_and_the_status_follows(qtbot: QtBot, db: Database, folder: Path) -> None:
    timer = ExchangeTimer(context(db), interval_ms=50)
    texts: list[str] = []
    timer.status_changed.connect(texts.append)
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000) as finished:
        timer.start(first_pass_ms=0)
    summary = finished.args[0]
    assert isinstance(summary, PassSummary) and summary.wrote is not None and summary.wrote.parent == folder
    assert texts[-1].startswith("Exchange: last exchange today at ")
    timer.stop()
    assert not timer.timer.isActive()


def test_offline_text(qtbot: QtBot, db: Database, folder: Path) -> None:
    timer = ExchangeTimer(context(db))
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000):
        assert timer.tick()
    first = timer.last_summary
    shutil.rmtree(folder)
    passes: list[object] = []
    timer.pass_started.connect(lambda: passes.append(True))
    assert timer.tick()  # looks at the folder (off the GUI thread) ...
    settle(qtbot, timer._ctx)
    assert passes == [] and timer.last_summary is first  # ... and makes no pass while it is away
    assert not timer.running
    assert timer.status_text().startswith("Exchange: offline — last exchange today at ")


def test_no_text_without_a_folder(qtbot: QtBot, db: Database) -> None:
    timer = ExchangeTimer(context(db))
    texts: list[str] = []
    timer.status_changed.connect(texts.append)
    timer.tick()
    settle(qtbot, timer._ctx)
    assert texts == [""] and timer.last_summary is None and not timer.running


def test_status_bar_texts() -> None:
    when = dt.datetime.now(dt.UTC)
    assert status_bar_text(FolderStatus(False, False, None)) == ""
    assert status_bar_text(FolderStatus(True, False, None)) == "Exchange: offline"
    assert status_bar_text(FolderStatus(True, True, None)) == "Exchange: no exchange yet"
    assert status_bar_text(FolderStatus(True, True, when)).startswith("Exchange: last exchange today at ")
    yesterday = when - dt.timedelta(days=1)
    assert "today" not in status_bar_text(FolderStatus(True, False, yesterday))


def test_waiting_texts() -> None:
    assert waiting_text(3, 1) == "3 conflicts and 1 hand edit wait on the Conflicts screen."
    assert waiting_text(1, 0) == "1 conflict waits on the Conflicts screen."
    assert waiting_text(0, 2) == "2 hand edits wait on the Conflicts screen."
    assert waiting_text(0, 0) == ""


def test_a_broken_pass_says_one_line(qtbot: QtBot, db: Database, folder: Path) -> None:
    def broken(_db: Database, _who: str, _progress: PassProgress) -> PassSummary:
        raise RuntimeError("disk on fire")

    timer = ExchangeTimer(context(db), run_pass=broken)
    notices: list[str] = []
    timer.notice.connect(notices.append)
    with qtbot.waitSignal(timer.pass_failed, timeout=20_000) as failed:
        timer.tick()
    assert (
        failed.args[0]
        == "The exchange with the folder did not work this time; AidDesk will try again in a minute."
    )
    assert notices == [failed.args[0]] and not timer.running
    assert "disk on fire" not in failed.args[0]


def test_installed_in_a_window(qtbot: QtBot, db: Database, folder: Path) -> None:
    window = MainWindow(context(db))  # its status bar already holds the desk, who and data notes
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    timer = install_exchange_timer(window, context(db), first_pass_ms=10)
    assert timer.status_label is not None
    qtbot.waitUntil(lambda: timer.last_summary is not None, timeout=20_000)  # the first pass comes by itself
    assert timer.status_label.text().startswith("Exchange: last exchange today at ")
    label = timer.status_label
    # The whole text shows once the status bar has laid out again, not "Exchange: last exchange to".
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width(), timeout=5_000)
    timer.notice.emit("2 conflicts wait on the Conflicts screen.")
    assert window.statusBar().currentMessage() == "2 conflicts wait on the Conflicts screen."
    timer.stop()


def test_a_notice_when_conflicts_wait(
    qtbot: QtBot, db: Database, folder: Path, tmp_path: Path, migrated_template: Path
) -> None:
    other = new_desk(tmp_path / "other", migrated_template, "CC2")
    try:
        exchange_folder.save_folder_settings(other, str(folder), PASSWORD)
        person = add_person(db, "TST-0001", "Ana")
        exchange_folder.run_pass(db, "Rosa")
        exchange_folder.run_pass(other, "Luis")
        rename_person(db, person, "Ana María")
        rename_person(other, person, "Ana Mari")
        exchange_folder.run_pass(other, "Luis")
        timer = ExchangeTimer(context(db))
        with qtbot.waitSignal(timer.notice, timeout=20_000) as notice:
            timer.tick()
        assert notice.args[0] == "1 conflict waits on the Conflicts screen."
        qtbot.waitUntil(lambda: not timer.running)
        assert timer.last_summary is not None and timer.last_summary.conflicts == 1
    finally:
        other.close()


def test_one_pass_at_a_time(qtbot: QtBot, db: Database, folder: Path) -> None:
    timer = ExchangeTimer(context(db))
    assert timer.tick()
    assert not timer.run_now()  # still looking at the folder, or exchanging
    qtbot.waitUntil(lambda: not timer.running, timeout=20_000)


def _window_with_progress(
    qtbot: QtBot, db: Database, run_pass: Callable[..., PassSummary]
) -> tuple[MainWindow, ExchangeTimer, QLabel, PassProgressBar]:
    """A window whose status bar has the note about the last exchange and a pass's progress bar,
    its passes run by `run_pass`."""
    window = MainWindow(context(db))
    qtbot.addWidget(window)
    timer = ExchangeTimer(context(db), window, run_pass=run_pass)
    note = QLabel("Exchange: last exchange today at 9:00 AM")
    bar = PassProgressBar(timer, covers=note)
    window.statusBar().addWidget(note)
    window.statusBar().addWidget(bar)
    window.show()
    qtbot.waitExposed(window)
    return window, timer, note, bar


def test_a_long_pass_shows_its_progress_in_the_status_bar(
    qtbot: QtBot, db: Database, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that lasts shows what it does and how far it is; the bar goes once the pass ends.
    A short pass never shows it (no flicker every minute)."""
    monkeypatch.setattr(pass_progress, "SHOW_AFTER_MS", 50)
    go_on = threading.Event()
    real = exchange_folder.run_pass

    def slow(db: Database, who: str, progress: PassProgress) -> PassSummary:
        progress(PassStep(writing=True))
        progress(PassStep(writing=False, done=1, total=3))
        go_on.wait(20)
        return real(db, who)

    window, timer, note, bar = _window_with_progress(qtbot, db, slow)
    assert timer.tick()
    qtbot.waitUntil(bar.isVisible, timeout=20_000)
    qtbot.waitUntil(lambda: bar.label.text() == "Exchange: reading file 2 of 3…", timeout=5_000)
    assert (bar.bar.value(), bar.bar.maximum()) == (1, 3)
    assert not note.isVisible()  # one note about the exchange at a time
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000):
        go_on.set()
    assert not bar.isVisible() and note.isVisible()

    quick: list[PassStep] = []
    timer.pass_progress.connect(quick.append)
    monkeypatch.setattr(pass_progress, "SHOW_AFTER_MS", 5_000)
    timer._run_pass = lambda db, who, progress: real(db, who, progress=progress)
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000):
        assert timer.tick()
    assert not bar.isVisible()  # over before it would have shown
    timer.stop()


def test_a_notice_in_the_status_bar_is_not_drawn_over(
    qtbot: QtBot, db: Database, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A notice (a file locked with another password, conflicts waiting) covers the status bar's
    notes while it shows: a pass that appears or ends meanwhile draws neither its progress nor the
    note about the last exchange over the notice's words; once the notice goes, the note is back."""
    monkeypatch.setattr(pass_progress, "SHOW_AFTER_MS", 50)
    go_on = threading.Event()
    real = exchange_folder.run_pass

    def slow(db: Database, who: str, progress: PassProgress) -> PassSummary:
        progress(PassStep(writing=True))
        go_on.wait(20)
        return real(db, who)

    window, timer, note, bar = _window_with_progress(qtbot, db, slow)
    status = window.statusBar()

    status.showMessage("1 file of the exchange folder is locked with another password.")
    assert timer.tick()
    qtbot.waitUntil(lambda: timer.running and bar.running, timeout=5_000)
    qtbot.wait(300)  # past the moment the bar would appear
    assert not bar.isVisible() and not note.isVisible()
    _ends_under_the_notice(qtbot, timer, go_on, bar, note)

    # A pass that shows its progress, then a notice comes, then the pass ends under it.
    go_on.clear()
    assert timer.tick()
    qtbot.waitUntil(bar.isVisible, timeout=5_000)
    status.showMessage("2 conflicts wait on the Conflicts screen.")
    assert not bar.isVisible() and not note.isVisible()
    _ends_under_the_notice(qtbot, timer, go_on, bar, note)
    timer.stop()


def _ends_under_the_notice(
    qtbot: QtBot, timer: ExchangeTimer, go_on: threading.Event, bar: PassProgressBar, note: QLabel
) -> None:
    """The pass ends while the status bar shows a notice: nothing is drawn over its words; when
    the notice goes, the note about the last exchange comes back (not the bar)."""
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000):
        go_on.set()
    assert not bar.isVisible() and not note.isVisible()
    bar.window().statusBar().clearMessage()
    assert note.isVisible() and not bar.isVisible()


def test_the_progress_text_in_spanish() -> None:
    i18n.set_language("es", "MX")
    assert (
        pass_progress.step_text(PassStep(writing=True)) == "Intercambio: guardando el archivo de este puesto…"
    )
    assert (
        pass_progress.step_text(PassStep(writing=False, done=0, total=4))
        == "Intercambio: leyendo el archivo 1 de 4…"
    )


def _timer_and_its_notices(db: Database) -> tuple[ExchangeTimer, list[str]]:
    timer = ExchangeTimer(context(db))
    notices: list[str] = []
    timer.notice.connect(notices.append)
    return timer, notices


def _one_pass(qtbot: QtBot, timer: ExchangeTimer) -> None:
    with qtbot.waitSignal(timer.pass_finished, timeout=20_000):
        timer.tick()


def test_a_notice_when_the_group_password_opens_a_file_not(
    qtbot: QtBot, db: Database, folder: Path, tmp_path: Path, migrated_template: Path
) -> None:
    other = new_desk(tmp_path / "other", migrated_template, "CC2")
    try:
        exchange_folder.save_folder_settings(other, str(folder), "another group password")
        add_person(other, "CC2-0001", "Luis")
        exchange_folder.run_pass(other, "Luis")
        timer, notices = _timer_and_its_notices(db)
        _one_pass(qtbot, timer)
        assert notices == [
            "1 file of the exchange folder is locked with another password: the group password of this "
            "desk does not open it. Ask your coordinator for the group password."
        ]
        _one_pass(qtbot, timer)
        assert len(notices) == 1  # said once, not at every pass
    finally:
        other.close()


def test_a_notice_when_a_desk_of_the_folder_uses_this_desk_s_code(
    qtbot: QtBot, db: Database, folder: Path, tmp_path: Path, migrated_template: Path
) -> None:
    desk = desk_service.get_desk(db)
    assert desk is not None
    twin = new_desk(tmp_path / "twin", migrated_template, desk.code, name="Iglesia San José")
    try:
        exchange_folder.save_folder_settings(twin, str(folder), PASSWORD)
        add_person(twin, f"{desk.code}-P0001", "María López")
        exchange_folder.run_pass(twin, "Luis")
        timer, notices = _timer_and_its_notices(db)
        _one_pass(qtbot, timer)
        assert notices == [
            f"Careful: another desk (“Iglesia San José”) uses this desk's code {desk.code}, so records of "
            f"both desks have the same codes (two callers can both be {desk.code}-P0001). Give one of the "
            "two desks another code in Settings before more records are made."
        ]
        add_person(twin, f"{desk.code}-P0002", "Rosa Díaz")
        exchange_folder.run_pass(twin, "Luis")
        _one_pass(qtbot, timer)
        assert timer.last_summary is not None and timer.last_summary.merged
        assert len(notices) == 1  # said once, not at every pass
    finally:
        twin.close()
