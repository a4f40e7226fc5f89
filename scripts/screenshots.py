"""Screenshots of every screen and dialog in English and Spanish, to look at (and for the README).

    .venv/bin/python scripts/screenshots.py [OUT_DIR] [--people N] [--readme]

Makes a demo desk in a temporary folder, builds each screen offscreen at the
window's default size and saves <screen>-<lang>.png into OUT_DIR (default
screenshots/, which git ignores). --readme then copies the queue with a request chosen
(requests-detail-en.png) to docs/screenshot.png, the README's picture."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from aiddesk import i18n  # noqa: E402
from aiddesk.i18n.qt_bridge import QtLanguage  # noqa: E402
from aiddesk.paths import DeskPaths  # noqa: E402
from aiddesk.services.desk import setup as desk_service  # noqa: E402
from aiddesk.store.migrate import open_database  # noqa: E402
from aiddesk.ui.context import DeskContext  # noqa: E402
from aiddesk.ui.shell.first_run_dialog import FirstRunDialog  # noqa: E402
from aiddesk.ui.shell.main_window import PAGES, MainWindow  # noqa: E402
from aiddesk.ui.shell.shift_dialog import ShiftDialog  # noqa: E402


def save(widget: QWidget, path: Path) -> None:
    """Wait for what the screens asked through the desk's runner (reads and saves run on worker
    threads), then take the picture."""
    import time

    operations = getattr(widget.window(), "ctx", None)
    runner = operations._operations if operations is not None else None
    deadline = time.monotonic() + 20
    QApplication.processEvents()
    while runner is not None and not runner.idle() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


DEMO_DAY = dt.date(2026, 11, 23)  # the --today of the demo desk below


def deliveries_shots(window: MainWindow, out: Path, language: str) -> None:
    """The run editor and the stop recorder of the Deliveries screen, and the day's route sheets
    (PDF, and PNG pages when pdftoppm is installed)."""
    page = window.deliveries_page
    window.show_page("deliveries")
    page.show_day(DEMO_DAY)
    editor = page.plan_run()
    editor.choose([row.id for row in editor.ready_model.rows()[:4]])
    save(editor, out / f"deliveries-plan-{language}.png")
    editor.reject()
    runs = page.runs_model.rows()
    out_run = next((r for r in runs if r.status == "out"), None)
    if out_run is not None:
        page.select_run(out_run.id)
        page.select_stop_row(0)
        recorder = page.record_selected()
        if recorder is not None:
            from aiddesk.domain.enums import FailureReason, StopOutcome

            recorder.choose(StopOutcome.FAILED, FailureReason.NOT_HOME, "Nobody answered")
            save(recorder, out / f"deliveries-record-{language}.png")
            recorder.reject()
    save(window, out / f"deliveries-{language}.png")
    if language == "en":
        from aiddesk.services.deliveries import route_sheets
        from aiddesk.ui.deliveries.printing import write_pdf

        pdf = out / "route-sheets.pdf"
        sheets = route_sheets.sheets_for_day(window.ctx.database, page.day(), language=language)
        write_pdf(sheets, pdf, data_dir=window.ctx.paths.data_dir)
        print(pdf)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(out / "route-sheets")], check=True)


def roster_and_matching_shots(window: MainWindow, out: Path, language: str) -> None:
    """Matching with two requests chosen and the plan-a-run dialog; the volunteer form; the
    vetting setting."""
    from PySide6.QtCore import QDate

    page = window.matching_page
    window.show_page("matching")
    tomorrow = DEMO_DAY + dt.timedelta(days=1)
    page.date_edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    page.select_requests([page.requests_model.row_at(row).id for row in (0, 1)])
    save(window, out / f"matching-selected-{language}.png")
    page.plan_run()
    if page.dialog is not None:
        save(page.dialog, out / f"matching-plan-{language}.png")
        page.dialog.reject()
    volunteers = window.volunteers_page
    window.show_page("volunteers")
    volunteers.table.selectRow(0)
    volunteers.edit_selected()
    if volunteers.dialog is not None:
        save(volunteers.dialog, out / f"volunteer-form-{language}.png")
        volunteers.dialog.reject()
    window.show_page("settings")
    save(window.settings_page.vetting_editor, out / f"settings-vetting-{language}.png")


def intake_shots(window: MainWindow, out: Path, language: str) -> None:
    """The Intake screen: earlier callers listed as a number is typed, a repeat caller with two needs,
    the confirmation, a refused save, a draft offered back; the consent script in Settings."""
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.services.intake import drafts

    page = window.intake_page
    window.show_page("intake")
    page.clear_form()
    page.caller.phone_edit.setText("617555")
    page.look_up("617555")
    page.panel.move_selection(1)
    save(window, out / f"intake-lookup-{language}.png")
    page.pick_selected()
    rows = page.needs_editor.row_widgets
    rows[0].category_box.setCurrentIndex(1)
    rows[0].details_edit.setText("arroz, frijoles, leche")
    page.add_need()
    page.needs_editor.row_widgets[1].category_box.setCurrentIndex(3)
    page.consent_box.consent_check.click()
    save(window, out / f"intake-filled-{language}.png")
    page.save()
    save(window, out / f"intake-saved-{language}.png")
    page.save()  # nothing typed: the message shows by the phone
    save(window, out / f"intake-refused-{language}.png")
    draft_id = f"shot-{language}"
    drafts.save_draft(
        page._ctx.database, draft_id, "Luis Núñez", IntakeForm(name="Zoë Núñez", needs=[NeedRow()])
    )
    page.offer_drafts()
    if page.question is not None:
        save(page.question, out / f"intake-restore-{language}.png")
        page.question_buttons["discard"].click()
    window.show_page("settings")
    save(window.settings_page.consent_editor, out / f"settings-consent-{language}.png")


def queue_shots(window: MainWindow, out: Path, language: str) -> None:
    """The request queue with a request selected, its status dialog and a bulk move's result; a
    person's page and the merge dialog."""
    from aiddesk.domain.enums import RequestStatus

    page = window.requests_page
    window.show_page("requests")
    page.table.selectRow(0)
    save(window, out / f"requests-detail-{language}.png")
    targets = page.detail.detail.allowed if page.detail.detail is not None else []
    closing = next((t for t in targets if t == RequestStatus.WITHDRAWN), None)
    if closing is not None:
        dialog = page.ask_move(closing)
        if dialog is not None:
            dialog.try_move()  # no reason typed: refused, and says why
            save(dialog, out / f"requests-move-{language}.png")
            dialog.reject()
    page.chips.call_back_chip.click()
    page.table.selectAll()
    save(window, out / f"requests-call-back-{language}.png")
    # Those waiting for a call back move to "needs info"; those already there say why not
    # (no ready request is touched: the matching screenshots need them).
    dialog = page.ask_move(RequestStatus.NEEDS_INFO)
    if dialog is not None:
        dialog.try_move()
        save(dialog, out / f"requests-bulk-{language}.png")
        dialog.accept()
    page.chips.open_chip.click()
    page.table.selectRow(0)
    if page.detail.detail is not None:
        person_id = page.detail.detail.person.id
        window.show_person(person_id)
        save(window, out / f"person-{language}.png")
        merge = window.person_page.ask_merge()
        if merge is not None:
            merge.search_edit.setText(page.detail.detail.person.name.split()[0])
            if merge.results.count():
                merge.results.setCurrentRow(0)
            save(merge, out / f"person-merge-{language}.png")
            merge.reject()
        window.show_page("requests")


def help_shots(window: MainWindow, out: Path, language: str) -> None:
    """F1's guide beside the Intake screen (at the default size and maximised) and the phone-desk
    cheat sheet in its print preview."""
    window.show_page("intake")
    dock = window.help.show_guide()
    save(window, out / f"help-guide-{language}.png")
    window.showMaximized()
    save(window, out / f"help-guide-maximised-{language}.png")
    window.showNormal()
    dock.close()
    sheet = window.help.show_cheat_sheet()
    if sheet is not None:
        save(sheet, out / f"help-cheat-sheet-{language}.png")
        sheet.reject()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--readme", action="store_true", help="also update docs/screenshot.png")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    i18n.on_language_change(QtLanguage(app).apply)
    with tempfile.TemporaryDirectory(prefix="aiddesk-shots-") as folder:
        data = Path(folder) / "desk"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "aiddesk",
                "--data-dir",
                str(data),
                "demo",
                "--people",
                str(options.people),
                "--seed",
                "3",
                "--desk-code",
                "CC1",
                "--today",
                "2026-11-23",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        db = open_database(data / "aiddesk.db")
        desk = desk_service.get_desk(db)
        assert desk is not None
        window = MainWindow(DeskContext(db, DeskPaths(data, data / "logs"), desk, "Rosa Martínez"))
        window.show()
        empty = Path(folder) / "empty"
        empty_db = open_database(empty / "aiddesk.db")
        for language in ("en", "es"):
            i18n.set_language(language, "US")
            for key, _entry in PAGES:
                window.show_page(key)
                if key == "deliveries":
                    window.deliveries_page.show_day(DEMO_DAY)
                save(window, options.out / f"{key}-{language}.png")
            deliveries_shots(window, options.out, language)
            roster_and_matching_shots(window, options.out, language)
            intake_shots(window, options.out, language)
            queue_shots(window, options.out, language)
            help_shots(window, options.out, language)
            shift = ShiftDialog(desk_service.recent_users(db) or ["Rosa Martínez", "Luis Núñez"], desk)
            shift.show()
            save(shift, options.out / f"shift-{language}.png")
            shift.close()
            first = FirstRunDialog(empty_db, "US")
            first.show()
            save(first, options.out / f"first-run-{language}.png")
            first.close()
        window.close()
        empty_db.close()
        db.close()
    if options.readme:
        readme_picture = Path(__file__).resolve().parents[1] / "docs" / "screenshot.png"
        shutil.copyfile(options.out / "requests-detail-en.png", readme_picture)
        print(readme_picture)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
