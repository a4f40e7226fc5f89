"""A disk with no room left: the command and the window say so (free some space, another USB
stick), not that a backup "did not pass its check" or that "something went wrong"; nothing is
changed and no partial file stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from aiddesk import cli
from aiddesk.store import backup as store_backup
from aiddesk.store import cipher

DISK_FULL = (
    "aiddesk: Not done: the disk is full (no room left to write). Nothing was changed. Free some "
    "space (or use another USB stick) and try again.\n"
)


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "AIDDESK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def _no_room_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every database file SQLite writes in `folder` may grow to one page only: SQLite's own
    "database or disk is full" (SQLITE_FULL), as on a full USB stick."""
    connect = cipher.connect

    def connect_there(path: Path | str, key: object, **options: object) -> object:
        con = connect(path, key, **options)  # type: ignore[arg-type]
        if Path(path).parent == folder:
            con.execute("PRAGMA max_page_count = 1")
        return con

    monkeypatch.setattr(store_backup.cipher, "connect", connect_there)


def test_a_backup_onto_a_full_disk_says_so(
    desk_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    _no_room_in(stick, monkeypatch)

    code = cli.main(["--data-dir", str(desk_data_dir), "backup", "--to", str(stick)])

    _out, err = capsys.readouterr()
    assert (code, err) == (1, DISK_FULL)  # was: "the copy did not pass its check"
    assert list(stick.iterdir()) == []  # no partial file left
    assert cli.main(["--data-dir", str(desk_data_dir), "check"]) == 0


def test_the_window_says_the_disk_is_full(tmp_path: Path) -> None:
    from aiddesk.ui.shell.failures import user_message

    engine = create_engine(f"sqlite:///{tmp_path / 'full.db'}", hide_parameters=True)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE person (name TEXT)"))
    with pytest.raises(Exception) as full, engine.begin() as conn:
        conn.execute(text("PRAGMA max_page_count = 2"))
        conn.execute(text("INSERT INTO person VALUES (:name)"), [{"name": "x" * 900}] * 50)
    engine.dispose()
    assert user_message(full.value) == DISK_FULL.removeprefix("aiddesk: ").strip()
