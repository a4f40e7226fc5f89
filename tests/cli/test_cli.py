"""The `aiddesk` command line as a user meets it: --version, bad arguments, errors inside a command,
the window and self-test branches, and headless commands that never load Qt."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

import aiddesk
from aiddesk import cli, i18n
from aiddesk.services.desk import records

TIMEOUT = 120


def run_aiddesk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")
    env.pop("LANGUAGE", None)
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, "-m", "aiddesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        cwd=cwd,
    )


@pytest.fixture(autouse=True)
def _english_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def one_line(text: str) -> str:
    lines = text.splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_version_prints_name_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    out, err = capsys.readouterr()
    assert out == f"AidDesk {aiddesk.__version__}\n"
    assert err == ""


def test_version_from_a_real_process() -> None:
    done = run_aiddesk("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"AidDesk {aiddesk.__version__}"


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["--bogus"],
        ["demo", "--people", "many"],
        ["demo", "--today", "2026-02-30"],
        ["demo", "--people", "5"],
        ["demo", "--seed", "-1"],
        ["demo", "--desk-code", "bad code!"],
        ["check", "--frob"],
        ["dump", "extra"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "desk"
    assert cli.main(["--data-dir", str(folder), *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = one_line(err)
    assert line.startswith("aiddesk: ")
    assert "Traceback" not in err
    assert not folder.exists(), "bad arguments must not create the data folder"


def test_bad_option_from_a_real_process_is_one_line_exit_2(tmp_path: Path) -> None:
    done = run_aiddesk("--data-dir", str(tmp_path), "--no-such-option")
    assert done.returncode == 2
    assert "--no-such-option" in one_line(done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_unknown_command_from_a_real_process(tmp_path: Path) -> None:
    done = run_aiddesk("--data-dir", str(tmp_path), "launch-rockets")
    assert done.returncode == 2
    assert "launch-rockets" in one_line(done.stderr)
    assert "Traceback" not in done.stderr


def test_dump_of_a_folder_without_a_database_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "nowhere"
    assert cli.main(["--data-dir", str(folder), "dump"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(folder) in one_line(err)
    assert not folder.exists()


def test_error_inside_a_command_is_one_line_exit_1_without_traceback(
    desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_db: object) -> dict[str, object]:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(records, "dump", broken)
    assert cli.main(["--data-dir", str(desk_data_dir), "dump"]) == 1
    out, err = capsys.readouterr()
    assert out == "", "nothing but JSON may reach stdout, and there is none"
    line = one_line(err)
    assert "the disk is on fire" in line
    assert "Traceback" not in err
    log_text = (desk_data_dir / "logs" / "aiddesk.log").read_text(encoding="utf-8")
    assert "Traceback" in log_text and "the disk is on fire" in log_text, "the details go to the log"


def test_debug_lets_the_traceback_through(desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_db: object) -> list[str]:
        raise RuntimeError("checker exploded")

    monkeypatch.setattr(records, "check", broken)
    with pytest.raises(RuntimeError, match="checker exploded"):
        cli.main(["--data-dir", str(desk_data_dir), "--debug", "check"])


def test_demo_default_people_is_the_services_default() -> None:
    from aiddesk.demo import desk as demo

    assert cli.desk.DEFAULT_PEOPLE == demo.DEFAULT_PEOPLE == 200


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "dump", "check", "self-test"):
        assert command in out


def test_no_command_opens_the_window_with_the_global_options(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiddesk import app

    seen: list[argparse.Namespace] = []

    def fake_gui(args: argparse.Namespace) -> int:
        seen.append(args)
        return 7

    monkeypatch.setattr(app, "run_gui", fake_gui)
    assert cli.main(["--data-dir", "/tmp/somewhere", "--user", "Lucía", "--debug"]) == 7
    (args,) = seen
    assert (args.data_dir, args.user, args.debug, args.command) == ("/tmp/somewhere", "Lucía", True, None)


def test_self_test_runs_the_app_self_test(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiddesk import app, self_test

    seen: list[argparse.Namespace] = []

    def fake_self_test(args: argparse.Namespace) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(self_test, "self_test", fake_self_test)
    monkeypatch.setattr(app, "run_gui", lambda args: pytest.fail("self-test must not open the window"))
    assert cli.main(["--data-dir", "/tmp/x", "self-test"]) == 0
    assert seen[0].data_dir == "/tmp/x"


def test_global_options_may_follow_the_command(
    desk_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["check", "--data-dir", str(desk_data_dir)]) == 0
    assert capsys.readouterr().out.strip() == "The database is sound."


def test_headless_commands_never_load_qt_nor_read_stdin(desk_data_dir: Path, tmp_path: Path) -> None:
    probe = (
        "import sys; from aiddesk.cli import main\n"
        f"codes = [main(['--data-dir', {str(desk_data_dir)!r}, c]) for c in ('check', 'dump')]\n"
        "sys.stderr.write(repr((codes, sorted(m for m in sys.modules if m.startswith('PySide6')))))\n"
    )
    out_file, err_file = tmp_path / "out.txt", tmp_path / "err.txt"
    # stdin is an open pipe nobody writes to: a command reading it would hang until the timeout.
    with out_file.open("w") as out, err_file.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", probe], stdin=subprocess.PIPE, stdout=out, stderr=err
        )
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail("a headless command waited for standard input")
        finally:
            assert process.stdin is not None
            process.stdin.close()
    assert err_file.read_text(encoding="utf-8").strip().splitlines()[-1] == "([0, 0], [])"
    assert out_file.read_text(encoding="utf-8").startswith("The database is sound.\n{")


def test_a_spanish_shell_gets_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert cli.main(["--version"]) == 0
    assert i18n.current_language() == "es"


def test_a_spanish_shell_gets_the_usage_and_the_parser_s_mistakes_in_spanish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    assert cli.main(["--data-dir", str(tmp_path), "routes", "--out", "x.pdf"]) == 2
    assert (
        one_line(capsys.readouterr().err) == "aiddesk: faltan estos datos: --date (vea aiddesk routes --help)"
    )
    assert cli.main(["--data-dir", str(tmp_path), "lanzar-cohetes"]) == 2
    assert "'lanzar-cohetes' no es una de las opciones (escoja entre 'demo'" in capsys.readouterr().err
    assert cli.main(["routes", "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("uso: aiddesk routes")
    assert "opciones:" in shown and "muestra esta ayuda y termina" in shown
    assert "usage" not in shown and "show this help" not in shown


def test_files_are_private(tmp_path: Path, migrated_template: Path) -> None:
    folder = tmp_path / "desk"
    done = run_aiddesk("--data-dir", str(folder), "demo", "--seed", "3", "--people", "20")
    assert done.returncode == 0, done.stderr
    for path in (folder / "aiddesk.db", folder / "logs" / "aiddesk.log"):
        assert path.stat().st_mode & 0o077 == 0, path
