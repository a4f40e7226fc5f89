"""The bundle plan (packaging/plan.py) that aiddesk.spec follows on every platform: checked here for
Linux, Windows and macOS alike, since only the Linux build can run on this machine."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

import aiddesk

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import plan  # noqa: E402


def test_windows_has_a_windowed_exe_and_a_console_exe_for_headless_commands() -> None:
    windows = plan.plan("windows")
    programs = {program.name: program.console for program in windows.executables}
    assert programs == {"AidDesk": False, "aiddesk-cli": True}
    assert windows.icon is not None and windows.icon.endswith(".ico")
    assert not windows.app_bundle


def test_macos_is_an_app_bundle_with_an_icns_icon() -> None:
    macos = plan.plan("macos")
    assert macos.app_bundle
    assert macos.icon is not None and macos.icon.endswith(".icns")


def test_linux_is_one_console_program_in_one_folder() -> None:
    linux = plan.plan("linux")
    assert [(p.name, p.console) for p in linux.executables] == [("aiddesk", True)]
    assert linux.folder == "aiddesk"


@pytest.mark.parametrize(
    ("platform", "system"), [("linux", "linux"), ("win32", "windows"), ("darwin", "macos")]
)
def test_sys_platform_picks_the_branch(platform: str, system: str) -> None:
    assert plan.current_system(platform) == system


def test_an_unknown_platform_is_refused() -> None:
    with pytest.raises(ValueError):
        plan.current_system("sunos5")
    with pytest.raises(ValueError):
        plan.plan("beos")


def test_one_version_everywhere() -> None:
    assert plan.version() == aiddesk.__version__
    ver = aiddesk.__version__
    for system in ("linux", "windows", "macos"):
        for name in plan.artifact_names(ver, system, "x86_64").values():
            assert ver in name
    assert plan.artifact_names(ver, "linux", "x86_64")["deb"] == f"aiddesk_{ver}_amd64.deb"


def test_cli_version_is_the_package_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aiddesk", "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.stdout.strip() == f"AidDesk {plan.version()}"


def test_dropped_plugins_and_kept_ones() -> None:
    base = "PySide6/Qt/plugins/"
    for dropped in (
        "platformthemes/libqgtk3.so",
        "imageformats/libqpdf.so",
        "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    ):
        assert plan.is_dropped_plugin(base + dropped)
    for kept in (
        "networkinformation/libqnetworkmanager.so",
        "networkinformation/libqglib.so",
        "imageformats/libqsvg.so",
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "printsupport/libcupsprintersupport.so",
        "tls/libqopensslbackend.so",
    ):
        assert not plan.is_dropped_plugin(base + kept)
    assert plan.is_dropped_plugin("PySide6\\plugins\\imageformats\\qpdf.dll") is False  # Windows names differ


def test_libraries_only_a_dropped_plugin_pulled_in_are_pruned() -> None:
    needs = {
        "PySide6/QtWidgets.abi3.so": {"libQt6Widgets.so.6", "libQt6Gui.so.6", "libQt6Core.so.6"},
        "PySide6/Qt/lib/libQt6Widgets.so.6": {"libQt6Gui.so.6", "libQt6Core.so.6"},
        "PySide6/Qt/lib/libQt6Gui.so.6": {"libQt6Core.so.6", "libdbus-1.so.3"},
        "PySide6/Qt/lib/libQt6Core.so.6": {"libicuuc.so.73"},
        "PySide6/Qt/lib/libicuuc.so.73": set(),
        "PySide6/Qt/lib/libQt6Quick.so.6": {"libQt6Qml.so.6"},  # only the dropped keyboard plugin used it
        "PySide6/Qt/lib/libQt6Qml.so.6": set(),
        "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so": {"libQt6DBus.so.6"},
        "PySide6/Qt/lib/libQt6DBus.so.6": {"libdbus-1.so.3"},
        "libdbus-1.so.3": set(),
        "libatk-1.0.so.0": set(),  # pulled in by the dropped GTK 3 theme
        "_cffi_backend.cpython-311-x86_64-linux-gnu.so": set(),  # imported, never linked
    }
    assert plan.unreachable_libraries(needs) == {
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "libatk-1.0.so.0",
    }


def test_only_english_and_spanish_language_data() -> None:
    assert plan.is_unneeded_data("babel/locale-data/fr.dat")
    assert not plan.is_unneeded_data("babel/locale-data/es_MX.dat")
    assert not plan.is_unneeded_data("babel/locale-data/root.dat")
    assert not plan.is_unneeded_data("PySide6/Qt/translations/qtbase_es.qm")
    assert plan.is_unneeded_data("PySide6/Qt/translations/qtbase_de.qm")
    assert plan.is_unneeded_data("PySide6/Qt/translations/qt_help_es.qm")


def test_catalogs_compile_with_spanish_words(tmp_path: Path) -> None:
    [mo] = [p for p in plan.compile_catalogs(tmp_path) if p.parts[-3] == "es"]
    import gettext

    with mo.open("rb") as fh:
        assert (
            gettext.GNUTranslations(fh).gettext("This field cannot be empty.")
            != "This field cannot be empty."
        )


def test_metainfo_and_desktop_entry_validate(tmp_path: Path) -> None:
    metainfo = tmp_path / "org.aiddesk.AidDesk.metainfo.xml"
    text = (ROOT / "packaging/linux/org.aiddesk.AidDesk.metainfo.xml").read_text(encoding="utf-8")
    metainfo.write_text(text.replace("@VERSION@", plan.version()), encoding="utf-8")
    desktop = ROOT / "packaging/linux/org.aiddesk.AidDesk.desktop"
    checked = 0
    if shutil.which("appstreamcli"):
        result = subprocess.run(
            ["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        checked += 1
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(
            ["desktop-file-validate", str(desktop)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
        checked += 1
    if not checked:
        pytest.skip("neither appstreamcli nor desktop-file-validate is installed")


def test_shell_scripts_parse() -> None:
    for script in (
        ROOT / "dev",
        ROOT / "packaging/linux/build.sh",
        ROOT / "packaging/linux/ci_check.sh",
        ROOT / "packaging/macos/build-dmg.sh",
        ROOT / ".ci/run",
    ):
        assert subprocess.run(["bash", "-n", str(script)], capture_output=True, timeout=30).returncode == 0, (
            script
        )


def test_pdf_text_check_tells_text_from_blank_pages() -> None:
    from aiddesk.install_checks import pdf_draws_text

    page = zlib.compress(b"BT /F1 12 Tf 72 720 Td (AidDesk) Tj ET")
    with_text = b"%PDF-1.4\n<< /Font << /F1 3 0 R >> >>\nstream\n" + page + b"\nendstream\n"
    blank = b"%PDF-1.4\nstream\n" + zlib.compress(b"q 0 0 612 792 re f Q") + b"\nendstream\n"
    assert pdf_draws_text(with_text)
    assert not pdf_draws_text(blank)


def test_debug_symbols_are_stripped_except_in_repaired_wheel_libraries() -> None:
    assert plan.wants_debug_strip("sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so")
    assert plan.wants_debug_strip("libpython3.11.so.1.0")
    assert not plan.wants_debug_strip("numpy.libs/libscipy_openblas64_-32a4b2a6.so")
    assert not plan.wants_debug_strip("pillow.libs/libjpeg-0988b44a.so.62.4.0")
    assert not plan.wants_debug_strip("aiddesk/resources/aiddesk.svg")


def test_aiddesk_imports_none_of_the_modules_the_bundle_leaves_out() -> None:
    """The bundle leaves pkg_resources and multiprocessing out (their run-time hooks slowed every
    start); an `import multiprocessing` in AidDesk would work from source and fail only when frozen."""
    import ast

    excluded = tuple(plan.EXCLUDED_MODULES)
    assert "pkg_resources" in excluded and "multiprocessing" in excluded
    found = []
    for source in sorted((ROOT / "aiddesk").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found += [
                f"{source.relative_to(ROOT)}:{node.lineno} {name}"
                for name in names
                if any(name == module or name.startswith(module + ".") for module in excluded)
                or name == "concurrent.futures.ProcessPoolExecutor"
            ]
    assert found == []
