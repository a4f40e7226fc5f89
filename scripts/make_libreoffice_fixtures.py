"""Make the LibreOffice round-trip fixtures in tests/fixtures/libreoffice (CI has no LibreOffice).

    .venv/bin/python scripts/make_libreoffice_fixtures.py [--out tests/fixtures/libreoffice]

Needs `soffice` (Debian: apt-get install --no-install-recommends libreoffice-calc python3-uno) and
a Python with the `uno` module (Debian's /usr/bin/python3 with python3-uno) for the edit.

1. A fixed demo desk: `aiddesk --data-dir D demo --seed 7 --people 20 --desk-code LOX --today 2026-11-01`.
2. `aiddesk --data-dir D export original.xlsx`: the desk's exported state. A test reproduces that
   state by merging it into an empty desk (which then holds exactly that state).
3. libreoffice-saved.xlsx: original.xlsx opened and saved by LibreOffice, untouched
   (`soffice --headless --convert-to "xlsx:Calc MS Excel 2007 XML"`).
4. libreoffice-edited.xlsx: original.xlsx opened in LibreOffice (through UNO), the phone of the
   first person typed anew in its cell, saved by LibreOffice.
5. fixture.json: what was edited, and the LibreOffice version that saved the files.

The same steps are the live test's (tests/exchange/test_libreoffice.py imports this file)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILTER = "Calc MS Excel 2007 XML"
UNO_PYTHON = os.environ.get("AIDDESK_UNO_PYTHON", "/usr/bin/python3")
TYPED_PHONE = "617-555-0199"


def soffice_env(profile: Path) -> dict[str, str]:
    """A private LibreOffice profile (and HOME) so the user's own settings are never touched."""
    return dict(os.environ, HOME=str(profile))


def libreoffice_version(profile: Path) -> str:
    done = subprocess.run(
        ["soffice", "--headless", "--version"],
        capture_output=True,
        text=True,
        env=soffice_env(profile),
        check=True,
    )
    return done.stdout.strip()


def open_and_save(source: Path, target: Path, profile: Path) -> Path:
    """`source` opened and saved again as .xlsx by LibreOffice, untouched, to `target`."""
    with tempfile.TemporaryDirectory(prefix="aiddesk-lo-") as folder:
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                f"xlsx:{FILTER}",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
            env=soffice_env(profile),
            timeout=180,
        )
        shutil.move(Path(folder) / (source.stem + ".xlsx"), target)
    return target


def edit_in_libreoffice(
    source: Path, target: Path, profile: Path, sheet: str, key: str, row: int, text: str
) -> str:
    """Type `text` into one cell in LibreOffice (column found by its key in row 2; `row` is the
    Excel row) and save as .xlsx: returns what the cell showed before."""
    done = subprocess.run(
        [
            UNO_PYTHON,
            __file__,
            "--uno-edit",
            str(source),
            str(target),
            str(profile),
            sheet,
            key,
            str(row),
            text,
        ],
        check=True,
        capture_output=True,
        text=True,
        env=soffice_env(profile),
        timeout=240,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["was"]


def _uno_edit(source: str, target: str, profile: str, sheet_name: str, key: str, row: str, text: str) -> None:
    """Runs in a Python that has `uno`: start LibreOffice, edit one cell, store the workbook."""
    import uno  # type: ignore[import-not-found]
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    def prop(name: str, value: object) -> PropertyValue:
        item = PropertyValue()
        item.Name, item.Value = name, value
        return item

    pipe = f"aiddesk-{os.getpid()}"
    office = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--norestore",
            "--invisible",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _attempt in range(300):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # LibreOffice is still starting
                time.sleep(0.2)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
        )
        sheet = document.Sheets.getByName(sheet_name)
        columns = [sheet.getCellByPosition(c, 1).getString() for c in range(64)]
        cell = sheet.getCellByPosition(columns.index(key), int(row) - 1)
        was = cell.getString()
        cell.setString(text)  # typed as text, as a person fixing a number would
        document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", FILTER),))
        document.close(True)
        print(json.dumps({"was": was}))
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice quits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


def aiddesk(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "aiddesk", *args], check=True, stdout=subprocess.DEVNULL)


def make(out: Path) -> dict[str, object]:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aiddesk-lo-fixtures-") as folder:
        data, profile = Path(folder) / "desk", Path(folder) / "profile"
        aiddesk(
            "--data-dir",
            str(data),
            "demo",
            "--seed",
            "7",
            "--people",
            "20",
            "--desk-code",
            "LOX",
            "--today",
            "2026-11-01",
        )
        original = out / "original.xlsx"
        aiddesk("--data-dir", str(data), "export", str(original))
        open_and_save(original, out / "libreoffice-saved.xlsx", profile)
        from aiddesk.exchange.workbook.reading import read_workbook

        people = read_workbook(original, sheets=["People"]).sheets["People"].rows
        record_id = people[2][people[1].index("id")]
        was = edit_in_libreoffice(
            original, out / "libreoffice-edited.xlsx", profile, "People", "phone", 3, TYPED_PHONE
        )
        facts: dict[str, object] = {
            "libreoffice": libreoffice_version(profile),
            "made_by": "scripts/make_libreoffice_fixtures.py",
            "demo": {"seed": 7, "people": 20, "desk_code": "LOX", "today": "2026-11-01"},
            "edited": {
                "sheet": "People",
                "row": 3,
                "column": "phone",
                "record_id": record_id,
                "was": was,
                "typed": TYPED_PHONE,
            },
        }
    (out / "fixture.json").write_text(
        json.dumps(facts, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return facts


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--uno-edit":
        _uno_edit(*sys.argv[2:9])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parents[1] / "tests/fixtures/libreoffice"
    )
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        print("soffice (LibreOffice) is not installed", file=sys.stderr)
        return 1
    print(json.dumps(make(args.out), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
