"""The encryption dialogs as a person uses them: set-up refuses a weak passphrase at its field,
then shows the recovery key once and opens only when it is put away, and saves the bilingual
recovery sheet as an owner-only PDF; the unlock dialog refuses a wrong passphrase in a line
and slows down, and opens with the right one or the recovery key; Settings says whether the
desk is encrypted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QCoreApplication

from aiddesk import i18n
from aiddesk.services.desk import encryption
from aiddesk.store import desk_keys
from aiddesk.ui.shell.encryption_dialog import EncryptionDialog
from aiddesk.ui.shell.unlock_dialog import UnlockDialog

PASS = "green bus seven tortillas"
SHOTS = os.environ.get("AIDDESK_SCREENSHOTS")  # a folder: the dialogs are saved there as PNGs to look at


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: desk_keys.Cost(log_n=12))


def wait_idle(qtbot, dialog) -> None:
    qtbot.waitUntil(
        lambda: not dialog._busy if hasattr(dialog, "_busy") else not dialog._trying, timeout=10_000
    )
    QCoreApplication.processEvents()


def shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}-{i18n.current_language()}.png"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_set_up_refuses_a_weak_passphrase_then_shows_the_recovery_key_once(qtbot, tmp_path, language) -> None:
    i18n.set_language(language, "US")
    database = tmp_path / "aiddesk.db"
    dialog = EncryptionDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.encrypt.isChecked()  # on by default
    shot(dialog, "encryption-setup")
    dialog.name.setText("Rosa")
    dialog.passphrase.setText("123456")
    dialog.again.setText("123456")
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog.passphrase_error.isVisible(), timeout=10_000)
    assert "12" in dialog.passphrase_error.text()
    assert not encryption.is_encrypted(database)
    dialog.passphrase.setText(PASS)
    dialog.again.setText(PASS)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    recovery = dialog.recovery_key
    assert len(recovery) == 47 and recovery.count("-") == 7
    assert dialog.key_text.text().replace("\n", "-") == recovery  # shown in two lines of four groups
    assert not dialog.continue_button.isEnabled()  # not before the key is put away
    assert dialog.passphrase.text() == ""  # the typed passphrase is not kept in the widget
    shot(dialog, "encryption-recovery-key")
    dialog.put_away.setChecked(True)
    dialog.continue_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.encrypted and dialog.key == encryption.unlock(database, recovery)
    assert encryption.unlock(database, PASS, "Rosa") == dialog.key


def test_set_up_can_be_left_plain(qtbot, tmp_path) -> None:
    dialog = EncryptionDialog(tmp_path / "aiddesk.db")
    qtbot.addWidget(dialog)
    dialog.encrypt.setChecked(False)
    assert not dialog.passphrase.isEnabled()
    dialog.continue_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted and not dialog.encrypted and dialog.key is None
    assert list(tmp_path.iterdir()) == []


def test_the_recovery_sheet_is_saved_bilingual_and_owner_only(qtbot, tmp_path) -> None:
    dialog = EncryptionDialog(tmp_path / "data" / "aiddesk.db")
    qtbot.addWidget(dialog)
    dialog.name.setText("Rosa")
    dialog.passphrase.setText(PASS)
    dialog.again.setText(PASS)
    dialog.continue_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == 1, timeout=10_000)
    target = tmp_path / "sheet.pdf"
    dialog.save_pdf_to(target)
    qtbot.waitUntil(lambda: bool(dialog.saved_line.text()), timeout=10_000)
    assert "sheet.pdf" in dialog.saved_line.text(), dialog.saved_line.text()
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    flat = " ".join(text.split())
    assert dialog.recovery_key in flat
    assert "AidDesk recovery sheet" in flat and "Hoja de recuperación de AidDesk" in flat
    assert "lost for good" in flat and "para siempre" in flat


@pytest.mark.parametrize("language", ["en", "es"])
def test_unlock_refuses_a_wrong_passphrase_and_opens_with_the_right_one(qtbot, tmp_path, language) -> None:
    i18n.set_language(language, "US")
    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS)
    dialog = UnlockDialog(database)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.name.currentText() == "Rosa"  # the one name that can open it
    dialog.passphrase.setText("123456")
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisible() and not dialog._trying, timeout=10_000)
    assert dialog.error.text() == i18n._(encryption.WRONG_TEXT)
    assert dialog.passphrase.text() == "" and dialog.key is None
    shot(dialog, "unlock-refused")
    dialog.passphrase.setText(PASS)
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.key is not None, timeout=10_000)
    assert dialog.key == made.key


def test_unlock_with_the_recovery_key(qtbot, tmp_path) -> None:
    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS)
    dialog = UnlockDialog(database)
    qtbot.addWidget(dialog)
    dialog.use_recovery.setChecked(True)
    assert not dialog.name.isEnabled()
    dialog.passphrase.setText(made.recovery.lower().replace("-", " "))
    dialog.unlock_button.click()
    qtbot.waitUntil(lambda: dialog.key is not None, timeout=10_000)
    assert dialog.key == made.key


def test_unlock_slows_down_after_wrong_tries(qtbot, tmp_path) -> None:
    database = tmp_path / "aiddesk.db"
    encryption.set_up(database, name="Rosa", passphrase=PASS)
    dialog = UnlockDialog(database)
    qtbot.addWidget(dialog)
    dialog._unlocker.failures = 3  # three wrong tries already
    dialog._unlocker._sleep = lambda seconds: None
    dialog.passphrase.setText("still not it at all")
    dialog.unlock_button.click()
    assert "2" in dialog.error.text()  # "wait 2 seconds"
    qtbot.waitUntil(lambda: not dialog._trying, timeout=10_000)
    assert dialog._unlocker.failures == 4


def test_settings_says_a_plain_desk_is_not_encrypted_and_offers_it_again(qtbot, db) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.ui.context import DeskContext
    from aiddesk.ui.settings.encryption_box import EncryptionBox
    from tests.ui.settle import settle

    encryption.mark_offered(db.path)
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, "Rosa")
    restarted: list[bool] = []
    box = EncryptionBox(ctx, restart=lambda: restarted.append(True))
    qtbot.addWidget(box)
    box.show()
    assert "not encrypted" in box.state.text() and box.encrypt_button.isVisible()
    shot(box, "settings-encryption")
    box.encrypt_button.click()
    question = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    next(b for b in question.buttons() if b.text() == "Close and encrypt").click()
    qtbot.waitUntil(lambda: restarted == [True], timeout=10_000)
    settle(qtbot, ctx)
    assert encryption.plain_state(db.path) == "offer"  # the next start offers the conversion


def test_settings_says_an_encrypted_desk_is_encrypted(qtbot, tmp_path) -> None:
    from aiddesk.paths import DeskPaths
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.store.migrate import open_database
    from aiddesk.ui.context import DeskContext
    from aiddesk.ui.settings.encryption_box import EncryptionBox

    made = encryption.set_up(tmp_path / "aiddesk.db", name="Rosa", passphrase=PASS)
    db = open_database(tmp_path / "aiddesk.db", key=made.key)
    try:
        desk = desk_service.create_desk(db, name="Test", code="TST", language="en", region="US")
        ctx = DeskContext(db, DeskPaths(tmp_path, tmp_path / "logs"), desk, "Rosa")
        box = EncryptionBox(ctx)
        qtbot.addWidget(box)
        box.show()
        assert box.state.text().startswith("This desk is encrypted") and not box.encrypt_button.isVisible()
    finally:
        db.close()
