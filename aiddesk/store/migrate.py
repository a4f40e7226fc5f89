"""Open a desk's database and bring its schema up to date.

A file that is not a whole database (empty where a desk had saved data, zeroed, cut
short) is refused with DatabaseDamaged: a new desk is never made in its place. An
upgrade runs only after a verified backup, and the backup is put back if the upgrade
fails. A group password an older version kept in the database moves out of it first.
Alembic is imported only when an upgrade is due."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from aiddesk.domain import backup_rotation as rotation
from aiddesk.store import backup as backups
from aiddesk.store import group_secret, identity, soundness
from aiddesk.store.cipher import DeskKey
from aiddesk.store.database import Database, make_engine
from aiddesk.store.schema import HEAD

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


class UpgradeFailed(RuntimeError):
    def __init__(self, message: str, backup_file: Path | None) -> None:
        super().__init__(message)
        self.backup_file = backup_file


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


class DatabaseDamaged(RuntimeError):
    """The database file is not whole; `verdict` says how (aiddesk.store.soundness)."""

    def __init__(self, path: Path, verdict: soundness.Verdict) -> None:
        super().__init__(f"{path}: {verdict.state} {verdict.detail}".strip())
        self.path = path
        self.verdict = verdict


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def _run_alembic(engine: Engine, script_location: Path) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        conn.commit()
    # The migration's connection ran with foreign keys off (env.py turns them on again only
    # inside its transaction, where the pragma does nothing): drop it, so every connection
    # the desk uses is a fresh one with AidDesk's pragmas.
    engine.dispose()


def open_database(
    path: Path, *, script_location: Path | None = None, head: str = HEAD, key: DeskKey | None = None
) -> Database:
    """Open (creating if needed) and migrate the database at `path`, encrypted with `key` when
    given (aiddesk/store/cipher.py); DatabaseDamaged when the file is there but not a whole
    database (its header tells)."""
    verdict = soundness.header_verdict(path, encrypted=True if key is not None else None)
    if verdict is not None and verdict.damaged:
        raise DatabaseDamaged(path, verdict)
    engine = make_engine(path, key)
    try:
        revision = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        if key is not None and "not a database" in str(exc):
            raise DatabaseDamaged(path, soundness.Verdict(soundness.State.NOT_A_DATABASE, str(exc))) from exc
        raise
    if revision == head:
        return _opened(engine, path, key)
    safe_copy: Path | None = None
    if not _is_empty(engine):
        _move_secret_out(engine, path, key)
        folder = soundness.backups_folder(path)
        safe_copy = backups.take(path, folder, rotation.UPGRADE, key=key).path
        log.info("backed up %s to %s before upgrading from %s", path, safe_copy, revision)
    try:
        _run_alembic(engine, script_location or MIGRATIONS)
    except Exception as exc:
        engine.dispose()
        if safe_copy is not None:
            backups.restore(safe_copy, path, key)
            log.exception("upgrade failed; restored %s", safe_copy)
        raise UpgradeFailed(str(exc), safe_copy) from exc
    return _opened(engine, path, key)


def _opened(engine: Engine, path: Path, key: DeskKey | None) -> Database:
    with engine.begin() as conn:
        identity.ensure_own_identity(conn, path)
    _move_secret_out(engine, path, key)
    return Database(engine, path, key)


def _move_secret_out(engine: Engine, path: Path, key: DeskKey | None) -> None:
    """A plain desk keeps the group password out of its database; an encrypted one keeps it
    inside (aiddesk/store/group_secret.py), where nothing is in clear."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("setting"):
            return
    if key is not None:
        with engine.begin() as conn:
            group_secret.move_into_database(conn, path.parent)
        return
    with engine.begin() as conn:
        moved = group_secret.move_out_of_database(conn, path.parent)
    if moved:
        with engine.connect() as conn:  # outside any transaction: a checkpoint cannot run in one
            raw = conn.connection.driver_connection
            if raw is not None:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        group_secret.scrub_backups(soundness.backups_folder(path))
