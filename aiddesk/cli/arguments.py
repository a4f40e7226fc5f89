"""What every command's parser shares: the parser class (errors become exit status 2), the options
accepted before and after a command, and the argument types."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any, NoReturn

from aiddesk.cli.output import UsageError
from aiddesk.i18n import _


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(_("%(message)s (see %(prog)s --help)") % {"message": message, "prog": self.prog})


def date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not a date like 2026-03-14.") % {"text": text}
        ) from None


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(text)s” is not a whole number.") % {"text": text}) from None


def file_to_write(out: str) -> Path:
    """The file a command is to write, or UsageError saying what is wrong with the name given."""
    path = Path(out).expanduser()
    if path.is_dir():
        raise UsageError(_("%(file)s is a folder, not a file: give a file name.") % {"file": out})
    if not path.parent.is_dir():
        raise UsageError(
            _("Cannot write %(file)s: there is no folder %(folder)s.")
            % {"file": out, "folder": str(path.parent)}
        )
    return path


def folder_to_write(out: str) -> Path:
    """The folder a command is to write into, or UsageError saying what is wrong with it."""
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise UsageError(_("%(folder)s is a file, not a folder: give a folder.") % {"folder": out})
    if not path.is_dir():
        raise UsageError(_("There is no folder %(folder)s.") % {"folder": out})
    return path


def common_options(parser: argparse.ArgumentParser, default: Any) -> None:
    """Options accepted before and after the command (after it, they only override)."""
    parser.add_argument(
        "--data-dir",
        metavar=_("DIR"),
        default=default if default is argparse.SUPPRESS else None,
        help=_("keep the desk's files in DIR instead of the user data folder"),
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=default if default is argparse.SUPPRESS else False,
        help=_("log more, and show the details of an unexpected error"),
    )
    parser.add_argument(
        "--user",
        metavar=_("NAME"),
        default=default if default is argparse.SUPPRESS else None,
        help=_("who is at the desk (recorded on what is saved)"),
    )
