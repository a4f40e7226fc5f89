"""Models and migrations agree; an upgrade runs after a verified backup and a failed one changes nothing."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Column, create_engine, inspect

from aiddesk.services.desk.records import dump
from aiddesk.store.backup import integrity_ok
from aiddesk.store.database import Database
from aiddesk.store.migrate import HEAD, MIGRATIONS, UpgradeFailed, current_revision, open_database
from aiddesk.store.models import SYNCED_MODELS, Base, Person

FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")

ADD_NICKNAME = """
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))
    op.execute("UPDATE person SET nickname = 'x', edited_clock = edited_clock + 1")
"""


def fts5_tables(connection) -> set[str]:  # type: ignore[no-untyped-def]
    """FTS5 virtual tables and their shadow tables: SQLite's, not the models'."""
    rows = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND lower(sql) LIKE 'create virtual table%using fts5%'"
    ).scalars()
    names: set[str] = set()
    for name in rows:
        names |= {name, *(name + suffix for suffix in FTS5_SHADOWS)}
    return names


def expression_indexes() -> set[str]:
    """Indexes of the models on expressions (not plain columns): SQLite cannot reflect them, so
    Alembic cannot compare them; test_every_index_is_the_same_after_the_migrations does."""
    return {
        index.name
        for table in Base.metadata.tables.values()
        for index in table.indexes
        if index.name and any(not isinstance(e, Column) for e in index.expressions)
    }


# SQLAlchemy and Alembic say they skip the expression indexes: the next test compares them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(migrated_template: Path, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    path = tmp_path / "aiddesk.db"
    shutil.copyfile(migrated_template, path)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            skip = fts5_tables(conn)

            def include_name(name: str | None, type_: str, _parents: dict[str, str | None]) -> bool:
                return not (type_ == "table" and name in skip)

            context = MigrationContext.configure(
                conn,
                opts={
                    "include_name": include_name,
                    "compare_type": True,
                    "render_as_batch": True,
                },
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        db.close()
    assert differences == [], "models and migrations disagree; write a revision:\n" + "\n".join(
        map(str, differences)
    )


def index_statements(path: Path) -> dict[str, str]:
    """Each index's CREATE INDEX statement as SQLite keeps it (spaces made single)."""
    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        return {name: " ".join(sql.split()) for name, sql in rows}
    finally:
        con.close()


def test_every_index_is_the_same_after_the_migrations_as_in_the_models(
    migrated_template: Path, tmp_path: Path
) -> None:
    """Expression and partial indexes included, which Alembic cannot compare on SQLite."""
    path = tmp_path / "models.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()
    migrated, modelled = index_statements(migrated_template), index_statements(path)
    assert expression_indexes() == {"ix_person_phone_last4", "ix_person_phone2_last4"}
    assert (
        migrated["ix_person_phone_last4"]
        == "CREATE INDEX ix_person_phone_last4 ON person (substr(phone, -4))"
    )
    assert migrated["ix_person_in_conflict"].endswith("WHERE siblings IS NOT NULL")
    assert migrated == modelled


def test_every_synced_table_has_its_guard_trigger(empty_db: Database) -> None:
    with empty_db.engine.connect() as conn:
        triggers = set(
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
    assert {f"{m.__tablename__}_stamped" for m in SYNCED_MODELS} <= triggers  # type: ignore[attr-defined]


def test_head_constant_is_alembics_head(empty_db: Database) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD
    assert current_revision(empty_db.engine) == HEAD


def test_opening_a_database_at_head_does_not_import_alembic(migrated_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "aiddesk.db"
    shutil.copyfile(migrated_template, path)
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from aiddesk.store.migrate import open_database
        db = open_database(Path({str(path)!r}))
        db.close()
        print(sorted(m for m in sys.modules if m == "alembic" or m.startswith("alembic.")))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def migrations_with(tmp_path: Path, name: str, body: str) -> Path:
    """A copy of the shipped migrations plus a revision 9999 on top of HEAD whose upgrade() runs `body`."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / f"9999_{name}.py").write_text(
        textwrap.dedent(
            '''
            """Test revision."""
            import sqlalchemy as sa
            from alembic import op

            revision = "9999"
            down_revision = "{head}"
            branch_labels = None
            depends_on = None


            def upgrade() -> None:
            {body}

            def downgrade() -> None:
                pass
            '''
        ).format(body=textwrap.indent(textwrap.dedent(body), "    "), head=HEAD)
    )
    return folder


def desk_with_people(db: Database) -> Path:
    with db.transaction("Ana") as tx:
        for n in range(3):
            tx.session.add(
                Person(
                    id=tx.new_id(),
                    code=f"TST-{n + 1:04d}",
                    name=f"Persona {n} Núñez",
                    phone="+16175550134",
                    phone_raw="617.555.0134",
                )
            )
    return db.path


def person_columns(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[1] for row in con.execute("PRAGMA table_info(person)")}
    finally:
        con.close()


def revision_in(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_failed_upgrade_restores_the_database_from_a_verified_backup(db: Database, tmp_path: Path) -> None:
    path = desk_with_people(db)
    before = dump(db)
    db.close()
    broken = migrations_with(
        tmp_path, "broken", ADD_NICKNAME + '    raise RuntimeError("deliberately broken")\n'
    )

    with pytest.raises(UpgradeFailed, match="deliberately broken") as failed:
        open_database(path, script_location=broken, head="9999")

    backup_file = failed.value.backup_file
    assert backup_file is not None and backup_file.exists()
    assert backup_file.parent == path.parent / "backups"
    assert integrity_ok(backup_file)
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600
    assert revision_in(backup_file) == HEAD
    assert revision_in(path) == HEAD
    assert "nickname" not in person_columns(path)
    reopened = open_database(path)  # at HEAD again: opens without an upgrade
    try:
        assert dump(reopened) == before
        assert inspect(reopened.engine).has_table("person")
    finally:
        reopened.close()


def test_working_upgrade_keeps_the_data_and_leaves_a_backup(db: Database, tmp_path: Path) -> None:
    path = desk_with_people(db)
    before = dump(db)
    db.close()
    working = migrations_with(tmp_path, "nickname", ADD_NICKNAME)

    upgraded = open_database(path, script_location=working, head="9999")
    try:
        assert current_revision(upgraded.engine) == "9999"
        assert "nickname" in person_columns(path)
        assert dump(upgraded) == before
    finally:
        upgraded.close()
    [backup_file] = (path.parent / "backups").glob("aiddesk-upgrade-*.db")
    assert integrity_ok(backup_file)
    assert revision_in(backup_file) == HEAD
    assert "nickname" not in person_columns(backup_file)


def test_new_database_is_created_at_head_without_a_backup(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new" / "aiddesk.db")
    try:
        assert current_revision(db.engine) == HEAD
    finally:
        db.close()
    assert not (tmp_path / "new" / "backups").exists()


def test_upgrading_gives_the_names_already_held_their_sort_keys(tmp_path: Path) -> None:
    """Migration 0006: people and volunteers saved by an older version sort in their place."""
    from alembic import command
    from alembic.config import Config

    from aiddesk.store.database import make_engine

    path = tmp_path / "old" / "aiddesk.db"
    path.parent.mkdir()
    engine = make_engine(path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")  # as the previous version left it
        conn.commit()
    engine.dispose()
    with sqlite3.connect(path) as con:
        for table in ("person", "volunteer"):
            # Every NOT NULL column without a default gets an empty value of its type.
            required = {
                column: 0 if kind.upper() in ("INTEGER", "BIGINT", "BOOLEAN") else ""
                for _cid, column, kind, notnull, default, _pk in con.execute(f"PRAGMA table_info({table})")
                if notnull and default is None
            }
            for n, name in enumerate(("Zoe Okafor", "Ñeco Paz", "Ángela Díaz", "Nuria Gil")):
                values = required | {"id": f"{table}-{n}", "code": f"OLD-{n}", "name": name, "vv": "{}"}
                values["stamps"] = '{"s": ["d", 1, 1]}'
                con.execute(
                    f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    list(values.values()),
                )
    con.close()
    db = open_database(path)
    try:
        assert current_revision(db.engine) == HEAD
        with db.engine.connect() as conn:
            for table in ("person", "volunteer"):
                by_es = (
                    conn.exec_driver_sql(f"SELECT name FROM {table} ORDER BY name_sort_es").scalars().all()
                )
                by_en = (
                    conn.exec_driver_sql(f"SELECT name FROM {table} ORDER BY name_sort_en").scalars().all()
                )
                assert by_es == ["Ángela Díaz", "Nuria Gil", "Ñeco Paz", "Zoe Okafor"]
                assert by_en == ["Ángela Díaz", "Ñeco Paz", "Nuria Gil", "Zoe Okafor"]
        # and the guard is back: a stray UPDATE is still refused
        with pytest.raises(Exception, match="without an edit stamp"), db.write_connection() as conn:
            conn.exec_driver_sql("UPDATE person SET name = 'x'")
    finally:
        db.close()
