"""Screenshots of every screen and dialog in English and Spanish, to look at (and for the README).

    .venv/bin/python scripts/screenshots.py [OUT_DIR] [--people N]

Makes a demo desk in a temporary folder, builds each screen offscreen at the
window's default size and saves <screen>-<lang>.png into OUT_DIR (default
screenshots/, which git ignores)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from aiddesk import i18n  # noqa: E402
from aiddesk.i18n.qt_bridge import QtLanguage  # noqa: E402
from aiddesk.paths import DeskPaths  # noqa: E402
from aiddesk.services import desk as desk_service  # noqa: E402
from aiddesk.store.migrate import open_database  # noqa: E402
from aiddesk.ui.context import DeskContext  # noqa: E402
from aiddesk.ui.dialogs.first_run import FirstRunDialog  # noqa: E402
from aiddesk.ui.dialogs.shift import ShiftDialog  # noqa: E402
from aiddesk.ui.main_window import PAGES, MainWindow  # noqa: E402


def save(widget: QWidget, path: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("screenshots"))
    parser.add_argument("--people", type=int, default=400)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    i18n.on_language_change(QtLanguage(app).apply)
    with tempfile.TemporaryDirectory(prefix="aiddesk-shots-") as folder:
        data = Path(folder) / "desk"
        subprocess.run(
            [sys.executable, "-m", "aiddesk", "--data-dir", str(data), "demo", "--people", str(options.people),
             "--seed", "3", "--desk-code", "CC1", "--today", "2026-11-23"],
            check=True, stdout=subprocess.DEVNULL,
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
                save(window, options.out / f"{key}-{language}.png")
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
