"""Settings' retention box: a preview lists what would go, turning on needs that preview, a
coordinator is refused by the service (a translated line), the box reads in Spanish; and the
window's keeper runs retention once confirmed, through the desk's runner."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from pytestqt.qtbot import QtBot
from record_makers import add_call, add_person, add_request
from sqlalchemy import select

from aiddesk import i18n
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.i18n.qt_bridge import QtLanguage
from aiddesk.paths import DeskPaths
from aiddesk.services import retention
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.models import Person, Request
from aiddesk.ui.context import DeskContext
from aiddesk.ui.retention.keeper import RetentionKeeper
from aiddesk.ui.settings.retention_box import RetentionBox
from tests.ui.settle import settle
from tests.ui.windows import desk_window

LONG_AGO = dt.datetime.combine(dt.date.today() - dt.timedelta(days=4 * 365), dt.time(10))
ADMIN = Actor("Alma", Role.ADMINISTRATOR)
SHOTS = os.environ.get("AIDDESK_SHOTS")  # a folder: the screenshots are saved there to look at


@pytest.fixture
def old_desk(db: Database) -> Database:
    pablo = add_person(db, "P-0001", "Pablo Reyes")
    add_call(db, pablo, "C-0001", LONG_AGO)
    add_request(db, pablo, "R-0001", "delivered", created_at=LONG_AGO, details="Blue door")
    add_request(db, pablo, "R-0002", "withdrawn", created_at=LONG_AGO, details="Moved away")
    return db


def make_box(qtbot: QtBot, db: Database, who: str = ADMIN) -> RetentionBox:
    desk = desk_service.get_desk(db)
    assert desk is not None
    ctx = DeskContext(db, DeskPaths(db.path.parent, db.path.parent / "logs"), desk, who)
    box = RetentionBox(ctx)
    qtbot.addWidget(box)
    box.resize(900, 420)
    box.show()
    qtbot.waitExposed(box)
    settle(qtbot, ctx)
    return box


def click(qtbot: QtBot, box: RetentionBox, button: QPushButton) -> None:
    button.click()
    settle(qtbot, box._ctx)


def shoot(box: RetentionBox, name: str) -> None:
    QApplication.processEvents()  # the layout follows the new texts
    if SHOTS:
        box.grab().save(str(Path(SHOTS) / name))


def test_turning_on_needs_a_preview_which_lists_what_would_go(qtbot: QtBot, old_desk: Database) -> None:
    box = make_box(qtbot, old_desk)
    assert box.state_label.text() == "Retention is off: nothing is forgotten."
    assert not box.preview_button.isEnabled() and not box.turn_on_button.isEnabled()

    box.requests_check.setChecked(True)
    box.requests_months.setValue(12)
    box.people_check.setChecked(True)
    assert not box.turn_on_button.isEnabled()  # not before a preview
    click(qtbot, box, box.preview_button)
    assert box.summary.text() == (
        "2 closed requests would lose their details and notes; 1 person not heard from would be erased."
    )
    assert box.codes.toPlainText() == "Requests: R-0001, R-0002\nPeople: P-0001"
    assert retention.get_policy(old_desk) == RetentionPolicy()  # a preview saves nothing
    shoot(box, "retention-en.png")

    box.people_months.setValue(36)  # other months: the preview no longer holds
    assert not box.turn_on_button.isEnabled() and box.summary.text() == ""
    click(qtbot, box, box.preview_button)
    click(qtbot, box, box.turn_on_button)
    assert retention.get_policy(old_desk) == RetentionPolicy(12, 36, enabled=True)
    assert box.state_label.text().startswith("Retention is on.")
    assert box.turn_off_button.isEnabled()
    click(qtbot, box, box.turn_off_button)
    assert retention.get_policy(old_desk) == RetentionPolicy(12, 36, enabled=False)


def test_a_coordinator_is_refused_by_the_service(qtbot: QtBot, old_desk: Database) -> None:
    box = make_box(qtbot, old_desk, Actor("Cora", Role.COORDINATOR))
    box.requests_check.setChecked(True)
    click(qtbot, box, box.preview_button)
    assert (
        box.form_error.text()
        == "Not done: a coordinator account may not change the settings. Ask an administrator."
    )
    assert box.summary.text() == ""
    assert retention.get_policy(old_desk) == RetentionPolicy()


def test_the_box_in_spanish(qtbot: QtBot, qapp: QApplication, old_desk: Database) -> None:
    box = make_box(qtbot, old_desk)
    box.requests_check.setChecked(True)
    box.people_check.setChecked(True)
    click(qtbot, box, box.preview_button)
    remove = i18n.on_language_change(QtLanguage(qapp).apply)
    try:
        i18n.set_language("es", "MX")
        assert box.title() == "Olvido de datos"
        assert box.state_label.text() == "El olvido de datos está apagado: no se olvida nada."
        assert box.summary.text() == (
            "2 pedidos cerrados perderían sus detalles y notas; se borraría a 1 persona sin noticias."
        )
        assert box.codes.toPlainText() == "Pedidos: R-0001, R-0002\nPersonas: P-0001"
        assert box.preview_button.text() == "Ver qué se iría"
        shoot(box, "retention-es.png")
    finally:
        i18n.set_language("en", "US")
        remove()


def test_the_keeper_runs_retention_once_confirmed(qtbot: QtBot, old_desk: Database) -> None:
    box = make_box(qtbot, old_desk)
    ctx = box._ctx
    keeper = RetentionKeeper(old_desk, ctx.operations, interval_ms=60_000)
    keeper.run_if_due()
    settle(qtbot, ctx)
    with old_desk.session() as session:
        assert session.scalars(select(Request.details).where(Request.code == "R-0001")).one() == "Blue door"

    retention.save_policy(old_desk, ADMIN, RetentionPolicy(request_months=12, people_months=24, enabled=True))
    with qtbot.waitSignal(keeper.ran, timeout=5000) as ran:
        keeper.run_if_due()
    assert ran.args is not None and ran.args[0].people == ("P-0001",)
    settle(qtbot, ctx)
    with old_desk.session() as session:
        assert session.scalars(select(Request.details).where(Request.code == "R-0001")).one() == ""
        assert session.scalars(select(Person.erased).where(Person.code == "P-0001")).one()
    keeper.stop()


def test_an_administrators_settings_hold_the_box(
    qtbot: QtBot, qapp: QApplication, old_desk: Database
) -> None:
    with desk_window(qtbot, old_desk, ADMIN) as window:
        window.show_page("settings")
        settle(qtbot, window.ctx)
        box = window.settings_page.retention_box
        scroll = window.settings_page.findChild(QScrollArea)
        assert scroll is not None
        scroll.ensureWidgetVisible(box)
        box.requests_check.setChecked(True)
        click(qtbot, box, box.preview_button)
        assert box.isVisible() and box.codes.toPlainText() == "Requests: R-0001, R-0002"
        assert box.summary.text() == "2 closed requests would lose their details and notes."  # people: off
        remove = i18n.on_language_change(QtLanguage(qapp).apply)
        try:
            for language in ("en", "es"):
                i18n.set_language(language, "US")
                for size, name in (((1200, 760), "default"), ((1920, 1080), "maximised")):
                    window.resize(*size)
                    QApplication.processEvents()
                    scroll.ensureWidgetVisible(box)
                    QApplication.processEvents()
                    if SHOTS:
                        window.grab().save(str(Path(SHOTS) / f"settings-{language}-{name}.png"))
        finally:
            i18n.set_language("en", "US")
            remove()
