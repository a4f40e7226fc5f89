"""`aiddesk routes`: a day's route sheets to one PDF from a script, with no display and no stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from aiddesk import cli

TODAY = "2026-11-23"
TIMEOUT = 120


@pytest.fixture(scope="module")
def demo_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo desk made for TODAY: runs today and tomorrow for English- and Spanish-speaking drivers."""
    folder = tmp_path_factory.mktemp("routes") / "desk"
    argv = ["--data-dir", str(folder), "demo", "--seed", "5", "--people", "60", "--today", TODAY]
    assert cli.main(argv) == 0
    return folder


@pytest.fixture(autouse=True)
def _english_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


def run_aiddesk(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A real process with no display and no platform chosen: the command must pick offscreen itself."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    environment.update(LANG="C.UTF-8", **env)
    return subprocess.run(
        [sys.executable, "-m", "aiddesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
        env=environment,
    )


def test_prints_every_run_of_the_day_each_in_its_volunteers_language(demo_desk: Path, tmp_path: Path) -> None:
    out = tmp_path / "today.pdf"
    done = run_aiddesk("--data-dir", str(demo_desk), "routes", "--date", TODAY, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Wrote ") and "Monday, Nov 23, 2026" in done.stdout
    assert str(out) in done.stdout
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)
    assert "Monday, Nov 23, 2026" in text
    assert "Lunes, 23 nov 2026" in text


def test_nothing_to_print_is_exit_2_and_writes_nothing(
    demo_desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "empty.pdf"
    assert cli.main(["--data-dir", str(demo_desk), "routes", "--date", "2031-01-01", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "aiddesk: There are no delivery runs on Wednesday, Jan 1, 2031: nothing to print."
    )
    assert not out.exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["routes", "--date", "2026-02-30", "--out", "x.pdf"],
        ["routes", "--date", "tomorrow", "--out", "x.pdf"],
        ["routes", "--out", "x.pdf"],
        ["routes", "--date", TODAY],
    ],
)
def test_a_wrong_date_or_missing_option_is_exit_2(
    argv: list[str], demo_desk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--data-dir", str(demo_desk), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aiddesk: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_folder_that_does_not_exist_is_exit_2(
    demo_desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nowhere" / "day.pdf"
    assert cli.main(["--data-dir", str(demo_desk), "routes", "--date", TODAY, "--out", str(out)]) == 2
    assert str(out) in capsys.readouterr().err


def test_without_fonts_it_fails_loudly_instead_of_writing_a_blank_pdf(
    demo_desk: Path, tmp_path: Path
) -> None:
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n',
        encoding="utf-8",
    )
    out = tmp_path / "blank.pdf"
    done = run_aiddesk(
        "--data-dir",
        str(demo_desk),
        "routes",
        "--date",
        TODAY,
        "--out",
        str(out),
        FONTCONFIG_FILE=str(config),
    )
    assert done.returncode == 1
    assert "No fonts are installed" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"] == []


def test_refusals_never_load_qt(demo_desk: Path, tmp_path: Path) -> None:
    probe = (
        "import sys; from aiddesk.cli import main\n"
        f"code = main(['--data-dir', {str(demo_desk)!r}, 'routes', '--date', '2031-01-01', '--out', 'x.pdf'])\n"
        "sys.stderr.write(repr((code, sorted(m for m in sys.modules if m.startswith('PySide6')))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    assert done.stderr.strip().splitlines()[-1] == "(2, [])"


def test_a_folder_given_as_the_file_is_named_as_a_folder(
    demo_desk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--data-dir", str(demo_desk), "routes", "--date", TODAY, "--out", f"{tmp_path}/"]) == 2
    assert (
        capsys.readouterr().err.strip() == f"aiddesk: {tmp_path}/ is a folder, not a file: give a file name."
    )
