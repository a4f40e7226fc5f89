"""The administrator disables a volunteer who left a call half-typed: Settings says the call was
forgotten with the account (in the administrator's language), and nobody is offered it again."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.intake import IntakeForm
from aiddesk.services.intake import drafts
from aiddesk.store.database import Database
from tests.ui.settle import settle
from tests.ui.test_sign_in_and_lock import PASSPHRASE, desk_with_accounts, sign_in


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Rosa left 1 call half-typed: it was forgotten with their account."),
        ("es", "Rosa dejó 1 llamada a medio escribir: se borró junto con su cuenta."),
    ],
)
def test_disabling_says_the_half_typed_call_was_forgotten(
    qtbot: QtBot, db: Database, language: str, said: str
) -> None:
    with desk_with_accounts(qtbot, db) as window:
        rosa = Actor("Rosa", Role.PHONE_VOLUNTEER, "en")
        drafts.save_draft(db, "rosa-call", rosa, IntakeForm(name="Berta Quintero", phone="617 555 0199"))
        sign_in(qtbot, window, "Lena", PASSPHRASE)
        i18n.set_language(language, "US")
        try:
            window.show_page("settings")
            panel = window.settings_page.accounts_box
            settle(qtbot, window.ctx)
            names = [panel.table.item(row, 0).text() for row in range(panel.table.rowCount())]
            panel.table.selectRow(names.index("Rosa"))
            panel.disable_button.click()
            settle(qtbot, window.ctx)
            assert panel.said.isVisible() and panel.said.text() == said
            assert drafts.list_drafts(db, rosa) == [] == drafts.list_drafts(db, "anyone")

            panel.table.selectRow([panel.table.item(r, 0).text() for r in range(3)].index("Rosa"))
            panel.disable_button.click()  # enabled again: a PIN, nothing more to say
            settle(qtbot, window.ctx)
            assert panel.said.isHidden()
        finally:
            i18n.set_language("en", "US")


def test_enabling_a_coordinator_again_on_an_encrypted_desk_says_how_their_passphrase_opens_it() -> None:
    from aiddesk.ui.settings.accounts_panel import toggled_text

    assert "once you set a new one" in toggled_text("Ana", False, 0, opens_desk=True)
    assert toggled_text("Rosa", False, 0, opens_desk=False) == ""  # a PIN, or a plain desk
    assert toggled_text("Ana", True, 0, opens_desk=True) == ""  # nothing was half-typed
