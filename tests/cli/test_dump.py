"""`aiddesk dump` prints only JSON, the same for the same data whatever order it arrived in, and a
changed field changes it; `aiddesk check` passes a sound database and lists a broken link."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select

from aiddesk import cli
from aiddesk.store.models import SYNCED_MODELS, Desk

TODAY = "2026-03-10"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("dump-demo")
    shutil.copyfile(migrated_template, folder / "aiddesk.db")
    assert (
        cli.main(["--data-dir", str(folder), "demo", "--seed", "21", "--people", "40", "--today", TODAY]) == 0
    )
    return folder / "aiddesk.db"


@pytest.fixture
def demo_dir(tmp_path: Path, demo_template: Path) -> Path:
    folder = tmp_path / "demo"
    folder.mkdir()
    shutil.copyfile(demo_template, folder / "aiddesk.db")
    return folder


def dump_text(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert cli.main(["--data-dir", str(folder), "dump"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def copy_in_reverse(source: Path, target: Path) -> None:
    """Every synced row and the desk row of `source` into the migrated `target`, in reverse order."""
    src, dst = create_engine(f"sqlite:///{source}"), create_engine(f"sqlite:///{target}")
    try:
        with src.connect() as read, dst.begin() as write:
            desk = Desk.__table__
            write.execute(insert(Desk), [dict(r) for r in read.execute(select(desk)).mappings()])
            for model in reversed(SYNCED_MODELS):
                table = model.__table__  # type: ignore[attr-defined]
                rows = [dict(r) for r in read.execute(select(table)).mappings()]
                assert rows, model.kind
                write.execute(insert(table), rows[::-1])
    finally:
        src.dispose()
        dst.dispose()


def test_dump_prints_only_sorted_json(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = dump_text(demo_dir, capsys)
    state = json.loads(out)
    assert out == json.dumps(state, sort_keys=True, ensure_ascii=False) + "\n"
    assert {"person", "call", "request", "volunteer", "delivery", "stop", "event", "zone"} <= set(state)
    assert "desk" not in state and "audit" not in state, "local-only tables are left out"
    assert "María José Hernández" in out, "text is written as itself, not escaped"


def test_same_data_in_another_order_dumps_identically(
    demo_dir: Path, tmp_path: Path, migrated_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    shutil.copyfile(migrated_template, other / "aiddesk.db")
    copy_in_reverse(demo_dir / "aiddesk.db", other / "aiddesk.db")
    original = dump_text(demo_dir, capsys)
    assert dump_text(other, capsys) == original

    con = sqlite3.connect(other / "aiddesk.db")
    with con:  # a stamped edit: the guard trigger refuses an update that keeps the clock
        con.execute(
            "UPDATE person SET name = 'Maria Jose Hernandez', edited_clock = edited_clock + 1 "
            "WHERE name = 'María José Hernández'"
        )
    con.close()
    changed = dump_text(other, capsys)
    assert changed != original
    assert "Maria Jose Hernandez" in changed


def test_check_passes_a_sound_database(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 0
    assert capsys.readouterr().out == "The database is sound.\n"


def break_a_link(folder: Path) -> None:
    con = sqlite3.connect(folder / "aiddesk.db")
    con.execute("PRAGMA foreign_keys=OFF")
    with con:
        con.execute(
            "UPDATE request SET person_id = 'no-such-person', edited_clock = edited_clock + 1 "
            "WHERE rowid = (SELECT min(rowid) FROM request)"
        )
    con.close()


def test_check_lists_a_broken_foreign_key_and_exits_1(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_a_link(demo_dir)
    assert cli.main(["--data-dir", str(demo_dir), "check"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("The database has 1 problem:")
    assert "request" in out


def test_check_json_reports_the_problem(demo_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_a_link(demo_dir)
    assert cli.main(["--data-dir", str(demo_dir), "check", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert len(result["problems"]) == 1 and "request" in result["problems"][0]
