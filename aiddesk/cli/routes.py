"""`routes`: a day's route sheets as one PDF file, each sheet in its volunteer's language."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from aiddesk import i18n
from aiddesk.cli.arguments import date, file_to_write
from aiddesk.cli.desk import open_existing
from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, UsageError, error, say
from aiddesk.i18n import _, ngettext

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
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
        "--date", type=date, required=True, metavar=_("YYYY-MM-DD"), help=_("the day of the runs")
    )
    routes.add_argument("--out", required=True, metavar=_("FILE.pdf"), help=_("the PDF file to write"))


def run(args: argparse.Namespace, paths: DeskPaths) -> int:
    """The day's route sheets as one PDF; Qt (offscreen when there is no display) only here."""

    from aiddesk.i18n.formatting import format_day
    from aiddesk.services.deliveries import route_sheets

    out = file_to_write(args.out)
    db = open_existing(paths, args)
    try:
        sheets = route_sheets.sheets_for_day(db, args.date, language=i18n.current_language())
    finally:
        db.close()
    day = format_day(args.date)
    if not sheets:
        raise UsageError(_("There are no delivery runs on %(date)s: nothing to print.") % {"date": day})
    from aiddesk.ui.deliveries.printing import PrintFailed, gui_application, write_pdf

    app = gui_application()
    try:
        write_pdf(sheets, out, data_dir=paths.data_dir, title=_("Route sheets, %(date)s") % {"date": day})
    except PrintFailed as failed:
        error(str(failed))
        return EXIT_FAILED
    finally:
        del app
    say(
        sys.stdout,
        ngettext(
            "Wrote %(count)d route sheet for %(date)s to %(file)s.",
            "Wrote %(count)d route sheets for %(date)s to %(file)s.",
            len(sheets),
        )
        % {"count": len(sheets), "date": day, "file": str(out)},
    )
    return EXIT_OK
