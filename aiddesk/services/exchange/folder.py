"""The exchange folder: a folder every desk of the network can reach (a network share, or one
that Syncthing, Nextcloud or a cloud drive keeps in sync, or a USB stick). Each desk writes a
series of files there, encrypted with the group password: now and then a snapshot of everything
it holds, in between small deltas with only the records it changed itself since its previous
file. Each pass writes the desk's next file (when it changed something) and reads what is new
in every other desk's series: the deltas that continue from what it merged, or the latest
snapshot when no chain of deltas reaches as far; a delta after a missing one waits, never
guessed (aiddesk/domain/exchange_series.py). Hand edits found wait on the Conflicts screen.

A folder that cannot be reached (a USB stick unplugged, a share offline) is not an error:
the pass says "offline" and the next one tries again. A file that cannot be merged is
listed with its message and does not stop the others; it is tried again next pass, so a
file a sync tool was still copying merges once it is complete."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.exc import SQLAlchemyError

from aiddesk.domain import exchange_series as plans
from aiddesk.domain.access import Right, require
from aiddesk.domain.exchange_series import DELTA, SNAPSHOT, SeriesFile
from aiddesk.domain.markers import N_
from aiddesk.domain.validation import Invalid, Problem, text_problem
from aiddesk.exchange.workbook import series
from aiddesk.exchange.workbook.errors import ExportRefused, WorkbookRejected, WrongPassword
from aiddesk.i18n import _
from aiddesk.store.database import Database
from aiddesk.store.group_secret import GroupSecret, InDatabase, SecretStore
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.exchange import folder_state as state
from aiddesk.store.repositories.exchange.folder_state import OwnSeries, Signature

if TYPE_CHECKING:
    from aiddesk.exchange.workbook.reader import ExchangeWorkbook
    from aiddesk.services.exchange.export import SeriesPart
    from aiddesk.services.exchange.merge import MergeReport

log = logging.getLogger(__name__)

SUFFIX = series.SUFFIX
MIN_PASSWORD = 8
SNAPSHOT_EVERY = 50  # deltas between two snapshots at most
SNAPSHOT_AGE = dt.timedelta(days=1)  # a file written after this long since the snapshot: a snapshot
COMPACT_FLOOR = 256 * 1024  # deltas weighing more than the snapshot and this: a snapshot
RELAY_LIMIT = 2000  # more records to pass on than this: a snapshot instead of a delta
BACKUP_EVERY = dt.timedelta(hours=1)  # a pass that merges something backs up first, this often
PASSWORD_TRIES = 2  # other desks' files a new group password is tried on (the newest of each desk)


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
    # The folder is set but the group password is not on this computer (a backup put back on
    # another one: backups never copy it): no pass runs until it is typed again in Settings.
    password_missing: bool = False


@dataclass(frozen=True)
class Waiting:
    """Another desk's files this desk cannot merge yet: one of its series is missing (lost, or not
    synced yet). They merge when it comes, or when that desk writes its next snapshot."""

    desk: str  # its code, as its file names say
    have: int  # this desk has that desk's own edits up to this counter
    files: int  # its files waiting


@dataclass(frozen=True)
class PassStep:
    """Where a running pass is, for the status bar: writing this desk's file, or reading file
    `done + 1` of the `total` other desks' files it has to read."""

    writing: bool
    done: int = 0
    total: int = 0


PassProgress = Callable[[PassStep], None]


def _no_progress(_step: PassStep) -> None:
    return None


@dataclass
class PassSummary:
    configured: bool = True
    offline: bool = False
    password_missing: bool = False  # the folder is set, the group password is not (FolderStatus)
    wrote: Path | None = None  # this desk's file, when it was written in this pass
    wrote_bytes: int = 0
    snapshot: bool = False  # the file written is a snapshot (else a delta)
    removed: list[str] = field(default_factory=list)  # own files a newer snapshot covers, removed
    waiting: list[Waiting] = field(default_factory=list)
    merged: list[tuple[str, MergeReport]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file name, translated message)
    locked: list[str] = field(default_factory=list)  # those of `failed` locked with another password
    unchanged: int = 0  # other desks' files skipped because they did not change
    conflicts: int = 0  # opened by the merges of this pass
    proposals: int = 0  # hand edits found by the merges of this pass
    last_exchange: dt.datetime | None = None  # UTC


class GroupPasswordRefused(Invalid):
    """The group password opens none of the files the other desks put in the folder: it is not
    their password (a typing mistake, or the group changed it). Saving it anyway (`new_password`)
    is for a group that chose a new password on purpose."""


def locked_text(name: str) -> str:
    """Why a file of the folder was not merged: the group password this desk keeps does not open it."""
    return _(
        "%(file)s is locked with another password: the group password of this desk does not open it. "
        "Ask your coordinator for the group password and set it in Settings."
    ) % {"file": name}


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


def save_folder_settings(
    db: Database, folder: str, password: str, *, who: str = "", new_password: bool = False
) -> FolderSettings:
    """Save the exchange folder ("" to stop exchanging) and the group password; raises Invalid
    (NotAllowed when `who` may not change the settings). A new folder or password is tried on the
    files the other desks put in the folder: GroupPasswordRefused when it opens none of them,
    nothing saved, unless `new_password` (the group chose a new password, and this desk is among
    the first to take it)."""
    require(who, Right.SETTINGS)
    folder = folder.strip()
    if folder:
        folder = str(Path(folder).expanduser().absolute())
    problems = _settings_problems(folder, password)
    if problems:
        raise Invalid(problems)
    secret = _secret(db)
    with db.session() as session:
        changed = (state.folder(session), secret.get()) != (folder, password)
        desk = desk_repo.get_desk(session)
        desk_id = desk.desk_id if desk is not None else ""
    if changed and folder and not new_password:  # read the folder before taking the write lock
        _check_group_password(Path(folder), password, desk_id)
    with db.write_session() as session:
        if (state.folder(session), secret.get()) != (folder, password):
            if isinstance(secret, InDatabase):
                secret.put_in(session.connection(), password)  # in this transaction
            else:
                secret.put(password)
            state.put_folder(session, folder)
    return FolderSettings(folder, password)


def _check_group_password(folder: Path, password: str, desk_id: str) -> None:
    """Refuse a group password that opens none of the locked files the other desks put in the
    folder (the newest of each desk first, PASSWORD_TRIES of them at most). A folder without such
    files (the first desk), or whose files cannot be told (damaged, still being copied), takes
    any password."""
    from aiddesk.exchange.workbook.reading.file_kind import password_opens  # msoffcrypto: not at start-up

    try:
        listing = _list(folder, desk_id)
    except OSError:
        return  # not readable now: the pass says so
    newest: list[tuple[int, Path]] = []
    for path in [path for _part, path in _newest_of_each(listing)] + listing.loose:
        signature = _signature(path)
        if signature is not None and signature[1]:
            newest.append((signature[0], path))
    refused = 0
    for _mtime, path in sorted(newest, key=lambda found: found[0], reverse=True):
        opens = password_opens(path, password)
        if opens:
            return
        if opens is False:
            refused += 1
            if refused >= PASSWORD_TRIES:
                break
    if refused:
        raise GroupPasswordRefused(
            [
                Problem(
                    "password",
                    N_(
                        "This password does not open the files the other desks put in %(folder)s. "
                        "Ask your coordinator for the group password."
                    ),
                    {"folder": str(folder)},
                )
            ]
        )


def _newest_of_each(listing: _Listing) -> list[tuple[SeriesFile, Path]]:
    """Each other desk's newest series file (by the counter its name says)."""
    return [max(files, key=lambda found: found[0].to) for _frag, files in sorted(listing.series.items())]


# ---- files -----------------------------------------------------------------------------------


def own_file_name(desk: _DeskLike) -> str:
    """The one whole file a desk wrote before series (older AidDesks still write it)."""
    return series.whole_file_name(desk.code, desk.desk_id)


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


@dataclass
class _Listing:
    """The folder's exchange files, sorted out once per pass."""

    own: dict[str, tuple[Path, SeriesFile | None]] = field(default_factory=dict)  # this desk's
    series: dict[str, list[tuple[SeriesFile, Path]]] = field(default_factory=dict)  # desk id's hex -> files
    loose: list[Path] = field(default_factory=list)  # merged whole when they change


def _list(folder: Path, desk_id: str) -> _Listing:
    """Series files by desk, this desk's own files, and the rest: an older desk's whole file, a
    sync tool's conflict copy, a file renamed by hand. Temporary and lock files of sync tools and
    Excel (".name", "~$name", "~syncthing~name") are not looked at."""
    ours = series.fragment(desk_id)
    listing = _Listing()
    for path in sorted(folder.iterdir()):
        name = path.name
        if not series.is_exchange_file(name) or not path.is_file():
            continue
        named = series.parse_name(name)
        if named is not None and named.frag == (ours if named.part is not None else ours[:8]):
            listing.own[name] = (path, named.part)
        elif named is not None and named.part is not None:
            listing.series.setdefault(named.frag, []).append((named.part, path))
        else:
            listing.loose.append(path)
    return listing


# ---- one pass --------------------------------------------------------------------------------


def status(db: Database) -> FolderStatus:
    """Cheap (two settings, the password's place and a look at the folder): fine for a timer."""
    with db.session() as session:
        folder = state.folder(session)
        last = state.last_exchange(session)
    missing = bool(folder) and not _secret(db).get()
    return FolderStatus(bool(folder), _reachable(folder), last, folder, password_missing=missing)


def waiting(db: Database) -> list[Waiting]:
    """Other desks whose files wait for a missing one of their series, as the last pass found."""
    with db.session() as session:
        return [Waiting(code, have, files) for code, _desk, have, files in state.waiting(session)]


class _Pass:
    def __init__(
        self,
        db: Database,
        who: str,
        folder: Path,
        password: str,
        desk_id: str,
        progress: PassProgress = _no_progress,
    ) -> None:
        self.db = db
        self.progress = progress
        self.read_done = 0
        self.read_total = 0
        self.who = who
        self.folder = folder
        self.password = password
        self.desk_id = desk_id
        self.summary = PassSummary()
        self.listing = _list(folder, desk_id)
        self.backed_up = False

    # -- this desk's file ----------------------------------------------------------------------

    def write_own(self) -> bool:
        """Write this desk's next file when it has something new. False: the folder went away."""
        with self.db.session() as session:
            desk = desk_repo.get_desk(session)
            if desk is None:
                self.summary.failed.append(("", _("This desk is not set up yet.")))
                return True
            code, counter, clock, language = desk.code, desk.counter, desk.clock, desk.language
            own = state.own_series(session)
            relay = state.relay(session)
            wait_for = tuple(desk for _code, desk, _have, _files in state.waiting(session))
            salt = state.drawn_lock_salt(session)
        if own is not None and counter == own.to and any(relay.values()):
            counter, clock = self._tick()  # else readers that have all its own edits skip the file
        part = self._next_part(own, relay, counter, clock, wait_for)
        if part is None:
            return True
        name = series.file_name(code, self.desk_id, part.kind, part.start, part.to)
        target = self.folder / name
        from aiddesk.services.exchange.export import (  # openpyxl: not at start-up
            ExportOptions,
            export_workbook,
        )

        self.progress(PassStep(writing=True))
        if salt is None:  # drawn once, for the first file; later passes only read it (read
            with self.db.write_session() as session:  # above: no write turn a save waits behind)
                salt = state.lock_salt(session)
        options = ExportOptions(
            password=self.password or None, language=language, series=part, lock_salt=salt
        )
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
        self.summary.wrote, self.summary.wrote_bytes = target, written[1]
        self.summary.snapshot = part.kind == SNAPSHOT
        mine = own or OwnSeries()
        if part.kind == SNAPSHOT:
            self._remove_covered(name, code)
            mine = OwnSeries(snapshot_bytes=written[1], snapshot_at=dt.datetime.now(dt.UTC).isoformat())
        else:
            mine.deltas += 1
            mine.delta_bytes += written[1]
        mine.files[name] = written
        mine.to, mine.clock, mine.last = part.to, clock, name
        with self.db.write_session() as session:
            state.put_own_series(session, mine)
            left = state.relay(session)  # what a merge noted meanwhile stays for the next file
            sent = relay if part.kind == SNAPSHOT else part.relay  # a snapshot holds everything
            state.put_relay(session, {k: ids - sent.get(k, set()) for k, ids in left.items()})
        return True

    def _tick(self) -> tuple[int, int]:
        """Move this desk's counter on with no record changed, for a file that only passes on what
        a merge from outside the folder brought: readers skip a file that reaches no further than
        the counter up to which they hold this desk's own edits. The new counter and clock."""
        with self.db.transaction(self.who) as tx:
            stamp = tx.stamp()
        return stamp.counter, stamp.clock

    def _next_part(
        self,
        own: OwnSeries | None,
        relay: dict[str, set[str]],
        counter: int,
        clock: int,
        wait_for: tuple[str, ...],
    ) -> SeriesPart | None:
        from aiddesk.services.exchange.export import SeriesPart

        relayed = {kind: frozenset(ids) for kind, ids in relay.items()}
        if own is None:
            return SeriesPart(SNAPSHOT, 0, counter, waiting=wait_for)
        missing = any(
            self.listing.own.get(name, (None,))[0] is None or _signature(self.folder / name) != sig
            for name, sig in own.files.items()
        )
        if counter == own.to and not relayed and not missing and not own.snapshot_due:
            return None  # nothing new to say
        snapshot = (
            missing
            or own.snapshot_due
            or own.deltas >= SNAPSHOT_EVERY
            or own.delta_bytes > max(own.snapshot_bytes, COMPACT_FLOOR)
            or sum(len(ids) for ids in relayed.values()) > RELAY_LIMIT
            or _older_than(own.snapshot_at, SNAPSHOT_AGE)
        )
        if snapshot:
            return SeriesPart(SNAPSHOT, 0, counter, previous=own.last, waiting=wait_for)
        return SeriesPart(
            DELTA, own.to, counter, since_clock=own.clock, previous=own.last, waiting=wait_for, relay=relayed
        )

    def _remove_covered(self, snapshot: str, code: str) -> None:
        """This desk's older files: the new snapshot covers them (and the one whole file it wrote
        before series, under its code now)."""
        for name, (path, part) in self.listing.own.items():
            if name == snapshot or (part is None and name != series.whole_file_name(code, self.desk_id)):
                continue
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                log.warning("could not remove %s", path, exc_info=True)
                continue
            self.summary.removed.append(name)

    # -- the other desks' files ------------------------------------------------------------------

    def merge_others(self, now: dt.datetime | None = None) -> None:
        """Merge what the other desks' files bring, then note in one write what was read and,
        unless it broke, when the exchange was (`now`, or the clock's): each write of the pass
        is one more a save at the desk may wait behind (issue 13)."""
        with self.db.session() as session:
            seen = state.seen(session)
            have = state.have(session)
        kept: dict[str, Signature] = {}
        waits: list[state.Waiting] = []
        self.snapshot_due = False
        self.read_total = self._to_read(seen, have)
        merged = False
        try:
            for path in self.listing.loose:
                self._merge_loose(path, seen, kept, have)
            for frag, files in sorted(self.listing.series.items()):
                waits += self._merge_series(frag, files, have)
            merged = True
        finally:
            with self.db.write_session() as session:
                if merged:
                    when = now or dt.datetime.now(dt.UTC)
                    state.put_last_exchange(session, when)
                    self.summary.last_exchange = when.astimezone(dt.UTC)
                state.put_seen(session, kept)
                state.put_have(session, have)
                state.put_waiting(session, waits)
                if self.snapshot_due:
                    own = state.own_series(session)
                    if own is not None:
                        own.snapshot_due = True
                        state.put_own_series(session, own)
        self.summary.waiting = [Waiting(code, at, count) for code, _desk, at, count in waits]

    def _merge_series(
        self,
        frag: str,
        files: list[tuple[SeriesFile, Path]],
        have: dict[str, int],
    ) -> list[state.Waiting]:
        """Read what is new in one desk's series; the waiting entry when some of it must wait."""
        paths = {part.name: path for part, path in files}
        desk_id, at, plan = _series_plan(frag, files, have)
        self.summary.unchanged += len(plan.covered)
        done = 0
        for part in plan.read:
            book = self._merge_file(paths[part.name])
            if book is None:
                break
            done += 1
            said = series.meta_part(book.meta.values, part.name)
            if said != part or series.fragment(book.meta["desk_id"]) != frag:
                break  # a file whose name says something else: merged, but no gap is closed by it
            desk_id, at = book.meta["desk_id"], part.to
            have[desk_id] = max(have.get(desk_id, 0), at)
        left = len(plan.read) - done + len(plan.waiting)
        if not left or (done < len(plan.read) and plan.read[done].name in self.summary.locked):
            return []  # all read, or this desk's password does not open them: nothing missing
        named = series.parse_name(files[0][0].name)
        return [(named.code if named is not None else frag, desk_id or frag, at, left)]

    def _merge_loose(
        self,
        path: Path,
        seen: dict[str, Signature],
        kept: dict[str, Signature],
        have: dict[str, int],
    ) -> None:
        """A file merged whole when it changed: an older desk's file, a sync tool's conflict copy.
        A series file under another name (a conflict copy) closes a gap like the file itself."""
        before = _signature(path)
        if before is None or before[1] == 0:  # gone, or a placeholder a sync tool has not filled yet
            return
        if seen.get(path.name) == before:
            self.summary.unchanged += 1
            kept[path.name] = before
            return
        book = self._merge_file(path)
        if book is None:
            return
        if _signature(path) == before:  # not rewritten while it was being read
            kept[path.name] = before
        part = series.meta_part(book.meta.values, path.name)
        desk_id = book.meta["desk_id"]
        if part is not None and plans.reaches(have.get(desk_id, 0), part):
            have[desk_id] = part.to

    def _to_read(self, seen: dict[str, Signature], have: dict[str, int]) -> int:
        """How many files this pass expects to read: the loose ones that changed, and what each
        series plans (a loose file that closes a gap may make it fewer)."""
        signatures = [(path.name, _signature(path)) for path in self.listing.loose]
        loose = sum(1 for name, sig in signatures if sig is not None and sig[1] and seen.get(name) != sig)
        planned = sum(
            len(_series_plan(frag, files, have)[2].read) for frag, files in self.listing.series.items()
        )
        return loose + planned

    def _merge_file(self, path: Path) -> ExchangeWorkbook | None:
        """Read and merge one file; None when it could not be (listed in `failed`, unless it went
        away meanwhile: a newer snapshot replaced it, and the next pass reads that)."""
        name = path.name
        self.read_total = max(self.read_total, self.read_done + 1)
        self.progress(PassStep(writing=False, done=self.read_done, total=self.read_total))
        self.read_done += 1
        from aiddesk.services.exchange import merge as merge_service  # calamine, msoffcrypto: not at start-up

        try:
            book = merge_service.read(path, self.password or None)
            report = merge_service.merge(
                self.db,
                book,
                self.who,
                proposals=merge_service.Proposals.KEEP,
                backup=self._backup,
                pass_on=False,
            )
        except FileNotFoundError:
            return None
        except WrongPassword:
            if not path.exists():
                return None
            self.summary.failed.append((name, locked_text(name)))
            self.summary.locked.append(name)
            return None
        except WorkbookRejected as rejected:
            if not path.exists():
                return None
            self.summary.failed.append((name, rejected.message))
            return None
        except OSError as exc:
            log.warning("could not read %s", path, exc_info=True)
            self.summary.failed.append(
                (
                    name,
                    _("%(file)s could not be read (%(error)s).")
                    % {"file": name, "error": exc.strerror or exc},
                )
            )
            return None
        except SQLAlchemyError:
            log.warning("could not merge %s", path, exc_info=True)
            self.summary.failed.append(
                (name, _("%(file)s could not be merged now; AidDesk will try again.") % {"file": name})
            )
            return None
        self.summary.merged.append((name, report))
        self.summary.conflicts += report.conflicts
        self.summary.proposals += report.proposals
        if {self.desk_id, series.fragment(self.desk_id)} & set(book.meta[series.WAITING].split(",")):
            self.snapshot_due = True  # that desk lacks one of ours: the next file is a snapshot
        return book

    def _backup(self) -> None:
        """A backup before the first merge of a pass that writes, at most every BACKUP_EVERY."""
        if self.backed_up:
            return
        from aiddesk.services.exchange.merge import take_backup

        with self.db.session() as session:
            last = state.backup_at(session)
        now = dt.datetime.now(dt.UTC)
        if last is None or now - last >= BACKUP_EVERY or now < last:
            take_backup(self.db)
            with self.db.write_session() as session:
                state.put_backup_at(session, now)
        self.backed_up = True


def _series_plan(
    frag: str, files: list[tuple[SeriesFile, Path]], have: dict[str, int]
) -> tuple[str, int, plans.SeriesPlan]:
    """One desk's series as this desk stands: that desk's id as merged so far, the counter this
    desk has without a gap, and which files to read or wait for."""
    ids = [d for d in have if series.fragment(d) == frag]
    desk_id = max(ids, key=lambda d: have[d]) if ids else ""
    at = have.get(desk_id, 0)
    return desk_id, at, plans.plan(at, [part for part, _path in files])


def _older_than(iso: str, age: dt.timedelta) -> bool:
    if not iso:
        return True
    try:
        return dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(iso) > age
    except ValueError:
        return True


def run_pass(
    db: Database, who: str, *, now: dt.datetime | None = None, progress: PassProgress = _no_progress
) -> PassSummary:
    """One exchange with the folder. Never raises for an unreachable folder or a bad file.
    `progress` hears each step (on the pass's thread): writing this desk's file, each file read."""
    require(who, Right.EXCHANGE)
    with db.session() as session:
        folder = state.folder(session)
        last = state.last_exchange(session)
        desk = desk_repo.get_desk(session)
        desk_id = desk.desk_id if desk is not None else ""
    if not folder:
        return PassSummary(configured=False, last_exchange=last)
    password = _secret(db).get()
    if not password:  # it stayed behind (backups never copy it): the desk's records never go unlocked
        return PassSummary(password_missing=True, last_exchange=last)
    if not _reachable(folder):
        return PassSummary(offline=True, last_exchange=last)
    try:
        run = _Pass(db, who, Path(folder), password, desk_id, progress)
    except OSError:
        return PassSummary(offline=True, last_exchange=last)
    if not run.write_own():
        run.summary.offline = True
        run.summary.last_exchange = last
        return run.summary
    run.merge_others(now)
    return run.summary
