"""A locked workbook that is not all there yet (a copy into the exchange folder still running, a
download cut off) is said to be incomplete, as an unlocked one is: not "changed after it was
locked… cannot be trusted", which sends the coordinator after a tampering that did not happen."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiddesk.exchange.workbook.errors import WorkbookRejected
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import read
from aiddesk.store.database import Database

PASSWORD = "grupo norte 2026"


@pytest.mark.parametrize("kept", [0.1, 0.5, 0.9])
def test_a_locked_workbook_cut_short_is_incomplete(db: Database, tmp_path: Path, kept: float) -> None:
    whole = tmp_path / "DESK-2026-12-07.xlsx"
    export_workbook(db, whole, ExportOptions(password=PASSWORD))
    data = whole.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: int(len(data) * kept)])
    with pytest.raises(WorkbookRejected) as refused:
        read(cut, PASSWORD)
    assert refused.value.message == (
        "The file cut.xlsx is incomplete or damaged. It may not have finished copying or downloading. "
        "Ask for the file again."
    )
