"""`aiddesk retention [--preview] [--json]`: forget what retention says is due today (closed
requests' details and notes, people not heard from), or with `--preview` list it without
changing anything. Runs only once an administrator turned retention on in Settings; the
months are the ones set there. `--json` prints `preview`, `requests` and `people` (codes),
`request_months`, `people_months` and `enabled`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, error, print_json, say
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.store.database import Database

HEADLESS_USER = "aiddesk"


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "retention",
        parents=[common],
        help=_("forget old records as set in Settings, or preview what would go"),
        description=_(
            "Closed requests lose their details and notes, and people not heard from are erased, "
            "after the months an administrator set in Settings. Runs only once retention was turned "
            "on there; --preview changes nothing."
        ),
    )
    parser.add_argument("--preview", action="store_true", help=_("list what would go, change nothing"))
    parser.add_argument("--json", action="store_true", help=_("print the result as JSON"))


def run(args: argparse.Namespace, _paths: DeskPaths, db: Database) -> int:
    from aiddesk.services import retention

    who = args.user or HEADLESS_USER
    policy = retention.get_policy(db)
    if not policy.anything or not (policy.enabled or args.preview):
        error(_("Retention is off: an administrator sets it in Settings, after a preview."))
        return EXIT_FAILED
    plan = retention.preview(db, who) if args.preview else retention.run(db, who)
    if args.json:
        print_json(
            {
                "preview": bool(args.preview),
                "requests": list(plan.requests),
                "people": list(plan.people),
                "request_months": plan.policy.request_months,
                "people_months": plan.policy.people_months,
                "enabled": plan.policy.enabled,
            }
        )
        return EXIT_OK
    say(sys.stdout, retention.summary(plan, done=not args.preview))
    for caption, codes in ((_("Requests:"), plan.requests), (_("People:"), plan.people)):
        if codes:
            say(sys.stdout, caption + " " + ", ".join(codes))
    return EXIT_OK
