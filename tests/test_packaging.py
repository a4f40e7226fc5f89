"""The wheel carries what an installed AidDesk needs: compiled catalogs and the migrations.

Builds the wheel once (pip wheel, as a packager would; well under a minute),
then looks inside it and runs AidDesk from the unpacked wheel with no access
to the source tree."""

from __future__ import annotations

import gettext
import io
import os
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
SPANISH_PO = ROOT / "translations" / "es" / "LC_MESSAGES" / "aiddesk.po"
MO_MEMBER = "aiddesk/i18n/locale/es/LC_MESSAGES/aiddesk.mo"
BUILD_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [built] = out.glob("aiddesk-*.whl")
    return built


def test_wheel_holds_catalog_and_migrations(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for member in (
        MO_MEMBER,
        "aiddesk/store/migrations/env.py",
        "aiddesk/store/migrations/script.py.mako",
        "aiddesk/store/migrations/versions/0001_baseline.py",
    ):
        assert member in names, f"{member} missing from {wheel.name}"
    assert not any(name.endswith(".po") or name.startswith("translations/") for name in names)


def test_wheel_catalog_is_the_spanish_po_compiled(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        translations = gettext.GNUTranslations(io.BytesIO(zf.read(MO_MEMBER)))
    assert translations.info()["language"] == "es"
    assert translations.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"
    with SPANISH_PO.open("rb") as fh:
        catalog = read_po(fh)
    translated = [m for m in catalog if m.id and not m.fuzzy and m.string and all(m.string)]
    for message in translated:
        if isinstance(message.id, tuple):
            assert translations.ngettext(message.id[0], message.id[1], 1) == message.string[0]
            assert translations.ngettext(message.id[0], message.id[1], 5) == message.string[1]
        elif message.context:
            assert translations.pgettext(message.context, message.id) == message.string
        else:
            assert translations.gettext(message.id) == message.string
    untranslated = [m.id for m in catalog if m.id and not (m.string and all(m.string))]
    for msgid in untranslated:
        if isinstance(msgid, str):
            assert translations.gettext(msgid) == msgid  # falls back to English, never empty


def test_installed_wheel_opens_a_database_and_speaks_spanish(wheel: Path, tmp_path: Path) -> None:
    """Run from the unpacked wheel (site-packages layout), without the source tree or its .po files."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    dependencies = sysconfig.get_paths()["purelib"]
    script = textwrap.dedent(
        f"""
        import sys
        sys.path[:0] = [{str(site)!r}, {dependencies!r}]
        from pathlib import Path
        import aiddesk
        from aiddesk import i18n
        from aiddesk.i18n import catalog
        from aiddesk.store.migrate import HEAD, current_revision, open_database

        assert Path(aiddesk.__file__).is_relative_to({str(site)!r}), aiddesk.__file__
        assert not catalog.po_path("es").exists()
        assert catalog.mo_path("es").exists()
        assert catalog.load_translations("es").info()["language"] == "es"
        i18n.set_language("es")
        assert i18n.current_language() == "es"
        db = open_database(Path({str(tmp_path / "data" / "aiddesk.db")!r}))
        assert current_revision(db.engine) == HEAD
        db.close()
        print("ok")
        """
    )
    # -S: no site-packages processing, so the editable install of the source tree is out of reach.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    result = subprocess.run(
        [sys.executable, "-S", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "ok"
