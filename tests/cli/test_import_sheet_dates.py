"""`aiddesk import-sheet`: a form's timestamp that cannot be when someone asked for help (Excel's
empty date, 1900-01-01, or a year typed with two digits too few) stops that row with a message
saying which cell and why; the other rows are imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sheet_samples import HEADERS, ROWS, mapping_json, write_xlsx

from aiddesk import cli


@pytest.mark.parametrize(
    "stamp",
    [dt.datetime(1900, 1, 1), "1900-01-01 00:00", "0026-11-20 10:02"],
    ids=["excel zero date", "zero date as text", "two-digit year"],
)
def test_an_implausible_timestamp_stops_its_row_saying_why(
    desk_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], stamp: object
) -> None:
    rows = [list(row) for row in ROWS]
    rows[1][0] = stamp  # John Carter's row: row 3 of the sheet
    sheet = write_xlsx(tmp_path / "respuestas.xlsx", rows)
    mapping = tmp_path / "MAP.json"
    mapping.write_text(json.dumps(mapping_json(), ensure_ascii=False), encoding="utf-8")

    status = cli.main(
        ["--data-dir", str(desk_data_dir), "import-sheet", str(sheet), "--mapping", str(mapping)]
    )

    out = capsys.readouterr().out
    assert status == 0, out
    day = "1900-01-01" if "1900" in str(stamp) else "0026-11-20"
    assert (
        f"  Row 3, column A (“{HEADERS[0]}”): {day} cannot be when this was sent: it is before the year 2000. (An empty date in Excel shows as 1900-01-01.) Correct the date or clear the cell."
        in (out.splitlines())
    )
    assert "John Carter" not in json.dumps(dump(desk_data_dir, capsys), ensure_ascii=False)


def dump(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert cli.main(["--data-dir", str(folder), "dump"]) == 0
    return json.loads(capsys.readouterr().out)
