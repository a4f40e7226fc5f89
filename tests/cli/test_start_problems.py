"""A data folder that cannot be used, and arguments that make no sense, at the start of a command
or of the app: one clear line (or one dialog) naming what is wrong, the right exit code, and
never a traceback. 2: the arguments given are wrong; 1: anything else."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiddesk import app, cli
from aiddesk.ui.shell import application


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a folder")
    return path


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Folders made unwritable for the test: read-only for an ordinary user, immutable for root."""
    made: list[Path] = []
    yield made
    for folder in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o700)


def make_unwritable(folder: Path, made: list[Path]) -> None:
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("root cannot be kept out of a folder here (no chattr)")
    else:
        folder.chmod(0o500)
    made.append(folder)


COMMANDS = [["demo", "--people", "20"], ["dump"], ["export", "out.xlsx"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_data_folder_that_is_a_file_is_a_bad_argument(a_file: Path, capsys, command: list[str]) -> None:
    status, out, err = run(capsys, "--data-dir", str(a_file), *command)

    assert status == 2 and out == ""
    assert one_line(err) == f"aiddesk: The data folder {a_file} is a file, not a folder."


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_data_folder_inside_a_file_is_a_bad_argument(a_file: Path, capsys, command: list[str]) -> None:
    status, out, err = run(capsys, "--data-dir", str(a_file / "desk"), *command)

    assert status == 2 and out == ""
    assert one_line(err) == f"aiddesk: The data folder {a_file / 'desk'} cannot be made: {a_file} is a file."


def test_a_logs_that_is_a_file_is_one_line(desk_data_dir: Path, capsys) -> None:
    (desk_data_dir / "logs").write_text("not a folder")

    status, out, err = run(capsys, "--data-dir", str(desk_data_dir), "dump")

    assert status == 1 and out == ""
    assert one_line(err) == (
        f"aiddesk: AidDesk cannot keep its log in {desk_data_dir / 'logs'}: it is a file, not a folder."
    )


def test_an_unwritable_data_folder_is_one_line(desk_data_dir: Path, capsys, immutable: list[Path]) -> None:
    make_unwritable(desk_data_dir, immutable)

    status, out, err = run(capsys, "--data-dir", str(desk_data_dir), "dump")

    assert status == 1 and out == ""
    assert one_line(err) == (
        f"aiddesk: AidDesk may not write in its data folder {desk_data_dir}. "
        "Check that the folder belongs to you and is not read-only."
    )


def test_a_new_data_folder_in_an_unwritable_place_is_one_line(
    tmp_path: Path, capsys, immutable: list[Path]
) -> None:
    place = tmp_path / "place"
    place.mkdir()
    make_unwritable(place, immutable)

    status, out, err = run(capsys, "--data-dir", str(place / "desk"), "demo", "--people", "20")

    assert status == 1 and out == ""
    assert one_line(err) == (
        f"aiddesk: AidDesk may not write in its data folder {place / 'desk'}. "
        "Check that the folder belongs to you and is not read-only."
    )


@pytest.mark.parametrize("day", ["9999-12-31", "2999-01-01"])
def test_export_since_a_day_after_today_is_a_bad_argument(
    desk_data_dir: Path, tmp_path: Path, capsys, day: str
) -> None:
    status, out, err = run(
        capsys, "--data-dir", str(desk_data_dir), "export", str(tmp_path / "out.xlsx"), "--since", day
    )

    assert status == 2 and out == ""
    assert one_line(err) == f"aiddesk: {day} is after today: no record can have changed since then."
    assert not (tmp_path / "out.xlsx").exists()


# ---------------------------------------------------------------- the app's start


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    monkeypatch.setattr(application, "show_problem", lambda text, **_: messages.append(text))
    return messages


def start(folder: Path) -> int:
    return app.run_gui(argparse.Namespace(data_dir=str(folder), debug=False, user="Ann"))


def test_the_app_says_in_a_dialog_when_its_data_folder_is_a_file(
    qapp, a_file: Path, shown: list[str], capsys
) -> None:
    assert start(a_file) == 1
    assert shown == [f"The data folder {a_file} is a file, not a folder."]
    assert one_line(capsys.readouterr().err) == shown[0]


def test_the_app_says_in_a_dialog_when_its_data_folder_is_inside_a_file(
    qapp, a_file: Path, shown: list[str], capsys
) -> None:
    assert start(a_file / "desk") == 1
    assert shown == [f"The data folder {a_file / 'desk'} cannot be made: {a_file} is a file."]
    assert one_line(capsys.readouterr().err) == shown[0]


def test_the_app_says_in_a_dialog_when_its_logs_is_a_file(
    qapp, desk_data_dir: Path, shown: list[str], capsys
) -> None:
    (desk_data_dir / "logs").write_text("not a folder")
    assert start(desk_data_dir) == 1
    assert shown == [f"AidDesk cannot keep its log in {desk_data_dir / 'logs'}: it is a file, not a folder."]
    assert one_line(capsys.readouterr().err) == shown[0]


def test_the_app_says_in_a_dialog_when_its_data_folder_is_unwritable(
    qapp, desk_data_dir: Path, shown: list[str], capsys, immutable: list[Path]
) -> None:
    shutil.rmtree(desk_data_dir / "logs", ignore_errors=True)
    make_unwritable(desk_data_dir, immutable)
    assert start(desk_data_dir) == 1
    assert shown == [
        f"AidDesk may not write in its data folder {desk_data_dir}. "
        "Check that the folder belongs to you and is not read-only."
    ]
    assert one_line(capsys.readouterr().err) == shown[0]


def test_a_real_process_prints_one_line_and_no_traceback(desk_data_dir: Path, a_file: Path) -> None:
    """In a real process, an error before logging is set up must not reach Python's last-resort
    log handler (which prints the whole traceback on stderr)."""
    (desk_data_dir / "logs").write_text("not a folder")
    for folder, command, status in ((desk_data_dir, "dump", 1), (a_file / "desk", "demo", 2)):
        done = subprocess.run(
            [sys.executable, "-m", "aiddesk", "--data-dir", str(folder), command],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": ""},
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == status and done.stdout == ""
        assert one_line(done.stderr).startswith("aiddesk: ")
