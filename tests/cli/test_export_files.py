"""What an export leaves on disk, seen from the command line: a killed export or exchange pass
leaves no plaintext anywhere (not beside the target, not in the exchange folder, not in the
system's temporary folder) and the next command or start removes its temporary file; the
exported file is owner-only whatever was there; a target that is not an ordinary file is
refused without being touched, naming it."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk import cli
from aiddesk.services.exchange import folder as exchange_folder
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Person
from tests.cli.test_app_start import run as start_app

REPO = Path(__file__).resolve().parents[2]
NAME = "Rosalind Quetzal-Okonkwo"  # what must never be readable on disk outside the database
PASSWORD = "our-group-secret"
TIMEOUT = 120

# A headless command with the export paused at one step: it prints "paused" and waits to be killed.
PAUSED = """
import sys, time
from aiddesk.exchange.workbook import writer
from aiddesk.services.exchange import export

def pause(*args, **kwargs):
    print("paused", flush=True)
    time.sleep(600)

if sys.argv[1] == "while-writing-rows":
    export.readme_lines = pause  # every record's row is written; the workbook is not packed yet
else:
    real_save = writer.WorkbookWriter.save
    def save(self, *args):
        real_save(self, *args)  # the whole workbook is packed
        pause()
    writer.WorkbookWriter.save = save
from aiddesk.cli import main
main(sys.argv[2:])
"""
STEPS = ("while-writing-rows", "after-packing")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def desk(desk_data_dir: Path) -> Path:
    """A desk with enough people that the sheets' XML outgrows any write buffer."""
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        with db.transaction("Ana") as tx:
            for number in range(1, 401):
                tx.session.add(
                    Person(
                        id=tx.new_id(), code=f"TST-{number:04d}", name=NAME, address=f"{number} Hidden Lane"
                    )
                )
    finally:
        db.close()
    return desk_data_dir


@pytest.fixture
def system_tmp(tmp_path: Path) -> Path:
    """The system temporary folder (TMPDIR) of the killed process, to look into afterwards."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    return folder


def holds_plaintext(path: Path) -> bool:
    """Whether NAME can be read from the file: in its bytes, or in any part, whole or cut short,
    when it is a zip (a plain workbook, or one still being written)."""
    data = path.read_bytes()
    if NAME.encode() in data:
        return True
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:
        name_length = int.from_bytes(data[at + 26 : at + 28], "little")
        extra_length = int.from_bytes(data[at + 28 : at + 30], "little")
        start = at + 30 + name_length + extra_length
        with contextlib.suppress(zlib.error):
            if NAME.encode() in zlib.decompressobj(-zlib.MAX_WBITS).decompress(data[start:]):
                return True
        at += 4
    return False


def files_in(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def leftovers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(".~"))


@contextlib.contextmanager
def paused(step: str, argv: list[str], system_tmp: Path) -> Iterator[None]:
    """`aiddesk ARGV` in its own process, paused at `step` while the block runs, then killed (SIGKILL)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(system_tmp), "LC_ALL": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSED, step, *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        line = child.stdout.readline() if child.stdout else ""
        if line.strip() != "paused":
            child.kill()
            pytest.fail(f"the export did not pause: {child.communicate(timeout=TIMEOUT)[1][-3000:]}")
        yield
    finally:
        child.kill()
        child.communicate(timeout=TIMEOUT)


# ---------------------------------------------------------------- killed exports


@pytest.mark.parametrize("step", STEPS)
def test_a_killed_encrypted_export_never_left_plaintext_and_the_next_command_cleans_up(
    desk: Path, tmp_path: Path, system_tmp: Path, capsys, monkeypatch, step: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("GROUP_PW", PASSWORD)
    argv = ["--data-dir", str(desk), "export", str(out / "week.xlsx"), "--password-env", "GROUP_PW"]
    with paused(step, argv, system_tmp):
        seen = files_in(out, system_tmp)
        assert [p.name for p in seen if holds_plaintext(p)] == []
    assert [p.name for p in files_in(out, system_tmp) if holds_plaintext(p)] == []
    assert leftovers(out)  # the killed export's temporary file is still there ...

    status, _out, err = run(capsys, "--data-dir", str(desk), "check")

    assert status == 0, err
    assert leftovers(out) == [] and files_in(system_tmp) == []  # ... until the next command
    assert not (out / "week.xlsx").exists()


@pytest.mark.parametrize("step", STEPS)
def test_a_killed_exchange_pass_leaves_no_plaintext_in_the_exchange_folder(
    desk: Path, tmp_path: Path, system_tmp: Path, capsys, step: str
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    db = open_database(desk / "aiddesk.db")
    try:
        exchange_folder.save_folder_settings(db, str(shared), PASSWORD)
    finally:
        db.close()
    with paused(step, ["--data-dir", str(desk), "exchange"], system_tmp):
        assert [p.name for p in files_in(shared, system_tmp) if holds_plaintext(p)] == []
    assert [p.name for p in files_in(shared, system_tmp) if holds_plaintext(p)] == []
    assert leftovers(shared)

    assert run(capsys, "--data-dir", str(desk), "dump")[0] == 0

    assert leftovers(shared) == [] and files_in(system_tmp) == []


def test_a_killed_plain_export_leaves_a_partial_file_that_the_next_command_removes(
    desk: Path, tmp_path: Path, system_tmp: Path, capsys
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with paused("after-packing", ["--data-dir", str(desk), "export", str(out / "week.xlsx")], system_tmp):
        assert [p.name for p in files_in(system_tmp) if holds_plaintext(p)] == []
        (left,) = leftovers(out)
        assert stat.S_IMODE(left.stat().st_mode) == 0o600
    assert leftovers(out)

    assert run(capsys, "--data-dir", str(desk), "check")[0] == 0

    assert leftovers(out) == [] and files_in(system_tmp) == []


# ---------------------------------------------------------------- the target


def test_the_exported_file_is_owner_only_even_over_a_file_anyone_could_read(
    desk: Path, tmp_path: Path, capsys
) -> None:
    target = tmp_path / "week.xlsx"
    target.write_bytes(b"an older export")
    target.chmod(0o644)

    status, _out, err = run(capsys, "--data-dir", str(desk), "export", str(target))

    assert status == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"PK")


def test_a_link_as_target_is_refused_and_left_as_it_was(desk: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file")
    link = tmp_path / "week.xlsx"
    link.symlink_to(elsewhere)

    status, out, err = run(capsys, "--data-dir", str(desk), "export", str(link))

    assert status == 2 and out == ""
    assert str(link) in err and "link" in err and len(err.strip().splitlines()) == 1
    assert link.is_symlink() and elsewhere.read_text() == "someone else's file"
    assert leftovers(tmp_path) == []


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _device(path: Path) -> Path:
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device file needs root")
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [(_fifo, "not an ordinary file"), (_device, "not an ordinary file"), (_folder, "is a folder")],
    ids=["named pipe", "device", "folder"],
)
def test_a_target_that_is_not_an_ordinary_file_is_refused_untouched(
    desk: Path, tmp_path: Path, capsys, make, says: str
) -> None:
    target = make(tmp_path / "week.xlsx")
    kind = stat.S_IFMT(target.lstat().st_mode)

    status, out, err = run(capsys, "--data-dir", str(desk), "export", str(target))

    assert status == 2 and out == ""
    assert str(target) in err and says in err and len(err.strip().splitlines()) == 1
    assert stat.S_IFMT(target.lstat().st_mode) == kind
    assert leftovers(tmp_path) == []


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may create files in: read-only for an ordinary user, immutable for root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("root cannot be kept out of a folder here (no chattr)")
        yield folder
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)


def test_an_unwritable_output_folder_is_bad_input_naming_the_target(
    desk: Path, unwritable: Path, capsys
) -> None:
    target = unwritable / "week.xlsx"

    status, out, err = run(capsys, "--data-dir", str(desk), "export", str(target))

    assert status == 2 and out == ""
    assert str(target) in err and ".~" not in err and len(err.strip().splitlines()) == 1
    assert list(unwritable.iterdir()) == []


def test_starting_the_app_removes_what_a_killed_export_left(
    desk: Path, tmp_path: Path, system_tmp: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with paused(
        "while-writing-rows", ["--data-dir", str(desk), "export", str(out / "week.xlsx")], system_tmp
    ):
        pass
    assert leftovers(out)

    started = start_app("--data-dir", str(desk), "--user", "Ann")

    assert started.returncode == 0, started.stderr
    assert leftovers(out) == [] and files_in(system_tmp) == []
