"""The exchange folder: a folder every desk of the network can reach (a network share, or one
that Syncthing, Nextcloud or a cloud drive keeps in sync). Each pass writes this desk's
workbook there, encrypted with the group password, and merges every other desk's workbook
that changed since the last pass. Hand edits found wait on the Conflicts screen.

A folder that cannot be reached (a USB stick unplugged, a share offline) is not an error:
the pass says "offline" and the next one tries again. A file that cannot be merged is
listed with its message and does not stop the others; it is tried again next pass, so a
file a sync tool was still copying merges once it is complete."""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.exc import SQLAlchemyError

from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Invalid, Problem, text_problem
from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected
from aiddesk.i18n import _
from aiddesk.store.database import Database
from aiddesk.store.group_secret import GroupSecret, InDatabase, SecretStore
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.exchange import folder_state as state
from aiddesk.store.repositories.exchange.folder_state import OwnFile, Signature

if TYPE_CHECKING:
    from aiddesk.services.exchange.merge import MergeReport

log = logging.getLogger(__name__)

SUFFIX = ".aiddesk.xlsx"
MIN_PASSWORD = 8


class _DeskLike(Protocol):
    @property
    def desk_id(self) -> str: ...

    @property
    def code(self) -> str: ...


@dataclass(frozen=True)
class FolderSettings:
    folder: str  # "" when not set up
    password: str


@dataclass(frozen=True)
class FolderStatus:
    configured: bool
    reachable: bool
    last_exchange: dt.datetime | None  # UTC
    folder: str = ""


@dataclass
class PassSummary:
    configured: bool = True
    offline: bool = False
    wrote: Path | None = None  # this desk's file, when it was written in this pass
    merged: list[tuple[str, MergeReport]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, translated message)
    unchanged: int = 0  # other desks' files skipped because they did not change
    conflicts: int = 0  # opened by the merges of this pass
    proposals: int = 0  # hand edits found by the merges of this pass
    last_exchange: dt.datetime | None = None  # UTC


# ---- settings --------------------------------------------------------------------------------


def _secret(db: Database) -> SecretStore:
    """The group password of a plain desk lives outside the database: the platform's keyring, or
    an owner-only file beside the database that backups never copy. An encrypted desk keeps it
    inside its database, encrypted with the rest."""
    if db.encrypted:
        return InDatabase(db)
    return GroupSecret(db.path.parent)


def folder_settings(db: Database) -> FolderSettings:
    with db.session() as session:
        folder = state.folder(session)
    return FolderSettings(folder, _secret(db).get())


def _settings_problems(folder: str, password: str) -> list[Problem]:
    problems: list[Problem] = []
    if folder:
        if (p := text_problem("folder", folder, max_len=1000)) is not None:
            problems.append(p)
        elif not Path(folder).is_dir():
            problems.append(Problem("folder", N_("This folder is not there. Choose a folder that exists.")))
        elif not os.access(folder, os.W_OK):
            problems.append(
                Problem("folder", N_("AidDesk may not write in this folder. Choose another one."))
            )
    if (p := text_problem("password", password, max_len=200)) is not None:
        problems.append(p)
    elif (folder or password) and len(password) < MIN_PASSWORD:
        problems.append(
            Problem(
                "password",
                N_(
                    "The group password needs at least %(min)d characters. Every desk of the group uses the same one."
                ),
                {"min": MIN_PASSWORD},
            )
        )
    return problems


def check_export_password(password: str, again: str) -> None:
    """A password chosen for one export, typed twice; raises Invalid ("password", "again")."""
    problems: list[Problem] = []
    if (p := text_problem("password", password, max_len=200)) is not None:
        problems.append(p)
    elif len(password) < MIN_PASSWORD:
        problems.append(
            Problem("password", N_("A password needs at least %(min)d characters."), {"min": MIN_PASSWORD})
        )
    elif again != password:
        problems.append(Problem("again", N_("The two passwords are not the same. Type them again.")))
    if problems:
        raise Invalid(problems)


def save_folder_settings(db: Database, folder: str, password: str) -> FolderSettings:
    """Save the exchange folder ("" to stop exchanging) and the group password; raises Invalid."""
    folder = folder.strip()
    if folder:
        folder = str(Path(folder).expanduser().absolute())
    problems = _settings_problems(folder, password)
    if problems:
        raise Invalid(problems)
    secret = _secret(db)
    with db.write_session() as session:
        if (state.folder(session), secret.get()) != (folder, password):
            if isinstance(secret, InDatabase):
                secret.put_in(session.connection(), password)  # in this transaction
            else:
                secret.put(password)
            state.put_folder(session, folder)
    return FolderSettings(folder, password)


# ---- files -----------------------------------------------------------------------------------


def _fragment(desk_id: str) -> str:
    return desk_id.replace("-", "")[:8]


def own_file_name(desk: _DeskLike) -> str:
    """This desk's file in the folder: two desks with the same code never write the same file."""
    return f"{desk.code}-{_fragment(desk.desk_id)}{SUFFIX}"


def _signature(path: Path) -> Signature | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _reachable(folder: str) -> bool:
    if not folder:
        return False
    try:
        return Path(folder).is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False


def _other_desks_files(folder: Path, desk_id: str) -> list[Path]:
    """Other desks' workbooks: not ours (under any code this desk had), not a sync tool's or
    Excel's temporary or lock file (".name", "~$name", "~syncthing~name")."""
    ours = f"-{_fragment(desk_id)}{SUFFIX}"
    files = []
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        name = path.name
        if name.startswith((".", "~")) or name.endswith(ours) or not path.is_file():
            continue
        files.append(path)
    return files


# ---- one pass --------------------------------------------------------------------------------


def status(db: Database) -> FolderStatus:
    """Cheap (two settings and a look at the folder): fine for a timer."""
    with db.session() as session:
        folder = state.folder(session)
        last = state.last_exchange(session)
    return FolderStatus(bool(folder), _reachable(folder), last, folder)


class _Pass:
    def __init__(self, db: Database, who: str, folder: Path, password: str) -> None:
        self.db = db
        self.who = who
        self.folder = folder
        self.password = password
        self.summary = PassSummary()

    def write_own(self) -> bool:
        """Write this desk's workbook unless the one there is up to date. False: the folder went away."""
        with self.db.session() as session:
            desk = desk_repo.get_desk(session)
            if desk is None:
                self.summary.failed.append(("", _("This desk is not set up yet.")))
                return True
            name, counter, desk_language = own_file_name(desk), desk.counter, desk.language
            own, stale = state.own_file(session), state.stale(session)
        target = self.folder / name
        if own is not None and not stale and own == OwnFile(name, counter, _signature(target) or (0, -1)):
            return True
        from aiddesk.services.exchange.export import (  # openpyxl: not at start-up
            ExportOptions,
            export_workbook,
        )

        options = ExportOptions(password=self.password or None, language=desk_language)
        try:
            export_workbook(self.db, target, options, group_password=self.password)
        except ExportRefused as refused:
            self.summary.failed.append((name, refused.text()))
            return True
        except WorkbookRejected as rejected:  # it could not be locked with the password
            self.summary.failed.append((name, rejected.message))
            return True
        except OSError:
            log.warning("could not write %s", target, exc_info=True)
            return False
        written = _signature(target)
        if written is None:
            return False
        with self.db.write_session() as session:
            state.put_own_file(session, OwnFile(name, counter, written))
        self.summary.wrote = target
        return True

    def merge_others(self, desk_id: str) -> None:
        with self.db.session() as session:
            seen = state.seen(session)
        present: set[str] = set()
        stale = False
        try:
            for path in _other_desks_files(self.folder, desk_id):
                present.add(path.name)
                stale = self._merge_one(path, seen) or stale
        finally:
            with self.db.write_session() as session:
                state.put_seen(session, {name: sig for name, sig in seen.items() if name in present})
                if stale:
                    state.mark_stale(session)

    def _merge_one(self, path: Path, seen: dict[str, Signature]) -> bool:
        """Merge one file if it changed; True when the merge changed this desk's data."""
        name = path.name
        before = _signature(path)
        if before is None or before[1] == 0:  # gone, or a placeholder a sync tool has not filled yet
            seen.pop(name, None)
            return False
        if seen.get(name) == before:
            self.summary.unchanged += 1
            return False
        seen.pop(name, None)  # until it merged: a failed file is tried again next pass
        from aiddesk.services.exchange import merge as merge_service  # calamine, msoffcrypto: not at start-up

        try:
            book = merge_service.read(path, self.password or None)
            report = merge_service.merge(self.db, book, self.who, proposals=merge_service.Proposals.KEEP)
        except WorkbookRejected as rejected:
            self.summary.failed.append((name, rejected.message))
            return False
        except OSError as exc:
            log.warning("could not read %s", path, exc_info=True)
            self.summary.failed.append(
                (
                    name,
                    _("%(file)s could not be read (%(error)s).")
                    % {"file": name, "error": exc.strerror or exc},
                )
            )
            return False
        except SQLAlchemyError:
            log.warning("could not merge %s", path, exc_info=True)
            self.summary.failed.append(
                (name, _("%(file)s could not be merged now; AidDesk will try again.") % {"file": name})
            )
            return False
        self.summary.merged.append((name, report))
        self.summary.conflicts += report.conflicts
        self.summary.proposals += report.proposals
        if _signature(path) == before:  # not rewritten while it was being read
            seen[name] = before
        return bool(report.new or report.updated)


def run_pass(db: Database, who: str, *, now: dt.datetime | None = None) -> PassSummary:
    """One exchange with the folder. Never raises for an unreachable folder or a bad file."""
    with db.session() as session:
        folder = state.folder(session)
        last = state.last_exchange(session)
        desk = desk_repo.get_desk(session)
        desk_id = desk.desk_id if desk is not None else ""
    if not folder:
        return PassSummary(configured=False, last_exchange=last)
    if not _reachable(folder):
        return PassSummary(offline=True, last_exchange=last)
    run = _Pass(db, who, Path(folder), _secret(db).get())
    if not run.write_own():
        run.summary.offline = True
        run.summary.last_exchange = last
        return run.summary
    run.merge_others(desk_id)
    when = now or dt.datetime.now(dt.UTC)
    with db.write_session() as session:
        state.put_last_exchange(session, when)
    run.summary.last_exchange = when.astimezone(dt.UTC)
    return run.summary
