"""`aiddesk import-sheet IN.xlsx --mapping MAP.json [--dry-run] [--json]`: a foreign spreadsheet
(a Google Forms export, an old roster) imported with a saved mapping (docs/sheet-mapping.md).

Rows that can be stored and repeat no one are stored, after a backup, in one transaction; rows
that may repeat someone already on the desk are skipped and counted (a person reviews those in
the import window); rows with a bad cell are listed with sheet, row, column and reason. Exit 0
when done (bad rows included), 2 when the file or the mapping is refused (nothing changed)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiddesk.cli.output import EXIT_OK, UsageError, print_json, say
from aiddesk.i18n import _

if TYPE_CHECKING:
    from aiddesk.domain.sheet_mapping import SheetMapping
    from aiddesk.paths import DeskPaths
    from aiddesk.services.exchange.sheet_import.plan import ImportSummary
    from aiddesk.services.exchange.sheet_import.preview import Preview

HEADLESS_USER = "aiddesk"
MAX_MAPPING_BYTES = 1024 * 1024


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import-sheet",
        parents=[common],
        help=_("import a spreadsheet from elsewhere (a form's answers, a roster)"),
        description=_(
            "Import the rows of a spreadsheet that AidDesk did not make (.xlsx or .csv), with a mapping "
            "that says which column feeds which field. Rows that may repeat someone already on the desk "
            "are skipped: review them in the import window. A backup is made first."
        ),
    )
    parser.add_argument("sheet_file", metavar=_("IN.xlsx"), help=_("the spreadsheet (.xlsx or .csv)"))
    parser.add_argument(
        "--mapping", required=True, metavar=_("MAP.json"), help=_("the mapping (see docs/sheet-mapping.md)")
    )
    parser.add_argument(
        "--dry-run", action="store_true", help=_("report what would be imported, change nothing")
    )
    parser.add_argument("--json", action="store_true", help=_("print the report as JSON"))


def load_mapping(path: Path) -> SheetMapping:
    """The mapping in a MAP.json file; UsageError saying what is wrong with it."""
    from aiddesk.domain.sheet_mapping import SheetMapping
    from aiddesk.domain.validation import Invalid

    if not path.is_file():
        raise UsageError(_("There is no file %(file)s.") % {"file": str(path)})
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise UsageError(_("%(file)s is too large to be a mapping.") % {"file": str(path)})
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UsageError(_("%(file)s is not a text file in UTF-8.") % {"file": str(path)}) from None
    except json.JSONDecodeError as error:
        raise UsageError(
            _("%(file)s is not valid JSON (line %(line)d: %(reason)s).")
            % {"file": str(path), "line": error.lineno, "reason": error.msg}
        ) from None
    try:
        return SheetMapping.from_json(data)
    except Invalid as invalid:
        raise UsageError(_refused(path.name, invalid)) from None


def _refused(name: str, invalid: Any) -> str:
    from aiddesk.services.exchange.sheet_import.preview import problem_text

    return _("%(file)s: %(problems)s") % {
        "file": name,
        "problems": " ".join(problem_text(p) for p in invalid.problems),
    }


def run(args: argparse.Namespace, paths: DeskPaths) -> int:
    from aiddesk.domain.validation import Invalid
    from aiddesk.exchange.workbook.errors import WorkbookRejected
    from aiddesk.exchange.workbook.sheet_source import read_sheets
    from aiddesk.services.exchange.sheet_import import plan as plans
    from aiddesk.services.exchange.sheet_import import preview as imports
    from aiddesk.services.exchange.sheet_import.storing import store
    from aiddesk.store.migrate import open_database

    mapping = load_mapping(Path(args.mapping))
    source = Path(args.sheet_file)
    try:
        sheets = read_sheets(source)
    except WorkbookRejected as rejected:
        raise UsageError(rejected.message) from None
    db = open_database(paths.database, key=getattr(args, "desk_key", None))
    try:
        try:
            sheet = imports.pick_sheet(sheets, mapping.sheet)
            found = imports.preview(db, sheet, mapping, source=source.name)
        except Invalid as invalid:
            raise UsageError(_refused(source.name, invalid)) from None
        decisions = plans.proposed_decisions(found)
        if args.dry_run:
            summary = plans.summarise(found, decisions)
        else:
            summary = store(db, args.user or HEADLESS_USER, found, decisions, backup_dir=paths.backups)
    finally:
        db.close()
    if args.json:
        print_json(
            {**summary.as_json(), "file": source.name, "sheet": found.sheet, "dry_run": bool(args.dry_run)}
        )
        return EXIT_OK
    for line in report_lines(found, summary, dry_run=bool(args.dry_run)):
        say(sys.stdout, line)
    return EXIT_OK


def report_lines(found: Preview, summary: ImportSummary, *, dry_run: bool) -> list[str]:
    """What the import did (or would do), then each cell that stopped its row."""
    from aiddesk.services.exchange.sheet_import.plan import count_texts

    parts = count_texts(summary) or [_("nothing to import")]
    head = _("%(file)s, sheet “%(sheet)s”: %(counts)s.") % {
        "file": found.source,
        "sheet": found.sheet,
        "counts": ", ".join(parts),
    }
    if dry_run:
        head += " " + _("(dry run: nothing was changed)")
    lines = [head]
    if summary.skipped_duplicates:
        lines.append(
            _("Review the rows that may repeat someone in the window: Exchange, “Import a spreadsheet”.")
        )
    if summary.backup is not None:
        lines.append(
            _("A copy of the database from before the import: %(file)s") % {"file": str(summary.backup)}
        )
    lines += [f"  {cell.where()}: {cell.reason}" for cell in summary.rejected]
    return lines
