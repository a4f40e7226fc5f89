"""The encryption service: a plain desk converted keeps every record and leaves no plain copy;
passphrases added, changed and removed rewrap the same desk key; weak passphrases are refused;
wrong attempts slow down; the key file holds no secret in clear."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from aiddesk import cli
from aiddesk.domain.validation import Invalid
from aiddesk.services import backups
from aiddesk.services.desk import encryption
from aiddesk.services.desk.records import dump
from aiddesk.store import desk_keys
from aiddesk.store.migrate import open_database

FAST = desk_keys.Cost(log_n=12)
PASS = "green bus seven tortillas"


@pytest.fixture(autouse=True)
def _quick_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: FAST)
    monkeypatch.delenv("AIDDESK_SECRET", raising=False)


def plain_demo(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    assert cli.main(["--data-dir", str(folder), "demo", "--seed", "5", "--people", "30"]) == 0
    assert cli.main(["--data-dir", str(folder), "backup"]) == 0
    capsys.readouterr()
    db = open_database(folder / "aiddesk.db")
    try:
        return dump(db)
    finally:
        db.close()


def names_of(state: dict) -> set[bytes]:
    return {
        r["fields"]["name"][0][-1].encode() for r in state["person"] if len(r["fields"]["name"][0][-1]) > 5
    }


def test_conversion_keeps_every_record_and_removes_every_plain_copy(tmp_path, capsys) -> None:
    folder = tmp_path / "desk"
    before = plain_demo(folder, capsys)
    (folder / "exchange-secret").write_text("our group word 2026")
    database = folder / "aiddesk.db"
    assert any(n in database.read_bytes() for n in names_of(before))

    made = encryption.convert(database, name="Rosa", passphrase=PASS, again=PASS)

    assert encryption.is_encrypted(database)
    assert not database.read_bytes().startswith(b"SQLite format 3")
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not data.startswith(b"SQLite format 3"), path.name
            assert not any(n in data for n in names_of(before)), path.name
            assert b"our group word" not in data, path.name
    assert not (folder / "exchange-secret").exists()
    found = backups.list_backups(database)
    assert found and all(b.path.with_name(b.path.name + ".keys").is_file() for b in found)
    for key in (
        made.key,
        encryption.unlock(database, PASS, "Rosa"),
        encryption.unlock(database, made.recovery),
    ):
        db = open_database(database, key=key)
        try:
            assert dump(db) == before
        finally:
            db.close()
    from aiddesk.services.exchange.folder import folder_settings

    db = open_database(database, key=made.key)
    try:
        assert folder_settings(db).password == "our group word 2026"
    finally:
        db.close()


def test_an_interrupted_conversion_leaves_the_plain_desk_as_it_was(tmp_path, capsys, monkeypatch) -> None:
    folder = tmp_path / "desk"
    before = plain_demo(folder, capsys)
    database = folder / "aiddesk.db"

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(encryption.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        encryption.convert(database, name="Rosa", passphrase=PASS)
    monkeypatch.undo()
    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: FAST)
    # the key file was written; the database is still plain: the next start drops the key file
    encryption.finish_interrupted(database)
    assert not encryption.is_encrypted(database)
    assert [p.name for p in (folder / "backups").iterdir() if p.name.startswith(".aiddesk-partial")] == []
    db = open_database(database)
    try:
        assert dump(db) == before
    finally:
        db.close()


def test_passphrases_rewrap_the_same_key(tmp_path) -> None:
    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS, again=PASS)
    assert len(made.recovery) == 47 and made.recovery.count("-") == 7  # 8 groups of 5
    assert encryption.unlock(database, PASS, "rosa ") == made.key
    encryption.add_passphrase(database, "Luis", "the river runs north today", made.key)
    assert encryption.unlock(database, "the river runs north today", "Luis") == made.key
    encryption.change_passphrase(database, "Luis", "the river runs north today", "a new moon over the hill")
    assert encryption.unlock(database, "a new moon over the hill", "Luis") == made.key
    with pytest.raises(encryption.WrongSecret):
        encryption.unlock(database, "the river runs north today", "Luis")
    with pytest.raises(encryption.WrongSecret):  # Rosa's passphrase is not Luis's
        encryption.unlock(database, PASS, "Luis")
    assert encryption.remove_passphrase(database, "Luis", made.key)
    with pytest.raises(encryption.WrongSecret):
        encryption.unlock(database, "a new moon over the hill", "Luis")
    # a key that is not this desk's cannot add anyone
    with pytest.raises(encryption.WrongSecret):
        encryption.add_passphrase(database, "Eve", "let me in please now", desk_keys.new_desk_key())
    assert encryption.names(database) == ["Rosa"]
    text = (tmp_path / "aiddesk.db.keys").read_text()
    assert PASS not in text and made.recovery.replace("-", "") not in text and made.key.raw.hex() not in text
    assert "Rosa" in json.loads(text)["wraps"][1]["name"]


@pytest.mark.parametrize(
    ("passphrase", "again", "field"),
    [
        ("123456", "123456", "passphrase"),  # a PIN
        ("short words", "short words", "passphrase"),
        ("aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "passphrase"),
        ("123456789012", "123456789012", "passphrase"),
        (PASS, PASS + "!", "again"),
    ],
)
def test_weak_or_mistyped_passphrases_are_refused_and_nothing_is_made(
    tmp_path, passphrase, again, field
) -> None:
    with pytest.raises(Invalid) as refused:
        encryption.set_up(tmp_path / "aiddesk.db", name="Rosa", passphrase=passphrase, again=again)
    assert refused.value.problems[0].field == field
    assert list(tmp_path.iterdir()) == []


def test_a_six_digit_pin_never_wraps_the_key(tmp_path) -> None:
    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS)
    with pytest.raises(Invalid):
        encryption.add_passphrase(database, "Ana", "482913", made.key)
    for pin in ("482913", "000000", "123456"):
        with pytest.raises(encryption.WrongSecret):
            encryption.unlock(database, pin)
    con = sqlite3.connect(database)
    with pytest.raises(sqlite3.DatabaseError):
        con.execute("SELECT * FROM sqlite_master").fetchall()
    con.close()


def test_wrong_attempts_slow_down_and_a_right_one_resets(tmp_path) -> None:
    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS)
    waited: list[float] = []
    unlocker = encryption.Unlocker(database, sleep=waited.append)
    for _ in range(5):
        with pytest.raises(encryption.WrongSecret):
            unlocker.attempt("not my passphrase at all", "Rosa")
    assert waited == [1.0, 2.0, 4.0]
    assert unlocker.wait_before_next() == 8.0
    assert unlocker.attempt(made.recovery) == made.key
    assert unlocker.wait_before_next() == 0.0


def test_an_account_passphrase_opens_the_desk_and_follows_the_account(tmp_path: Path) -> None:
    """Coordinators' and administrators' passphrases open the encrypted desk (a phone volunteer's
    PIN never does); a new passphrase replaces the old one; a disabled account no longer opens it."""
    from aiddesk.domain.access import Role
    from aiddesk.services import accounts

    database = tmp_path / "aiddesk.db"
    made = encryption.set_up(database, name="Rosa", passphrase=PASS, again=PASS)
    db = open_database(database, key=made.key)
    try:
        accounts.first_account_of_set_up(db, name="Rosa", verifier=accounts.verifier_of(PASS))
        assert accounts.sign_in(db, "Rosa", PASS).role is Role.ADMINISTRATOR
        accounts.add_account(
            db, "Rosa", name="Ana", role=Role.COORDINATOR, secret="blue kite over the lake", language="es"
        )
        accounts.add_account(
            db, "Rosa", name="Pat", role=Role.PHONE_VOLUNTEER, secret="482913", language="en"
        )
        assert encryption.unlock(database, "blue kite over the lake", "Ana") == made.key
        with pytest.raises(encryption.WrongSecret):
            encryption.unlock(database, "482913", "Pat")

        accounts.reset_secret(db, "Rosa", "Ana", "seven green tortillas")
        with pytest.raises(encryption.WrongSecret):
            encryption.unlock(database, "blue kite over the lake", "Ana")
        assert encryption.unlock(database, "seven green tortillas", "Ana") == made.key

        accounts.set_disabled(db, "Rosa", "Ana", True)
        with pytest.raises(encryption.WrongSecret):
            encryption.unlock(database, "seven green tortillas", "Ana")
        assert encryption.unlock(database, made.recovery) == made.key
    finally:
        db.close()
