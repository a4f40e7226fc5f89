"""Headless exchange commands: `export`, `merge` and `exchange`.

Passwords come from an environment variable named on the command line (never from
an argument other users could read in the process list, never from stdin)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, UsageError, print_json, say
from aiddesk.i18n import _, ngettext

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths

HEADLESS_USER = "aiddesk"


def add_parsers(commands: Any, common: argparse.ArgumentParser, date_type: Any) -> None:
    export = commands.add_parser(
        "export",
        parents=[common],
        help=_("write the desk's records to an exchange workbook"),
        description=_(
            "Write every record (or those changed since a date) to an .xlsx workbook that other desks "
            "can merge. The file appears complete or not at all."
        ),
    )
    export.add_argument("out", metavar=_("OUT.xlsx"), help=_("the workbook to write"))
    export.add_argument(
        "--since", type=date_type, metavar=_("YYYY-MM-DD"), help=_("only records changed since this day")
    )
    export.add_argument(
        "--redact",
        action="store_true",
        help=_(
            "leave out names, phones, addresses and notes (pseudonyms instead); such a copy cannot be merged"
        ),
    )
    _password_option(export, _("encrypt the workbook with the password held in the environment variable VAR"))
    export.add_argument(
        "--group-password-env",
        metavar=_("VAR"),
        help=_(
            "with --redact, on a desk that has no group password yet: the network's group password is "
            "in the environment variable VAR (it is then kept, as Settings keeps it)"
        ),
    )

    merge = commands.add_parser(
        "merge",
        parents=[common],
        help=_("merge an exchange workbook into this desk"),
        description=_(
            "Merge a workbook exported by an AidDesk desk. Concurrent edits are kept as conflicts; cells "
            "changed by hand in the workbook become proposals. A backup is made first."
        ),
    )
    merge.add_argument("workbook", metavar=_("IN.xlsx"), help=_("the workbook to merge"))
    merge.add_argument("--dry-run", action="store_true", help=_("report what would change, change nothing"))
    merge.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    choice = merge.add_mutually_exclusive_group()
    choice.add_argument(
        "--accept-proposals", action="store_true", help=_("accept every cell changed by hand")
    )
    choice.add_argument(
        "--reject-proposals", action="store_true", help=_("reject every cell changed by hand")
    )
    _password_option(merge, _("the workbook's password is in the environment variable VAR"))

    exchange = commands.add_parser(
        "exchange",
        parents=[common],
        help=_("one exchange with the exchange folder"),
        description=_(
            "Write this desk's next file to the exchange folder set in Settings and merge what is new "
            "in the other desks' files. With --folder and --password-env, set the folder and the group "
            "password first (kept as the Settings screen keeps them)."
        ),
    )
    exchange.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    exchange.add_argument(
        "--folder", metavar=_("DIR"), help=_("use this exchange folder from now on (as in Settings)")
    )
    _password_option(
        exchange, _("the group password is in the environment variable VAR (kept, as Settings keeps it)")
    )
    exchange.add_argument(
        "--new-group-password",
        action="store_true",
        help=_(
            "with --password-env: the group chose a new password; keep it although the other desks' "
            "files in the folder do not open with it yet"
        ),
    )


def _password_option(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument("--password-env", metavar=_("VAR"), help=text)


def _password(args: argparse.Namespace) -> str | None:
    return _from_environment(args.password_env)


def _from_environment(name: str | None) -> str | None:
    if not name:
        return None
    value = os.environ.get(name)
    if not value:
        raise UsageError(_("The environment variable %(name)s holds no password.") % {"name": name})
    return value


def _group_password(args: argparse.Namespace, db: Any) -> str:
    """The group password a redacted export makes its pseudonyms with: the desk's (Settings), or
    the one given with --group-password-env, which a desk without one then keeps."""
    from aiddesk.services.exchange.folder import folder_settings, save_folder_settings

    settings = folder_settings(db)
    given = _from_environment(args.group_password_env)
    if given is None:
        if not settings.password:
            raise UsageError(
                _(
                    "A redacted copy replaces names by codes that only the desks of your network can "
                    "match, and the codes are made with the group password. Set it in Settings, or give "
                    "it with --group-password-env VAR."
                )
            )
        return settings.password
    if settings.password and given != settings.password:
        raise UsageError(
            _(
                "The group password in %(name)s is not the one this desk keeps in Settings. If the "
                "network chose a new one, change it in Settings first."
            )
            % {"name": args.group_password_env}
        )
    if not settings.password:
        save_folder_settings(
            db, settings.folder, given, who=args.user or ""
        )  # raises Invalid (exit 2) for a weak one
    return given


def export(args: argparse.Namespace, paths: DeskPaths, db: Any) -> int:
    from aiddesk.services.exchange.export import ExportOptions, check_export, export_workbook

    out = Path(args.out)  # a folder, a device, a link or no such folder: refused by the export (exit 2)
    options = ExportOptions(since=args.since, redact=bool(args.redact), password=_password(args))
    if args.group_password_env and not args.redact:
        raise UsageError(_("--group-password-env is for a redacted export (--redact)."))
    check_export(out, options)  # before a group password given here is kept
    group_password = _group_password(args, db) if args.redact else ""
    summary = export_workbook(db, out, options, group_password=group_password, who=args.user or "")
    total = sum(summary.rows.values())
    say(
        sys.stdout,
        ngettext("Wrote %(count)d record to %(file)s.", "Wrote %(count)d records to %(file)s.", total)
        % {"count": total, "file": str(out)},
    )
    return EXIT_OK


def merge(args: argparse.Namespace, paths: DeskPaths, db: Any) -> int:
    from aiddesk.services.exchange.merge import Proposals, merge_file

    source = Path(args.workbook)
    if not os.path.lexists(source):  # a folder, a device or a pipe: the reading refuses it, saying so
        raise UsageError(_("There is no file %(file)s.") % {"file": str(source)})
    choice = (
        Proposals.ACCEPT
        if args.accept_proposals
        else Proposals.REJECT
        if args.reject_proposals
        else Proposals.KEEP
    )
    report = merge_file(
        db,
        source,
        args.user or HEADLESS_USER,
        password=_password(args),
        dry_run=bool(args.dry_run),
        proposals=choice,
    )
    if report.applied:
        _warn_of_the_same_code(db)
    if args.json:
        print_json(report.as_json())
        return EXIT_OK
    say(sys.stdout, merge_summary(report))
    for line in report.rejected:
        where = ", ".join(str(p) for p in (line.sheet, line.row, line.column) if p not in (None, ""))
        say(sys.stdout, f"  {where}: {line.reason}")
    return EXIT_OK


def _warn_of_the_same_code(db: Any) -> None:
    """On standard error: another desk met in a merge uses this desk's code."""
    from aiddesk.services.exchange.desk_codes import same_code_warning

    warning = same_code_warning(db)
    if warning:
        say(sys.stderr, f"aiddesk: {warning}")


def merge_summary(report: Any) -> str:
    text = _(
        "%(file)s from desk %(desk)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged, "
        "%(conflicts)d conflicts, %(proposals)d hand edits, %(rejected)d cells not taken."
    ) % {"file": report.source, "desk": report.desk_code, **report.counts()}
    if not report.applied:
        text += " " + _("(dry run: nothing was changed)")
    if report.clock_flagged:
        text += " " + _("The clock of that desk is more than a day ahead; please check it.")
    return text


def exchange(args: argparse.Namespace, paths: DeskPaths, db: Any) -> int:
    from aiddesk.services.exchange.folder import run_pass

    if args.new_group_password and not args.password_env:
        raise UsageError(
            _("--new-group-password goes with --password-env VAR, which holds the new password.")
        )
    if args.folder is not None or args.password_env:
        _set_up_folder(args, db)
    summary = run_pass(db, args.user or HEADLESS_USER)
    if summary.merged:
        _warn_of_the_same_code(db)
    if args.json:
        print_json(pass_json(summary))
    if summary.password_missing:
        raise UsageError(
            _(
                "The group password is not on this computer (a backup put back here does not bring "
                "it): give it with --password-env VAR, or type it in Settings."
            )
        )
    if summary.offline or not summary.configured:
        raise UsageError(_("The exchange folder is not set up or cannot be reached."))
    done = EXIT_FAILED if summary.failed else EXIT_OK  # a file not merged (or not written): 1
    if args.json:
        return done
    if summary.wrote is not None:
        say(sys.stdout, _("Wrote this desk's workbook: %(file)s") % {"file": str(summary.wrote)})
    for name in summary.removed:
        say(sys.stdout, _("Removed %(file)s: this desk's newer snapshot holds it all.") % {"file": name})
    for _name, report in summary.merged:
        say(sys.stdout, merge_summary(report))
    for name, message in summary.failed:
        if name and name in message:  # the message names the file itself
            say(sys.stdout, _("Not merged: %(reason)s") % {"reason": message})
        else:
            say(sys.stdout, _("Not merged: %(file)s: %(reason)s") % {"file": name, "reason": message})
    for waiting in summary.waiting:
        say(
            sys.stdout,
            ngettext(
                "Desk %(desk)s: %(count)d file waits for one of its files that has not arrived.",
                "Desk %(desk)s: %(count)d files wait for one of its files that has not arrived.",
                waiting.files,
            )
            % {"desk": waiting.desk, "count": waiting.files},
        )
    if not summary.merged and not summary.failed:
        say(sys.stdout, _("No other desk has a new workbook."))
    return done


def _set_up_folder(args: argparse.Namespace, db: Any) -> None:
    """--folder and --password-env: this desk's exchange folder and group password, checked and
    kept as the Settings screen keeps them (exit 2 with one line when they cannot be)."""
    from aiddesk.domain.validation import Invalid
    from aiddesk.services.exchange.folder import GroupPasswordRefused, folder_settings, save_folder_settings

    settings = folder_settings(db)
    password = (_from_environment(args.password_env) if args.password_env else None) or settings.password
    folder = settings.folder if args.folder is None else args.folder
    if args.folder is not None and not args.folder.strip():
        raise UsageError(_("--folder needs a folder."))
    try:
        save_folder_settings(db, folder, password, who=args.user or "", new_password=args.new_group_password)
    except Invalid as invalid:
        problem = invalid.problems[0]
        text = _(problem.message) % problem.params if problem.params else _(problem.message)
        if isinstance(invalid, GroupPasswordRefused):
            raise UsageError(
                text
                + " "
                + _("If the group chose a new password on purpose, add --new-group-password to keep it.")
            ) from None
        if problem.field == "folder":
            raise UsageError(
                _("The exchange folder %(folder)s cannot be used: %(problem)s")
                % {"folder": folder, "problem": text}
            ) from None
        raise UsageError(text) from None


def pass_json(summary: Any) -> dict[str, Any]:
    """What `exchange --json` prints: the file written (or null), each file merged with its counts,
    each file not merged with why, and the desks whose files wait for a missing one."""
    wrote = None
    if summary.wrote is not None:
        wrote = {"file": summary.wrote.name, "bytes": summary.wrote_bytes}
    return {
        "configured": summary.configured,
        "offline": summary.offline,
        "password_missing": summary.password_missing,
        "wrote": wrote,
        "merged": [{"file": name, **report.as_json()} for name, report in summary.merged],
        "failed": [
            {"file": name, "message": message, "wrong_password": name in summary.locked}
            for name, message in summary.failed
        ],
        "waiting": [{"desk": w.desk, "have": w.have, "files": w.files} for w in summary.waiting],
        "unchanged": summary.unchanged,
        "last_exchange": summary.last_exchange.isoformat() if summary.last_exchange else None,
    }
