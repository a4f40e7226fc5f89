"""Headless report commands:

- `report --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.pdf|FILE.xlsx] [--lang en|es] [--json]`:
  the period report as a printable PDF (with its charts) or a workbook; `--json` prints its
  figures on stdout;
- `callback-list [--date YYYY-MM-DD] --out FILE.pdf [--lang en|es]`: the call-backs due that day
  (and overdue), for the phone shift;
- `packing-list --date YYYY-MM-DD --out FILE.pdf [--lang en|es]`: what to bring for the day's runs.

Days are this computer's local days (the desk's). The documents' language is `--lang`, else the
desk's. Qt (offscreen without a display) is started only to write a PDF, as for `routes`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiddesk.cli.arguments import file_to_write
from aiddesk.cli.output import EXIT_FAILED, EXIT_OK, UsageError, error, print_json, say
from aiddesk.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from aiddesk.paths import DeskPaths
    from aiddesk.store.database import Database

REPORT_FORMATS = (".pdf", ".xlsx")


def add_parsers(commands: Any, common: argparse.ArgumentParser, date_type: Callable[[str], dt.date]) -> None:
    report = commands.add_parser(
        "report",
        parents=[common],
        help=_("write the report of a period (PDF or workbook), or print its figures"),
        description=_(
            "The report of the local days FROM to TO, both included: calls, requests opened and "
            "delivered, households served, failed deliveries, days to delivery, and requests by need, "
            "zone and language. A PDF also holds the charts; a workbook holds the figures as numbers."
        ),
    )
    report.add_argument(
        "--from",
        dest="first",
        type=date_type,
        required=True,
        metavar=_("YYYY-MM-DD"),
        help=_("the first day"),
    )
    report.add_argument(
        "--to", dest="last", type=date_type, required=True, metavar=_("YYYY-MM-DD"), help=_("the last day")
    )
    report.add_argument("--out", metavar=_("FILE.pdf|FILE.xlsx"), help=_("the file to write"))
    _language_option(report)
    report.add_argument("--json", action="store_true", help=_("print the figures as JSON"))

    callbacks = commands.add_parser(
        "callback-list",
        parents=[common],
        help=_("print the day's call-back list for the phone shift"),
        description=_(
            "Write to a PDF the people to call back on a day (and those overdue): name, phone (only "
            "for those who agreed to be called), why, and when they last called."
        ),
    )
    callbacks.add_argument(
        "--date", type=date_type, metavar=_("YYYY-MM-DD"), help=_("the day (default: today)")
    )
    callbacks.add_argument("--out", required=True, metavar=_("FILE.pdf"), help=_("the PDF file to write"))
    _language_option(callbacks)

    packing = commands.add_parser(
        "packing-list",
        parents=[common],
        help=_("print what to bring for a day's runs"),
        description=_(
            "Write to a PDF what to bring for each run of a day, counted by need, each run in its "
            "volunteer's language, and the whole day's count. It names no caller."
        ),
    )
    packing.add_argument(
        "--date", type=date_type, required=True, metavar=_("YYYY-MM-DD"), help=_("the day of the runs")
    )
    packing.add_argument("--out", required=True, metavar=_("FILE.pdf"), help=_("the PDF file to write"))
    _language_option(packing)


def _language_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help=_("the language of the document (default: the desk's)"),
    )


def _writable(out: str, suffixes: tuple[str, ...], wrong: str) -> Path:
    """The file to write, checked: its suffix one of `suffixes` (else UsageError `wrong`), its folder there."""
    if Path(out).suffix.lower() not in suffixes:
        raise UsageError(wrong % {"file": out})
    return file_to_write(out)


def _desk(db: Database) -> Any:
    from aiddesk.services.desk import setup as desk_service

    desk = desk_service.get_desk(db)
    if desk is None:
        raise UsageError(_("This folder has no desk yet: open AidDesk once to set it up."))
    return desk


# ---- report ---------------------------------------------------------------------------------------


def report(args: argparse.Namespace, _paths: DeskPaths, db: Database) -> int:
    from aiddesk.i18n.formatting import format_period
    from aiddesk.services.reports.document import report_document
    from aiddesk.services.reports.figures import period_report

    if args.last < args.first:
        raise UsageError(
            _("--to %(to)s is before --from %(from)s.")
            % {"to": args.last.isoformat(), "from": args.first.isoformat()}
        )
    if args.out is None and not args.json:
        raise UsageError(_("Say where to write the report (--out FILE.pdf or FILE.xlsx), or ask for --json."))
    wrong = _("%(file)s: a report is written to a .pdf or an .xlsx file.")
    out = _writable(args.out, REPORT_FORMATS, wrong) if args.out else None
    desk = _desk(db)
    language = args.lang or desk.language
    figures = period_report(db, args.first, args.last, language=language, who=args.user or "")
    if out is not None:
        document = report_document(figures, desk_code=desk.code, desk_name=desk.name, today=dt.date.today())
        if out.suffix.lower() == ".xlsx":
            from aiddesk.services.reports.workbook import write_report_workbook

            write_report_workbook(document, out, db.path.parent)
        elif (
            failed := _write_report_pdf(document, figures, out, desk.phone_region, db.path.parent)
        ) is not None:
            error(failed)
            return EXIT_FAILED
    if args.json:
        print_json(figures.figures())
    if out is not None:
        say(
            sys.stderr if args.json else sys.stdout,
            _("Wrote the report for %(period)s to %(file)s.")
            % {"period": format_period(args.first, args.last), "file": str(out)},
        )
    return EXIT_OK


def _write_report_pdf(document: Any, figures: Any, out: Path, region: str, data_dir: Path) -> str | None:
    """Write the PDF; the translated reason when printing is impossible here."""
    from aiddesk.services.reports.charts import report_charts
    from aiddesk.ui.reports.report_pdf import write_report_pdf

    charts = report_charts(figures)
    return _printed(lambda: write_report_pdf(document, charts, out, data_dir=data_dir, region=region))


# ---- the printable lists ------------------------------------------------------------------------------


def callback_list(args: argparse.Namespace, _paths: DeskPaths, db: Database) -> int:
    from aiddesk.services.reports.print_lists import call_back_list
    from aiddesk.ui.reports.lists_pdf import write_call_back_pdf

    out = _writable(args.out, (".pdf",), _("%(file)s: the list is written to a .pdf file."))
    desk = _desk(db)
    day = args.date or dt.date.today()
    data = call_back_list(db, day, language=args.lang or desk.language)
    if (
        failed := _printed(
            lambda: write_call_back_pdf(data, out, data_dir=db.path.parent, region=desk.phone_region)
        )
    ) is not None:
        error(failed)
        return EXIT_FAILED
    say(sys.stdout, _("Wrote %(title)s to %(file)s.") % {"title": data.title, "file": str(out)})
    return EXIT_OK


def packing_list(args: argparse.Namespace, _paths: DeskPaths, db: Database) -> int:
    from aiddesk.services.reports.print_lists import packing_list as make_list
    from aiddesk.ui.reports.lists_pdf import write_packing_pdf

    out = _writable(args.out, (".pdf",), _("%(file)s: the list is written to a .pdf file."))
    desk = _desk(db)
    data = make_list(db, args.date, language=args.lang or desk.language)
    if (
        failed := _printed(
            lambda: write_packing_pdf(data, out, data_dir=db.path.parent, region=desk.phone_region)
        )
    ) is not None:
        error(failed)
        return EXIT_FAILED
    say(sys.stdout, _("Wrote %(title)s to %(file)s.") % {"title": data.title, "file": str(out)})
    return EXIT_OK


def _printed(write: Callable[[], None]) -> str | None:
    """Run `write` with a Qt application (offscreen without a display); the translated reason
    when printing is impossible here."""
    from aiddesk.ui.deliveries.printing import PrintFailed, gui_application

    app = gui_application()
    try:
        write()
    except PrintFailed as failed:
        return str(failed)
    finally:
        del app
    return None
