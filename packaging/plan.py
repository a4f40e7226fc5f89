"""What the AidDesk bundle holds on each platform, kept out of the .spec so tests can check every
platform's branch on any machine (tests/installers/test_plan.py).

Plain Python with no PyInstaller import: aiddesk.spec imports it, and so do the tests and
./dev bundle (for the version and the file names)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_ID = "org.aiddesk.AidDesk"

# Qt plugins AidDesk never loads; several pull in big libraries (QtPdf, QtQuick, QtQml,
# QtVirtualKeyboard), pruned afterwards when nothing else links to them (prune_qt_libraries).
DROPPED_PLUGINS = (
    "platforminputcontexts/libqtvirtualkeyboardplugin",  # QtVirtualKeyboard -> Quick, Qml
    "imageformats/libqpdf",  # QtPdf
    "platformthemes/libqgtk3",  # the system's GTK 3 against the bundled glib: crashes, wrong theme
    "platforms/libqeglfs",
    "platforms/libqlinuxfb",
    "platforms/libqminimalegl",
    "platforms/libqvkkhrdisplay",
    "platforms/libqvnc",
    "egldeviceintegrations/",
    "imageformats/libqtiff",
    "imageformats/libqwebp",
    "imageformats/libqicns",
    "imageformats/libqtga",
    "imageformats/libqwbmp",
)
# Kept on purpose: networkinformation/* (the exchange timer asks whether the network is up),
# tls/*, platforms/libqxcb + libqwayland + libqoffscreen + libqminimal, imageformats/libqsvg
# (the icon), printsupport/*, platformthemes/libqxdgdesktopportal, and libdbus (NetworkManager
# and the portal speak D-Bus).
KEPT_LIBRARIES = ("libdbus-1",)

# Python modules left out of the bundle. Most are never used and only reached through optional
# imports of dependencies. Two are left out for the start-up time: PyInstaller runs a run-time hook
# for each before the program's first line. pkg_resources (only babel's optional plugin lookup
# imports it, inside try/except ImportError) cost ~0.2 s of CPU at every start; multiprocessing
# (only concurrent.futures' process pool, which AidDesk never uses) ~20 ms. AidDesk's own code must
# not import any of them (tests/installers/test_plan.py checks).
EXCLUDED_MODULES = [
    "tkinter",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtPdf",
    "PySide6.QtWebEngineCore",
    "PySide6.QtMultimedia",
    "PySide6.Qt3DCore",
    "IPython",
    "pytest",
    "hypothesis",
    "mypy",
    "pygments",  # in .venv with the test tools; only optional imports of dependencies reach it
    "_pytest",
    "pluggy",
    "PyQt5",
    "PyQt6",
    "matplotlib.backends.backend_qtagg",
    "matplotlib.backends.backend_tkagg",
    "pkg_resources",
    "setuptools",
    "multiprocessing",
]


@dataclass(frozen=True)
class Executable:
    name: str  # file name without .exe
    console: bool  # False: a windowed program (no stdout/stderr on Windows)


@dataclass(frozen=True)
class Plan:
    system: str  # "linux", "windows" or "macos"
    executables: tuple[Executable, ...]
    icon: str | None  # the icon file the executable carries (None: Linux has no embedded icon)
    app_bundle: bool  # macOS: an AidDesk.app around the folder
    folder: str  # the one-folder bundle's name


def plan(system: str) -> Plan:
    """The bundle for `system` ("linux", "windows", "macos"); ValueError for anything else."""
    if system == "linux":
        return Plan(system, (Executable("aiddesk", console=True),), None, False, "aiddesk")
    if system == "windows":
        # A windowed AidDesk.exe for the Start menu, and aiddesk-cli.exe (a console program)
        # for the headless commands: a windowed exe has no stdout/stderr on Windows.
        return Plan(
            system,
            (Executable("AidDesk", console=False), Executable("aiddesk-cli", console=True)),
            "build/icons/aiddesk.ico",
            False,
            "AidDesk",
        )
    if system == "macos":
        # argv_emulation stays off; the .app's binary runs the headless commands from a terminal
        # too (AidDesk.app/Contents/MacOS/AidDesk dump ...).
        return Plan(
            system, (Executable("AidDesk", console=False),), "build/icons/aiddesk.icns", True, "AidDesk"
        )
    raise ValueError(f"no bundle plan for {system!r} (linux, windows or macos)")


def current_system(platform: str) -> str:
    """sys.platform -> the plan's name."""
    if platform.startswith("linux"):
        return "linux"
    if platform in ("win32", "cygwin"):
        return "windows"
    if platform == "darwin":
        return "macos"
    raise ValueError(f"AidDesk is not bundled for {platform!r}")


def version(root: Path = ROOT) -> str:
    """The one version: pyproject.toml's [project] version (what the package metadata carries)."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^version = "([^"]+)"', text, re.M)
    if not found:
        raise SystemExit("pyproject.toml has no [project] version")
    return found.group(1)


def artifact_names(ver: str, system: str, machine: str) -> dict[str, str]:
    """The file names of what a build makes, each carrying the version."""
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(
        machine.lower(), machine.lower()
    )
    if system == "linux":
        return {"tarball": f"aiddesk-{ver}-linux-{arch}.tar.gz", "deb": f"aiddesk_{ver}_{arch}.deb"}
    if system == "windows":
        return {"installer": f"AidDesk-{ver}-windows-setup.exe", "zip": f"AidDesk-{ver}-windows-{arch}.zip"}
    return {"dmg": f"AidDesk-{ver}-macos-{arch}.dmg"}


def is_dropped_plugin(dest: str) -> bool:
    """Whether a bundled file (its destination path) is one of DROPPED_PLUGINS."""
    dest = dest.replace("\\", "/")
    if "/plugins/" not in dest:
        return False
    tail = dest.split("/plugins/", 1)[1]
    return any(tail.startswith(prefix) for prefix in DROPPED_PLUGINS)


def is_qt_library(name: str) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return bool(re.match(r"(lib)?Qt6[A-Za-z]+(\.so\.6|\.dll|$)", base)) or base.startswith("libicu")


def is_shared_library(dest: str) -> bool:
    """A library others link to (prunable when none does): Qt's, or one PyInstaller copied to the
    bundle's top (libatk, libcairo... that a dropped plugin pulled in); not libpython."""
    dest = dest.replace("\\", "/")
    if is_qt_library(dest):
        return True
    if ".cpython-" in dest or ".abi3." in dest or dest.endswith(".pyd"):
        return False  # a Python extension module (_cffi_backend...): imported, not linked
    return "/" not in dest and not dest.startswith(("libpython", "python"))


def unreachable_libraries(needs: dict[str, set[str]]) -> set[str]:
    """The shared libraries (by bundle path) that no other bundled binary links to, directly or
    through another kept library. `needs`: each binary's bundle path -> the file names it links to
    (ldd's closure or the direct ones)."""
    by_name = {dest.replace("\\", "/").rsplit("/", 1)[-1]: dest for dest in needs}
    libraries = {dest for dest in needs if is_shared_library(dest)}
    todo = [dest for dest in needs if dest not in libraries]
    seen = set(todo)
    while todo:
        for name in needs.get(todo.pop(), ()):
            dest = by_name.get(name)
            if dest is not None and dest not in seen:
                seen.add(dest)
                todo.append(dest)
    return libraries - seen


def compile_catalogs(target: Path, root: Path = ROOT) -> list[Path]:
    """Compile translations/<lang>/LC_MESSAGES/aiddesk.po into target/<lang>/LC_MESSAGES/aiddesk.mo."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / "translations").glob("*/LC_MESSAGES/aiddesk.po")):
        language = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        mo = target / language / "LC_MESSAGES" / "aiddesk.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        written.append(mo)
    if not written:
        raise SystemExit(f"no catalogs under {root / 'translations'}")
    return written


def write_metadata(target: Path, ver: str) -> Path:
    """A minimal aiddesk-<ver>.dist-info so importlib.metadata.version('aiddesk') answers in the
    bundle (built from the source path, not from an installed copy)."""
    info = target / f"aiddesk-{ver}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: aiddesk\nVersion: {ver}\n", encoding="utf-8"
    )
    return info


LANGUAGES = ("en", "es")  # AidDesk's languages: Babel's and Qt's data for others is left out


def is_unneeded_data(dest: str) -> bool:
    """Babel locale data and Qt translations for languages AidDesk does not speak (~40 MB)."""
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    if "babel/locale-data/" in dest and name.endswith(".dat"):
        language = name[: -len(".dat")].split("_", 1)[0]
        return language not in (*LANGUAGES, "root")
    if "/translations/" in dest and name.endswith(".qm") and "PySide6" in dest:
        stem, _sep, language = name[: -len(".qm")].rpartition("_")
        return language not in LANGUAGES or stem not in ("qt", "qtbase")
    return False


# Linux libraries ship with debug symbols and symbol tables (libpython 23 MB -> 5 MB):
# `strip --strip-unneeded` removes them from copies, except in the *.libs/ folders that auditwheel
# repaired, which strip breaks (numpy's OpenBLAS: "ELF load command address/offset not
# page-aligned"): the reason PyInstaller's own strip=True is off.


def wants_debug_strip(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    if any(part.endswith(".libs") for part in dest.split("/")[:-1]):
        return False
    name = dest.rsplit("/", 1)[-1]
    return name.endswith(".so") or ".so." in name


def debug_stripped(entry: tuple[str, str, str], folder: Path) -> tuple[str, str, str]:
    """The bundle entry with a debug-stripped copy as its source (wants_debug_strip)."""
    import shutil
    import subprocess

    dest, source, kind = entry
    if not wants_debug_strip(dest) or shutil.which("strip") is None:
        return entry
    copy = folder / dest
    if not copy.exists() or copy.stat().st_mtime < Path(source).stat().st_mtime:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
    return dest, str(copy), kind
