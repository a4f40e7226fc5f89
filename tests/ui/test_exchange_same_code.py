"""The Exchange screen says when a merged workbook came from another desk that uses this desk's
code (their records share codes: two callers can both be TST-P0001)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from tests.exchange_desks import new_desk
from tests.record_makers import add_person
from tests.ui.test_exchange_page import Answers, choose_file, make_page, wait_idle, workbook_from


def test_merging_a_workbook_of_a_desk_with_the_same_code_warns(
    qtbot: QtBot, db: Database, tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = desk_service.get_desk(db)
    assert desk is not None
    twin = new_desk(tmp_path / "twin", migrated_template, desk.code, name="Iglesia San José")
    try:
        add_person(twin, f"{desk.code}-P0001", "María López")
        path = workbook_from(twin, tmp_path / "twin.xlsx")
    finally:
        twin.close()
    page = make_page(qtbot, db)
    Answers(monkeypatch)
    choose_file(monkeypatch, path)
    warned: list[str] = []
    monkeypatch.setattr(page.flows, "warn", warned.append)

    page.merge_button.click()
    wait_idle(qtbot, page)
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)

    assert warned == [
        f"Careful: another desk (“Iglesia San José”) uses this desk's code {desk.code}, so records of "
        f"both desks have the same codes (two callers can both be {desk.code}-P0001). Give one of the "
        "two desks another code in Settings before more records are made."
    ]
    assert page.result.text().startswith(f"Merged the workbook from desk {desk.code}: 1 new")
