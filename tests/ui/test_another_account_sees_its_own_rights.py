"""A coordinator reads a request with its caller's safety notes on the Requests screen, the desk
locks, and a phone volunteer signs in: the screen they find holds no safety note."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from aiddesk.domain.intake import IntakeForm, NeedRow
from aiddesk.services.intake.calls import save_call
from aiddesk.store.database import Database
from tests.record_makers import NEED
from tests.ui.settle import settle
from tests.ui.test_sign_in_and_lock import PASSPHRASE, PIN, desk_with_accounts, sign_in

NOTE = "Her brother-in-law must not learn where she lives"


def _labels_shown() -> list[str]:
    return [w.text() for w in QApplication.allWidgets() if isinstance(w, QLabel) and w.isVisible()]


def test_a_volunteer_signing_in_after_a_coordinator_finds_no_safety_note(qtbot: QtBot, db: Database) -> None:
    form = IntakeForm(
        name="Noemí Salas", phone="617 555 0134", safety_notes=NOTE, needs=[NeedRow(NEED["groceries"])]
    )
    saved = save_call(db, "Lena", form, "US")
    with desk_with_accounts(qtbot, db) as window:
        lock = window.desk_lock
        assert lock is not None
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        window.show_page("requests")
        settle(qtbot, window.ctx)
        assert window.requests_page.select_request(saved.request_ids[0])
        settle(qtbot, window.ctx)
        assert NOTE in _labels_shown()  # the coordinator reads it

        lock.lock_now()
        sign_in(qtbot, window, "Rosa", PIN)
        assert window.current_page_key() == "requests"  # Rosa may use it: she finds it as it was
        assert NOTE not in _labels_shown()
        settle(qtbot, window.ctx)
        assert NOTE not in _labels_shown()
        assert "Noemí Salas" in " ".join(_labels_shown())  # the request is shown again, for her
