"""The journal of temporary files (aiddesk/store/temp_files.py): an entry on disk before the file
exists, gone once the file is finished; a sweep removes what a dead process left, wherever it was
written, and leaves a running process's files alone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from aiddesk.store import temp_files as module
from aiddesk.store.temp_files import TempFiles


@pytest.fixture
def journal(tmp_path: Path) -> TempFiles:
    data = tmp_path / "data"
    data.mkdir()
    return TempFiles(data)


def dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(child.stdout)


def entries(journal: TempFiles) -> list[Path]:
    return sorted(journal.journal.glob("*.entry")) if journal.journal.exists() else []


def test_the_entry_is_on_disk_before_the_temporary_file_is_created(
    journal: TempFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_at_creation: list[str] = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, **kwargs):
        if Path(path).name.startswith(".~week."):
            seen_at_creation.extend(p.read_text() for p in entries(journal))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(module.os, "open", watching_open)
    temporary = journal.create_beside(tmp_path / "week.xlsx")
    monkeypatch.undo()

    assert temporary.path.parent == tmp_path and temporary.path.name.startswith(".~week.")
    assert temporary.path.suffix == ".xlsx" and stat.S_IMODE(temporary.path.stat().st_mode) == 0o600
    assert len(seen_at_creation) == 1 and str(temporary.path) in seen_at_creation[0]
    journal.finished(temporary)
    assert entries(journal) == [] and temporary.path.exists()  # finished: renamed or kept by its owner


def test_discard_removes_the_file_and_its_entry(journal: TempFiles, tmp_path: Path) -> None:
    temporary = journal.create_beside(tmp_path / "week.xlsx")
    temporary.file.write(b"half a workbook")
    journal.discard(temporary)
    assert not temporary.path.exists() and entries(journal) == []


def test_a_sweep_removes_what_a_dead_process_left_wherever_it_was_written(
    journal: TempFiles, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "usb stick" / b"caf\xe9\nline".decode("utf-8", "surrogateescape")
    elsewhere.mkdir(parents=True)
    lost = [journal.create_beside(tmp_path / "week.xlsx"), journal.create_beside(elsewhere / "b.xlsx")]
    for temporary in lost:
        temporary.file.write(b"PK personal data")
        temporary.file.close()
        entry = temporary.entry
        entry.write_text(entry.read_text().replace(str(os.getpid()), str(dead_pid()), 1))

    removed = journal.sweep()

    assert sorted(removed) == sorted(t.path for t in lost)
    assert not any(t.path.exists() for t in lost) and entries(journal) == []
    assert journal.sweep() == []


def test_a_sweep_leaves_a_running_process_alone(journal: TempFiles, tmp_path: Path) -> None:
    mine = journal.create_beside(tmp_path / "week.xlsx")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        theirs = journal.create_beside(tmp_path / "month.xlsx")
        theirs.entry.write_text(theirs.entry.read_text().replace(str(os.getpid()), str(child.pid), 1))
        assert journal.sweep() == []
        assert mine.path.exists() and theirs.path.exists() and len(entries(journal)) == 2
    finally:
        child.kill()
        child.wait()
    assert journal.sweep() == [theirs.path]
    journal.discard(mine)


def test_a_sweep_removes_only_temporary_files(journal: TempFiles, tmp_path: Path) -> None:
    """An entry naming any other file (a damaged or tampered journal) costs the entry, not the file."""
    keep = tmp_path / "roster.xlsx"
    keep.write_bytes(b"precious")
    journal.journal.mkdir()
    (journal.journal / "bad.entry").write_text(f"{dead_pid()}\n{keep}\n")
    (journal.journal / "cut.entry").write_text(f"{dead_pid()}\n")  # died while writing its entry
    (journal.journal / "junk.entry").write_text("not an entry at all")

    assert journal.sweep() == []
    assert keep.read_bytes() == b"precious" and entries(journal) == []


def test_a_sweep_without_a_journal_does_nothing(journal: TempFiles) -> None:
    assert journal.sweep() == [] and not journal.journal.exists()
