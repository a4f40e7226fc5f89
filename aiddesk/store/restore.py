"""Putting a backup back in place of a desk's database.

The backup is checked whole first (an AidDesk database this version can open, that passes
`PRAGMA integrity_check`). The current database is kept: a sound one as a verified
"restore" backup, a damaged one moved aside as a "damaged" one. The backup is copied to a
temporary file and made a new desk there (a restore rewinds the desk's edit counter: with
its old desk id it would reissue stamps other desks already hold), with the exchange
folder's memory cleared so every workbook there is merged again, and only then put in
place: in one SQLite transaction over a sound database, by a rename where the database
was damaged or missing. A kill at any moment leaves the old database or the restored one."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from aiddesk.store import backup as backups
from aiddesk.store import cipher, group_secret, soundness
from aiddesk.store.cipher import DeskKey

log = logging.getLogger(__name__)

VERSIONS = Path(__file__).with_name("migrations") / "versions"


class BackupRejected(Exception):
    """Not a backup this desk can be restored from. `problem`: missing, not-a-database,
    damaged, not-a-desk, newer."""

    def __init__(self, problem: str, path: Path, detail: str = "") -> None:
        super().__init__(f"{path}: {problem} {detail}".strip())
        self.problem = problem
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept: Path | None  # the database as it was before: a "restore" backup, or set aside when damaged
    set_aside: bool
    old_desk_id: str
    new_desk_id: str


def known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}


def check_backup(path: Path, key: DeskKey | None = None) -> str:
    """The desk id of a sound AidDesk backup at `path` (of an encrypted desk: opened with `key`);
    raises BackupRejected."""
    if not path.is_file():
        raise BackupRejected("missing", path)
    verdict = soundness.full_check(path, key=key)
    if verdict.state in (soundness.State.NOT_A_DATABASE, soundness.State.EMPTY, soundness.State.NEW):
        raise BackupRejected("not-a-database", path, verdict.detail)
    if verdict.state is not soundness.State.SOUND:
        raise BackupRejected("damaged", path, verdict.detail)
    con = cipher.connect(path, key)
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        desk = con.execute("SELECT desk_id FROM desk WHERE id = 1").fetchone()
    except cipher.ERRORS as exc:
        raise BackupRejected("not-a-desk", path, str(exc)) from exc
    finally:
        con.close()
    if revision is None or desk is None:
        raise BackupRejected("not-a-desk", path)
    if revision[0] not in known_revisions():
        raise BackupRejected("newer", path, str(revision[0]))
    return str(desk[0])


def _code_counts(database: Path, key: DeskKey | None) -> dict[str, int]:
    """How far the database's display codes went, per kind (nothing when it cannot be read)."""
    con = cipher.connect(database, key)
    try:
        return {str(kind): int(last) for kind, last in con.execute("SELECT kind, last FROM code_sequence")}
    except cipher.ERRORS:
        return {}
    finally:
        con.close()


def _as_new_desk(
    copy: Path, database: Path, file: Path, key: DeskKey | None, codes_went: dict[str, int] | None = None
) -> tuple[str, str]:
    """In the copy: a new desk id, the exchange folder's memory cleared, no stored password
    (an encrypted desk keeps its own inside the database: the copy's is the backup's), and its
    display codes going on from where the replaced database's went (`codes_went`): the codes given
    after the backup are on records other desks hold, and their workbooks bring them back."""
    from sqlalchemy import create_engine, text  # not on the app's start path

    from aiddesk.store import identity
    from aiddesk.store.repositories.exchange import folder_state as exchange_state

    if key is None:
        engine = create_engine(f"sqlite:///{copy}")
    else:
        engine = create_engine(
            f"sqlite:///{copy}", module=cipher.driver, creator=lambda: cipher.connect(copy, key)
        )
    try:
        with engine.begin() as conn:
            old = str(conn.execute(text("SELECT desk_id FROM desk WHERE id = 1")).scalar())
            new = identity.take_new_identity(conn, database, old, why="restored from a backup", file=file)
            for name in exchange_state.FORGET_ON_NEW_IDENTITY:
                conn.execute(text("DELETE FROM setting WHERE key = :key"), {"key": name})
            if key is None:
                group_secret.move_out_of_database(conn, database.parent)
            for kind, last in (codes_went or {}).items():
                conn.execute(
                    text(
                        "INSERT INTO code_sequence (kind, last) VALUES (:kind, :last) "
                        "ON CONFLICT (kind) DO UPDATE SET last = max(last, excluded.last)"
                    ),
                    {"kind": kind, "last": last},
                )
    finally:
        engine.dispose()
    return old, new


def restore_backup(backup_file: Path, database: Path, key: DeskKey | None = None, who: str = "") -> Restored:
    """Put `backup_file` in place of `database` (no other connection may write meanwhile)."""
    check_backup(backup_file, key)
    folder = soundness.backups_folder(database)
    kept: Path | None = None
    # in_use: the window restores with the database open (only SQLite may read it then)
    if not soundness.examine(database, budget=None, key=key, in_use=True).damaged and database.exists():
        try:
            kept = backups.take(database, folder, "restore", key=key).path
        except backups.BackupFailed:
            log.warning(
                "the database could not be backed up before the restore; it is set aside", exc_info=True
            )
    in_place = kept is not None
    codes_went = _code_counts(database, key) if in_place else {}
    with backups.partial_file(folder) as (temp, fd):
        backups.copy_database(backup_file, temp, key)
        old, new = _as_new_desk(temp, database, database if in_place else temp, key, codes_went)
        if in_place:
            backups.restore(temp, database, key)
        else:
            if database.exists():
                kept = backups.set_aside(database, folder)
            else:
                backups.set_aside(database, folder)  # a -wal or -shm without their database
            backups.publish(temp, fd, database)
    con = cipher.connect(database, key)
    try:
        counter = con.execute("SELECT counter FROM desk WHERE id = 1").fetchone()[0] or 0
    finally:
        con.close()
    from aiddesk.store.identity import write_watermark

    write_watermark(database, new, int(counter))
    _adopt_trail(database, key, who, backup_file.name, str(kept.name) if kept else "")
    log.warning("restored %s over %s (kept the old database as %s)", backup_file, database, kept)
    return Restored(backup_file, kept, not in_place, old, new)


def _adopt_trail(database: Path, key: DeskKey | None, who: str, backup_name: str, kept: str) -> None:
    """The restore goes on the restored database's audit trail, whose end becomes the chain's head
    (the replaced database's head went with it)."""
    import datetime as dt
    import json

    from sqlalchemy import create_engine, text

    from aiddesk.store import audit_chain

    engine = create_engine(
        f"sqlite:///{database}", module=cipher.driver, creator=lambda: cipher.connect(database, key)
    )
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit (at, who, action, record_kind, record_id, detail) "
                    "VALUES (:at, :who, 'restored', '', '', :detail)"
                ),
                {
                    "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
                    "who": str(who) or "aiddesk",
                    "detail": json.dumps({"backup": backup_name, "kept": kept}, sort_keys=True),
                },
            )
            audit_chain.adopt(conn, database, key)
    finally:
        engine.dispose()
