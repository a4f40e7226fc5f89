"""`aiddesk retention [--preview] [--json]`: off until an administrator turned it on (exit 1, one
line); the preview changes nothing and lists what the run then forgets."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from record_makers import add_call, add_person, add_request
from sqlalchemy import select

from aiddesk import cli
from aiddesk.domain.access import Actor, Role
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.services import retention
from aiddesk.store.migrate import open_database
from aiddesk.store.models import Person, Request

LONG_AGO = dt.datetime.combine(dt.date.today() - dt.timedelta(days=4 * 365), dt.time(10))
LATELY = dt.datetime.combine(dt.date.today() - dt.timedelta(days=20), dt.time(10))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(desk_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    db = open_database(desk_data_dir / "aiddesk.db")
    try:
        old = add_person(db, "P-0001", "Pablo Reyes")
        add_call(db, old, "C-0001", LONG_AGO)
        add_request(db, old, "R-0001", "delivered", created_at=LONG_AGO, details="Blue door")
        recent = add_person(db, "P-0002", "Rosa Díaz")
        add_request(db, recent, "R-0002", "delivered", created_at=LATELY, details="Rice")
    finally:
        db.close()
    return desk_data_dir


def _set(folder: Path, policy: RetentionPolicy) -> None:
    db = open_database(folder / "aiddesk.db")
    try:
        retention.save_policy(db, Actor("Alma", Role.ADMINISTRATOR), policy)
    finally:
        db.close()


def _state(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    db = open_database(folder / "aiddesk.db")
    try:
        with db.session() as session:
            return (
                {r.code: r.details for r in session.scalars(select(Request))},
                {p.code: p.name for p in session.scalars(select(Person))},
            )
    finally:
        db.close()


def test_off_until_turned_on(folder: Path) -> None:
    code, out, err = run("--data-dir", str(folder), "retention")
    assert code == 1 and out == ""
    assert err.strip() == "aiddesk: Retention is off: an administrator sets it in Settings, after a preview."
    assert _state(folder)[0]["R-0001"] == "Blue door"


def test_the_preview_changes_nothing_and_the_run_forgets_what_it_listed(folder: Path) -> None:
    _set(folder, RetentionPolicy(request_months=12, people_months=24, enabled=True))
    before = _state(folder)
    code, out, _err = run("--data-dir", str(folder), "retention", "--preview", "--json")
    assert code == 0
    previewed = json.loads(out)
    assert previewed == {
        "preview": True,
        "requests": ["R-0001"],
        "people": ["P-0001"],
        "request_months": 12,
        "people_months": 24,
        "enabled": True,
    }
    assert _state(folder) == before

    code, out, _err = run("--data-dir", str(folder), "retention")
    assert code == 0
    assert out.splitlines() == [
        "1 closed request lost its details and notes; 1 person not heard from was erased.",
        "Requests: R-0001",
        "People: P-0001",
    ]
    details, names = _state(folder)
    assert details == {"R-0001": "", "R-0002": "Rice"}
    assert names == {"P-0001": "", "P-0002": "Rosa Díaz"}
