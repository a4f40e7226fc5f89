"""Two laptops set up with the same desk code give their records the same codes (two callers both
CC1-P0001): a merge says so, and how to mend it. A desk's own workbook from before a restore (the
desk took a new desk id, kept its code) is not another desk."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiddesk import cli


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "AIDDESK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def aiddesk(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str]:
    code = cli.main(["--data-dir", str(folder), *args])
    return code, capsys.readouterr().err


def test_a_workbook_of_another_desk_with_this_desk_s_code_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, seed in ((one, "1"), (two, "2")):
        assert aiddesk(capsys, folder, "demo", "--people", "20", "--seed", seed, "--desk-code", "CC1")[0] == 0
    assert aiddesk(capsys, two, "export", str(tmp_path / "two.xlsx"))[0] == 0

    code, err = aiddesk(capsys, one, "merge", str(tmp_path / "two.xlsx"))

    assert code == 0
    assert err == (
        "aiddesk: Careful: another desk (“Demo CC1”) uses this desk's code CC1, so records of both "
        "desks have the same codes (two callers can both be CC1-P0001). Give one of the two desks "
        "another code in Settings before more records are made.\n"
    )


def test_a_desk_s_own_workbook_from_before_a_restore_is_not_another_desk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = tmp_path / "desk"
    assert aiddesk(capsys, desk, "demo", "--people", "20", "--desk-code", "CC1")[0] == 0
    assert aiddesk(capsys, desk, "backup")[0] == 0
    backup = next((desk / "backups").glob("aiddesk-manual-*.db"))
    assert aiddesk(capsys, desk, "export", str(tmp_path / "before.xlsx"))[0] == 0
    assert aiddesk(capsys, desk, "restore", str(backup))[0] == 0  # a new desk id, the same code

    assert aiddesk(capsys, desk, "merge", str(tmp_path / "before.xlsx")) == (0, "")
