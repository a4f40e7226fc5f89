"""A desk encrypted at rest, from the command line: `demo` with AIDDESK_SECRET makes one whose
files (database, WAL, backups, key file, logs) hold none of its people's names, phones or
addresses; every command opens it with the right secret and refuses a wrong or missing one
with one line and exit status 2; a PIN-like secret opens nothing; backups are encrypted and
restore; the damaged-database check still names the backup to put back."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2 as sqlcipher

from aiddesk import cli
from aiddesk.store import desk_keys

SECRET = "bus stop by the old mill"
FAST = desk_keys.Cost(log_n=12)  # the tests' scrypt: the real one is tuned to ~0.5 s (tests/bench)


@pytest.fixture(autouse=True)
def _quick_kdf_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(desk_keys, "tune", lambda target=0.5: FAST)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "AIDDESK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def aiddesk(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def make_demo(capsys, monkeypatch, folder: Path, secret: str | None = SECRET, people: str = "40") -> None:
    if secret is None:
        monkeypatch.delenv("AIDDESK_SECRET", raising=False)
    else:
        monkeypatch.setenv("AIDDESK_SECRET", secret)
    code, _out, err = aiddesk(
        capsys, "--data-dir", str(folder), "demo", "--seed", "11", "--people", people, "--today", "2026-03-10"
    )
    assert code == 0, err


def dumped(capsys, folder: Path) -> dict:
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "dump")
    assert code == 0, err
    return json.loads(out)


def personal_strings(state: dict) -> set[bytes]:
    """Every person's name, phone (as typed and normalised) and address, as UTF-8 bytes."""
    found: set[bytes] = set()
    for record in state["person"]:
        fields = {k: v[0][-1] for k, v in record["fields"].items()}
        for field in ("name", "phone", "phone_raw", "address"):
            value = fields.get(field)
            if isinstance(value, str) and len(value) >= 6:
                found.add(value.encode("utf-8"))
    return found


def files_of(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def leaks(folder: Path, strings: set[bytes]) -> list[tuple[str, bytes]]:
    found = []
    for path in files_of(folder):
        data = path.read_bytes()
        found += [(path.name, s) for s in strings if s in data]
    return found


def test_an_encrypted_demo_desk_holds_no_name_phone_or_address_in_any_file(tmp_path, capsys, monkeypatch):
    plain, secret = tmp_path / "plain", tmp_path / "secret"
    make_demo(capsys, monkeypatch, plain, secret=None)
    make_demo(capsys, monkeypatch, secret)
    state = dumped(capsys, secret)
    strings = personal_strings(state)
    assert len(strings) > 80
    # the same demo unencrypted shows them: the search finds what is there
    assert leaks(plain, strings)
    # a backup, a second write (the WAL), the logs: nothing readable anywhere
    assert aiddesk(capsys, "--data-dir", str(secret), "backup")[0] == 0
    assert aiddesk(capsys, "--data-dir", str(secret), "check")[0] == 0
    names = {p.name for p in files_of(secret)}
    assert "aiddesk.db" in names and "aiddesk.db.keys" in names
    assert any(n.endswith(".db.keys") and n.startswith("aiddesk-manual-") for n in names)
    assert leaks(secret, strings) == []
    assert not (secret / "aiddesk.db").read_bytes().startswith(b"SQLite format 3")
    keys = json.loads((secret / "aiddesk.db.keys").read_text())
    assert SECRET.encode() not in (secret / "aiddesk.db.keys").read_bytes()
    # the recovery key and the demo's administrator's and coordinator's passphrases (README)
    assert sorted(w["kind"] for w in keys["wraps"]) == ["passphrase", "passphrase", "recovery"]
    assert oct((secret / "aiddesk.db.keys").stat().st_mode & 0o777) == "0o600"


def test_a_demo_without_the_secret_is_plain_and_says_so(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AIDDESK_SECRET", raising=False)
    code, _out, err = aiddesk(
        capsys, "--data-dir", str(tmp_path / "d"), "demo", "--seed", "2", "--people", "20"
    )
    assert code == 0
    assert "not encrypted" in err and "AIDDESK_SECRET" in err
    assert (tmp_path / "d" / "aiddesk.db").read_bytes().startswith(b"SQLite format 3")
    assert not (tmp_path / "d" / "aiddesk.db.keys").exists()
    from aiddesk.services.desk import encryption

    # told here, so the window does not ask again at its first start (Settings still offers it)
    assert encryption.plain_state(tmp_path / "d" / "aiddesk.db") == "plain"


def test_a_demo_secret_shorter_than_12_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AIDDESK_SECRET", "short one")
    code, _out, err = aiddesk(capsys, "--data-dir", str(tmp_path / "d"), "demo", "--people", "20")
    assert code == 2
    assert "12" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("command", [["dump"], ["check"], ["backup"], ["export", "OUT"]])
def test_every_command_needs_the_right_secret(tmp_path, capsys, monkeypatch, command):
    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    args = [str(tmp_path / "out.xlsx") if a == "OUT" else a for a in command]
    monkeypatch.delenv("AIDDESK_SECRET")
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), *args)
    assert (code, out) == (2, "")
    assert "encrypted" in err and "AIDDESK_SECRET" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setenv("AIDDESK_SECRET", SECRET + "x")
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), *args)
    assert (code, out) == (2, "")
    assert "recovery key" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("AIDDESK_SECRET", "  " + SECRET.upper() + " ")  # spaces and case do not matter
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), *args)
    assert code == 0, err


def test_a_wrong_secret_gives_one_spanish_line(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    monkeypatch.setenv("AIDDESK_SECRET", "not the key at all")
    try:
        code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "dump")
    finally:
        from aiddesk import i18n

        i18n.set_language("en")
    assert code == 2
    assert "AIDDESK_SECRET" in err and "recovery key" not in err and len(err.strip().splitlines()) == 1


def test_a_pin_like_secret_opens_nothing(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    monkeypatch.setenv("AIDDESK_SECRET", "123456")
    assert aiddesk(capsys, "--data-dir", str(folder), "dump")[0] == 2
    # nor does it open the database file directly, as SQLCipher's own passphrase
    con = sqlcipher.connect(str(folder / "aiddesk.db"))
    con.execute("PRAGMA cipher_log_level = NONE")
    con.execute("PRAGMA key = '123456'")
    with pytest.raises(sqlcipher.DatabaseError):
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    con.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(folder / "aiddesk.db").execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_a_named_passphrase_opens_it_with_user(tmp_path, capsys, monkeypatch):
    from aiddesk.services.desk import encryption

    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    from aiddesk.domain.access import Actor, Role
    from aiddesk.services import accounts
    from aiddesk.store.migrate import open_database

    db = open_database(folder / "aiddesk.db", key=encryption.unlock(folder / "aiddesk.db", SECRET))
    try:  # a coordinator's account: their passphrase opens the desk (the demo desk has accounts)
        admin = Actor("Lena", Role.ADMINISTRATOR, "en")
        accounts.add_account(
            db,
            admin,
            name="Rosa Chávez",
            role=Role.COORDINATOR,
            secret="green bus seven tortillas",
            language="es",
        )
    finally:
        db.close()
    monkeypatch.setenv("AIDDESK_SECRET", "green bus seven tortillas")
    assert aiddesk(capsys, "--data-dir", str(folder), "--user", "rosa chávez", "check")[0] == 0
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "check")  # no name: the recovery key
    assert code == 2 and "recovery key" in err
    monkeypatch.setenv("AIDDESK_SECRET", SECRET)
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "--user", "Rosa Chávez", "check")
    assert code == 2 and "passphrase of Rosa Chávez" in err


def test_backup_and_restore_of_an_encrypted_desk(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    before = dumped(capsys, folder)
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "backup", "--to", str(tmp_path))
    assert code == 0
    made = Path(out.strip().rsplit(" ", 1)[-1])
    assert made.parent == tmp_path and (made.with_name(made.name + ".keys")).is_file()
    assert not made.read_bytes().startswith(b"SQLite format 3")
    # more demo data changes the desk; the restore brings back what the backup held
    assert (
        aiddesk(capsys, "--data-dir", str(folder), "demo", "--seed", "12", "--people", "20")[0] == 2
    )  # refused: not empty
    from aiddesk.services.desk import encryption
    from aiddesk.services.people import erasure  # noqa: F401  (the desk is changed through a service)
    from aiddesk.store.migrate import open_database

    db = open_database(folder / "aiddesk.db", key=encryption.unlock(folder / "aiddesk.db", SECRET))
    try:
        with db.write_connection() as conn:
            conn.exec_driver_sql("UPDATE desk SET name = 'Changed after the backup'")
    finally:
        db.close()
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "restore", str(made))
    assert code == 0, err
    after = dumped(capsys, folder)
    assert after["person"] == before["person"] and after["request"] == before["request"]
    # the backup opens elsewhere with its own key file and the recovery key
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "aiddesk.db").write_bytes(made.read_bytes())
    (elsewhere / "aiddesk.db.keys").write_bytes(made.with_name(made.name + ".keys").read_bytes())
    assert dumped(capsys, elsewhere)["person"] == before["person"]


def test_a_damaged_encrypted_database_names_the_backup(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    assert aiddesk(capsys, "--data-dir", str(folder), "backup")[0] == 0
    database = folder / "aiddesk.db"
    size = database.stat().st_size
    with open(database, "r+b") as file:  # a page in the middle overwritten
        file.seek(size // 2 // 4096 * 4096)
        file.write(os.urandom(4096))
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "check")
    assert code == 1
    assert "damaged" in err and "aiddesk-manual-" in err and "restore" in err
    with open(database, "r+b") as file:  # cut short
        file.truncate(size - 100)
    code, _out, err = aiddesk(capsys, "--data-dir", str(folder), "dump")
    assert code == 1 and "cut short" in err


def test_the_group_password_of_an_encrypted_desk_stays_inside_it(tmp_path, capsys, monkeypatch):
    from aiddesk.services.desk import encryption
    from aiddesk.services.exchange import folder as exchange_folder
    from aiddesk.store.migrate import open_database

    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    (tmp_path / "x").mkdir()
    database = folder / "aiddesk.db"
    db = open_database(database, key=encryption.unlock(database, SECRET))
    try:
        exchange_folder.save_folder_settings(db, str(tmp_path / "x"), "our group word 2026")
        assert exchange_folder.folder_settings(db).password == "our group word 2026"
    finally:
        db.close()
    assert not (folder / "exchange-secret").exists()
    assert leaks(folder, {b"our group word 2026"}) == []
    # a group password a plain version left in the file moves inside at the next open
    (folder / "exchange-secret").write_text("another group word")
    db = open_database(database, key=encryption.unlock(database, SECRET))
    try:
        assert not (folder / "exchange-secret").exists()
        assert exchange_folder.folder_settings(db).password == "our group word 2026"  # the newer one stays
    finally:
        db.close()


def test_rotation_removes_a_backups_key_file_with_it(tmp_path, capsys, monkeypatch):
    from aiddesk.domain import backup_rotation as rotation
    from aiddesk.services.desk import encryption
    from aiddesk.store import backup as backups

    folder = tmp_path / "d"
    make_demo(capsys, monkeypatch, folder, people="20")
    database = folder / "aiddesk.db"
    key = encryption.unlock(database, SECRET)
    made = [
        backups.take(database, folder / "backups", rotation.MERGE, key=key, rotate_after=False)
        for _ in range(7)
    ]
    assert all(m.path.with_name(m.path.name + ".keys").is_file() for m in made)
    removed = backups.rotate(folder / "backups")
    assert len(removed) == 2  # 5 kept per reason
    assert not any(p.with_name(p.name + ".keys").exists() for p in removed)


def test_the_encrypted_demo_has_an_account_of_each_role_and_a_command_acts_with_its_role(
    tmp_path, capsys, monkeypatch
):
    """The README's demo accounts: the coordinator's passphrase opens the desk for a command that
    then acts as a coordinator (a backup is made, a restore is refused: exit 2, one line); the
    administrator's may restore; the phone volunteer's PIN opens nothing."""
    from aiddesk.demo.accounts import DEMO_ACCOUNTS
    from aiddesk.domain.access import Role

    folder = tmp_path / "desk"
    make_demo(capsys, monkeypatch, folder)
    by_role = {account.role: account for account in DEMO_ACCOUNTS}
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for account in DEMO_ACCOUNTS:
        assert account.name in readme and account.secret in readme  # the README lists them
    coordinator, administrator = by_role[Role.COORDINATOR], by_role[Role.ADMINISTRATOR]
    desk = ["--data-dir", str(folder)]

    monkeypatch.setenv("AIDDESK_SECRET", coordinator.secret)
    code, out, err = aiddesk(capsys, *desk, "--user", coordinator.name, "backup")
    assert code == 0, err
    backup = out.strip().rsplit(" ", 1)[-1]
    code, _out, err = aiddesk(capsys, *desk, "--user", coordinator.name, "restore", backup)
    assert (code, err.count("\n")) == (2, 1)
    assert "may not restore a backup" in err
    assert "Restored" not in _out

    monkeypatch.setenv("AIDDESK_SECRET", administrator.secret)
    code, out, err = aiddesk(capsys, *desk, "--user", administrator.name, "restore", backup)
    assert code == 0, err

    volunteer = by_role[Role.PHONE_VOLUNTEER]
    monkeypatch.setenv("AIDDESK_SECRET", volunteer.secret)
    code, _out, err = aiddesk(capsys, *desk, "--user", volunteer.name, "dump")
    assert code == 2 and "stays locked" in err
