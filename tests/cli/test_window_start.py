"""Opening the window reads its few options without the commands' parsers: no command's module
is imported at the window's start (each one costs every start its import time)."""

from __future__ import annotations

import subprocess
import sys

from aiddesk.cli import window_arguments


def test_only_window_options_open_the_window() -> None:
    args = window_arguments(["--data-dir", "/tmp/desk", "--user", "Ana"])
    assert args is not None and args.command is None and args.data_dir == "/tmp/desk" and args.user == "Ana"
    assert window_arguments([]) is not None
    for words in (["dump"], ["--data-dir", "/tmp/d", "export", "x.xlsx"], ["--help"], ["-h"], ["bogus"]):
        assert window_arguments(words) is None, words  # the full parser reads (or refuses) these
    assert window_arguments(["--data-dir", "dump"]) is None  # a folder named like a command: the full parser


def test_the_windows_start_imports_no_command_module() -> None:
    code = (
        "import sys; from aiddesk.cli import window_arguments; window_arguments(['--user', 'Ana']); "
        "print(sorted(m for m in sys.modules if m.startswith('aiddesk.cli.') and m not in "
        "('aiddesk.cli.arguments', 'aiddesk.cli.output')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
