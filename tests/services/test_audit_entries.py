"""The entries the issue lists that this branch writes: exports with their options (and refused
ones), the desk's opening with the wrong tries before it; no personal data in an entry's detail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from record_makers import add_person
from sqlalchemy import select

from aiddesk.domain.access import Actor, NotAllowed, Role
from aiddesk.services import audit
from aiddesk.services.desk import encryption
from aiddesk.services.exchange.export import ExportOptions, export_workbook
from aiddesk.store.database import Database
from aiddesk.store.models import Audit

VOLUNTEER = Actor("Rosa", Role.PHONE_VOLUNTEER)
COORDINATOR = Actor("Ana", Role.COORDINATOR)


def entries(db: Database, action: str) -> list[tuple[str, dict]]:
    with db.session() as session:
        rows = session.execute(
            select(Audit.who, Audit.detail).where(Audit.action == action).order_by(Audit.id)
        )
        return [(who, json.loads(detail)) for who, detail in rows]


def test_an_export_and_a_refused_one_are_on_the_trail_with_their_options(
    db: Database, tmp_path: Path
) -> None:
    add_person(db, "TST-P1", "Maria Garcia", phone="+15550101")
    with pytest.raises(NotAllowed):
        export_workbook(db, tmp_path / "a.xlsx", ExportOptions(), who=VOLUNTEER)
    export_workbook(
        db, tmp_path / "b.xlsx", ExportOptions(password="a long password 1", language="es"), who=COORDINATOR
    )
    assert entries(db, "export_refused") == [
        ("Rosa", {"redacted": False, "since": "", "locked": False, "language": "en"})
    ]
    ((who, detail),) = entries(db, "exported")
    assert who == "Ana" and detail["locked"] is True and detail["language"] == "es" and detail["rows"] >= 1
    with db.session() as session:
        text = " ".join(session.scalars(select(Audit.detail)))
    assert "Maria" not in text and "5550101" not in text and "a long password" not in text
    assert audit.check_trail(db).ok


def test_the_desks_opening_is_on_the_trail_with_the_wrong_tries_before_it(db: Database) -> None:
    encryption.record_unlock(db, "Ana", 2)
    encryption.record_unlock(db, None, 0)
    assert entries(db, "desk_unlocked") == [
        ("Ana", {"recovery": False, "failed_before": 2}),
        ("", {"recovery": True, "failed_before": 0}),
    ]


def test_every_key_an_entry_can_hold_has_a_name_for_the_screen() -> None:
    """Each keyword passed to `tx.audit(...)` anywhere in AidDesk, and the keys of the dicts
    spread into it, is named in DETAIL_LABELS (the audit screen would show a raw key)."""
    import ast
    from pathlib import Path

    from aiddesk.domain.audit import DETAIL_LABELS
    from aiddesk.services.exchange.export import ExportOptions, _audited_options
    from aiddesk.services.exchange.merge import MergeReport

    root = Path(__file__).resolve().parents[2] / "aiddesk"
    keys: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "audit"
            ):
                keys |= {k.arg for k in node.keywords if k.arg is not None}
    keys |= set(_audited_options(ExportOptions()))
    keys |= set(MergeReport("", "", "", "").counts())
    keys.add("by")  # retention's erasures
    assert len(keys) > 30
    assert keys - set(DETAIL_LABELS) == set()
