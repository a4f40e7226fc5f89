"""Build hook: compile the gettext catalogs into the package.

Everything else about the package lives in pyproject.toml. This file only
teaches `build_py` to compile every translations/<lang>/LC_MESSAGES/aiddesk.po
into aiddesk/i18n/locale/<lang>/LC_MESSAGES/aiddesk.mo inside the build, so a
wheel carries its .mo files and nobody runs a manual compile step. An editable
install compiles nothing: aiddesk/i18n/catalog.py compiles the .po in memory."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "translations"
DOMAIN = "aiddesk"


def compile_catalogs(build_lib: Path) -> list[Path]:
    """Compile each language's .po into `build_lib`; returns the .mo files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po_files = sorted(SOURCES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    if not po_files:
        raise SystemExit(f"no catalogs found under {SOURCES} (is translations/ in the source tree?)")
    written = []
    for po_file in po_files:
        language = po_file.parent.parent.name
        with po_file.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        target = build_lib / DOMAIN / "i18n" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(target)
    return written


class BuildWithCatalogs(build_py):
    """build_py that also writes the compiled catalogs into the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for mo_file in compile_catalogs(Path(self.build_lib)):
            self.announce(f"compiled {mo_file}", level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if getattr(self, "editable_mode", False):
            return outputs
        for po_file in sorted(SOURCES.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            language = po_file.parent.parent.name
            mo = Path(self.build_lib) / DOMAIN / "i18n" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
            outputs.append(str(mo))
        return outputs


setup(cmdclass={"build_py": BuildWithCatalogs})
