"""Setting up a desk, its settings, and who is at the desk."""

from __future__ import annotations

import uuid

from aiddesk.domain import defaults
from aiddesk.domain.access import Right, require
from aiddesk.domain.desk import DeskInfo
from aiddesk.domain.stamps import GENESIS
from aiddesk.domain.validation import Invalid, Problem, check_text, desk_code_problem, shift_name
from aiddesk.i18n import LANGUAGES, N_
from aiddesk.store import identity
from aiddesk.store.database import Database
from aiddesk.store.models import Desk, NeedCategory, Zone
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.bulk import insert_synced
from aiddesk.store.stamping import utcnow

REGIONS = ("US", "MX", "SV", "GT", "HN", "PR", "CA", "GB", "ES")


def _info(desk: Desk) -> DeskInfo:
    return DeskInfo(desk.desk_id, desk.code, desk.name, desk.phone_region, desk.language)


def _check(name: str, code: str, language: str, region: str) -> None:
    problems: list[Problem] = []
    try:
        check_text({"name": name}, required=("name",), max_len={"name": 120})
    except Invalid as exc:
        problems += exc.problems
    if (p := desk_code_problem(code)) is not None:
        problems.append(p)
    if language not in LANGUAGES:
        problems.append(Problem("language", N_("Please choose English or Spanish.")))
    if len(region) != 2 or not region.isalpha():
        problems.append(Problem("phone_region", N_("A region is a two-letter country code, like US.")))
    if problems:
        raise Invalid(problems)


def get_desk(db: Database) -> DeskInfo | None:
    with db.session() as session:
        desk = desk_repo.get_desk(session)
        return _info(desk) if desk is not None else None


def create_desk(db: Database, *, name: str, code: str, language: str = "en", region: str = "US") -> DeskInfo:
    """First run: the desk's identity (a new random desk id) and the default categories and zones."""
    name, code, region = name.strip(), code.strip().upper(), region.strip().upper()
    _check(name, code, language, region)
    with db.write_session() as session:
        if desk_repo.get_desk(session) is not None:
            raise RuntimeError("this database already has a desk")
        desk = Desk(
            id=1,
            desk_id=str(uuid.uuid4()),
            code=code,
            name=name,
            counter=0,
            clock=0,
            phone_region=region,
            language=language,
            created_at=utcnow(),
        )
        session.add(desk)
        for model, labels in ((NeedCategory, defaults.NEED_CATEGORIES), (Zone, defaults.ZONES)):
            rows = [
                {
                    "id": label.id_for(model.kind),
                    "key": label.key,
                    "label_en": label.label_en,
                    "label_es": label.label_es,
                    "retired": False,
                    "position": position,
                }
                for position, label in enumerate(labels, start=1)
            ]
            insert_synced(session, model, rows, GENESIS)
        session.flush()
        identity.record(session.connection(), db.path)
        return _info(desk)


def update_desk(db: Database, who: str, *, name: str, code: str, region: str, language: str) -> DeskInfo:
    require(who, Right.SETTINGS)
    name, code, region = name.strip(), code.strip().upper(), region.strip().upper()
    _check(name, code, language, region)
    with db.transaction(who) as tx:
        desk = tx.desk
        before = _info(desk)
        desk.name, desk.code, desk.phone_region, desk.language = name, code, region, language
        after = _info(desk)
        if after != before:
            tx.audit("desk_settings", name=name, code=code, region=region, language=language)
        return after


def start_shift(db: Database, name: str) -> str:
    """Record who is at the desk; their name goes on everything they save."""
    name = shift_name(name)
    with db.transaction(name) as tx:
        desk_repo.touch_user(tx.session, name, utcnow())
        tx.audit("shift_start")
    return name


def recent_users(db: Database) -> list[str]:
    with db.session() as session:
        return desk_repo.recent_users(session)
