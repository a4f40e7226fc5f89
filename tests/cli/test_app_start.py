"""Starting the app as a user does: `aiddesk --data-dir D --user Ann` shows the main window; a second
launch brings the first forward; a killed desk does not block the next start; start-up failures are
plain messages; `self-test` checks an installation without a dialog and without creating a desk."""

from __future__ import annotations

import argparse
import gettext
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from aiddesk import i18n
from aiddesk import self_test as self_test_module
from aiddesk.app import GuiStart
from aiddesk.logging_setup import LOG_NAME
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import encryption
from aiddesk.services.desk import setup as desk_service
from aiddesk.store import migrate
from aiddesk.store.migrate import UpgradeFailed, open_database
from aiddesk.ui.shell import application

HEAVY = ("openpyxl", "python_calamine", "msoffcrypto", "alembic")
TIMEOUT = 60


def aiddesk_command(*args: str, python_flags: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, *python_flags, "-m", "aiddesk", *args]


def environment(**extra: str) -> dict[str, str]:
    """Offscreen, in English whatever the developer's locale, without the benchmark hook unless asked."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("AIDDESK_EXIT_WHEN_SHOWN", "LANGUAGE", "LC_MESSAGES")
    }
    env.update(QT_QPA_PLATFORM="offscreen", LC_ALL="C.UTF-8", LANG="C.UTF-8")
    env.update(extra)
    return env


def run(
    *args: str, exit_when_shown: bool = True, python_flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    extra = {"AIDDESK_EXIT_WHEN_SHOWN": "1"} if exit_when_shown else {}
    return subprocess.run(
        aiddesk_command(*args, python_flags=python_flags),
        env=environment(**extra),
        stdin=subprocess.PIPE,  # left open: anything that reads it would hang and time out
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def run_script(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A Python script (`-c`) that starts the window as AidDesk does, which quits once it showed."""
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        env=environment(AIDDESK_EXIT_WHEN_SHOWN="1"),
        stdin=subprocess.PIPE,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


@pytest.fixture
def children() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for child in started:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=TIMEOUT)


def log_text(folder: Path) -> str:
    path = folder / "logs" / LOG_NAME
    return path.read_text(encoding="utf-8") if path.exists() else ""


# -- as a user starts it (subprocesses) ----------------------------------------------------------------


def test_start_shows_the_main_window_with_owner_only_files(desk_data_dir: Path) -> None:
    result = run("--data-dir", str(desk_data_dir), "--user", "Ann")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"shown \d+\.\d{3}\nready \d+\.\d{3}\n", result.stdout), result.stdout
    assert "Traceback" not in result.stderr
    log_file = desk_data_dir / "logs" / LOG_NAME
    assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    assert "shift started by Ann at desk TST" in log_text(desk_data_dir)
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        assert desk_service.recent_users(db) == ["Ann"]
    finally:
        db.close()


def test_start_keeps_heavy_modules_off_the_start_path(desk_data_dir: Path) -> None:
    result = run("--data-dir", str(desk_data_dir), "--user", "Ann", python_flags=("-X", "importtime"))
    assert result.returncode == 0, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "PySide6.QtWidgets" in imported  # the measurement itself works
    assert [m for m in imported if m.split(".")[0] in HEAVY] == []


# Runs AidDesk as `python -m aiddesk` does, and lists what was loaded when the window's first
# paint is reported ("shown", AIDDESK_EXIT_WHEN_SHOWN=1), before the screens and the store load.
FIRST_PAINT_PROBE = """
import sys
real = sys.stdout
class Probe:
    def write(self, text):
        if text.startswith("shown"):
            real.write("loaded " + " ".join(sorted(sys.modules)) + "\\n")
            real.write("qt-namespace " + str("Qt" in vars(sys.modules["PySide6.QtCore"])) + "\\n")
        return real.write(text)
    def flush(self):
        real.flush()
sys.stdout = Probe()
from aiddesk.cli import main
raise SystemExit(main())
"""
# The screens (one package each, built after the first paint) and what the first paint does without.
SCREEN_PACKAGES = (
    "overview", "intake", "requests", "person", "matching", "deliveries", "volunteers", "exchange",
    "conflicts", "audit", "settings", "reports", "backups", "retention",
)  # fmt: skip
NOT_BEFORE_THE_FIRST_PAINT = (
    "aiddesk.ui.shell.error_dialog",  # the error hook listens; its dialog loads when needed
    "aiddesk.ui.shell.help.dock",  # the Help menu's guide comes with the screens
    "PySide6.QtNetwork",  # the single-instance socket listens after the first paint
    "aiddesk.services.backups",  # the start sweeps leftovers with the store's own functions
    "sqlalchemy",
)


def test_the_first_paint_loads_no_screen_nor_what_can_wait(desk_data_dir: Path) -> None:
    result = run_script(FIRST_PAINT_PROBE, "--data-dir", str(desk_data_dir), "--user", "Ann")
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    loaded = set(lines["loaded"].split())
    assert {"aiddesk.ui.shell.main_window", "aiddesk.ui.shell.exception_hook"} <= loaded  # it measures
    screens = [m for m in loaded if m.split(".")[:3] in (["aiddesk", "ui", p] for p in SCREEN_PACKAGES)]
    assert screens == []
    assert [m for m in NOT_BEFORE_THE_FIRST_PAINT if m in loaded] == []
    # Qt's namespace (Qt.AlignmentFlag ...) makes ~110 Python enums at its first use: ~20 ms
    assert lines["qt-namespace"] == "False"
    assert "ready" in lines  # then the screens came, over the open database


def test_a_second_launch_brings_the_first_forward_and_a_killed_one_does_not_block(
    qtbot, desk_data_dir: Path, children: list[subprocess.Popen[str]]
) -> None:
    args = ("--data-dir", str(desk_data_dir), "--user", "Ann")
    first = subprocess.Popen(
        aiddesk_command(*args),
        env=environment(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    children.append(first)
    qtbot.waitUntil(lambda: "main window shown" in log_text(desk_data_dir), timeout=TIMEOUT * 1000)

    began = time.monotonic()
    second = run(*args, exit_when_shown=False)
    assert second.returncode == 0, second.stderr
    assert time.monotonic() - began < 15
    assert f"AidDesk is already open for this data folder (process {first.pid})" in second.stdout
    assert "brought forward" in second.stdout
    assert first.poll() is None
    qtbot.waitUntil(lambda: "asked this desk to come forward" in log_text(desk_data_dir), timeout=5000)

    first.kill()  # as a crash or a power cut would: the lock file and the socket stay behind
    first.communicate(timeout=TIMEOUT)
    assert (desk_data_dir / "aiddesk.lock").exists()
    third = run(*args)
    assert third.returncode == 0, third.stderr
    assert third.stdout.startswith("shown ")


def test_self_test_on_a_desk_passes_without_a_dialog(desk_data_dir: Path) -> None:
    result = run("--data-dir", str(desk_data_dir), "self-test", exit_when_shown=False)
    lines = result.stdout.splitlines()
    assert any(re.match(r"ok\s+database: .*revision", line) for line in lines), result.stdout
    assert any(re.match(r"ok\s+desk: Test Desk, code TST", line) for line in lines), result.stdout
    assert any(re.match(r"ok\s+main window: built offscreen against the desk TST", line) for line in lines)
    assert any(re.match(r"ok\s+translations: ", line) for line in lines), result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
    assert lines[-1] == "self-test passed"
    assert "Traceback" not in result.stderr


def test_self_test_on_a_new_folder_creates_the_database_but_no_desk(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = run("--data-dir", str(folder), "self-test", exit_when_shown=False)
    assert re.search(r"ok\s+desk: no desk yet", result.stdout), result.stdout
    assert re.search(r"ok\s+main window: built offscreen against a throwaway desk", result.stdout)
    db = open_database(folder / "aiddesk.db")
    try:
        assert desk_service.get_desk(db) is None
    finally:
        db.close()


# -- start-up steps in-process (message boxes answered by the test) -------------------------------------


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(application, "show_problem", lambda text, **_: messages.append(text))
    return messages


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:  # qtbot.keyClicks aborts the process on non-ASCII text
        QTest.sendKeyEvent(
            QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
        )


def make_start(folder: Path, user: str | None = None) -> GuiStart:
    return GuiStart(DeskPaths(folder, folder / "logs"), folder / "logs" / LOG_NAME, user=user)


def test_a_database_that_cannot_be_opened_is_a_message_naming_the_folder(
    qapp,
    tmp_path: Path,
    shown: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "aiddesk.db").write_bytes(b"")

    def cannot_open(path: Path, **_options: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrate, "open_database", cannot_open)
    assert make_start(folder).open_database() is None
    assert shown == [
        f"AidDesk could not open its database in the data folder {folder}. "
        f"Details were written to {folder / 'logs' / LOG_NAME}."
    ]
    err = capsys.readouterr().err
    assert shown[0] in err and "Traceback" not in err


def test_a_file_that_is_not_a_database_offers_a_backup_and_is_never_replaced(
    qapp, tmp_path: Path, shown: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "aiddesk.db").write_bytes(b"this is not a database" * 100)
    start = make_start(folder)
    asked: list[object] = []
    monkeypatch.setattr(
        start, "ask_restore", lambda verdict, parent=None: asked.append(verdict.state) or False
    )
    monkeypatch.setattr(start, "ask_first_run", lambda db, region: pytest.fail("no new desk in its place"))
    assert start.open_and_show() == 1
    assert asked == ["not-a-database"]
    assert (folder / "aiddesk.db").read_bytes() == b"this is not a database" * 100


def damaged_where_the_peek_still_reads(database: Path) -> None:
    """Break one page of `database` that its quick check finds and the fast start's first look
    (store/peek.py) does not read: the window is then made while the check runs."""
    from aiddesk.store.peek import peek
    from aiddesk.store.soundness import State, examine

    db = open_database(database)
    db.close()  # the -wal folded in
    whole = database.read_bytes()
    page = 4096
    for number in range(len(whole) // page - 1, 1, -1):
        broken = bytearray(whole)
        broken[number * page + 100 : (number + 1) * page] = b"\xff" * (page - 100)
        database.write_bytes(bytes(broken))
        seen = peek(database)
        if (
            seen is not None
            and seen.desk is not None
            and examine(database, budget=None).state is State.DAMAGED
        ):
            return
    pytest.fail("no page breaks the check but not the peek")


def test_damaged_pages_found_while_the_window_is_made_keep_it_from_showing(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --user the main window is made while the quick check runs on its thread; a damaged
    database still gets the restore dialog, and the window it was made for never shows."""
    from aiddesk.ui.shell.main_window import MainWindow

    damaged_where_the_peek_still_reads(desk_data_dir / "aiddesk.db")
    start = make_start(desk_data_dir, user="Rosa")
    made: list[MainWindow] = []
    shown: list[MainWindow] = []
    monkeypatch.setattr(MainWindow, "showEvent", lambda window, event: shown.append(window))
    real_init = MainWindow.__init__

    def init(window: MainWindow, *args: object, **kwargs: object) -> None:
        real_init(window, *args, **kwargs)  # type: ignore[arg-type]
        made.append(window)

    monkeypatch.setattr(MainWindow, "__init__", init)
    asked: list[tuple[str, object]] = []
    monkeypatch.setattr(
        start,
        "ask_restore",
        lambda verdict, parent=None: asked.append((verdict.state, start.window)) or False,
    )
    assert start.open_and_show() == 1
    assert len(made) == 1  # it was made meanwhile
    assert asked == [("damaged", None)] and shown == []
    start.close_window_and_database()


def test_the_check_begun_before_qt_loaded_counts_only_for_the_same_file(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_gui begins a plain desk's quick check before Qt loads; the start uses its verdict while
    the database is the file it checked, and checks again when it is not (here: put back from a
    copy with damaged pages, as a restore or a conversion replaces the file)."""
    from aiddesk.store import soundness

    database = desk_data_dir / "aiddesk.db"
    checks: list[soundness.QuickCheck] = []

    class Counted(soundness.QuickCheck):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            checks.append(self)

    monkeypatch.setattr(soundness, "QuickCheck", Counted)
    shown: list[str] = []
    early = Counted(database)
    start = GuiStart(DeskPaths(desk_data_dir, desk_data_dir / "logs"), desk_data_dir / "logs" / LOG_NAME,
                     user="Rosa", quick_check=early)  # fmt: skip
    monkeypatch.setattr(start, "show_main_window", lambda db, desk, who, check=None: shown.append(who) or 0)
    assert start.open_and_show() == 0
    assert shown == ["Rosa"] and checks == [early]  # no second check

    damaged_where_the_peek_still_reads(database)
    replaced = database.with_name("replaced.db")
    replaced.write_bytes(database.read_bytes())
    early = Counted(database)
    replaced.replace(database)  # another file now, though the same bytes
    start = GuiStart(DeskPaths(desk_data_dir, desk_data_dir / "logs"), desk_data_dir / "logs" / LOG_NAME,
                     user="Rosa", quick_check=early)  # fmt: skip
    asked: list[object] = []
    monkeypatch.setattr(
        start, "ask_restore", lambda verdict, parent=None: asked.append(verdict.state) or False
    )
    checks.clear()
    assert start.open_and_show() == 1
    assert len(checks) == 1 and checks[0] is not early and asked == ["damaged"]


def test_an_empty_database_with_a_backup_is_restored_not_replaced_by_a_new_desk(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiddesk.domain.backup_rotation import DAILY
    from aiddesk.services import backups
    from aiddesk.services.desk.records import dump

    database = desk_data_dir / "aiddesk.db"
    made = backups.back_up(database, DAILY)
    expected = dump_of(database)
    database.write_bytes(b"")
    start = make_start(desk_data_dir, user="Rosa")
    asked: list[object] = []

    def restore(verdict: object, parent: object = None) -> bool:
        asked.append(verdict)
        backups.restore(database, made.path)
        return True

    shown_desk: list[object] = []
    monkeypatch.setattr(start, "ask_restore", restore)
    monkeypatch.setattr(start, "ask_first_run", lambda db, region: pytest.fail("no new desk in its place"))
    monkeypatch.setattr(
        start, "show_main_window", lambda db, desk, who, **_options: shown_desk.append((dump(db), who)) or 0
    )
    assert start.open_and_show() == 0
    assert len(asked) == 1
    assert shown_desk == [(expected, "Rosa")]
    start.close_window_and_database()


def test_after_a_restore_the_desk_opens_again_for_the_same_volunteer(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = make_start(desk_data_dir)
    start.db = open_database(desk_data_dir / "aiddesk.db")
    start.who = "Rosa"
    first = start.db
    shown_again: list[tuple[object, str]] = []
    monkeypatch.setattr(
        start, "show_main_window", lambda db, desk, who, **_options: shown_again.append((db, who)) or 0
    )
    assert start.reopen() == 0
    [(db, who)] = shown_again
    assert who == "Rosa" and db is start.db and db is not first
    start.close_window_and_database()


def dump_of(path: Path) -> dict[str, object]:
    from aiddesk.services.desk.records import dump

    db = open_database(path)
    try:
        return dump(db)
    finally:
        db.close()


def test_a_failed_upgrade_names_the_backup(
    qapp, tmp_path: Path, shown: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "desk" / "backups" / "before-upgrade-0001.db"

    def failing_open(path: Path, **_options: object) -> None:
        raise UpgradeFailed("broken revision", backup)

    monkeypatch.setattr(migrate, "open_database", failing_open)
    assert make_start(tmp_path / "desk").open_database() is None
    assert len(shown) == 1
    assert str(backup) in shown[0]
    assert "Nothing you saved was lost" in shown[0]


def test_a_refused_user_name_warns_then_asks(
    qapp, desk_data_dir: Path, shown: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    start = make_start(desk_data_dir, user="   ")
    asked: list[list[str]] = []

    class Answer:  # the shift dialog, answered
        def __init__(self, recent: list[str], desk: object) -> None:
            asked.append(recent)
            self.who = "Bea"

        def exec(self) -> bool:
            return True

    monkeypatch.setattr("aiddesk.ui.shell.shift_dialog.ShiftDialog", Answer)
    monkeypatch.setattr("aiddesk.app.dispose", lambda widget: None)
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        desk = desk_service.get_desk(db)
        assert desk is not None
        assert start.ask_who(["Ann"], desk) == "Bea"
    finally:
        db.close()
    assert asked == [["Ann"]]
    assert shown == ["The name given with --user was refused: This field cannot be empty."]


def test_cancelling_the_first_run_exits_cleanly_and_creates_nothing(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    start = make_start(folder)
    monkeypatch.setattr(start, "ask_encryption", lambda converting: True)  # left plain
    monkeypatch.setattr(start, "ask_first_run", lambda db, region: None)
    monkeypatch.setattr(start, "ask_who", lambda recent, desk: pytest.fail("no shift without a desk"))
    assert start.open_and_show() == 0
    db = open_database(folder / "aiddesk.db")
    try:
        assert desk_service.get_desk(db) is None
    finally:
        db.close()


def test_cancelling_encryption_at_the_first_start_exits_and_creates_nothing(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    start = make_start(folder)
    monkeypatch.setattr(start, "ask_encryption", lambda converting: False)
    monkeypatch.setattr(start, "ask_first_run", lambda db, region: pytest.fail("no desk without an answer"))
    assert start.open_and_show() == 0
    assert not (folder / "aiddesk.db").exists() and not (folder / "aiddesk.db.keys").exists()


def test_an_encrypted_desk_asks_to_unlock_and_a_cancel_opens_nothing(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiddesk.store import desk_keys

    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: desk_keys.Cost(log_n=12))
    folder = tmp_path / "locked"
    folder.mkdir()
    encryption.set_up(folder / "aiddesk.db", name="Rosa", passphrase="green bus seven tortillas")
    start = make_start(folder)
    asked: list[str] = []
    monkeypatch.setattr(start, "ask_unlock", lambda: asked.append("unlock"))
    monkeypatch.setattr(
        start, "ask_encryption", lambda converting: pytest.fail("an encrypted desk is not offered it")
    )
    monkeypatch.setattr(start, "ask_first_run", lambda db, region: pytest.fail("nothing opens while locked"))
    assert start.open_and_show() == 0
    assert asked == ["unlock"] and start.db is None


def test_a_plain_desk_is_offered_encryption_once(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (desk_data_dir / "encryption-offered").unlink()
    offered: list[bool] = []
    for _start in range(2):
        start = make_start(desk_data_dir, user="Rosa")
        monkeypatch.setattr(start, "ask_encryption", lambda converting: offered.append(converting) or True)
        monkeypatch.setattr(start, "show_main_window", lambda db, desk, who, **_options: 0)
        assert start.open_and_show() == 0
        start.close_window_and_database()
    assert offered == [True]


def test_the_encryption_offer_speaks_the_desk_s_language(
    qapp, desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Spanish desk on a computer in English: the offer comes in Spanish, like the window."""
    (desk_data_dir / "encryption-offered").unlink()
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        desk = desk_service.get_desk(db)
        assert desk is not None
        desk_service.update_desk(
            db, "Ana", name=desk.name, code=desk.code, region=desk.phone_region, language="es"
        )
    finally:
        db.close()
    i18n.set_language("en")
    start = make_start(desk_data_dir, user="Rosa")
    spoken: list[str] = []
    monkeypatch.setattr(
        start, "ask_encryption", lambda converting: spoken.append(i18n.current_language()) or True
    )
    monkeypatch.setattr(start, "show_main_window", lambda db, desk, who, **_options: 0)
    try:
        assert start.open_and_show() == 0
    finally:
        start.close_window_and_database()
        i18n.set_language("en")
    assert spoken == ["es"]


FIRST_START = """
import argparse, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from aiddesk import app, i18n
from aiddesk.ui.shell.application import create_application
from aiddesk.ui.shell.encryption_dialog import EncryptionDialog
from aiddesk.ui.shell.first_account_dialog import FirstAccountDialog
from aiddesk.ui.shell.first_run_dialog import FirstRunDialog
from aiddesk.ui.shell.shift_dialog import ShiftDialog

seen = []

def answer():
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, EncryptionDialog) and dialog.pages.currentIndex() == 0 and not {"encrypt", "plain"} & set(seen):
        if not dialog.encrypt.isChecked():
            seen.append("encryption off by default")
        if sys.argv[2].startswith("plain"):
            seen.append("plain")
            dialog.encrypt.setChecked(False)
            dialog.continue_button.click()
            return
        seen.append("encrypt")
        dialog.name.setText("Rosa")
        dialog.passphrase.setText("green bus seven tortillas")
        dialog.again.setText("green bus seven tortillas")
        dialog.continue_button.click()
    elif isinstance(dialog, EncryptionDialog) and dialog.pages.currentIndex() == 1 and "recovery key" not in seen:
        seen.append("recovery key")
        seen.append("continue needs the key put away: " + str(not dialog.continue_button.isEnabled()))
        dialog.put_away.setChecked(True)
        dialog.continue_button.click()
    elif isinstance(dialog, FirstRunDialog) and "first run" not in seen:
        seen.append("first run")
        dialog.name.setText("Eastside")
        QTest.keyClicks(dialog.code, "es1")
        dialog.language.setCurrentIndex(dialog.language.findData("es"))
        seen.append("cancel says " + dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text())
        dialog.create_button.click()
    elif isinstance(dialog, FirstAccountDialog) and "first account" not in seen:
        seen.append("first account")
        if sys.argv[2] == "plain-create":
            dialog.name.setText("Lena")
            dialog.secret.setText("sunflower kitchen radio")
            dialog.again.setText("sunflower kitchen radio")
            dialog.create_button.click()
        else:
            dialog.skip_button.click()
    elif isinstance(dialog, ShiftDialog) and "shift" not in seen:
        seen.append("shift")
        for ch in "María José":  # QTest.keyClicks aborts on non-ASCII text
            QTest.sendKeyEvent(QTest.KeyAction.Click, dialog.name.lineEdit(), Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)
        dialog.start_button.click()

create_application()
timer = QTimer()
timer.timeout.connect(answer)
timer.start(20)
code = app.run_gui(argparse.Namespace(data_dir=sys.argv[1], debug=False, user=None))
print("seen", seen)
print("language", i18n.current_language())
sys.exit(code)
"""


def run_first_start(folder: Path, how: str) -> list[str]:
    """The real first start in a subprocess, its dialogs answered as `how` says; what it printed."""
    result = run_script(FIRST_START, str(folder), how)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("shown ")
    assert lines[1].startswith("ready ")
    return lines


def test_a_first_start_encrypts_the_desk_and_who_encrypted_it_administers_it(tmp_path: Path) -> None:
    """A new folder: encryption is on by default; Rosa's passphrase opens the file, and Rosa is the
    desk's first account (an administrator) signing in with that same passphrase: no second
    set-up step asks for an account, and the window opens on the sign-in, in Spanish."""
    from aiddesk.domain.access import Role
    from aiddesk.services import accounts

    folder = tmp_path / "new"
    lines = run_first_start(folder, "encrypt")
    assert lines[2] == (
        "seen ['encrypt', 'recovery key', 'continue needs the key put away: True', 'first run', "
        "'cancel says Cancelar']"
    )
    assert lines[3] == "language es"
    assert not (folder / "aiddesk.db").read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(encryption.WrongSecret):
        encryption.unlock(folder / "aiddesk.db", "green bus seven tortillaz", "Rosa")
    db = open_database(
        folder / "aiddesk.db",
        key=encryption.unlock(folder / "aiddesk.db", "green bus seven tortillas", "Rosa"),
    )
    try:
        desk = desk_service.get_desk(db)
        assert desk is not None and (desk.name, desk.code, desk.language) == ("Eastside", "ES1", "es")
        assert [(a.name, a.role) for a in accounts.list_accounts(db)] == [("Rosa", Role.ADMINISTRATOR)]
        assert accounts.sign_in(db, "Rosa", "green bus seven tortillas").role is Role.ADMINISTRATOR
    finally:
        db.close()


def test_a_plain_first_start_without_accounts_asks_who_is_at_the_desk(tmp_path: Path) -> None:
    """Encryption turned off and the account step skipped: the shift dialog asks for a name, and
    the desk stays a plain SQLite file."""
    folder = tmp_path / "new"
    lines = run_first_start(folder, "plain-skip")
    assert lines[2] == "seen ['plain', 'first run', 'cancel says Cancelar', 'first account', 'shift']"
    assert lines[3] == "language es"
    assert (folder / "aiddesk.db").read_bytes().startswith(b"SQLite format 3")
    db = open_database(folder / "aiddesk.db")
    try:
        assert desk_service.recent_users(db) == ["María José"]
    finally:
        db.close()


def test_self_test_fails_when_spanish_does_not_translate(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("aiddesk.i18n.catalog.load_translations", lambda language: gettext.NullTranslations())
    umask = os.umask(0o022)
    try:
        args = argparse.Namespace(data_dir=str(tmp_path / "d"), debug=False, user=None)
        assert self_test_module.self_test(args) == 1
    finally:
        os.umask(umask)
    out = capsys.readouterr().out
    assert re.search(r"^FAILED translations: .*Spanish catalog does not translate", out, re.M), out
    assert re.search(r"^ok\s+main window: ", out, re.M), out  # the other checks still ran
    assert out.splitlines()[-1].startswith("self-test failed; details in ")


def test_the_application_is_named_and_has_its_icon(qapp) -> None:
    app = application.create_application()
    assert app is qapp
    assert (app.applicationName(), app.organizationName()) == ("AidDesk", "AidDesk")
    icon = app.windowIcon()
    assert not icon.isNull()
    image = icon.pixmap(64, 64).toImage()
    assert image.pixelColor(4, 32).name() == "#1f7a6d"  # the SVG really rendered (its teal edge)


PAINT_PROBE = """
import argparse, sys
from aiddesk import app
from aiddesk.ui.shell import application

loaded_at_paint = []
original = application.after_first_paint

def probe(window, done):
    def painted():
        loaded_at_paint.append("sqlalchemy" in sys.modules)
        done()
    original(window, painted)

application.after_first_paint = probe
code = app.run_gui(argparse.Namespace(data_dir=sys.argv[1], debug=False, user="Ann"))
print("store loaded at first paint:", loaded_at_paint[0])
sys.exit(code)
"""


def test_the_window_paints_before_the_store_loads(desk_data_dir: Path) -> None:
    """A set-up desk shows its window from what sqlite3 alone reads; SQLAlchemy comes after."""
    result = run_script(PAINT_PROBE, str(desk_data_dir))
    assert result.returncode == 0, result.stderr
    assert "store loaded at first paint: False" in result.stdout
    assert re.search(r"^ready ", result.stdout, re.MULTILINE)  # and the screens did arrive
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        assert desk_service.recent_users(db) == ["Ann"]  # the shift was recorded once the store was open
    finally:
        db.close()


def test_a_first_account_made_at_set_up_opens_the_desk_on_the_sign_in(tmp_path: Path) -> None:
    """On a plain desk, set-up's last step makes the first account (an administrator); then no
    name is asked in a dialog: the window opens on the sign-in."""
    from aiddesk.domain.access import Role
    from aiddesk.services import accounts

    folder = tmp_path / "new"
    lines = run_first_start(folder, "plain-create")
    assert lines[2] == "seen ['plain', 'first run', 'cancel says Cancelar', 'first account']"
    db = open_database(folder / "aiddesk.db")
    try:
        assert [(a.name, a.role) for a in accounts.list_accounts(db)] == [("Lena", Role.ADMINISTRATOR)]
        assert accounts.sign_in(db, "Lena", "sunflower kitchen radio").role is Role.ADMINISTRATOR
    finally:
        db.close()
