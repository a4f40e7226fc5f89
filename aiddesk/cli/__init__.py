"""The `aiddesk` command: the desk's window by default, and headless commands.

Headless commands (`aiddesk --data-dir DIR <command>`) never read standard input and
never show a window (Qt is never imported for them). `dump` and every `--json` print
only JSON on stdout. Exit codes: 0 done, 1 failed, 2 bad arguments or bad input; a
traceback only with --debug.

One module per command group: desk (demo, dump, check, self-test), routes, exchange (export,
merge, exchange), sheet_import (import-sheet); arguments and output are what they share."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import aiddesk
from aiddesk import i18n
from aiddesk.cli.arguments import Parser, common_options, date
from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from aiddesk.cli.output import error as _error
from aiddesk.cli.output import say as _say
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Every command's parser (each command's module is imported here, not at the window's start)."""
    from aiddesk.cli import backups as cli_backups
    from aiddesk.cli import desk, routes
    from aiddesk.cli import exchange as cli_exchange
    from aiddesk.cli import report as cli_report
    from aiddesk.cli import retention as cli_retention
    from aiddesk.cli import sheet_import as cli_import_sheet
    from aiddesk.cli.argparse_words import speak_our_language

    speak_our_language()
    parser = Parser(
        prog="aiddesk",
        description=_("AidDesk: calls, volunteers and deliveries for a mutual-aid phone line."),
        epilog=_("Without a command, AidDesk opens its window."),
    )
    common_options(parser, None)
    parser.add_argument("--version", action="store_true", help=_("print the version and exit"))
    common = Parser(add_help=False)
    common_options(common, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    desk.add_parsers(commands, common)
    routes.add_parser(commands, common)
    cli_exchange.add_parsers(commands, common, date)
    cli_import_sheet.add_parser(commands, common)
    cli_backups.add_parsers(commands, common)
    cli_report.add_parsers(commands, common, date)
    cli_retention.add_parser(commands, common)
    desk.add_self_test_parser(commands, common)
    return parser


def _environment_language() -> str:
    """The language the shell asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Spanish or English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "es" if value.split(":")[0].lower().startswith("es") else "en"
    return "en"


def window_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments when they only open the window (no command, no --help), read without the
    commands' parsers, whose modules would cost every start of the window their import time."""
    if any(arg in ("-h", "--help") or arg in COMMANDS for arg in argv):
        return None
    parser = Parser(prog="aiddesk", add_help=False)
    common_options(parser, None)
    parser.add_argument("--version", action="store_true")
    try:
        args = parser.parse_args(argv)
    except (UsageError, SystemExit):  # a command, or a mistake the full parser says best
        return None
    args.command = None
    return args


Command = Callable[[argparse.Namespace, "DeskPaths"], int]


def _command(module: str, name: str, *, database: bool = False) -> Command:
    """A command's function, its module imported when the command runs."""

    def run(args: argparse.Namespace, paths: DeskPaths) -> int:
        function = getattr(importlib.import_module(f"aiddesk.cli.{module}"), name)
        if database:
            from aiddesk.cli.desk import with_database

            function = with_database(function)
        return int(function(args, paths))

    return run


HEADLESS: dict[str, Command] = {
    "demo": _command("desk", "run_demo"),
    "dump": _command("desk", "run_dump"),
    "check": _command("desk", "run_check"),
    "routes": _command("routes", "run"),
    "export": _command("exchange", "export", database=True),
    "merge": _command("exchange", "merge", database=True),
    "exchange": _command("exchange", "exchange", database=True),
    "import-sheet": _command("sheet_import", "run"),
    "backups": _command("backups", "listing"),
    "backup": _command("backups", "backup"),
    "restore": _command("backups", "restore"),
    "report": _command("report", "report", database=True),
    "callback-list": _command("report", "callback_list", database=True),
    "packing-list": _command("report", "packing_list", database=True),
    "retention": _command("retention", "run", database=True),
}
COMMANDS = frozenset(HEADLESS) | {"self-test"}
CLI_CHECK_BUDGET_S = 1.0  # the quick check of the database before a command


def _run_headless(args: argparse.Namespace) -> int:
    from aiddesk.cli import backups as cli_backups
    from aiddesk.cli import desk
    from aiddesk.paths import prepare, refuse_files, resolve

    paths = resolve(args.data_dir)
    logs = None
    try:
        refuse_files(paths)
        if args.command == "demo":
            desk.demo_options(args)
        elif args.command not in cli_backups.NO_DATABASE_NEEDED and not _had_a_database(paths):
            raise UsageError(
                _("There is no AidDesk database in %(folder)s.") % {"folder": str(paths.data_dir)}
            )
        prepare(paths)
        from aiddesk.logging_setup import setup_logging
        from aiddesk.store.temp_files import TempFiles

        logs = setup_logging(paths.log_dir, debug=bool(args.debug), crash_log=False)
        log.info("aiddesk %s: %s", args.command, paths.data_dir)
        TempFiles(paths.data_dir).sweep()  # what a killed export left behind
        from aiddesk.cli.unlock import acting_account, desk_key

        args.desk_key = desk_key(args, paths)  # an encrypted desk: AIDDESK_SECRET opens it
        damage = cli_backups.guard(args.command, paths, budget=CLI_CHECK_BUDGET_S, key=args.desk_key)
        if damage is not None:
            return cli_backups.report_damage(damage, paths)
        if getattr(args, "unlocked_by", None):
            args.user = acting_account(args, paths) or args.user  # acts with that account's role
        return HEADLESS[args.command](args, paths)
    except BrokenPipeError:  # `aiddesk dump | head`: the reader has all it wanted
        _silence_stdout()
        return EXIT_FAILED
    except Exception as exc:
        return _failed(args, exc, logs.log_file if logs is not None else None)
    finally:
        if logs is not None:
            logs.close()


def _had_a_database(paths: DeskPaths) -> bool:
    """The database is there, or it was (a lost one is reported with the backup to restore)."""
    if paths.database.is_file():
        return True
    from aiddesk.store.soundness import had_a_desk

    return had_a_desk(paths.database)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


def _failed(args: argparse.Namespace, exc: Exception, log_file: Any) -> int:
    """The one-line message and exit status for an error (re-raised with --debug when unexpected)."""
    from aiddesk.demo.desk import DemoRefused
    from aiddesk.domain.access import NotAllowed
    from aiddesk.domain.validation import Invalid
    from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected
    from aiddesk.paths import FolderProblem
    from aiddesk.services.backups import BackupFailed, BackupRejected, damage, rejected_text
    from aiddesk.store.migrate import DatabaseDamaged, UpgradeFailed

    if isinstance(exc, UsageError):
        _error(str(exc))
        return EXIT_USAGE
    if isinstance(exc, FolderProblem):
        _error(exc.message)
        return EXIT_USAGE if exc.bad_argument else EXIT_FAILED
    if isinstance(exc, Invalid):
        _error("; ".join(_(p.message) % p.params for p in exc.problems))
        return EXIT_USAGE
    if isinstance(exc, NotAllowed):  # the account that unlocked the desk may not do this
        _error(exc.message(_))
        return EXIT_USAGE
    if isinstance(exc, DemoRefused):
        _error(exc.message(_))
        return EXIT_USAGE
    if isinstance(exc, WorkbookRejected):
        _error(exc.message)
        return EXIT_USAGE
    if isinstance(exc, ExportRefused):
        _error(exc.text())
        return EXIT_USAGE
    if isinstance(exc, BackupRejected):
        _error(rejected_text(exc, _))
        return EXIT_USAGE
    if log_file is not None:  # before logging is set up, a record would go to stderr, traceback and all
        log.error("aiddesk %s failed", args.command, exc_info=exc)
    if isinstance(exc, DatabaseDamaged):
        from aiddesk.cli import backups as cli_backups
        from aiddesk.paths import resolve

        return cli_backups.report_damage(damage(exc.path, exc.verdict), resolve(args.data_dir))
    if args.debug:
        raise exc
    from aiddesk.services.disk_space import DISK_FULL, disk_full

    if disk_full(exc):
        _error(_(DISK_FULL))
    elif isinstance(exc, UpgradeFailed):
        if exc.backup_file is not None:
            _error(
                _("The database could not be upgraded; it was put back as it was (copy: %(backup)s).")
                % {"backup": str(exc.backup_file)}
            )
        else:
            _error(_("The database could not be upgraded."))
    elif isinstance(exc, BackupFailed):
        _error(_("The backup could not be made: the copy did not pass its check. Details are in the log."))
    elif isinstance(exc, OSError):
        _error(
            _("Could not use %(file)s: %(reason)s")
            % {"file": exc.filename or "", "reason": exc.strerror or str(exc)}
        )
    else:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if log_file is not None:
            _error(
                _("%(command)s failed: %(error)s (details in %(log)s)")
                % {"command": args.command, "error": message, "log": str(log_file)}
            )
        else:
            _error(_("%(command)s failed: %(error)s") % {"command": args.command, "error": message})
    return EXIT_FAILED


# -- entry point --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """`aiddesk` and `python -m aiddesk`: returns the exit status."""
    os.umask(0o077)
    language = _environment_language()
    if language != i18n.current_language():
        i18n.set_language(language)
    words = list(sys.argv[1:] if argv is None else argv)
    args = window_arguments(words)
    if args is None:
        try:
            args = build_parser().parse_args(words)
        except UsageError as exc:
            _error(str(exc))
            return EXIT_USAGE
        except SystemExit as exc:  # --help printed its text
            return exc.code if isinstance(exc.code, int) else EXIT_OK
    if args.version:
        _say(sys.stdout, f"AidDesk {aiddesk.__version__}")
        return EXIT_OK
    try:
        if args.command is None:
            from aiddesk.app import end_quickly, run_gui

            code = run_gui(args)
            if argv is None:  # the program itself (not a caller inside another process): it ends now
                end_quickly()
            return code
        if args.command == "self-test":
            from aiddesk.self_test import self_test

            return self_test(args)
        return _run_headless(args)
    except KeyboardInterrupt:
        _error(_("Stopped."))
        return 130
