"""A passphrase removed or changed, or a recovery key replaced, opens neither the desk nor any of
its backups: every backup holds the same desk key, which opens the desk, so an old secret still
taken by an older backup's key file would open the desk itself. The backups still open with the
secrets the desk has now, and each keeps its own audit head."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiddesk import cli
from aiddesk.services import backups
from aiddesk.services.desk import encryption
from aiddesk.store import cipher, desk_keys

FAST = desk_keys.Cost(log_n=12)
RECOVERY = "an old sheet in a drawer"
ROSA = "green bus seven tortillas"
LUIS = "the river runs north today"


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: FAST)
    monkeypatch.setenv("AIDDESK_SECRET", RECOVERY)


def _opens(path: Path, secret: str, name: str | None = None) -> bool:
    try:
        key = encryption.unlock(path, secret, name)
    except encryption.WrongSecret:
        return False
    return cipher.opens(path, key)


def test_an_old_secret_opens_no_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "desk"
    assert cli.main(["--data-dir", str(folder), "demo", "--seed", "4", "--people", "20"]) == 0
    database = folder / "aiddesk.db"
    key = encryption.unlock(database, RECOVERY)
    encryption.add_passphrase(database, "Rosa", ROSA, key)
    encryption.add_passphrase(database, "Luis", LUIS, key)
    backups.back_up(database, "manual", key=key)
    assert cli.main(["--data-dir", str(folder), "backup"]) == 0
    found = [b.path for b in backups.list_backups(database)]
    assert len(found) >= 2 and all(_opens(b, LUIS, "Luis") for b in found)
    heads = {b: desk_keys.KeyFile.load(cipher.keys_file(b)).audit for b in found}

    encryption.remove_passphrase(database, "Luis", key)  # Luis left the group
    encryption.change_passphrase(database, "Rosa", ROSA, "a new moon over the hill")  # Rosa's leaked
    new_recovery = encryption.new_recovery_key(database, key)  # the old sheet was lost

    for path in [database, *found]:
        assert not _opens(path, LUIS, "Luis"), path.name
        assert not _opens(path, ROSA, "Rosa"), path.name
        assert not _opens(path, RECOVERY), path.name
        assert _opens(path, "a new moon over the hill", "Rosa"), path.name
        assert _opens(path, new_recovery), path.name
    assert {b: desk_keys.KeyFile.load(cipher.keys_file(b)).audit for b in found} == heads
