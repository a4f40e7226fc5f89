"""The desk's identity, display codes, settings and the names of who worked here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.domain.codes import display_code
from aiddesk.store.models import CodeSequence, Desk, DeskUser, Setting


def get_desk(session: Session) -> Desk | None:
    return session.scalars(select(Desk)).first()


def reserve_codes(session: Session, kind: str, desk_code: str, count: int = 1) -> list[str]:
    """Display codes like CC1-R0042 for `count` new records of `kind` (a series per kind)."""
    seq = session.get(CodeSequence, kind)
    if seq is None:
        seq = CodeSequence(kind=kind, last=0)
        session.add(seq)
    first = seq.last + 1
    seq.last += count
    return [display_code(kind, desk_code, n) for n in range(first, first + count)]


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return json.loads(row.value) if row is not None else default


def put_setting(session: Session, key: str, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text


def recent_users(session: Session, limit: int = 30) -> list[str]:
    return list(session.scalars(select(DeskUser.name).order_by(DeskUser.last_seen.desc()).limit(limit)))


def touch_user(session: Session, name: str, when: dt.datetime) -> None:
    row = session.get(DeskUser, name)
    if row is None:
        session.add(DeskUser(name=name, last_seen=when))
    else:
        row.last_seen = when
