"""The audit trail screen: every kind of entry shows with its name in English and Spanish, the
filters narrow the list, the CSV is saved owner-only, and a phone volunteer has no such screen."""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from aiddesk import i18n
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.audit import ACTION_LABELS
from aiddesk.services.people.erasure import erase_person
from aiddesk.store.database import Database
from aiddesk.ui.audit.page import AuditPage
from aiddesk.ui.shell.main_window import MainWindow
from tests.record_makers import add_person
from tests.ui.settle import settle
from tests.ui.windows import desk_window


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    with desk_window(qtbot, db, who=Actor("Rosa", Role.COORDINATOR)) as window:
        yield window


def shown(page: AuditPage) -> list[list[str]]:
    model = page.model
    return [
        [str(model.index(r, c).data() or "") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def open_page(qtbot: QtBot, window: MainWindow) -> AuditPage:
    window.show_page("audit")
    page = window.audit_page
    page.refresh()
    settle(qtbot, window.ctx)
    return page


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_kind_of_entry_shows_by_its_name(qtbot: QtBot, window: MainWindow, db: Database, language: str):
    with db.transaction("Marta") as tx:
        for action in ACTION_LABELS:
            tx.audit(action, count=1)
    i18n.set_language(language, "US")
    page = open_page(qtbot, window)
    names = {row[2] for row in shown(page)}
    expected = {i18n._(label) for label in ACTION_LABELS.values()}
    assert expected <= names
    if language == "es":
        assert "Llamada guardada" in names and "Persona borrada" in names and "Call saved" not in names
    # the action filter lists them by name too
    choices = {page.action.itemText(i) for i in range(page.action.count())}
    assert expected <= choices


def test_the_screen_shows_the_trail_when_opened(qtbot: QtBot, window: MainWindow, db: Database):
    """Opened from the sidebar, as a coordinator does, it lists what was done (it stayed empty,
    its filters blank, until something was saved while it was shown)."""
    add_person(db, "TST-P1", "Lupe Ortiz")
    with db.transaction("Marta") as tx:
        tx.audit("erased", None, fields=["name"])
    window.show_page("audit")
    settle(qtbot, window.ctx)
    page = window.audit_page
    assert any(row[1] == "Marta" and row[2] == "Person erased" for row in shown(page))
    assert page.account.itemText(0) == "Every account"
    assert page.count_label.text()


def test_the_person_filter_finds_the_entries_about_them(qtbot: QtBot, window: MainWindow, db: Database):
    from aiddesk.domain.enums import RequestStatus
    from aiddesk.services.requests import status
    from tests.record_makers import add_person, add_request

    first = add_person(db, "TST-P1", "Lupe Ortiz")
    other = add_person(db, "TST-P2", "Juan Pérez")
    mine = add_request(db, first, "TST-R1")
    theirs = add_request(db, other, "TST-R2")
    status.move_status(db, "Marta", [mine], RequestStatus.NEEDS_INFO)
    status.move_status(db, "Luis", [theirs], RequestStatus.NEEDS_INFO)
    page = open_page(qtbot, window)
    page.person.setText("tst-p1")
    page.refresh()
    settle(qtbot, window.ctx)
    rows = shown(page)
    assert [(row[1], row[2], row[3]) for row in rows] == [("Marta", "Request status changed", "TST-R1")]
    page.person.setText("TST-P9")
    page.refresh()
    settle(qtbot, window.ctx)
    assert shown(page) == []


def test_the_trail_is_saved_as_csv_owner_only(qtbot: QtBot, window: MainWindow, db: Database, tmp_path: Path):
    with db.transaction("Marta") as tx:
        tx.audit("erased", None, fields=["name", "phone"])
    page = open_page(qtbot, window)
    target = tmp_path / "out" / "trail.csv"
    target.parent.mkdir()
    page.save_csv(target)
    settle(qtbot, window.ctx)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["Entry", "When", "Account", "Action", "Record code", "Detail"]
    assert any(row[3] == "Person erased" and row[2] == "Marta" for row in rows[1:])
    assert "Saved" in page.status.text()


def test_a_phone_volunteer_has_no_audit_screen(qtbot: QtBot, db: Database):
    with desk_window(qtbot, db, who=Actor("Ana", Role.PHONE_VOLUNTEER)) as window:
        visible = [
            str(window.sidebar.item(r).data(256))
            for r in range(window.sidebar.count())
            if not window.sidebar.item(r).isHidden()
        ]
        assert "intake" in visible and "audit" not in visible
    from aiddesk.domain.access import NotAllowed
    from aiddesk.services import audit

    with pytest.raises(NotAllowed):
        audit.read_trail(db, Actor("Ana", Role.PHONE_VOLUNTEER), audit.TrailFilter())


def test_the_detail_reads_in_the_coordinators_language(qtbot: QtBot, window: MainWindow, db: Database):
    """What an entry's detail holds is named in words, and its words translated: no raw keys."""
    erase_person(db, "Marta", add_person(db, "P-0001", "Rosa Díaz"))
    with db.transaction("Marta") as tx:
        tx.audit("account_role", name="Luis", role="coordinator")
        tx.audit("exported", redacted=True, locked=False, language="es", rows=12)
    i18n.set_language("es", "MX")
    page = open_page(qtbot, window)
    detail = {row[2]: row[4] for row in shown(page)}
    assert detail["Cambió el papel de una cuenta"] == "nombre: Luis, papel: Coordinador"
    assert detail["Exportación guardada"] == (
        "cerrado con contraseña: no, filas: 12, idioma: Español, sin datos personales: sí"
    )
    erased = detail["Persona borrada"]
    assert erased.startswith("campos: ") and "Teléfono" in erased and "phone" not in erased
