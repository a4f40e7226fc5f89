"""Backups from the command line: `backups [--json]`, `backup [--to DIR]`, `restore FILE`; and a
damaged database (empty, zeroed, damaged pages) stops every command, `check` and `self-test`
with exit 1 and a line naming the newest sound backup and the command that restores it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aiddesk import cli
from aiddesk.services.desk.records import dump
from aiddesk.store.migrate import open_database

TIMEOUT = 120


def run_aiddesk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    return subprocess.run(
        [sys.executable, "-m", "aiddesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )


@pytest.fixture(autouse=True)
def _english_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def aiddesk(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str], folder: Path) -> list[dict[str, object]]:
    code, out, _err = aiddesk(capsys, "--data-dir", str(folder), "backups", "--json")
    assert code == 0
    return json.loads(out)


def dump_of(path: Path) -> dict[str, object]:
    db = open_database(path)
    try:
        return dump(db)
    finally:
        db.close()


def test_backup_then_list_then_json(desk_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert listed(capsys, desk_data_dir) == []
    code, out, _err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup")
    assert code == 0 and "Backup made and checked: " in out
    [entry] = listed(capsys, desk_data_dir)
    assert set(entry) == {"path", "created", "reason", "size", "verified"}
    path = Path(str(entry["path"]))
    assert path.is_absolute() and path.parent == desk_data_dir / "backups"
    assert (entry["reason"], entry["verified"], entry["size"]) == ("manual", True, path.stat().st_size)
    assert str(entry["created"]).endswith("+00:00")
    code, out, _err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "backups")
    assert code == 0 and "Made by hand" in out and str(path) in out


def test_backup_to_another_folder(
    desk_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stick = tmp_path / "usb"
    stick.mkdir()
    code, _out, _err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup", "--to", str(stick))
    assert code == 0
    [copy] = stick.iterdir()
    assert dump_of(copy) == dump_of(desk_data_dir / "aiddesk.db")
    code, _out, err = aiddesk(
        capsys, "--data-dir", str(desk_data_dir), "backup", "--to", str(tmp_path / "gone")
    )
    assert code == 2 and "There is no folder" in err
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup", "--to", str(copy))
    assert code == 2 and f"{copy} is a file, not a folder: give a folder." in err


def test_restore_a_backup(desk_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup")
    [entry] = listed(capsys, desk_data_dir)
    expected = dump_of(Path(str(entry["path"])))
    code, out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "restore", str(entry["path"]))
    assert code == 0, err
    assert "new desk id" in out
    assert dump_of(desk_data_dir / "aiddesk.db") == expected
    assert [e["reason"] for e in listed(capsys, desk_data_dir)] == ["restore", "manual"]


@pytest.mark.parametrize("content", [b"", b"my shopping list", None])
def test_restoring_what_is_not_a_backup_is_bad_input(
    desk_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None
) -> None:
    candidate = tmp_path / "candidate.db"
    if content is not None:
        candidate.write_bytes(content)
    before = (desk_data_dir / "aiddesk.db").read_bytes()
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "restore", str(candidate))
    assert code == 2
    assert len(err.splitlines()) == 1 and str(candidate) in err
    assert (desk_data_dir / "aiddesk.db").read_bytes() == before
    assert listed(capsys, desk_data_dir) == []


def test_an_empty_database_is_damage_that_check_reports_with_the_backup(desk_data_dir: Path) -> None:
    assert run_aiddesk("--data-dir", str(desk_data_dir), "backup").returncode == 0
    database = desk_data_dir / "aiddesk.db"
    database.write_bytes(b"")
    result = run_aiddesk("--data-dir", str(desk_data_dir), "check")
    assert result.returncode == 1, result.stdout
    assert "sound." not in result.stdout
    assert "The database file is empty" in result.stderr
    [backup] = (desk_data_dir / "backups").iterdir()
    assert f"aiddesk --data-dir {desk_data_dir} restore {backup}" in result.stderr
    assert database.read_bytes() == b""  # no new desk in its place
    result = run_aiddesk("--data-dir", str(desk_data_dir), "restore", str(backup))
    assert result.returncode == 0, result.stderr
    assert run_aiddesk("--data-dir", str(desk_data_dir), "check").stdout.strip() == "The database is sound."


def test_self_test_fails_on_damaged_pages_and_names_the_backup(desk_data_dir: Path) -> None:
    assert run_aiddesk("--data-dir", str(desk_data_dir), "backup").returncode == 0
    database = desk_data_dir / "aiddesk.db"
    data = bytearray(database.read_bytes())
    data[2 * 4096 + 100 : 3 * 4096] = b"\xff" * (4096 - 100)
    database.write_bytes(bytes(data))
    result = run_aiddesk("--data-dir", str(desk_data_dir), "self-test")
    assert result.returncode == 1
    [backup] = (desk_data_dir / "backups").iterdir()
    assert "FAILED database: " in result.stdout and "damaged parts" in result.stdout
    assert f"restore {backup}" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("self-test failed")


def test_every_command_stops_on_a_zeroed_database(
    desk_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = desk_data_dir / "aiddesk.db"
    database.write_bytes(b"\0" * database.stat().st_size)
    for command in (["dump"], ["export", str(desk_data_dir / "out.xlsx")], ["check", "--json"]):
        code, out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), *command)
        assert code == 1, command
        assert "not a database any more" in err and "no sound backup" in err
    assert json.loads(out)["ok"] is False
    assert not (desk_data_dir / "out.xlsx").exists()


def test_a_lost_database_is_not_a_new_desk(desk_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup")
    (desk_data_dir / "aiddesk.db").unlink()
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "demo", "--people", "20")
    assert code == 1 and "missing" in err and "restore" in err
    assert not (desk_data_dir / "aiddesk.db").exists()


def test_leftovers_of_a_killed_backup_go_at_the_next_command(
    desk_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = desk_data_dir / "backups"
    folder.mkdir()
    leftover = folder / ".aiddesk-partial-4242-deadbeef.db"
    leftover.write_bytes(b"half")
    (desk_data_dir / ".exchange-secret-4242-ab").write_text("pan dulce 1987")
    code, _out, _err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "dump")
    assert code == 0
    assert list(folder.iterdir()) == []
    assert not (desk_data_dir / ".exchange-secret-4242-ab").exists()


def test_check_calls_an_empty_file_empty_even_where_nothing_was_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "aiddesk.db").write_bytes(b"")
    code, out, err = aiddesk(capsys, "--data-dir", str(folder), "check")
    assert code == 1 and "sound" not in out and "empty" in err
    assert (folder / "aiddesk.db").read_bytes() == b""


def test_restore_waits_for_the_window_to_close(
    desk_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    aiddesk(capsys, "--data-dir", str(desk_data_dir), "backup")
    [entry] = listed(capsys, desk_data_dir)
    (desk_data_dir / "aiddesk.lock").write_text(f"{os.getppid()}\nAidDesk\n{socket.gethostname()}\n")
    before = (desk_data_dir / "aiddesk.db").read_bytes()
    code, _out, err = aiddesk(capsys, "--data-dir", str(desk_data_dir), "restore", str(entry["path"]))
    assert code == 1 and "Close it" in err
    assert (desk_data_dir / "aiddesk.db").read_bytes() == before
