"""Open a desk's database and bring its schema up to date.

An upgrade runs only after a verified backup, and the backup is put back if
the upgrade fails. Alembic is imported only when an upgrade is due."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from aiddesk.store import backup as backups
from aiddesk.store import identity
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


def open_database(path: Path, *, script_location: Path | None = None, head: str = HEAD) -> Database:
    """Open (creating if needed) and migrate the database at `path`."""
    engine = make_engine(path)
    revision = current_revision(engine)
    if revision == head:
        return _opened(engine, path)
    safe_copy: Path | None = None
    if not _is_empty(engine):
        folder = path.parent / "backups"
        safe_copy = backups.backup(path, backups.backup_name(folder, f"before-upgrade-{revision}"))
        log.info("backed up %s to %s before upgrading from %s", path, safe_copy, revision)
    try:
        _run_alembic(engine, script_location or MIGRATIONS)
    except Exception as exc:
        engine.dispose()
        if safe_copy is not None:
            backups.restore(safe_copy, path)
            log.exception("upgrade failed; restored %s", safe_copy)
        raise UpgradeFailed(str(exc), safe_copy) from exc
    return _opened(engine, path)


def _opened(engine: Engine, path: Path) -> Database:
    with engine.begin() as conn:
        identity.ensure_own_identity(conn, path)
    return Database(engine, path)
