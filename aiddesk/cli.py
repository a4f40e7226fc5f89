"""The `aiddesk` command: the desk's window by default, and headless commands.

Headless commands (`aiddesk --data-dir DIR <command>`) never read standard input and
never show a window (Qt is never imported for them). `dump` and every `--json` print
only JSON on stdout. Exit codes: 0 done, 1 failed, 2 bad arguments or bad input; a
traceback only with --debug."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import aiddesk
from aiddesk import cli_exchange, cli_import_sheet, i18n
from aiddesk.cli_output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError
from aiddesk.cli_output import error as _error
from aiddesk.cli_output import print_json as _print_json
from aiddesk.cli_output import say as _say
from aiddesk.cli_output import utf8_stdout as _utf8_stdout
from aiddesk.i18n import _, ngettext

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.store.database import Database

log = logging.getLogger(__name__)
DEFAULT_PEOPLE = 200  # aiddesk.services.demo.DEFAULT_PEOPLE (not imported: --version stays quick)
DEMO_USER = "demo"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(_("%(message)s (see %(prog)s --help)") % {"message": message, "prog": self.prog})


# -- arguments ----------------------------------------------------------------------------------


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not a date like 2026-03-14.") % {"text": text}
        ) from None


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("“%(text)s” is not a whole number.") % {"text": text}) from None


def _common_options(parser: argparse.ArgumentParser, default: Any) -> None:
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="aiddesk",
        description=_("AidDesk: calls, volunteers and deliveries for a mutual-aid phone line."),
        epilog=_("Without a command, AidDesk opens its window."),
    )
    _common_options(parser, None)
    parser.add_argument("--version", action="store_true", help=_("print the version and exit"))
    common = _Parser(add_help=False)
    _common_options(common, argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    demo = commands.add_parser(
        "demo",
        parents=[common],
        help=_("fill a new desk with demo data"),
        description=_(
            "Fill a desk that has no records yet with realistic demo data (creating the desk in a new "
            "folder). The same seed gives the same content and display codes."
        ),
    )
    demo.add_argument(
        "--seed", type=_whole_number, metavar="N", help=_("seed of the demo data (random if left out)")
    )
    demo.add_argument(
        "--people",
        type=_whole_number,
        metavar="N",
        default=DEFAULT_PEOPLE,
        help=_("how many callers (default %(default)s)"),
    )
    demo.add_argument(
        "--desk-code", metavar=_("CODE"), help=_("code of the new desk (derived from the seed if left out)")
    )
    demo.add_argument(
        "--today",
        type=_date,
        metavar=_("YYYY-MM-DD"),
        help=_("the date the demo data is made for (default: today)"),
    )
    demo.add_argument("--json", action="store_true", help=_("print the summary as JSON"))

    commands.add_parser(
        "dump",
        parents=[common],
        help=_("print every synced record as sorted JSON"),
        description=_("Print the canonical state of every synced record as sorted JSON on standard output."),
    )
    check = commands.add_parser(
        "check",
        parents=[common],
        help=_("check the database's integrity and links"),
        description=_("Check the database's integrity and foreign keys; exit 0 when sound, 1 otherwise."),
    )
    check.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    routes = commands.add_parser(
        "routes",
        parents=[common],
        help=_("print a day's route sheets to a PDF file"),
        description=_(
            "Write the route sheets of every delivery run of a day to one PDF file, each sheet in "
            "its volunteer's language."
        ),
    )
    routes.add_argument(
        "--date", type=_date, required=True, metavar=_("YYYY-MM-DD"), help=_("the day of the runs")
    )
    routes.add_argument("--out", required=True, metavar=_("FILE.pdf"), help=_("the PDF file to write"))
    cli_exchange.add_parsers(commands, common, _date)
    cli_import_sheet.add_parser(commands, common)
    commands.add_parser(
        "self-test",
        parents=[common],
        help=_("check the installation without showing a window"),
        description=_("Open the database, load both languages and build the main window offscreen."),
    )
    return parser


# -- output -------------------------------------------------------------------------------------


def _print_json_records(state: dict[str, list[Any]]) -> None:
    """The same text as _print_json(state), written record by record (a big desk's dump runs to
    gigabytes: one string of it would need several times that in memory)."""
    out = _utf8_stdout()
    out.write("{")
    for n, kind in enumerate(sorted(state)):
        out.write((", " if n else "") + json.dumps(kind, ensure_ascii=False) + ": [")
        for i, record in enumerate(state[kind]):
            out.write((", " if i else "") + json.dumps(record, sort_keys=True, ensure_ascii=False))
        out.write("]")
    out.write("}\n")
    out.flush()


def _environment_language() -> str:
    """The language the shell asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Spanish or English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "es" if value.split(":")[0].lower().startswith("es") else "en"
    return "en"


# -- commands -----------------------------------------------------------------------------------


def _open_existing(paths: DeskPaths) -> Database:
    """The folder's database (checked to exist before logging starts), migrated if it is older."""
    from aiddesk.store.migrate import open_database

    return open_database(paths.database)


def _demo_options(args: argparse.Namespace) -> None:
    """Refuse bad demo options before anything is created; pick the seed when none was given."""
    from aiddesk.domain.validation import Invalid, desk_code_problem
    from aiddesk.services import demo

    if args.seed is None:
        args.seed = secrets.randbelow(demo.MAX_SEED + 1)
    demo.check_options(seed=args.seed, people=args.people)
    if args.desk_code is not None and (problem := desk_code_problem(args.desk_code.strip().upper())):
        raise Invalid([problem])


def _demo(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.services import demo
    from aiddesk.store.migrate import open_database

    seed = args.seed
    today = args.today or dt.date.today()
    paths.create()
    db = open_database(paths.database)
    try:
        demo.ensure_desk(db, seed=seed, desk_code=args.desk_code)
        summary = demo.fill(db, args.user or DEMO_USER, seed=seed, people=args.people, today=today)
    finally:
        db.close()
    if args.json:
        _print_json(dataclasses.asdict(summary))
    else:
        _say(
            sys.stdout,
            _(
                "Demo data for desk %(code)s (seed %(seed)d): %(people)d people, %(calls)d calls, "
                "%(requests)d requests, %(volunteers)d volunteers, %(deliveries)d deliveries."
            )
            % {
                "code": summary.desk_code,
                "seed": summary.seed,
                "people": summary.people,
                "calls": summary.calls,
                "requests": summary.requests,
                "volunteers": summary.volunteers,
                "deliveries": summary.deliveries,
            },
        )
    return EXIT_OK


def _dump(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.services import records

    db = _open_existing(paths)
    try:
        state = records.dump(db)
    finally:
        db.close()
    _print_json_records(state)
    return EXIT_OK


def _check(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.services import records

    db = _open_existing(paths)
    try:
        problems = records.check(db)
    finally:
        db.close()
    if args.json:
        _print_json({"ok": not problems, "problems": problems})
    elif not problems:
        _say(sys.stdout, _("The database is sound."))
    else:
        _say(
            sys.stdout,
            ngettext(
                "The database has %(count)d problem:", "The database has %(count)d problems:", len(problems)
            )
            % {"count": len(problems)},
        )
        for problem in problems:
            _say(sys.stdout, "  " + problem)
    return EXIT_OK if not problems else EXIT_FAILED


def _routes(args: argparse.Namespace, paths: DeskPaths) -> int:
    """The day's route sheets as one PDF; Qt (offscreen when there is no display) only here."""
    from pathlib import Path

    from aiddesk.i18n.formatting import format_day
    from aiddesk.services import route_sheets

    out = Path(args.out)
    if out.is_dir() or not out.parent.is_dir():
        raise UsageError(_("Cannot write %(file)s: no such folder.") % {"file": str(out)})
    db = _open_existing(paths)
    try:
        sheets = route_sheets.sheets_for_day(db, args.date, language=i18n.current_language())
    finally:
        db.close()
    day = format_day(args.date)
    if not sheets:
        raise UsageError(_("There are no delivery runs on %(date)s: nothing to print.") % {"date": day})
    from aiddesk.ui.printing import PrintFailed, gui_application, write_pdf

    app = gui_application()
    try:
        write_pdf(sheets, out, title=_("Route sheets, %(date)s") % {"date": day})
    except PrintFailed as failed:
        _error(str(failed))
        return EXIT_FAILED
    finally:
        del app
    _say(
        sys.stdout,
        ngettext(
            "Wrote %(count)d route sheet for %(date)s to %(file)s.",
            "Wrote %(count)d route sheets for %(date)s to %(file)s.",
            len(sheets),
        )
        % {"count": len(sheets), "date": day, "file": str(out)},
    )
    return EXIT_OK


def _with_database(
    command: Callable[[argparse.Namespace, DeskPaths, Database], int],
) -> Callable[[argparse.Namespace, DeskPaths], int]:
    def run(args: argparse.Namespace, paths: DeskPaths) -> int:
        db = _open_existing(paths)
        try:
            return command(args, paths, db)
        finally:
            db.close()

    return run


HEADLESS: dict[str, Callable[[argparse.Namespace, DeskPaths], int]] = {
    "demo": _demo,
    "dump": _dump,
    "check": _check,
    "routes": _routes,
    "export": _with_database(cli_exchange.export),
    "merge": _with_database(cli_exchange.merge),
    "exchange": _with_database(cli_exchange.exchange),
    "import-sheet": cli_import_sheet.run,
}


def _run_headless(args: argparse.Namespace) -> int:
    from aiddesk.paths import resolve

    paths = resolve(args.data_dir)
    logs = None
    try:
        if args.command == "demo":
            _demo_options(args)
        elif not paths.database.is_file():
            raise UsageError(
                _("There is no AidDesk database in %(folder)s.") % {"folder": str(paths.data_dir)}
            )
        from aiddesk.logging_setup import setup_logging

        logs = setup_logging(paths.log_dir, debug=bool(args.debug), crash_log=False)
        log.info("aiddesk %s: %s", args.command, paths.data_dir)
        return HEADLESS[args.command](args, paths)
    except BrokenPipeError:  # `aiddesk dump | head`: the reader has all it wanted
        _silence_stdout()
        return EXIT_FAILED
    except Exception as exc:
        return _failed(args, exc, logs.log_file if logs is not None else None)
    finally:
        if logs is not None:
            logs.close()


def _silence_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (captured in tests)
        pass


def _failed(args: argparse.Namespace, exc: Exception, log_file: Any) -> int:
    """The one-line message and exit status for an error (re-raised with --debug when unexpected)."""
    from aiddesk.domain.validation import Invalid
    from aiddesk.exchange.errors import ExportRefused, WorkbookRejected
    from aiddesk.services.demo import DemoRefused
    from aiddesk.store.migrate import UpgradeFailed

    if isinstance(exc, UsageError):
        _error(str(exc))
        return EXIT_USAGE
    if isinstance(exc, Invalid):
        _error("; ".join(_(p.message) % p.params for p in exc.problems))
        return EXIT_USAGE
    if isinstance(exc, DemoRefused):
        _error(exc.message(_))
        return EXIT_USAGE
    if isinstance(exc, WorkbookRejected):
        _error(exc.message)
        return EXIT_USAGE
    if isinstance(exc, ExportRefused):
        _error(_(exc.message))
        return EXIT_USAGE
    log.error("aiddesk %s failed", args.command, exc_info=exc)
    if args.debug:
        raise exc
    if isinstance(exc, UpgradeFailed):
        if exc.backup_file is not None:
            _error(
                _("The database could not be upgraded; it was put back as it was (copy: %(backup)s).")
                % {"backup": str(exc.backup_file)}
            )
        else:
            _error(_("The database could not be upgraded."))
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
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
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
            from aiddesk.app import run_gui

            return run_gui(args)
        if args.command == "self-test":
            from aiddesk.self_test import self_test

            return self_test(args)
        return _run_headless(args)
    except KeyboardInterrupt:
        _error(_("Stopped."))
        return 130
