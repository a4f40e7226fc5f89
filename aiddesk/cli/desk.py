"""Commands about the desk itself: `demo` (a new desk filled with demo data), `dump` (every synced
record as sorted JSON), `check` (integrity and links) and `self-test` (run by aiddesk.self_test);
and opening the desk's database for any command."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import secrets
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiddesk.cli.arguments import date, whole_number
from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, print_json, say, utf8_stdout
from aiddesk.i18n import _, ngettext

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.store.database import Database

DEFAULT_PEOPLE = 200  # aiddesk.demo.desk.DEFAULT_PEOPLE (not imported: --version stays quick)
DEMO_USER = "demo"


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    """`demo`, `dump` and `check`."""
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
        "--seed", type=whole_number, metavar="N", help=_("seed of the demo data (random if left out)")
    )
    demo.add_argument(
        "--people",
        type=whole_number,
        metavar="N",
        default=DEFAULT_PEOPLE,
        help=_("how many callers (default %(default)s)"),
    )
    demo.add_argument(
        "--desk-code", metavar=_("CODE"), help=_("code of the new desk (derived from the seed if left out)")
    )
    demo.add_argument(
        "--today",
        type=date,
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


def add_self_test_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "self-test",
        parents=[common],
        help=_("check the installation without showing a window"),
        description=_("Open the database, load both languages and build the main window offscreen."),
    )


def print_json_records(state: dict[str, list[Any]]) -> None:
    """The same text as print_json(state), written record by record (a big desk's dump runs to
    gigabytes: one string of it would need several times that in memory)."""
    out = utf8_stdout()
    out.write("{")
    for n, kind in enumerate(sorted(state)):
        out.write((", " if n else "") + json.dumps(kind, ensure_ascii=False) + ": [")
        for i, record in enumerate(state[kind]):
            out.write((", " if i else "") + json.dumps(record, sort_keys=True, ensure_ascii=False))
        out.write("]")
    out.write("}\n")
    out.flush()


def open_existing(paths: DeskPaths, args: argparse.Namespace) -> Database:
    """The folder's database (checked to exist before logging starts), migrated if it is older;
    an encrypted one with the key the command unlocked (aiddesk/cli/unlock.py)."""
    from aiddesk.store.migrate import open_database

    return open_database(paths.database, key=getattr(args, "desk_key", None))


def demo_options(args: argparse.Namespace) -> None:
    """Refuse bad demo options before anything is created; pick the seed when none was given."""
    from aiddesk.demo import desk as demo
    from aiddesk.domain.validation import Invalid, desk_code_problem

    if args.seed is None:
        args.seed = secrets.randbelow(demo.MAX_SEED + 1)
    demo.check_options(seed=args.seed, people=args.people)
    if args.desk_code is not None and (problem := desk_code_problem(args.desk_code.strip().upper())):
        raise Invalid([problem])


def run_demo(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.demo import desk as demo
    from aiddesk.store.migrate import open_database

    seed = args.seed
    today = args.today or dt.date.today()
    paths.create()
    key = getattr(args, "desk_key", None)
    encrypted_now = key is None and not paths.database.exists() and bool(_demo_secret())
    if key is None and not paths.database.exists():
        key = _new_demo_desk(paths)
    db = open_database(paths.database, key=key)
    try:
        demo.ensure_desk(db, seed=seed, desk_code=args.desk_code)
        summary = demo.fill(db, args.user or DEMO_USER, seed=seed, people=args.people, today=today)
        if encrypted_now:
            from aiddesk.demo.accounts import add_demo_accounts

            add_demo_accounts(db)  # sign-in and roles to try (the README lists them)
    finally:
        db.close()
    if args.json:
        print_json(dataclasses.asdict(summary))
    else:
        say(
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


def _demo_secret() -> str:
    from aiddesk.cli.unlock import secret

    return secret()


def _new_demo_desk(paths: DeskPaths) -> Any:
    """A new demo desk is encrypted when AIDDESK_SECRET is set (that value is its recovery key),
    plain otherwise (said on stderr)."""
    from aiddesk.cli.unlock import SECRET_ENV, secret
    from aiddesk.services.desk import encryption

    given = secret()
    if not given:
        # said here: the window does not offer to encrypt it at its first start (Settings does)
        encryption.mark_offered(paths.database)
        say(
            sys.stderr,
            "aiddesk: "
            + _(
                "This demo desk is not encrypted: set %(variable)s (at least 12 characters, its recovery "
                "key) to make an encrypted one."
            )
            % {"variable": SECRET_ENV},
        )
        return None
    return encryption.set_up(paths.database, recovery=given).key


def run_dump(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.services.desk import records

    db = open_existing(paths, args)
    try:
        state = records.dump(db)
    finally:
        db.close()
    print_json_records(state)
    return EXIT_OK


def run_check(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.cli import backups as cli_backups
    from aiddesk.services import backups
    from aiddesk.services.desk import records

    key = getattr(args, "desk_key", None)
    verdict = backups.full_check(paths.database, strict=True, key=key)
    if verdict.damaged:
        damage = backups.damage(paths.database, verdict, key=key)
        if args.json:
            print_json(
                {
                    "ok": False,
                    "problems": cli_backups.damage_lines(damage, paths),
                    "backup": str(damage.backup.path) if damage.backup else None,
                }
            )
        return cli_backups.report_damage(damage, paths)
    from aiddesk.services import audit

    db = open_existing(paths, args)
    try:
        problems = records.check(db)
        trail = audit.check_trail(db)
    finally:
        db.close()
    if not trail.ok:
        problems.append(audit.verdict_text(trail, _))
    if args.json:
        print_json({"ok": not problems, "problems": problems, "audit": trail.as_json()})
    elif not problems:
        say(sys.stdout, _("The database is sound."))
    else:
        say(
            sys.stdout,
            ngettext(
                "The database has %(count)d problem:", "The database has %(count)d problems:", len(problems)
            )
            % {"count": len(problems)},
        )
        for problem in problems:
            say(sys.stdout, "  " + problem)
    return EXIT_OK if not problems else EXIT_FAILED


def with_database(
    command: Callable[[argparse.Namespace, DeskPaths, Database], int],
) -> Callable[[argparse.Namespace, DeskPaths], int]:
    def run(args: argparse.Namespace, paths: DeskPaths) -> int:
        db = open_existing(paths, args)
        try:
            return command(args, paths, db)
        finally:
            db.close()

    return run
