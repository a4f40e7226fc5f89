"""`aiddesk check` verifies the audit trail's chain of seals: an entry edited behind AidDesk's back
or the last entries dropped make it fail with one line naming the entry; a clean desk passes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from aiddesk.services.desk import encryption
from tests.cli.test_encrypted_desk import SECRET, _quick_kdf_and_english, aiddesk, make_demo  # noqa: F401

pytestmark = pytest.mark.usefixtures("_quick_kdf_and_english")


def _connect(folder: Path, encrypted: bool, name: str | None = None):
    path = folder / "aiddesk.db"
    if not encrypted:
        return sqlite3.connect(path)
    key = encryption.unlock(path, SECRET, name)
    con = sqlcipher.connect(str(path))
    con.execute(f"PRAGMA key = \"x'{key.raw.hex()}'\"")
    return con


def _sql(folder: Path, encrypted: bool, statement: str, name: str | None = None) -> list[tuple]:
    con = _connect(folder, encrypted, name)
    try:
        rows = con.execute(statement).fetchall()
        con.commit()
        return rows
    finally:
        con.close()


def _desk_with_entries(capsys, monkeypatch, folder: Path, encrypted: bool) -> None:
    make_demo(capsys, monkeypatch, folder, secret=SECRET if encrypted else None, people="20")
    # a few audited writes after the demo: backups and more entries on the trail
    from aiddesk.domain.roster import VolunteerFields
    from aiddesk.services import roster
    from aiddesk.store.migrate import open_database

    key = encryption.unlock(folder / "aiddesk.db", SECRET) if encrypted else None
    db = open_database(folder / "aiddesk.db", key=key)
    try:
        for n in range(3):
            roster.add_volunteer(db, "Ana", VolunteerFields(name=f"Volunteer {n}"))
    finally:
        db.close()


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_clean_desk_passes_and_an_edited_entry_fails(tmp_path, capsys, monkeypatch, encrypted):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, encrypted)
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "check", "--json")
    assert code == 0, out + err
    report = json.loads(out)
    assert report["audit"]["ok"] and report["audit"]["sealed"] == report["audit"]["entries"] >= 4
    (second,) = _sql(folder, encrypted, "SELECT id FROM audit ORDER BY id LIMIT 1 OFFSET 1")
    _sql(folder, encrypted, f"UPDATE audit SET who = 'Someone else' WHERE id = {second[0]}")
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "check")
    assert code == 1
    assert f"entry {second[0]} does not match its seal" in out
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "check", "--json")
    assert code == 1 and json.loads(out)["audit"]["first_bad_entry"] == second[0]


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_dropping_the_last_entries_fails(tmp_path, capsys, monkeypatch, encrypted):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, encrypted)
    _sql(folder, encrypted, "DELETE FROM audit WHERE id IN (SELECT id FROM audit ORDER BY id DESC LIMIT 2)")
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "check")
    assert code == 1
    assert "missing its last 2 entries" in out
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "check", "--json")
    assert json.loads(out)["audit"]["missing_last_entries"] == 2


def test_a_removed_seal_in_the_middle_fails(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, False)
    (first,) = _sql(folder, False, "SELECT min(id) FROM audit")
    _sql(folder, False, f"UPDATE audit SET mac = NULL WHERE id = {first[0]}")
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "check")
    assert code == 1 and f"entry {first[0]} lost its seal" in out


def test_the_head_travels_with_backups_and_a_restore_keeps_the_chain_whole(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, True)
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "backup", "--to", str(tmp_path))
    assert code == 0
    made = Path(out.strip().rsplit(" ", 1)[-1])
    kept = json.loads(made.with_name(made.name + ".keys").read_text())["audit"]
    assert kept["length"] >= 4 and len(kept["mac"]) == 64
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "restore", str(made))
    assert code == 0, err
    assert aiddesk(capsys, "--data-dir", str(folder), "check")[0] == 0
    actions = [a for (a,) in _sql(folder, True, "SELECT action FROM audit ORDER BY id")]
    assert actions[-1] == "restored"


def test_a_converted_desk_keeps_a_whole_trail_sealed_with_the_desk_key(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, False)
    before = _sql(folder, False, "SELECT count(*) FROM audit")[0][0]
    assert (folder / "aiddesk.db.audit").exists()
    encryption.convert(folder / "aiddesk.db", name="Rosa", passphrase=SECRET, again=SECRET)
    assert not (folder / "aiddesk.db.audit").exists()
    assert json.loads((folder / "aiddesk.db.keys").read_text())["audit"]["length"] == before + 1
    monkeypatch.setenv("AIDDESK_SECRET", SECRET)
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "--user", "Rosa", "check", "--json")
    assert code == 0, out + err
    assert json.loads(out)["audit"]["sealed"] == before + 1
    ((detail,),) = _sql(folder, True, "SELECT detail FROM audit WHERE action = 'audit_resealed'", "Rosa")
    assert json.loads(detail)["was_intact"] is True


def test_a_plain_database_copied_without_its_audit_file_is_sealed_again_and_says_so(
    tmp_path, capsys, monkeypatch
):
    folder = tmp_path / "d"
    _desk_with_entries(capsys, monkeypatch, folder, False)
    (folder / "aiddesk.db.audit").unlink()
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "check", "--json")
    assert code == 0 and json.loads(out)["audit"]["unchecked"] is True
    _desk_with_entries_again(folder)
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "check", "--json")
    assert code == 0, out + err
    assert json.loads(out)["audit"]["unchecked"] is False
    actions = [a for (a,) in _sql(folder, False, "SELECT action FROM audit ORDER BY id")]
    assert "audit_resealed" in actions


def _desk_with_entries_again(folder: Path) -> None:
    from aiddesk.domain.roster import VolunteerFields
    from aiddesk.services import roster
    from aiddesk.store.migrate import open_database

    db = open_database(folder / "aiddesk.db")
    try:
        roster.add_volunteer(db, "Ana", VolunteerFields(name="Volunteer 9"))
    finally:
        db.close()
