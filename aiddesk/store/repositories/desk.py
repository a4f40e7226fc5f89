"""The desk's identity, display codes, settings and the names of who worked here."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from aiddesk.domain.codes import display_code
from aiddesk.store.models import (
    Call,
    CodeSequence,
    Delivery,
    Desk,
    DeskUser,
    Person,
    Request,
    Setting,
    Volunteer,
)

_CODED: dict[str, Any] = {model.kind: model for model in (Person, Call, Request, Volunteer, Delivery)}


def get_desk(session: Session) -> Desk | None:
    return session.scalars(select(Desk)).first()


def reserve_codes(session: Session, kind: str, desk_code: str, count: int = 1) -> list[str]:
    """Display codes like CC1-R0042 for `count` new records of `kind` (a series per kind).

    A code a record already has is never given again: a database put back from a backup counts
    from where the backup stood, and merging the other desks' workbooks brings back the records
    it numbered after it (two callers under one code, a call-back made to the wrong one)."""
    seq = session.get(CodeSequence, kind)
    if seq is None:
        seq = CodeSequence(kind=kind, last=0)
        session.add(seq)
    first = seq.last + 1
    codes = [display_code(kind, desk_code, n) for n in range(first, first + count)]
    model = _CODED.get(kind)
    # the ends are enough: what was numbered after a backup follows on from it
    taken = (
        select(model.id).where(model.code.in_({codes[0], codes[-1]})).limit(1) if model and codes else None
    )
    if taken is not None and session.scalar(taken) is not None:
        first = max(seq.last, _highest_number(session, model, kind, desk_code)) + 1
        codes = [display_code(kind, desk_code, n) for n in range(first, first + count)]
    seq.last = first + count - 1
    return codes


def _highest_number(session: Session, model: Any, kind: str, desk_code: str) -> int:
    """The highest number of this desk's codes of `kind` held by a record."""
    prefix = display_code(kind, desk_code, 0)[: -len("0000")]
    found = session.scalars(select(model.code).where(model.code > prefix, model.code < prefix + "\uffff"))
    return max((int(code[len(prefix) :]) for code in found if code[len(prefix) :].isdigit()), default=0)


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
