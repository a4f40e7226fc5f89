"""An `aiddesk` command run in another process beside an open desk (`aiddesk exchange` while the
window is open): like every command it looks at the database first (a connection opened and
closed), then saves a person, and ends."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import aiddesk

_COMMAND = """
import sys
from pathlib import Path
from aiddesk.store import soundness
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Person

path = Path(sys.argv[1])
assert not soundness.examine(path, 1.0, strict=True).damaged
db = open_database(path)
with db.transaction("Bea") as tx:
    tx.session.add(Person(id=tx.new_id(), code=sys.argv[2], name="Saved by a command"))
db.close()
"""

_COUNT = """
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM person").fetchone()[0])
"""


def _run(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(Path(aiddesk.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def save_person_beside(database: Path, code: str) -> None:
    """Another process saves a person with this code in the database, as a command would."""
    _run(_COMMAND, str(database), code)


def people_seen_elsewhere(database: Path) -> int:
    """How many people a fresh process finds in the database."""
    return int(_run(_COUNT, str(database)))
