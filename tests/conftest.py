"""Shared fixtures: offscreen Qt, a CI hypothesis profile, migrated template databases."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never the developer's own keyring (tests that need one bring an in-memory one); as on CI.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest
from hypothesis import HealthCheck, settings

from aiddesk import i18n
from aiddesk.paths import DeskPaths
from aiddesk.services.desk import setup as desk_service
from aiddesk.store.database import Database
from aiddesk.store.migrate import open_database

# Hypothesis profiles (README, "Tests"). `ci`, the default: the same examples on every run and
# machine (derandomized), and a failure prints its example with the @reproduce_failure(...) line
# that replays it. `deep`, on demand (HYPOTHESIS_PROFILE=deep): thousands of new random examples.
settings.register_profile(
    "ci", max_examples=25, deadline=None, derandomize=True, database=None, print_blob=True
)
settings.register_profile(
    "deep",
    max_examples=5_000,
    deadline=None,
    derandomize=False,  # new examples every run (Hypothesis derandomizes by default when CI is set)
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _copy_db(template: Path, folder: Path) -> Path:
    """A copy of a template that keeps the template's desk id (a copied desk would take a new
    one at open: tests that need several desks create each desk themselves)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "aiddesk.db"
    shutil.copyfile(template, target)
    os.chmod(target, 0o600)
    with sqlite3.connect(target) as con:
        con.execute("DELETE FROM setting WHERE key = 'database_file'")
    con.close()
    trail = template.with_name(template.name + ".audit")  # the audit chain's key and head
    if trail.exists():
        shutil.copyfile(trail, target.with_name(target.name + ".audit"))
        os.chmod(target.with_name(target.name + ".audit"), 0o600)
    return target


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to head, made once per run."""
    path = tmp_path_factory.mktemp("template") / "aiddesk.db"
    open_database(path).close()  # dispose checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def desk_template(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Path:
    """A migrated database with a desk (code TST) and its default categories and zones."""
    path = _copy_db(migrated_template, tmp_path_factory.mktemp("desk-template"))
    db = open_database(path)
    desk_service.create_desk(db, name="Test Desk", code="TST", language="en", region="US")
    db.close()
    return path


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder holding a copy of the desk template (for CLI and app tests)."""
    return tmp_path / "data"


@pytest.fixture
def empty_db(tmp_path: Path, migrated_template: Path) -> Iterator[Database]:
    db = open_database(_copy_db(migrated_template, tmp_path / "data"))
    yield db
    db.close()


@pytest.fixture
def db(tmp_path: Path, desk_template: Path) -> Iterator[Database]:
    db = open_database(_copy_db(desk_template, tmp_path / "data"))
    yield db
    db.close()


@pytest.fixture
def desk_data_dir(tmp_path: Path, desk_template: Path) -> Path:
    """A data folder with a set-up desk, for CLI and whole-app tests."""
    folder = tmp_path / "desk"
    _copy_db(desk_template, folder)
    # a plain desk that was offered encryption once already (the offer is tested on its own)
    (folder / "encryption-offered").touch()
    return folder


@pytest.fixture
def desk_paths(desk_data_dir: Path) -> DeskPaths:
    return DeskPaths(desk_data_dir, desk_data_dir / "logs")


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    i18n.set_language("en", "US")
    yield
    i18n._active.listeners.clear()
    i18n.set_language("en", "US")
