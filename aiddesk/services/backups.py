"""Backups for the screens and the commands: the list, a backup now (into the desk's backups
folder or to another folder, a USB stick say), the automatic ones (the first start of a day,
every few hours of use), a restore, and the newest sound backup to name when the database
is damaged. What is kept: aiddesk/domain/backup_rotation.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiddesk.domain import backup_rotation as rotation
from aiddesk.domain.access import Right, require
from aiddesk.i18n import N_
from aiddesk.store import backup as backups
from aiddesk.store import soundness
from aiddesk.store.backup import BackupFailed, BackupFile, BackupStopped
from aiddesk.store.cipher import DeskKey
from aiddesk.store.restore import BackupRejected, Restored, check_backup, restore_backup
from aiddesk.store.soundness import State, Verdict

log = logging.getLogger(__name__)

EVERY = dt.timedelta(hours=3)  # a periodic backup after this much time, when something changed
SOUND_TRIES = 10  # backups looked at, newest first, to name a sound one

DAMAGE_TEXT: dict[State, str] = {
    State.MISSING: N_("The database file is missing, though this folder had one."),
    State.EMPTY: N_("The database file is empty: it holds 0 bytes."),
    State.NOT_A_DATABASE: N_("The database file is not a database any more: it was overwritten or wiped."),
    State.TRUNCATED: N_("The database file is cut short: its end is missing."),
    State.DAMAGED: N_("The database file has damaged parts."),
}

REJECTED_TEXT: dict[str, str] = {
    "missing": N_("There is no file %(file)s."),
    "not-a-database": N_("%(file)s is not an AidDesk backup: it is not a database."),
    "damaged": N_("%(file)s is damaged: it cannot be restored."),
    "not-a-desk": N_("%(file)s is not an AidDesk backup: it holds no desk."),
    "newer": N_("%(file)s was made by a newer version of AidDesk. Update AidDesk to restore it."),
}

REASONS = rotation.REASONS  # reason -> its label (translated when shown)

__all__ = [
    "REASONS",
    "BackupFailed",
    "BackupFile",
    "BackupRejected",
    "BackupStopped",
    "DeskKey",
    "Restored",
    "State",
    "Verdict",
    "check_backup",
]


def folder_of(database: Path) -> Path:
    return soundness.backups_folder(database)


def list_backups(database: Path) -> list[BackupFile]:
    """This desk's backups, newest first."""
    return backups.list_backups(folder_of(database))


def sweep_leftovers(database: Path) -> None:
    """Remove what a killed backup, restore or password save left (at the start of every
    command and of the app)."""
    backups.sweep_leftovers(database)


def back_up(
    database: Path, reason: str, *, key: DeskKey | None = None, stop: Callable[[], bool] | None = None
) -> BackupFile:
    """A verified backup into the desk's backups folder, then its rotation. An encrypted desk's
    (`key`: Database.key) is encrypted with the same key, its key file beside it. `stop`: see
    `backups.take` (BackupStopped when it turned true: no backup was made)."""
    return backups.take(database, folder_of(database), reason, key=key, stop=stop)


def back_up_to(database: Path, folder: Path, *, key: DeskKey | None = None) -> Path:
    """A verified backup made by hand into another folder (not rotated: it is the user's)."""
    if not folder.is_dir():
        raise FileNotFoundError(2, "No such folder", str(folder))
    backups.sweep(folder)  # what a backup killed earlier left there
    return backups.take(database, folder, rotation.MANUAL, rotate_after=False, key=key).path


def _changed_since(database: Path, when: dt.datetime) -> bool:
    stamps = []
    for path in (database, database.with_name(database.name + "-wal")):
        with contextlib.suppress(OSError):
            stamps.append(path.stat().st_mtime)
    return not stamps or dt.datetime.fromtimestamp(max(stamps), dt.UTC) > when


def due(database: Path, now: dt.datetime | None = None, every: dt.timedelta = EVERY) -> str | None:
    """ "daily" when no periodic backup was made today (this computer's day), "periodic" when the
    newest is older than `every`; None when none is due or nothing changed since the newest backup."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    found = list_backups(database)
    if found and not _changed_since(database, found[0].created):
        return None
    periodic = [b for b in found if b.reason in rotation.PERIODIC_REASONS]
    if not periodic or periodic[0].created.astimezone().date() != now.astimezone().date():
        return rotation.DAILY
    if now - periodic[0].created >= every:
        return rotation.PERIODIC
    return None


def back_up_if_due(
    database: Path,
    now: dt.datetime | None = None,
    *,
    key: DeskKey | None = None,
    stop: Callable[[], bool] | None = None,
) -> BackupFile | None:
    reason = due(database, now)
    return back_up(database, reason, key=key, stop=stop) if reason else None


def newest_sound(
    database: Path, *, budget: float | None = None, key: DeskKey | None = None
) -> BackupFile | None:
    """The newest backup that is whole (looked at with `PRAGMA quick_check`, newest first)."""
    for item in [b for b in list_backups(database) if b.reason != rotation.DAMAGED][:SOUND_TRIES]:
        verdict = soundness.examine(item.path, budget=budget, key=key)
        if verdict.state in (State.SOUND, State.UNCHECKED):
            return item
        log.warning("backup %s is not sound: %s %s", item.path, verdict.state, verdict.detail)
    return None


def examine(
    database: Path,
    budget: float | None = soundness.QUICK_BUDGET_S,
    *,
    strict: bool = False,
    key: DeskKey | None = None,
    in_use: bool = False,
) -> Verdict:
    """The header and a quick check within `budget`. `strict` (the commands): an empty file is
    damage even in a folder where nothing was ever saved. `in_use`: this process has the database
    open (the window): only SQLite reads it (aiddesk/store/soundness.py says why)."""
    return soundness.examine(database, budget, strict=strict, key=key, in_use=in_use)


def full_check(
    database: Path,
    *,
    strict: bool = False,
    key: DeskKey | None = None,
    stop: Callable[[], bool] | None = None,
    in_use: bool = False,
) -> Verdict:
    """The header and the whole integrity check; `in_use` as in `examine`."""
    return soundness.full_check(database, strict=strict, key=key, stop=stop, in_use=in_use)


def restore(database: Path, backup_file: Path, *, who: str = "", key: DeskKey | None = None) -> Restored:
    """Restore `backup_file` over the desk's database: the current one is kept first (a backup,
    or set aside when damaged) and the desk takes a new desk id. Raises BackupRejected, and
    NotAllowed when `who` may not restore."""
    require(who, Right.RESTORE)
    return restore_backup(backup_file, database, key, who=str(who))


@dataclass(frozen=True)
class Damage:
    """A damaged database and the newest sound backup to put back, for a message."""

    database: Path
    verdict: Verdict
    backup: BackupFile | None


def damage(
    database: Path, verdict: Verdict, *, budget: float | None = None, key: DeskKey | None = None
) -> Damage:
    return Damage(database, verdict, newest_sound(database, budget=budget, key=key))


def rejected_text(rejected: BackupRejected, translate: Callable[[str], str]) -> str:
    return translate(REJECTED_TEXT.get(rejected.problem, REJECTED_TEXT["damaged"])) % {
        "file": str(rejected.path)
    }
