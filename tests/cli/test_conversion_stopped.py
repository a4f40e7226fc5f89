"""A conversion to an encrypted desk killed after the encrypted copy took the database's place,
before it removed the plain backups and sealed the audit trail again: the next command (or start)
that unlocks the desk finishes it. No backup keeps the names in clear, and `check` does not call
the trail changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiddesk import cli
from aiddesk.services.desk import encryption
from tests.cli.test_encrypted_desk import (  # the autouse fixture applies here too
    _quick_kdf_and_english,  # noqa: F401
    dumped,
    leaks,
    personal_strings,
)

RECOVERY = "field of sunflowers at noon"


@pytest.mark.parametrize("killed_at", ["remove_plain_backups", "_reseal_trail"])
def test_a_conversion_killed_after_the_swap_is_finished_at_the_next_unlock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, killed_at: str
) -> None:
    folder = tmp_path / "desk"
    assert cli.main(["--data-dir", str(folder), "demo", "--seed", "3", "--people", "20"]) == 0
    assert cli.main(["--data-dir", str(folder), "backup"]) == 0
    capsys.readouterr()
    before = dumped(capsys, folder)
    names = personal_strings(before)

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # the process ends here: nothing after it runs

    with monkeypatch.context() as kill:
        kill.setattr(encryption, killed_at, killed)
        with pytest.raises(KeyboardInterrupt):
            encryption.convert(folder / "aiddesk.db", name="", passphrase="", recovery=RECOVERY)
    assert encryption.is_encrypted(folder / "aiddesk.db")

    monkeypatch.setenv("AIDDESK_SECRET", RECOVERY)
    code = cli.main(["--data-dir", str(folder), "check"])
    out, err = capsys.readouterr()
    assert (code, out.strip(), err) == (
        0,
        "The database is sound.",
        "",
    )  # not "entry 1 does not match its seal"
    assert leaks(folder, names) == []  # the plain backups are gone
    assert dumped(capsys, folder) == before
    assert cli.main(["--data-dir", str(folder), "check"]) == 0
