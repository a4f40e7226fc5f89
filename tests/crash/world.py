"""What the crash harness works on: a demo desk with a backup, another desk's workbook (plain,
and locked with the group password in an exchange folder), a spreadsheet and its mapping, an
old-schema copy of the desk; and how to look at a data folder afterwards."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheet_samples import HEADERS, mapping_json

from aiddesk.paths import DATABASE_NAME
from aiddesk.store import backup as backups

GROUP_PASSWORD = "crash-harness-group"
EXPORT_PASSWORD = "crash-harness-export"
# A small desk in the suite; a larger one on demand, where the operations last long enough for
# many kill moments to fall inside them (AIDDESK_CRASH_PEOPLE sets it).
PEOPLE = int(
    os.environ.get("AIDDESK_CRASH_PEOPLE") or (300 if os.environ.get("AIDDESK_CRASH_POINTS") else 40)
)
TIMEOUT = 180


def aiddesk(*args: str) -> list[str]:
    return [sys.executable, "-m", "aiddesk", *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        LANG="C.UTF-8",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        AIDDESK_EXPORT_PASSWORD=EXPORT_PASSWORD,
    )
    return env


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        aiddesk(*args),
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def must(*args: str) -> None:
    """The command run in this process (quicker than a new one; what it prints is not needed)."""
    import contextlib
    from unittest import mock

    from aiddesk import cli

    with (
        mock.patch.dict(os.environ, {"AIDDESK_EXPORT_PASSWORD": EXPORT_PASSWORD}),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()) as err,
    ):
        code = cli.main(list(args))
    assert code == 0, (args, err.getvalue())


def copy_desk(template: Path, folder: Path) -> Path:
    """A copy of a data folder that keeps its desk id (as the suite's fixtures copy databases)."""
    shutil.copytree(template, folder)
    with sqlite3.connect(folder / DATABASE_NAME) as con:
        con.execute("DELETE FROM setting WHERE key = 'database_file'")
    con.close()
    return folder


def dump(folder: Path) -> dict[str, Any]:
    from aiddesk.services.desk.records import dump as records_dump
    from aiddesk.store.migrate import open_database

    db = open_database(folder / DATABASE_NAME)
    try:
        return json.loads(json.dumps(records_dump(db)))  # as the command prints it
    finally:
        db.close()


def sheet_rows(count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        rows.append(
            [
                f"2026/11/{10 + i % 18} 9:{i % 60:02d}:02 a. m. GMT-6",
                f"Hortensia Crashtest{i:04d}",
                f"(555) 7{i // 100 % 10:01d}{i // 10 % 10:01d}-{1000 + i:04d}",
                f"{100 + i} Calle Prueba",
                "Comida",
                "Esta semana",
                str(1 + i % 6),
                "Español",
                "",
                "Sí",
            ]
        )
    return rows


@dataclass(frozen=True)
class World:
    desk: Path  # a demo desk with one backup, set up for the exchange folder below
    exchange: Path  # the exchange folder: the other desk's locked workbook
    other_workbook: Path  # the other desk's plain workbook
    sheet: Path
    mapping: Path
    sheet_names: tuple[str, ...]
    old_desk: Path | None  # the desk at an older schema (made on demand)


def make_world(root: Path, *, with_old: bool) -> World:
    desk = root / "desk"
    must("--data-dir", str(desk), "demo", "--people", str(PEOPLE), "--seed", "7", "--desk-code", "CR1")
    must("--data-dir", str(desk), "backup")
    other = root / "other"
    must("--data-dir", str(other), "demo", "--people", str(PEOPLE), "--seed", "8", "--desk-code", "OT2")
    other_workbook = root / "inputs" / "other.xlsx"
    other_workbook.parent.mkdir()
    must("--data-dir", str(other), "export", str(other_workbook))
    exchange = root / "exchange"
    exchange.mkdir()
    set_exchange_folder(other, exchange)
    must("--data-dir", str(other), "exchange")  # the other desk's locked workbook in the folder
    set_exchange_folder(desk, exchange)
    rows = sheet_rows(60)
    sheet = root / "inputs" / "responses.csv"
    import csv

    with sheet.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows(rows)
    mapping = root / "inputs" / "mapping.json"
    mapping.write_text(json.dumps(mapping_json(), ensure_ascii=False), encoding="utf-8")
    old = None
    if with_old:
        old = copy_desk(desk, root / "old-desk")
        downgrade(old / DATABASE_NAME, "0003")
        (old / (DATABASE_NAME + ".audit")).unlink(missing_ok=True)  # an old AidDesk had none
    return World(desk, exchange, other_workbook, sheet, mapping, tuple(r[1] for r in rows), old)


def set_exchange_folder(folder: Path, exchange: Path) -> None:
    from aiddesk.services.exchange.folder import save_folder_settings
    from aiddesk.store.migrate import open_database

    db = open_database(folder / DATABASE_NAME)
    try:
        save_folder_settings(db, str(exchange), GROUP_PASSWORD)
    finally:
        db.close()


def downgrade(database: Path, revision: str) -> None:
    """The database as an older AidDesk left it (its schema at `revision`)."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from aiddesk.store.migrate import MIGRATIONS

    engine = create_engine(f"sqlite:///{database}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.connect() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, revision)
            conn.commit()
    finally:
        engine.dispose()


# ---- looking afterwards ------------------------------------------------------------------------


def personal_strings(state: dict[str, Any], extra: tuple[str, ...] = ()) -> list[bytes]:
    """Names and phone numbers of the desk's people and volunteers, as bytes to look for."""
    found: set[str] = set(extra)
    for kind in ("person", "volunteer"):
        for record in state.get(kind, []):
            for field in ("name", "phone"):
                for sibling in record["fields"].get(field, []):
                    value = sibling[-1]
                    if isinstance(value, str) and len(value) >= 8:
                        found.add(value)
    return sorted(s.encode("utf-8") for s in found)


def _contents(path: Path) -> list[tuple[str, bytes]]:
    data = path.read_bytes()
    parts = [(str(path), data)]
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            parts += [(f"{path}!{name}", book.read(name)) for name in book.namelist()]
    return parts


def plaintext_found(files: list[Path], secrets: list[bytes]) -> list[str]:
    """Which of `files` (zip members included) hold any of `secrets` as plain bytes."""
    hits = []
    for path in files:
        for where, data in _contents(path):
            if any(secret in data for secret in secrets):
                hits.append(where)
    return hits


DATABASE_FILES = {DATABASE_NAME, DATABASE_NAME + "-wal", DATABASE_NAME + "-shm"}
DATA_FOLDER_FILES = DATABASE_FILES | {
    DATABASE_NAME + ".watermark",
    "aiddesk.lock",
    "exchange-secret",
    "encryption-offered",  # a plain desk was offered encryption (aiddesk/services/desk/encryption.py)
    DATABASE_NAME + ".keys",  # an encrypted desk's key file
    DATABASE_NAME + ".audit",  # a plain desk's audit key and chain head (aiddesk/store/audit_chain.py)
}


def unexpected_in_data_folder(folder: Path) -> list[str]:
    """Files a finished or cleaned-up AidDesk does not keep in its data folder."""
    odd = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir():
            continue
        relative = path.relative_to(folder)
        top = relative.parts[0]
        if len(relative.parts) == 1 and top in DATA_FOLDER_FILES:
            continue
        if top == "logs" and len(relative.parts) == 2:
            continue
        if top == "backups" and len(relative.parts) == 2 and backups.parse_name(path) is not None:
            continue
        if (
            top == "backups"
            and path.suffix == ".audit"
            and backups.parse_name(path.with_suffix("")) is not None
        ):
            continue  # a plain backup's audit key and head, beside it
        odd.append(str(relative))
    return odd


def files_outside_the_database(folder: Path) -> list[Path]:
    """Every file of a data folder but the database and its backups (which hold the data by design)."""
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and not (p.parent == folder and p.name in DATABASE_FILES)
        and not (p.parent.name == "backups" and backups.parse_name(p) is not None)
    ]


def dump_backup(path: str, folder: Path) -> dict[str, Any]:
    """The dump of a backup (a copy of it opened as a desk of its own)."""
    folder.mkdir(parents=True)
    shutil.copyfile(path, folder / DATABASE_NAME)
    with sqlite3.connect(folder / DATABASE_NAME) as con:
        con.execute("DELETE FROM setting WHERE key = 'database_file'")
    con.close()
    return dump(folder)
