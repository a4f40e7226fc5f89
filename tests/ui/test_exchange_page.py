"""The Exchange screen: export a workbook, merge one after its dry-run report, the folder's state;
and the exchange folder's group on the Settings screen."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.changes import Kind
from aiddesk.exchange.workbook.reading import is_encrypted
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.store.database import Database
from aiddesk.ui.context import DeskContext
from aiddesk.ui.exchange.export_dialog import ExportDialog
from aiddesk.ui.exchange.merge_dialog import MergeReportDialog, PasswordDialog
from aiddesk.ui.exchange.page import ExchangePage
from aiddesk.ui.exchange.texts import status_bar_text
from aiddesk.ui.settings.page import SettingsPage
from tests.exchange_desks import new_desk
from tests.record_makers import add_person
from tests.ui.settle import settle

PASSWORD = "shared-secret-1"


def context(db: Database) -> DeskContext:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")


def make_page(qtbot: QtBot, db: Database) -> ExchangePage:
    page = ExchangePage(context(db), today=lambda: dt.date(2026, 11, 23))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def other_desk(tmp_path: Path, migrated_template: Path) -> Iterator[Database]:
    """Another desk (its own desk id) with two callers."""
    db = new_desk(tmp_path / "other", migrated_template, "CC2", language="es", name="Centro Comunitario")
    add_person(db, "CC2-0001", "María López")
    add_person(db, "CC2-0002", "José Núñez")
    yield db
    db.close()


def workbook_from(db: Database, path: Path, password: str | None = None) -> Path:
    export_workbook(db, path, ExportOptions(password=password, language="es"))
    return path


def wait_idle(qtbot: QtBot, page: ExchangePage) -> None:
    """Every step of a flow has run: its reads and writes, and the dialogs between them."""
    settle(qtbot, page._ctx, timeout=20_000)
    assert not page.busy


class Answers:
    """Stands in for the modal dialogs: records each one shown and gives the planned answer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.shown: list[QDialog] = []  # deleted once closed: read what is needed from `seen`
        self.seen: list[dict[str, Any]] = []
        self.report_answer = QDialog.DialogCode.Accepted
        self.passwords: list[str] = []
        self.export_setup: Any = None
        answers = self

        def report_exec(dialog: MergeReportDialog) -> int:
            answers.shown.append(dialog)
            answers.seen.append(
                {
                    "report": dialog.report,
                    "new": int(dialog.values["new"].text()),
                    "source": dialog.source.text(),
                }
            )
            return answers.report_answer

        def password_exec(dialog: PasswordDialog) -> int:
            answers.shown.append(dialog)
            answers.seen.append({"problem": dialog.problem.text()})
            if not answers.passwords:
                return QDialog.DialogCode.Rejected
            dialog.password_edit.setText(answers.passwords.pop(0))
            return QDialog.DialogCode.Accepted

        def export_exec(dialog: ExportDialog) -> int:
            answers.shown.append(dialog)
            if answers.export_setup is not None:
                answers.export_setup(dialog)
            dialog.try_accept()
            return dialog.result()

        monkeypatch.setattr(MergeReportDialog, "exec", report_exec)
        monkeypatch.setattr(PasswordDialog, "exec", password_exec)
        monkeypatch.setattr(ExportDialog, "exec", export_exec)


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


# ---- export ------------------------------------------------------------------------------------


def test_export_writes_a_workbook(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_person(db, "TST-0001", "María López")
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    asked: list[str] = []

    def save_as(
        _parent: object, _title: str, default: str, _filter: str, *_options: object
    ) -> tuple[str, str]:
        asked.append(Path(default).name)
        return str(tmp_path / "for-cc2"), ""  # no suffix typed: .xlsx is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    page.export_button.click()
    wait_idle(qtbot, page)
    assert asked == ["TST-2026-11-23.xlsx"]
    target = tmp_path / "for-cc2.xlsx"
    assert target.is_file() and not is_encrypted(target)
    assert page.result.isVisible()
    assert page.result.text() == f"Saved 1 record to {target}."
    assert isinstance(answers.shown[0], ExportDialog)


def test_export_with_a_password(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)

    def with_password(dialog: ExportDialog) -> None:
        dialog.password_box.setChecked(True)
        dialog.password_edit.setText("a good password")
        dialog.again_edit.setText("a good password")

    answers.export_setup = with_password
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "locked.xlsx"), ""))
    page.export_button.click()
    wait_idle(qtbot, page)
    assert is_encrypted(tmp_path / "locked.xlsx")


def test_export_dialog_checks_the_password_twice(qtbot: QtBot) -> None:
    dialog = ExportDialog(since=dt.date(2026, 11, 16), can_redact=False)
    qtbot.addWidget(dialog)
    assert not dialog.redact_box.isEnabled()  # no group password yet
    dialog.password_box.setChecked(True)
    dialog.password_edit.setText("a good password")
    dialog.again_edit.setText("a good pasword")
    dialog.try_accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors["again"].text() == "The two passwords are not the same. Type them again."
    dialog.since_button.setChecked(True)
    dialog.again_edit.setText("a good password")
    dialog.try_accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.choice().since == dt.date(2026, 11, 16) and dialog.choice().password == "a good password"


def test_a_redacted_export_needs_the_group_password(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exchange_folder.save_folder_settings(db, str(tmp_path), PASSWORD)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    could_redact: list[bool] = []

    def redact(dialog: ExportDialog) -> None:
        could_redact.append(dialog.redact_box.isEnabled())
        dialog.redact_box.setChecked(True)

    answers.export_setup = redact
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "outside.xlsx"), ""))
    page.export_button.click()
    wait_idle(qtbot, page)
    assert could_redact == [True]
    assert (tmp_path / "outside.xlsx").is_file()


# ---- merge -------------------------------------------------------------------------------------


def test_merge_shows_the_dry_run_and_cancel_changes_nothing(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook_from(other_desk, tmp_path / "cc2.xlsx")
    before = dump(db)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    answers.report_answer = QDialog.DialogCode.Rejected
    choose_file(monkeypatch, path)
    page.merge_button.click()
    qtbot.waitUntil(lambda: bool(answers.shown), timeout=20_000)
    wait_idle(qtbot, page)
    assert answers.seen[0]["new"] == answers.seen[0]["report"].new >= 2
    assert not answers.seen[0]["report"].applied
    assert "CC2 (Centro Comunitario)" in answers.seen[0]["source"]
    assert dump(db) == before
    assert page.result.text() == "Nothing was merged."


def test_merge_applies_after_the_report(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook_from(other_desk, tmp_path / "cc2.xlsx")
    page = make_page(qtbot, db)
    Answers(monkeypatch)
    choose_file(monkeypatch, path)
    notifier = page._ctx.operations.notifier
    with qtbot.waitSignal(  # the other screens learn that people arrived
        notifier.changed, timeout=20_000, check_params_cb=lambda changes: changes.touches({Kind.PERSON})
    ):
        page.merge_button.click()
    wait_idle(qtbot, page)
    people = {r["fields"]["name"][0][3] for r in dump(db)["person"]}
    assert {"María López", "José Núñez"} <= people
    assert page.result.text().startswith("Merged the workbook from desk CC2: 2 new")
    assert not page.conflicts_button.isVisible()


def test_merge_asks_the_password_again_when_wrong(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook_from(other_desk, tmp_path / "locked.xlsx", password=PASSWORD)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    answers.passwords = ["wrong password", PASSWORD]
    choose_file(monkeypatch, path)
    page.merge_button.click()
    qtbot.waitUntil(lambda: len(answers.seen) == 3, timeout=20_000)
    first, second, report = answers.seen
    assert first["problem"] == ""
    assert second["problem"].startswith("The password does not open the workbook locked.xlsx.")
    assert report["new"] >= 2
    wait_idle(qtbot, page)


def test_cancel_at_the_password_changes_nothing(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook_from(other_desk, tmp_path / "locked.xlsx", password=PASSWORD)
    before = dump(db)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    choose_file(monkeypatch, path)
    page.merge_button.click()
    assert answers.seen == [{"problem": ""}]
    assert not page.busy and dump(db) == before


def test_a_rejected_workbook_says_why(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("just some text")
    page = make_page(qtbot, db)
    warned: list[str] = []
    monkeypatch.setattr(page.flows, "warn", warned.append)
    choose_file(monkeypatch, path)
    page.merge_button.click()
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
    assert "notes.xlsx" in warned[0] and page.result.text() == warned[0]


# ---- the exchange folder -----------------------------------------------------------------------


def test_folder_state(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    page = make_page(qtbot, db)
    settle(qtbot, page._ctx)
    assert page.folder_state.text() == "Not set up: choose a folder in Settings."
    assert page.settings_button.isVisible() and not page.exchange_button.isEnabled()
    folder = tmp_path / "shared"
    folder.mkdir()
    exchange_folder.save_folder_settings(db, str(folder), PASSWORD)
    page.refresh()
    settle(qtbot, page._ctx)
    assert page.folder_state.text() == "Reachable — no exchange yet"
    assert page.folder_path.full_text() == str(folder)
    assert page.exchange_button.isEnabled() and not page.settings_button.isVisible()
    with qtbot.waitSignal(page.timer.pass_finished, timeout=20_000):
        page.exchange_button.click()
    settle(qtbot, page._ctx)
    assert page.folder_state.text().startswith("Reachable — last exchange today at ")
    assert "This desk's workbook was saved in the folder" in page.pass_summary.text()
    shutil.rmtree(folder)
    page.refresh()
    settle(qtbot, page._ctx)
    assert page.folder_state.text().startswith("Offline — last exchange today at ")


def test_a_desk_whose_group_password_stayed_behind_says_so_and_exchanges_nothing(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    """A backup put back on another computer keeps the folder but not the group password (backups
    never copy it): the screen says what is missing and where to type it, in the volunteer's
    language, and offers Settings instead of "Exchange now"."""
    from aiddesk.store.group_secret import SECRET_FILE

    folder = tmp_path / "shared"
    folder.mkdir()
    exchange_folder.save_folder_settings(db, str(folder), PASSWORD)
    (db.path.parent / SECRET_FILE).unlink()
    page = make_page(qtbot, db)
    settle(qtbot, page._ctx)
    assert page.folder_state.text().startswith("The group password is not on this computer")
    assert page.settings_button.isVisible() and not page.exchange_button.isEnabled()
    assert status_bar_text(exchange_folder.status(db)) == "Exchange: the group password is missing"
    i18n.set_language("es")
    try:
        page.refresh()
        settle(qtbot, page._ctx)
        assert page.folder_state.text().startswith("La contraseña del grupo no está en esta computadora")
    finally:
        i18n.set_language("en")
    assert list(folder.iterdir()) == []


# ---- settings ----------------------------------------------------------------------------------


def test_settings_group_saves_the_folder_and_password(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_desk = context(db)
    page = SettingsPage(settings_desk)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, settings_desk)
    group = page.exchange_box
    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(folder))
    group.choose_button.click()
    assert group.folder_edit.text() == str(folder)
    group.password_edit.setText("short")
    assert group.password_edit.echoMode() == QLineEdit.EchoMode.Password
    group.show_password.setChecked(True)
    assert group.password_edit.echoMode() == QLineEdit.EchoMode.Normal
    group.save_button.click()
    settle(qtbot, settings_desk)
    assert group.errors["password"].isVisible()
    assert group.errors["password"].text().startswith("The group password needs at least 8 characters.")
    assert exchange_folder.folder_settings(db).folder == ""
    group.password_edit.setText(PASSWORD)
    group.save_button.click()
    settle(qtbot, settings_desk)
    assert not group.errors["password"].isVisible() and group.saved_label.isVisible()
    assert exchange_folder.folder_settings(db) == exchange_folder.FolderSettings(str(folder), PASSWORD)
    group.folder_edit.setText(str(tmp_path / "gone"))
    group.save_button.click()
    settle(qtbot, settings_desk)
    assert group.errors["folder"].text() == "This folder is not there. Choose a folder that exists."


def test_import_a_spreadsheet_opens_the_wizard(qtbot: QtBot, db: Database) -> None:
    from aiddesk.ui.exchange.sheet_import.wizard import SheetImportWizard

    page = make_page(qtbot, db)
    assert page.import_button.isEnabled()
    page.import_button.click()
    wizard = page.findChild(SheetImportWizard)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    assert wizard.windowModality() == Qt.WindowModality.WindowModal  # over this window only
    with qtbot.waitSignal(wizard.destroyed):  # closed, it goes away
        wizard.reject()
    assert page.findChild(SheetImportWizard) is None


def test_the_screens_load_without_the_workbook_libraries() -> None:
    """The Exchange and Settings screens are built at start-up: openpyxl, calamine and
    msoffcrypto load only when an export or a merge runs."""
    import subprocess
    import sys

    code = (
        "import sys, aiddesk.ui.exchange.page, aiddesk.ui.settings.page, aiddesk.ui.exchange.timer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('openpyxl', 'python_calamine', 'msoffcrypto', 'alembic')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_page_says_which_desk_s_files_wait_for_a_missing_one(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path
) -> None:
    from tests.exchange_desks import rename_person

    folder = tmp_path / "shared"
    folder.mkdir()
    for desk in (db, other_desk):
        exchange_folder.save_folder_settings(desk, str(folder), PASSWORD)
    person = add_person(other_desk, "CC2-0003", "Ana")
    exchange_folder.run_pass(other_desk, "Rosa")  # its snapshot
    rename_person(other_desk, person, "Ana Uno")
    lost = exchange_folder.run_pass(other_desk, "Rosa").wrote
    rename_person(other_desk, person, "Ana Dos")
    exchange_folder.run_pass(other_desk, "Rosa")
    assert lost is not None
    lost.unlink()  # the sync tool lost it on the way here
    page = make_page(qtbot, db)
    settle(qtbot, page._ctx)
    with qtbot.waitSignal(page.timer.pass_finished, timeout=20_000):
        page.exchange_button.click()
    settle(qtbot, page._ctx)
    assert "Desk CC2: 1 file waits for one of its files that has not arrived." in page.pass_summary.text()


def test_settings_refuse_a_group_password_that_opens_no_other_desks_file(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    exchange_folder.save_folder_settings(other_desk, str(folder), PASSWORD)
    exchange_folder.run_pass(other_desk, "Luis")  # the group's file is in the folder
    before = sorted(p.name for p in folder.iterdir())
    ctx = context(db)
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    settle(qtbot, ctx)
    group = page.exchange_box
    assert group.new_password.isHidden()
    group.folder_edit.setText(str(folder))
    group.password_edit.setText("a mistyped password")
    group.save_button.click()
    settle(qtbot, ctx)
    assert group.errors["password"].isVisible()
    assert group.errors["password"].text() == (
        f"This password does not open the files the other desks put in {folder}. "
        "Ask your coordinator for the group password."
    )
    assert not group.saved_label.isVisible()
    assert exchange_folder.folder_settings(db) == exchange_folder.FolderSettings("", "")  # nothing saved
    assert sorted(p.name for p in folder.iterdir()) == before
    # The group chose a new password on purpose: the coordinator says so and it is kept.
    assert group.new_password.isVisible() and not group.new_password.isChecked()
    group.new_password.setChecked(True)
    group.save_button.click()
    settle(qtbot, ctx)
    assert group.saved_label.isVisible() and not group.errors["password"].isVisible()
    assert group.new_password.isHidden()
    assert exchange_folder.folder_settings(db).password == "a mistyped password"


def test_the_exchange_screen_says_a_file_is_locked_with_another_password(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    exchange_folder.save_folder_settings(db, str(folder), "our own password")  # the first desk there
    exchange_folder.save_folder_settings(other_desk, str(folder), PASSWORD)
    exchange_folder.run_pass(other_desk, "Luis")
    name = next(p.name for p in folder.iterdir())
    i18n.set_language("es", "MX")
    try:
        page = make_page(qtbot, db)
        settle(qtbot, page._ctx)
        with qtbot.waitSignal(page.timer.pass_finished, timeout=20_000):
            page.exchange_button.click()
        settle(qtbot, page._ctx)
        text = page.pass_summary.text()
    finally:
        i18n.set_language("en", "US")
    assert f"No se juntó: {name} está cerrado con otra contraseña" in text
    assert "Pídale la contraseña del grupo a su coordinador o coordinadora" in text
    assert "todavía no llega" not in text  # no "waits for a file that has not arrived"


def _replace_with_newer(path: Path, db: Database) -> None:
    """A sync tool brings a newer copy: written beside, then renamed over the file."""
    add_person(db, "CC2-0003", "Lupe Ortiz")
    newer = workbook_from(db, path.with_name("newer.xlsx"))
    newer.replace(path)


def _delete(path: Path, _db: Database) -> None:  # the USB stick pulled out
    path.rename(path.with_name("kept aside.xlsx"))


def _truncate(path: Path, _db: Database) -> None:  # a copy cut short
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("change", [_replace_with_newer, _delete, _truncate], ids=["newer", "gone", "cut"])
def test_a_workbook_changed_before_the_confirm_is_refused_and_the_next_try_works(
    qtbot: QtBot,
    db: Database,
    other_desk: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: Any,
) -> None:
    folder = tmp_path / "Memoria USB" / "Año 2026"
    folder.mkdir(parents=True)
    path = workbook_from(other_desk, folder / "cc2.xlsx")
    original = path.read_bytes()
    before = dump(db)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    warned: list[str] = []
    monkeypatch.setattr(page.flows, "warn", warned.append)
    choose_file(monkeypatch, path)
    real_exec = MergeReportDialog.exec

    def report_then_change(dialog: MergeReportDialog) -> int:
        answer = real_exec(dialog)
        if len(answers.seen) == 1:  # while the first report was read, the file changed
            change(path, other_desk)
        return answer

    monkeypatch.setattr(MergeReportDialog, "exec", report_then_change)
    i18n.set_language("es", "MX")
    try:
        page.merge_button.click()
        qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
        wait_idle(qtbot, page)
    finally:
        i18n.set_language("en", "US")
    assert len(answers.seen) == 1 and "cc2.xlsx" in warned[0]
    assert page.result.text() == warned[0]
    assert "The file" not in warned[0]  # in the desk's language (the file named above)
    if change is _delete:
        assert "Revise que siga en su lugar" in warned[0]
    else:  # not "incomplete or damaged, ask for the file again": trying again is what to do
        assert "cambió mientras AidDesk lo estaba leyendo" in warned[0] and "Vuelva a juntarlo" in warned[0]
    assert dump(db) == before  # nothing half-written
    if change is not _replace_with_newer:
        path.write_bytes(original)  # the stick back in, the full copy again

    page.merge_button.click()  # the next try
    qtbot.waitUntil(lambda: len(answers.seen) == 2, timeout=20_000)
    wait_idle(qtbot, page)
    people = {r["fields"]["name"][0][3] for r in dump(db)["person"]}
    assert {"María López", "José Núñez"} <= people
    assert ("Lupe Ortiz" in people) == (change is _replace_with_newer)
    assert page.result.text().startswith("Merged the workbook from desk CC2")


@pytest.mark.parametrize("spill", [False, True], ids=["plan kept", "plan too big to keep"])
def test_a_plan_too_big_to_keep_shows_and_merges_as_a_kept_one_in_the_window(
    qtbot: QtBot,
    db: Database,
    other_desk: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    spill: bool,
) -> None:
    import openpyxl

    from aiddesk.services.exchange import merge_pass
    from aiddesk.services.exchange.conflicts import open_conflicts
    from aiddesk.services.exchange.proposals import pending
    from tests.exchange_desks import rename_person

    first = workbook_from(other_desk, tmp_path / "first.xlsx")
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    choose_file(monkeypatch, first)
    page.merge_button.click()
    qtbot.waitUntil(lambda: len(answers.seen) == 1, timeout=20_000)
    wait_idle(qtbot, page)
    people = {r["fields"]["name"][0][3]: r["id"] for r in dump(db)["person"]}
    maria, jose = people["María López"], people["José Núñez"]
    rename_person(other_desk, maria, "María López de Ruiz")  # both desks: a conflict
    rename_person(db, maria, "María Lopes")
    for n in range(3):
        add_person(other_desk, f"CC2-{10 + n:04d}", f"Nueva persona {n}")
    second = workbook_from(other_desk, tmp_path / "second.xlsx")
    book = openpyxl.load_workbook(second)
    sheet = book.worksheets[0]
    keys = [c.value for c in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == jose)
    sheet.cell(row, keys.index("address") + 1).value = "12 Calle del Sol"  # typed in Excel
    book.save(second)
    if spill:
        monkeypatch.setattr(merge_pass, "PLAN_BYTES", 0)
    choose_file(monkeypatch, second)

    page.merge_button.click()
    qtbot.waitUntil(lambda: len(answers.seen) == 2, timeout=20_000)
    wait_idle(qtbot, page)

    report = answers.seen[1]["report"]
    assert (answers.seen[1]["new"], report.updated, report.conflicts, report.proposals) == (3, 1, 1, 1)
    assert page.result.text().startswith("Merged the workbook from desk CC2: 3 new, 1 updated")
    assert page.conflicts_button.isVisible()
    assert [(c.record_id, c.field) for c in open_conflicts(db)] == [(maria, "name")]
    assert {choice.value for choice in open_conflicts(db)[0].choices} == {
        "María López de Ruiz",
        "María Lopes",
    }
    assert [(p.record_id, p.column, p.typed) for p in pending(db)] == [(jose, "address", "12 Calle del Sol")]


def test_a_locked_workbook_named_in_another_encoding_merges_and_shows_its_name(
    qtbot: QtBot, db: Database, other_desk: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A USB stick written on another system: the file's name is not UTF-8, in a folder with
    spaces and accents. The password is asked naming the file (an unreadable letter as "�")."""
    import os

    folder = tmp_path / "Memoria USB" / "Año 2026"
    folder.mkdir(parents=True)
    path = Path(os.fsdecode(os.fsencode(folder) + b"/pedidos \xf1.xlsx"))
    workbook_from(other_desk, path, password=PASSWORD)
    page = make_page(qtbot, db)
    answers = Answers(monkeypatch)
    answers.passwords = [PASSWORD]
    prompts: list[str] = []
    real_exec = PasswordDialog.exec

    def password_exec(dialog: PasswordDialog) -> int:
        prompts.append(dialog.prompt.text())
        return real_exec(dialog)

    monkeypatch.setattr(PasswordDialog, "exec", password_exec)
    choose_file(monkeypatch, path)
    page.merge_button.click()
    qtbot.waitUntil(lambda: len(answers.seen) == 2, timeout=20_000)
    wait_idle(qtbot, page)

    assert prompts[0].startswith("pedidos \N{REPLACEMENT CHARACTER}.xlsx is protected with a password")
    assert answers.seen[1]["report"].source == "pedidos \N{REPLACEMENT CHARACTER}.xlsx"
    assert page.result.text().startswith("Merged the workbook from desk CC2: 2 new")
