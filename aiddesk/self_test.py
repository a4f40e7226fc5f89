"""`aiddesk self-test`: a headless check of a desk's installation.

Never shows a dialog and never reads stdin: checks the whole database (a damaged one fails,
naming the newest sound backup and the command that restores it), opens (or creates) and
migrates it, loads both catalogs, builds the main window offscreen."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiddesk import i18n
from aiddesk.app import dispose
from aiddesk.i18n import _
from aiddesk.logging_setup import setup_logging
from aiddesk.paths import DeskPaths, resolve

if TYPE_CHECKING:
    from aiddesk.domain.desk import DeskInfo
    from aiddesk.store.database import Database

log = logging.getLogger(__name__)

SELF_TEST_USER = "self-test"


class _Report:
    def __init__(self) -> None:
        self.failed = 0

    def line(self, passed: bool, check: str, detail: str) -> None:
        if not passed:
            self.failed += 1
        mark = _("ok") if passed else _("FAILED")
        print(f"{mark:6} {check}: {detail}", flush=True)


def _check(report: _Report, check: str, step: Callable[[], str]) -> bool:
    try:
        report.line(True, check, step())
        return True
    except Exception as exc:
        log.error("self-test: %s failed", check, exc_info=exc)
        report.line(False, check, f"{type(exc).__name__}: {exc}")
        return False


def self_test(args: argparse.Namespace) -> int:
    """Headless check of a desk's installation: never shows a dialog, never reads stdin.

    Opens (or creates) and migrates the database, loads both catalogs, and builds the main window
    offscreen. A data folder without a desk is left without one: the window is then built against a
    throwaway desk in a temporary folder, and the report says so."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    paths = resolve(args.data_dir)
    os.umask(0o077)
    report = _Report()
    try:
        paths.create()
        logs = setup_logging(paths.log_dir, debug=bool(args.debug), crash_log=False)
    except OSError as exc:
        report.line(False, _("data folder"), f"{paths.data_dir}: {exc.strerror or exc}")
        return 1
    from aiddesk.store.temp_files import TempFiles

    TempFiles(paths.data_dir).sweep()  # what a killed export left behind, as every command does
    try:
        key = _desk_key(args, paths, report)
        if key is not False:
            _self_test(paths, report, key)
    finally:
        logs.close()
    print(
        _("self-test passed")
        if report.failed == 0
        else _("self-test failed; details in %(log)s") % {"log": str(logs.log_file)},
        flush=True,
    )
    return 0 if report.failed == 0 else 1


def _desk_key(args: argparse.Namespace, paths: DeskPaths, report: _Report) -> Any:
    """An encrypted desk's key from AIDDESK_SECRET (None for a plain desk); False, reported, when
    the secret is missing or wrong."""
    from aiddesk.cli.output import UsageError
    from aiddesk.cli.unlock import desk_key

    try:
        return desk_key(argparse.Namespace(command="self-test", user=args.user), paths)
    except UsageError as exc:
        report.line(False, _("database"), str(exc))
        return False


def _self_test(paths: DeskPaths, report: _Report, key: Any = None) -> None:
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.store.database import Database
    from aiddesk.store.migrate import current_revision, open_database

    report.line(True, _("data folder"), str(paths.data_dir))
    state: dict[str, object] = {}
    if not _database_whole(paths, report, key):
        _check(report, _("translations"), _check_catalogs)
        report.line(False, _("main window"), _("not built: the database did not open"))
        return

    def database() -> str:
        db = open_database(paths.database, key=key)
        state["db"] = db
        return _("%(path)s opened, schema at revision %(revision)s") % {
            "path": str(paths.database),
            "revision": current_revision(db.engine),
        }

    def desk() -> str:
        info = desk_service.get_desk(state["db"])  # type: ignore[arg-type]
        state["desk"] = info
        if info is None:
            return _("no desk yet (the first start will ask for one); none was created")
        return _("%(name)s, code %(code)s, language %(language)s") % {
            "name": info.name,
            "code": info.code,
            "language": info.language,
        }

    if _check(report, _("database"), database):
        _check(report, _("desk"), desk)
    _check(report, _("translations"), _check_catalogs)
    _check_installation(report, paths)
    db = state.get("db")
    try:
        if isinstance(db, Database):
            _check(report, _("main window"), lambda: _check_main_window(db, paths, state.get("desk")))  # type: ignore[arg-type]
        else:
            report.line(False, _("main window"), _("not built: the database did not open"))
    finally:
        if isinstance(db, Database):
            db.close()


def _database_whole(paths: DeskPaths, report: _Report, key: Any = None) -> bool:
    """The whole integrity check; a damaged database fails with the backup that can replace it."""
    from aiddesk.cli.backups import damage_lines
    from aiddesk.services import backups

    backups.sweep_leftovers(paths.database)
    verdict = backups.full_check(paths.database, strict=True, key=key)
    if not verdict.damaged:
        return True
    log.error("self-test: the database is damaged: %s %s", verdict.state, verdict.detail)
    report.line(
        False, _("database"), " ".join(damage_lines(backups.damage(paths.database, verdict, key=key), paths))
    )
    return False


def _check_installation(report: _Report, paths: DeskPaths) -> None:
    """What a bundle can lose without the window noticing: the icon, qtbase_es.qm, the SVG plugin,
    printing a PDF with text, drawing a chart (matplotlib, numpy)."""
    from aiddesk import install_checks
    from aiddesk.ui.shell.application import create_application

    create_application()
    _check(report, _("icon"), install_checks.check_icon)
    _check(report, _("Qt's Spanish catalog"), install_checks.check_qt_catalog)
    _check(report, _("SVG images"), install_checks.check_svg_plugin)
    _check(report, _("printing"), lambda: install_checks.check_print_to_pdf(paths.data_dir))
    _check(report, _("charts"), install_checks.check_charts)


def _check_catalogs() -> str:
    """Both catalogs load, and Spanish really translates (an empty catalog would pass silently)."""
    from aiddesk.i18n.catalog import load_translations

    english = load_translations("en")
    known = "This field cannot be empty."
    if english.gettext(known) != known:
        raise AssertionError("the English catalog changes English text")
    spanish = load_translations("es")
    translated = spanish.gettext(known)
    if translated == known:
        raise AssertionError(f"the Spanish catalog does not translate {known!r}")
    return _("English and Spanish load (%(message)s -> %(translated)s)") % {
        "message": known,
        "translated": translated,
    }


def _check_main_window(db: Database, paths: DeskPaths, desk: DeskInfo | None) -> str:
    if desk is not None:
        return _build_window(db, paths, desk, _("the desk %(code)s") % {"code": desk.code})
    import tempfile

    from aiddesk.services.desk import setup as desk_service
    from aiddesk.store.migrate import open_database

    with tempfile.TemporaryDirectory(prefix="aiddesk-self-test-") as folder:
        throwaway = DeskPaths(Path(folder), Path(folder) / "logs")
        scratch = open_database(throwaway.database)
        try:
            info = desk_service.create_desk(
                scratch, name="Self-test", code="TEST", language="en", region="US"
            )
            return _build_window(scratch, throwaway, info, _("a throwaway desk in a temporary folder"))
        finally:
            scratch.close()


def _build_window(db: Database, paths: DeskPaths, desk: DeskInfo, against: str) -> str:
    """Build and show the main window offscreen, switch it to Spanish and back; any error fails."""
    from PySide6.QtWidgets import QApplication

    from aiddesk.i18n.qt_bridge import QtLanguage
    from aiddesk.ui.context import DeskContext
    from aiddesk.ui.shell.application import create_application
    from aiddesk.ui.shell.main_window import MainWindow

    app = create_application()
    errors: list[BaseException] = []
    previous_hook = sys.excepthook

    def collect(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
        log.error("self-test: error inside Qt", exc_info=(exc_type, exc, tb))  # type: ignore[arg-type]
        errors.append(exc)

    sys.excepthook = collect
    stop_language = i18n.on_language_change(QtLanguage(app).apply)
    language = i18n.current_language()
    window = None
    try:
        i18n.set_language(desk.language, desk.phone_region)
        window = MainWindow(DeskContext(db, paths, desk, SELF_TEST_USER))
        window.show()
        QApplication.processEvents()
        for switch in ("es", "en"):
            i18n.set_language(switch, desk.phone_region)
            QApplication.processEvents()
        if errors:
            raise errors[0]
        return _("built offscreen against %(against)s, in English and Spanish (platform %(platform)s)") % {
            "against": against,
            "platform": QApplication.platformName(),
        }
    finally:
        if window is not None:
            dispose(window)
        i18n.set_language(language)
        stop_language()
        sys.excepthook = previous_hook
