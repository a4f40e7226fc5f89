"""Headless backup commands: `backups` (the list), `backup [--to DIR]` and `restore FILE`;
and the message every command gives for a damaged database (the newest sound backup and the
command that puts it back)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiddesk.cli.arguments import folder_to_write
from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, UsageError, print_json, say
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.services.backups import Damage

NO_DATABASE_NEEDED = frozenset({"backups", "restore"})  # they work when the database is lost or damaged


def add_parsers(commands: Any, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser(
        "backups",
        parents=[common],
        help=_("list this desk's backups"),
        description=_(
            "List the backups in the desk's backups folder, newest first: when, why, size, checked."
        ),
    )
    listing.add_argument("--json", action="store_true", help=_("print the list as JSON"))
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help=_("make a backup now"),
        description=_(
            "Make a checked backup of the database now, in the desk's backups folder or in another "
            "folder (a USB stick, say)."
        ),
    )
    backup.add_argument("--to", metavar=_("DIR"), help=_("the folder to put the backup in"))
    restore = commands.add_parser(
        "restore",
        parents=[common],
        help=_("put a backup back in place of the database"),
        description=_(
            "Put a backup back in place of the database. The database as it is now is kept as a "
            "backup first. The desk then takes a new desk id, so that other desks never receive two "
            "different edits under one stamp."
        ),
    )
    restore.add_argument("file", metavar=_("FILE"), help=_("the backup to restore"))


def _entry(item: Any) -> dict[str, Any]:
    return {
        "path": str(item.path.resolve()),
        "created": item.created.isoformat(),
        "reason": item.reason,
        "size": item.size,
        "verified": item.verified,
    }


def reason_text(reason: str) -> str:
    from aiddesk.domain.backup_rotation import REASONS

    return _(REASONS[reason]) if reason in REASONS else reason


def listing(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.i18n.formatting import format_datetime, format_number
    from aiddesk.services import backups

    found = backups.list_backups(paths.database)
    if args.json:
        print_json([_entry(b) for b in found])
        return EXIT_OK
    if not found:
        say(sys.stdout, _("There are no backups in %(folder)s.") % {"folder": str(paths.backups)})
        return EXIT_OK
    for item in found:
        checked = _("checked") if item.verified else _("not checked")
        say(
            sys.stdout,
            f"{format_datetime(item.created.astimezone().replace(tzinfo=None))}  "
            f"{reason_text(item.reason)}  "
            + _("%(size)s MB") % {"size": format_number(round(item.size / 1e6, 1))}
            + f"  {checked}  {item.path}",
        )
    return EXIT_OK


def backup(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.domain.backup_rotation import MANUAL
    from aiddesk.services import backups

    if args.to:
        folder = folder_to_write(args.to)
        made = backups.back_up_to(paths.database, folder, key=args.desk_key)
    else:
        made = backups.back_up(paths.database, MANUAL, key=args.desk_key).path
    say(sys.stdout, _("Backup made and checked: %(file)s") % {"file": str(made)})
    return EXIT_OK


def _app_holds(paths: DeskPaths) -> int | None:
    """The process id of an AidDesk window open on this data folder (its lock file names it)."""
    try:
        lines = paths.lock_file.read_text(encoding="utf-8", errors="replace").splitlines()
        pid = int(lines[0])
    except (OSError, ValueError, IndexError):
        return None
    host = lines[2] if len(lines) > 2 else ""
    if pid == os.getpid() or (host and host != socket.gethostname()):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:  # it exists, owned by someone else
        return pid
    return pid


def restore(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.services import backups
    from aiddesk.store.migrate import open_database

    source = Path(args.file).expanduser().resolve()
    try:
        backups.check_backup(source, args.desk_key)
    except backups.BackupRejected as rejected:
        raise UsageError(backups.rejected_text(rejected, _)) from None
    if (pid := _app_holds(paths)) is not None:
        say(
            sys.stderr,
            "aiddesk: "
            + _("AidDesk is open for this data folder (process %(pid)s). Close it, then restore.")
            % {"pid": pid},
        )
        return EXIT_FAILED
    restored = backups.restore(paths.database, source, key=args.desk_key, who=args.user or "")
    open_database(paths.database, key=args.desk_key).close()  # an older backup is brought up to date now
    if restored.kept is not None:
        say(
            sys.stdout,
            (
                _("The damaged database was set aside as %(file)s.")
                if restored.set_aside
                else _("The database as it was is kept as %(file)s.")
            )
            % {"file": str(restored.kept)},
        )
    say(
        sys.stdout,
        _(
            "Restored %(file)s. This desk now has a new desk id, so that other desks never get two "
            "different edits under the same stamp; merging their workbooks brings back what they "
            "already received from it."
        )
        % {"file": str(source)},
    )
    return EXIT_OK


def restore_command(paths: DeskPaths, backup_file: Path) -> str:
    return shlex.join(["aiddesk", "--data-dir", str(paths.data_dir), "restore", str(backup_file)])


def damage_lines(damage: Damage, paths: DeskPaths) -> list[str]:
    """What is wrong with the database, and the backup that can put it right."""
    from aiddesk.i18n.formatting import format_datetime
    from aiddesk.services.backups import DAMAGE_TEXT

    lines = [
        _("The database %(file)s cannot be used.") % {"file": str(damage.database)}
        + " "
        + _(DAMAGE_TEXT[damage.verdict.state])
    ]
    if damage.backup is None:
        lines.append(
            _(
                "There is no sound backup in %(folder)s. Move the damaged file away to start a new, "
                "empty desk, or restore a backup from elsewhere with the restore command."
            )
            % {"folder": str(paths.backups)}
        )
    else:
        lines.append(
            _("The newest sound backup is %(file)s (%(when)s). To put it back: %(command)s")
            % {
                "file": str(damage.backup.path),
                "when": format_datetime(damage.backup.created.astimezone().replace(tzinfo=None)),
                "command": restore_command(paths, damage.backup.path),
            }
        )
    return lines


def report_damage(damage: Damage, paths: DeskPaths) -> int:
    from aiddesk.cli.output import error

    for line in damage_lines(damage, paths):
        error(line)
    return EXIT_FAILED


def guard(command: str, paths: DeskPaths, *, budget: float | None, key: Any = None) -> Damage | None:
    """Before a command: remove leftovers of killed backups, and look at the database (`check`
    looks itself, to the end)."""
    from aiddesk.services import backups

    with contextlib.suppress(OSError):
        backups.sweep_leftovers(paths.database)
    if command in NO_DATABASE_NEEDED or command == "check":
        return None
    verdict = backups.examine(paths.database, budget, strict=True, key=key)
    if not verdict.damaged:
        return None
    return backups.damage(paths.database, verdict, key=key)
