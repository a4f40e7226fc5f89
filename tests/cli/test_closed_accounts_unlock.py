"""A disabled account opens nothing from a command, even when its passphrase entry survives in a
key file (a key-file write that failed after the account was disabled, an older AidDesk, a
backup's key file): the command is refused (exit 2, one translated line), nothing is written,
and the leftover entry leaves the desk's key file and its backups'. A command unlocked with an
enabled account's passphrase acts with that account's rights only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aiddesk.domain.access import Actor, Role
from aiddesk.services import accounts, backups
from aiddesk.services.desk import encryption
from aiddesk.store import cipher, desk_keys
from aiddesk.store.migrate import open_database
from tests.cli.test_encrypted_desk import (  # the autouse fixture applies here too
    SECRET,
    _quick_kdf_and_english,  # noqa: F401
    aiddesk,
)

ANA = "blue kite over the lake"  # the demo's coordinator
LENA = Actor("Lena", Role.ADMINISTRATOR, "en")


def names_in(keys: Path) -> list[str]:
    return desk_keys.KeyFile.load(keys).names()


@pytest.fixture
def desk(tmp_path: Path, capsys, monkeypatch) -> Path:
    """The encrypted demo desk (Lena administers, Ana coordinates, Rosa takes calls), one backup."""
    folder = tmp_path / "desk"
    monkeypatch.setenv("AIDDESK_SECRET", SECRET)
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "demo", "--seed", "3", "--people", "20")
    assert code == 0, err
    assert aiddesk(capsys, "--data-dir", str(folder), "backup")[0] == 0
    return folder


def _disable_ana_leaving_her_entry(folder: Path) -> Path:
    """Ana disabled as the window does it, then her entry put back in the key files, as a failed
    key-file write or an older AidDesk would have left it. The one backup's key file."""
    database = folder / "aiddesk.db"
    key = encryption.unlock(database, SECRET)
    db = open_database(database, key=key)
    try:
        accounts.set_disabled(db, LENA, "Ana", True)
    finally:
        db.close()
    assert "Ana" not in names_in(cipher.keys_file(database))  # disabling removes it
    encryption.add_passphrase(database, "Ana", ANA, key)  # ... and here it survived
    (backup,) = [b.path for b in backups.list_backups(database)]
    assert "Ana" in names_in(cipher.keys_file(backup))
    return cipher.keys_file(backup)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "{out}/all.xlsx"],
        ["export", "--redact", "{out}/redacted.xlsx"],
        ["dump"],
        ["backup"],
        ["retention", "--preview"],
    ],
)
def test_a_disabled_accounts_surviving_entry_opens_nothing(desk, capsys, monkeypatch, tmp_path, command):
    backup_keys = _disable_ana_leaving_her_entry(desk)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("AIDDESK_SECRET", ANA)
    words = [w.format(out=out) for w in command]
    code, stdout, err = aiddesk(capsys, "--data-dir", str(desk), "--user", "Ana", *words)
    assert (code, err.count("\n")) == (2, 1), err
    assert "The account of Ana is disabled" in err
    assert stdout == "" and list(out.iterdir()) == []
    assert len(backups.list_backups(desk / "aiddesk.db")) == 1  # no backup made either
    assert "Ana" not in names_in(cipher.keys_file(desk / "aiddesk.db"))
    assert "Ana" not in names_in(backup_keys)
    # from then on her passphrase is no key at all
    code, _stdout, err = aiddesk(capsys, "--data-dir", str(desk), "--user", "Ana", *words)
    assert code == 2 and "stays locked" in err


def test_the_refusal_is_in_spanish_and_on_the_audit_trail(desk, capsys, monkeypatch):
    _disable_ana_leaving_her_entry(desk)
    monkeypatch.setenv("AIDDESK_SECRET", ANA)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk), "--user", "ana", "dump")
    assert code == 2 and "Ana" in err and "desactivada" in err, err
    database = desk / "aiddesk.db"
    db = open_database(database, key=encryption.unlock(database, SECRET))
    try:
        from aiddesk.services.audit import TrailFilter, read_trail

        refused = read_trail(db, LENA, TrailFilter(action="desk_unlock_refused")).entries
    finally:
        db.close()
    assert refused and refused[-1].who == "ana"


def test_a_volunteer_whose_entry_survived_cannot_export_and_a_coordinator_acts_as_one(
    desk, capsys, monkeypatch, tmp_path
):
    """Rosa signs in with a PIN: a passphrase entry of hers is a leftover and opens nothing. Ana,
    enabled, unlocks a command that then has a coordinator's rights: an export, not a restore."""
    database = desk / "aiddesk.db"
    key = encryption.unlock(database, SECRET)
    encryption.add_passphrase(database, "Rosa", "green bus seven tortillas", key)
    monkeypatch.setenv("AIDDESK_SECRET", "green bus seven tortillas")
    code, _out, err = aiddesk(
        capsys, "--data-dir", str(desk), "--user", "Rosa", "export", str(tmp_path / "r.xlsx")
    )
    assert code == 2 and "PIN" in err and not (tmp_path / "r.xlsx").exists()
    assert "Rosa" not in names_in(cipher.keys_file(database))

    monkeypatch.setenv("AIDDESK_SECRET", ANA)
    code, _out, err = aiddesk(
        capsys, "--data-dir", str(desk), "--user", "Ana", "export", str(tmp_path / "a.xlsx")
    )
    assert code == 0 and (tmp_path / "a.xlsx").exists(), err
    (backup,) = backups.list_backups(database)
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk), "--user", "Ana", "restore", str(backup.path))
    assert code == 2 and "may not restore" in err


def test_a_name_without_an_account_opens_nothing_on_a_desk_with_accounts(desk, capsys, monkeypatch):
    database = desk / "aiddesk.db"
    encryption.add_passphrase(
        database, "Marta", "a spare key under the mat", encryption.unlock(database, SECRET)
    )
    monkeypatch.setenv("AIDDESK_SECRET", "a spare key under the mat")
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk), "--user", "Marta", "dump")
    assert code == 2 and "no account called Marta" in err


def test_disabling_clears_a_backups_entry_the_desks_file_had_lost(desk):
    """An older AidDesk removed a passphrase from the desk's key file only: the backup's still
    opened the desk (every backup holds its key). Disabling the account clears it there too, and
    so does the window's start for an account disabled back then."""
    database = desk / "aiddesk.db"
    (backup,) = [b.path for b in backups.list_backups(database)]
    assert "Ana" in names_in(cipher.keys_file(backup))
    keys = desk_keys.KeyFile.load(cipher.keys_file(database))
    keys.remove_passphrase("Ana")  # as the older AidDesk did
    keys.save(cipher.keys_file(database))

    db = open_database(database, key=encryption.unlock(database, SECRET))
    try:
        accounts.set_disabled(db, LENA, "Ana", True)
        assert "Ana" not in names_in(cipher.keys_file(backup))
        with pytest.raises(encryption.WrongSecret):
            encryption.unlock(backup, ANA, "Ana")

        accounts.set_disabled(db, LENA, "Ana", False)
        encryption.add_passphrase(database, "Ana", ANA, db.key)  # in both files again
        keys = desk_keys.KeyFile.load(cipher.keys_file(database))
        keys.remove_passphrase("Ana")
        keys.save(cipher.keys_file(database))
        with db.write_session() as session:  # disabled back then, by the older AidDesk
            from aiddesk.store.models import Account

            session.query(Account).filter(Account.name == "Ana").update(
                {"disabled_at": dt.datetime(2026, 1, 1)}
            )
        accounts.tidy_closed_accounts(db)  # the window's start
        assert "Ana" not in names_in(cipher.keys_file(backup))
    finally:
        db.close()
