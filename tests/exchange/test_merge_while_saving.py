"""A merge never gets in the way of the desk, and the desk never loses an edit to a merge.

The merge reads and compares outside the write lock: a save made meanwhile goes
through at once. A record saved at the desk while the merge was reading is
merged again when the merge applies (both values kept, never overwritten). A
second writer (another `aiddesk` command) waits its turn instead of failing
with "database is locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from exchange_desks import rename_person
from record_makers import add_person

from aiddesk.services.desk import records
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.exchange import merge_pass
from aiddesk.services.exchange.conflicts import open_conflicts
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.services.exchange.merge import MergeReport, merge_file
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database

WAIT_S = 20


def _desk(folder: Path, code: str) -> Database:
    db = open_database(folder / code / "aiddesk.db")
    desk_service.create_desk(db, name=f"Desk {code}", code=code)
    return db


@pytest.fixture
def two(tmp_path: Path):
    a, b = _desk(tmp_path, "AAA"), _desk(tmp_path, "BBB")
    yield a, b
    a.close()
    b.close()


class PausedReading:
    """Holds a merge in its reading part until the test lets it go on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.reading = threading.Event()
        self.go_on = threading.Event()
        real = merge_pass.MergePass.run

        def run(pass_self: merge_pass.MergePass, now_ms: int) -> merge_pass.PassResult:
            result = real(pass_self, now_ms)
            self.reading.set()
            assert self.go_on.wait(WAIT_S)
            return result

        monkeypatch.setattr(merge_pass.MergePass, "run", run)

    def merge_in_background(self, db: Database, path: Path) -> tuple[threading.Thread, list[object]]:
        outcome: list[object] = []

        def work() -> None:
            try:
                outcome.append(merge_file(db, path, "Luis"))
            except Exception as exc:  # handed to the test
                outcome.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        assert self.reading.wait(WAIT_S)
        return thread, outcome


def test_a_save_while_a_merge_reads_goes_through_at_once(two, tmp_path, monkeypatch) -> None:
    a, b = two
    for n in range(30):
        add_person(a, f"AAA-{n:04d}", f"Person {n}")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    paused = PausedReading(monkeypatch)
    thread, outcome = paused.merge_in_background(b, tmp_path / "a.xlsx")

    started = time.perf_counter()
    saved = add_person(b, "BBB-0001", "Rosa Díaz")  # at the desk, while the merge is reading
    waited = time.perf_counter() - started
    paused.go_on.set()
    thread.join(WAIT_S)

    assert waited < 1.0  # it did not wait for the merge
    report = outcome[0]
    assert isinstance(report, MergeReport) and report.applied and report.new == 30
    people = {p["id"]: p for p in records.dump(b)["person"]}
    assert saved in people and len(people) == 31


def test_a_record_saved_while_a_merge_reads_keeps_its_edit(two, tmp_path, monkeypatch) -> None:
    a, b = two
    person = add_person(a, "AAA-0001", "Marta Ruiz")
    export_workbook(a, tmp_path / "first.xlsx", ExportOptions())
    merge_file(b, tmp_path / "first.xlsx", "Luis")
    rename_person(a, person, "Marta Ruiz López")  # changed at desk A ...
    export_workbook(a, tmp_path / "second.xlsx", ExportOptions())
    paused = PausedReading(monkeypatch)
    thread, outcome = paused.merge_in_background(b, tmp_path / "second.xlsx")

    rename_person(b, person, "Martita Ruiz")  # ... and at desk B while B's merge was reading
    paused.go_on.set()
    thread.join(WAIT_S)

    report = outcome[0]
    assert isinstance(report, MergeReport) and report.applied
    conflicts = [c for c in open_conflicts(b) if c.record_id == person and c.field == "name"]
    assert len(conflicts) == 1  # both names kept, waiting for a decision: neither edit lost
    assert {choice.value for choice in conflicts[0].choices} == {"Marta Ruiz López", "Martita Ruiz"}
    assert report.conflicts == 1


def test_a_merge_command_waits_for_another_writer_instead_of_failing(two, tmp_path) -> None:
    a, b = two
    for n in range(5):
        add_person(a, f"AAA-{n:04d}", f"Person {n}")
    export_workbook(a, tmp_path / "a.xlsx", ExportOptions())
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with b.write_session():  # another writer holds the lock (a long demo, another merge)
        command = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiddesk",
                "--data-dir",
                str(b.path.parent),
                "merge",
                str(tmp_path / "a.xlsx"),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Longer than any busy timeout a desk had before (5 s): the command must still wait.
        time.sleep(6)
        assert command.poll() is None
    out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert "locked" not in err
    assert len(records.dump(b)["person"]) == 5
