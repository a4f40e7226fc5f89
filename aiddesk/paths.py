"""Where a desk keeps its files: a --data-dir folder, else a portable folder beside the program,
else the platformdirs locations; and whether they can be used, said in one plain sentence when
they cannot.

Portable mode: a file named `portable.txt` in the launcher's folder makes AidDesk keep its data,
logs and backups in `aiddesk-data/` beside it, never in the user profile (a desk on a USB stick).
The launcher's folder is the frozen program's own (`sys.executable`'s); run from source it is
the folder named by AIDDESK_LAUNCHER_DIR, else the source tree's root (where `./dev` is)."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from aiddesk.i18n import _

APP_NAME = "AidDesk"
DATABASE_NAME = "aiddesk.db"
NOT_ALLOWED = (errno.EACCES, errno.EPERM, errno.EROFS)
PORTABLE_MARKER = "portable.txt"
PORTABLE_FOLDER = "aiddesk-data"
LAUNCHER_DIR_VARIABLE = "AIDDESK_LAUNCHER_DIR"


@dataclass(frozen=True)
class DeskPaths:
    data_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "aiddesk.lock"

    def create(self) -> None:
        for folder in (self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)


class FolderProblem(Exception):
    """The data or log folder cannot be used. `message` is translated; `bad_argument` when the
    folder named (--data-dir) cannot be a folder at all."""

    def __init__(self, message: str, *, bad_argument: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.bad_argument = bad_argument


def launcher_folder() -> Path:
    """The folder a `portable.txt` is looked for in: the frozen program's, else
    $AIDDESK_LAUNCHER_DIR, else the source tree's root."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    named = os.environ.get(LAUNCHER_DIR_VARIABLE, "")
    if named:
        return Path(named).expanduser().resolve()
    return Path(__file__).resolve().parents[1]


def portable_root() -> Path | None:
    """The portable data folder when `portable.txt` sits in the launcher's folder, else None."""
    folder = launcher_folder()
    if (folder / PORTABLE_MARKER).is_file():
        return folder / PORTABLE_FOLDER
    return None


def resolve(data_dir: str | None) -> DeskPaths:
    """`data_dir` (then logs live inside it too); else the portable folder beside the program when
    `portable.txt` is there (logs inside it too); else the platform's user data folder."""
    if data_dir:
        root = Path(data_dir).expanduser().resolve()
        return DeskPaths(root, root / "logs")
    portable = portable_root()
    if portable is not None:
        return DeskPaths(portable, portable / "logs")
    import platformdirs

    return DeskPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )


def refuse_files(paths: DeskPaths) -> None:
    """FolderProblem when the data folder is a file or lies inside one, or the logs folder is a file."""
    _no_file_on_the_way(paths.data_dir, bad_argument=True)
    if paths.log_dir.exists() and not paths.log_dir.is_dir():
        raise FolderProblem(
            _("AidDesk cannot keep its log in %(folder)s: it is a file, not a folder.")
            % {"folder": str(paths.log_dir)}
        )
    _no_file_on_the_way(paths.log_dir, bad_argument=False)


def _no_file_on_the_way(folder: Path, *, bad_argument: bool) -> None:
    if folder.exists():
        if not folder.is_dir():
            raise FolderProblem(
                _("The data folder %(folder)s is a file, not a folder.") % {"folder": str(folder)},
                bad_argument=bad_argument,
            )
        return
    for above in folder.parents:
        if above.exists():
            if not above.is_dir():
                raise FolderProblem(
                    _("The data folder %(folder)s cannot be made: %(file)s is a file.")
                    % {"folder": str(folder), "file": str(above)},
                    bad_argument=bad_argument,
                )
            return


def prepare(paths: DeskPaths) -> None:
    """Make the data and log folders (owner-only) and check that AidDesk may write in them;
    FolderProblem saying which folder and why when it may not."""
    refuse_files(paths)
    for folder, is_data in ((paths.data_dir, True), (paths.log_dir, False)):
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            _try_writing(folder)
        except OSError as exc:
            raise _cannot_use(folder, exc, data=is_data) from exc


def _try_writing(folder: Path) -> None:
    # An unnamed file where the system has them (Linux): AidDesk killed during the check leaves
    # nothing behind in the folder.
    with tempfile.TemporaryFile(dir=folder, prefix=".aiddesk-write-check-"):
        pass


def _cannot_use(folder: Path, exc: OSError, *, data: bool) -> FolderProblem:
    values = {"folder": str(folder), "error": exc.strerror or str(exc)}
    if exc.errno in NOT_ALLOWED:
        if data:
            text = _(
                "AidDesk may not write in its data folder %(folder)s. Check that the folder belongs "
                "to you and is not read-only."
            )
        else:
            text = _(
                "AidDesk may not write in its log folder %(folder)s. Check that the folder belongs "
                "to you and is not read-only."
            )
        return FolderProblem(text % values)
    if data:
        return FolderProblem(_("AidDesk cannot use its data folder %(folder)s: %(error)s") % values)
    return FolderProblem(_("AidDesk cannot use its log folder %(folder)s: %(error)s") % values)
