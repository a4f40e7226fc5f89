"""Settings, Backups: each backup with its date, reason (in the desk's language), size and
check; "Restore…" confirms, keeps the current database, restores, tells why the desk takes a
new desk id and reopens; "Back up now to…" writes a checked copy in a chosen folder. And the
dialog for a damaged database, with its Restore button."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain import backup_rotation as rotation
from aiddesk.i18n.qt_bridge import QtLanguage
from aiddesk.paths import DeskPaths
from aiddesk.services import backups
from aiddesk.services.desk import labels as label_service
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database
from aiddesk.ui.backups.damaged_dialog import DamagedDatabaseDialog
from aiddesk.ui.backups.panel import BackupsPanel
from aiddesk.ui.context import DeskContext


class Answers:
    def __init__(self, folder: str = "", confirm: bool = True) -> None:
        self.folder = folder
        self.confirm_answer = confirm
        self.confirmed: list[str] = []
        self.told: list[str] = []
        self.restarts = 0

    def kwargs(self) -> dict[str, object]:
        return {
            "ask_folder": lambda _parent: self.folder,
            "confirm": self.confirm,
            "tell": lambda _parent, text: self.told.append(text),
            "restart": self.restart,
        }

    def confirm(self, _parent: object, text: str) -> bool:
        self.confirmed.append(text)
        return self.confirm_answer

    def restart(self) -> None:
        self.restarts += 1


def make_panel(qtbot: QtBot, db: Database, answers: Answers) -> BackupsPanel:
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")
    panel = BackupsPanel(ctx, **answers.kwargs())  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def rows(panel: BackupsPanel) -> list[list[str]]:
    table = panel.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_list_in_spanish(qtbot: QtBot, qapp: QApplication, db: Database) -> None:
    backups.back_up(db.path, rotation.MERGE)
    backups.back_up(db.path, rotation.DAILY)
    panel = make_panel(qtbot, db, Answers())
    assert [r[1] for r in rows(panel)] == ["Start of the day", "Before a merge"]
    remove = i18n.on_language_change(QtLanguage(qapp).apply)
    try:
        i18n.set_language("es", "MX")
        assert [r[1] for r in rows(panel)] == ["Al empezar el día", "Antes de juntar un libro de Excel"]
        assert panel.table.horizontalHeaderItem(1).text() == "Por qué"
        assert all(r[3] == "Sí" and r[2].endswith(" MB") for r in rows(panel))
        assert panel.restore_button.text() == "Restaurar…"
    finally:
        i18n.set_language("en", "US")  # Qt's own translations go back to English too
        remove()


def test_restore_confirms_keeps_the_current_database_and_reopens(qtbot: QtBot, db: Database) -> None:
    label_service.add_label(db, "Ana", "zone", "Harbor", "Puerto")
    made = backups.back_up(db.path, rotation.MANUAL)
    expected = dump(db)
    label_service.add_label(db, "Ana", "zone", "Hill", "Cerro")
    answers = Answers()
    panel = make_panel(qtbot, db, answers)
    assert not panel.restore_button.isEnabled()  # nothing chosen yet
    panel.table.selectRow(0)
    panel.restore_button.click()
    qtbot.waitUntil(lambda: answers.restarts == 1, timeout=10_000)
    assert "new desk" in answers.confirmed[0] and "kept as a backup first" in answers.confirmed[0]
    assert "new desk" in answers.told[0]
    assert dump(db) == expected
    reasons = [b.reason for b in backups.list_backups(db.path)]
    assert reasons == ["restore", "manual"]
    assert made.path.exists()


def test_a_restore_not_confirmed_changes_nothing(qtbot: QtBot, db: Database) -> None:
    backups.back_up(db.path, rotation.MANUAL)
    label_service.add_label(db, "Ana", "zone", "Hill", "Cerro")
    before = dump(db)
    answers = Answers(confirm=False)
    panel = make_panel(qtbot, db, answers)
    panel.table.selectRow(0)
    panel.restore_button.click()
    assert answers.confirmed and answers.restarts == 0
    assert dump(db) == before
    assert len(backups.list_backups(db.path)) == 1


def test_back_up_now_to_a_folder(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    panel = make_panel(qtbot, db, Answers(folder=str(stick)))
    panel.copy_button.click()
    qtbot.waitUntil(lambda: panel.result_label.isVisible(), timeout=10_000)
    [copy] = stick.iterdir()
    assert str(copy) in panel.result_label.text()
    snapshot = open_database(copy)
    try:
        assert dump(snapshot) == dump(db)
    finally:
        snapshot.close()


def test_back_up_to_a_folder_that_went_away_says_so(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    panel = make_panel(qtbot, db, Answers(folder=str(tmp_path / "unplugged")))
    panel.copy_button.click()
    qtbot.waitUntil(lambda: panel.result_label.isVisible(), timeout=10_000)
    assert "could not be written there" in panel.result_label.text()


@pytest.fixture
def damaged_desk(db: Database) -> tuple[Path, backups.BackupFile, dict[str, object]]:
    made = backups.back_up(db.path, rotation.DAILY)
    expected = dump(db)
    db.close()
    db.path.write_bytes(b"")
    return db.path, made, expected


def test_the_damaged_database_dialog_names_the_backup_and_restores_it(
    qtbot: QtBot, damaged_desk: tuple[Path, backups.BackupFile, dict[str, object]]
) -> None:
    database, made, expected = damaged_desk
    dialog = DamagedDatabaseDialog(database, backups.examine(database))
    qtbot.addWidget(dialog)
    assert "empty" in dialog.problem.text() and "no new desk" in dialog.problem.text()
    qtbot.waitUntil(lambda: dialog.restore_button.isEnabled(), timeout=10_000)
    shown = dialog.advice.text().replace("\u200b", "")  # a path may break after a separator, invisibly
    assert str(made.path) in shown and "Start of the day" in shown
    assert "new desk" in dialog.advice.text()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.restored is not None, timeout=10_000)
    back = open_database(database)
    try:
        assert dump(back) == expected
    finally:
        back.close()
    assert backups.list_backups(database)[0].reason == rotation.DAMAGED


def test_without_a_sound_backup_the_dialog_only_explains(qtbot: QtBot, db: Database) -> None:
    db.close()
    (db.path.parent / "backups").mkdir()
    (db.path.parent / "backups" / "aiddesk-merge-20240101-101010-000001.db").write_bytes(b"\0" * 4096)
    db.path.write_bytes(b"\0" * 8192)
    dialog = DamagedDatabaseDialog(db.path, backups.examine(db.path))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.searched, timeout=10_000)
    assert "There is no sound backup" in dialog.advice.text()
    assert not dialog.restore_button.isEnabled()
