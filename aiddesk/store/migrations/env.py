"""Alembic environment. Run through aiddesk.store.migrate, which passes the connection."""

from __future__ import annotations

from alembic import context

from aiddesk.store.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    raw = connection.connection.driver_connection
    # Batch migrations copy tables: foreign keys off outside the transaction, checked after.
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign key check failed after migration: {broken[:5]}")
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
