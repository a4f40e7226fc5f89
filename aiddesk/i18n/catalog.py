"""Find the compiled catalog of a language.

An installed wheel carries `aiddesk/i18n/locale/<lang>/LC_MESSAGES/aiddesk.mo`,
compiled by the package build. A fresh clone has only the `.po` sources under
`translations/`: then the catalog is compiled in memory from the `.po`, so no
manual compile step is ever needed. A `.po` newer than the `.mo` wins."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

DOMAIN = "aiddesk"
PACKAGE_LOCALE = Path(__file__).with_name("locale")
SOURCE_TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def po_path(language: str) -> Path:
    return SOURCE_TRANSLATIONS / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return PACKAGE_LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def compile_po(po_file: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as fh:
        catalog = read_po(fh)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def load_translations(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    mo, po = mo_path(language), po_path(language)
    if mo.exists() and not (po.exists() and po.stat().st_mtime > mo.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    raise FileNotFoundError(f"no catalog for language {language!r} (looked for {mo} and {po})")
