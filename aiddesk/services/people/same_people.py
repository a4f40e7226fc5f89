"""People who may be one person entered twice, often at two desks before their workbooks met:
the same phone number, or the same name and address. AidDesk only suggests; a person compares
the two and merges them (services.people), or says they are not the same person. That answer is
kept at this desk only (a local setting), so the pair is not suggested here again."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from aiddesk.domain.access import Right, require
from aiddesk.domain.phone import display
from aiddesk.domain.same_person import similar_names
from aiddesk.domain.sorting import name_sort_key
from aiddesk.i18n import N_, _
from aiddesk.store.database import Database
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories.people import same_person as repo

DISMISSED = "same_people.dismissed"  # setting: [[id_a, id_b], ...], id_a < id_b
REASONS = {
    # L10N: why two records are suggested as maybe one person (Conflicts screen)
    repo.SAME_PHONE: N_("same phone number"),
    # L10N: why two records are suggested as maybe one person (Conflicts screen)
    repo.SAME_NAME_ADDRESS: N_("same name and address"),
}


@lru_cache(maxsize=4096)
def _phone_text(e164: str | None, raw: str, region: str) -> str:
    return display(e164, raw, region) if e164 or raw else ""


@dataclass(frozen=True)
class PersonShown:
    id: str
    code: str
    name: str
    e164: str | None  # the number shown: the shared one for the same phone, else the first one
    raw: str
    region: str  # the desk's

    @property
    def phone(self) -> str:
        """As the desk's region writes it; "" without a number. Formatted when shown (only the
        rows on screen: phonenumbers is slow, and a big desk may have thousands of pairs)."""
        return _phone_text(self.e164, self.raw, self.region)


@dataclass(frozen=True)
class Suggestion:
    a: PersonShown  # the one with the first code
    b: PersonShown
    reason: str  # repo.SAME_PHONE or repo.SAME_NAME_ADDRESS

    @property
    def reason_text(self) -> str:
        """The reason in the current language."""
        return _(REASONS[self.reason])

    @property
    def pair(self) -> tuple[str, str]:
        return self.a.id, self.b.id


def _pair(id_a: str, id_b: str) -> tuple[str, str]:
    return (id_a, id_b) if id_a < id_b else (id_b, id_a)


def _dismissed(session: Session) -> set[tuple[str, str]]:
    stored = desk_repo.get_setting(session, DISMISSED, [])
    if not isinstance(stored, list):
        return set()
    return {_pair(str(p[0]), str(p[1])) for p in stored if isinstance(p, list) and len(p) == 2}


def _shown(
    pid: str, record: tuple[str, str, repo.Slots], other: repo.Slots, reason: str, region: str
) -> PersonShown:
    code, name, slots = record
    shared = {e for e, _raw in other if e} if reason == repo.SAME_PHONE else set()
    e164, raw = next((s for s in slots if s[0] in shared), slots[0] if slots else (None, ""))
    return PersonShown(pid, code, name, e164, raw, region)


def suggestions(db: Database, *, language: str = "en") -> list[Suggestion]:
    """The pairs to look at, not yet dismissed here: the same phone first, then the same name and
    address; by name within each (as `language` sorts names)."""
    with db.session() as session:
        desk = desk_repo.get_desk(session)
        region = desk.phone_region if desk is not None else "US"
        dismissed = _dismissed(session)
        pairs = [(a, b, reason) for a, b, reason in repo.same_people(session) if (a, b) not in dismissed]
        records = repo.records(session, (pid for a, b, _r in pairs for pid in (a, b)))
    found = []
    for a, b, reason in pairs:
        if a in records and b in records:
            if reason == repo.SAME_PHONE and not similar_names(records[a][1], records[b][1]):
                continue  # a shared household or front-desk number, not one person
            shown = (
                _shown(a, records[a], records[b][2], reason, region),
                _shown(b, records[b], records[a][2], reason, region),
            )
            first, second = sorted(shown, key=lambda p: p.code)  # NOR-0001 before SUR-0001
            found.append(Suggestion(first, second, reason))
    order = list(REASONS)
    found.sort(key=lambda s: (order.index(s.reason), name_sort_key(s.a.name, language), s.a.code, s.b.code))
    return found


def dismiss(db: Database, who: str, id_a: str, id_b: str) -> None:
    """Remember that these two records are not the same person: no longer suggested here."""
    require(who, Right.CONFLICTS)
    pair = _pair(id_a, id_b)
    with db.transaction(who) as tx:
        dismissed = _dismissed(tx.session)
        if pair in dismissed:
            return
        dismissed.add(pair)
        desk_repo.put_setting(tx.session, DISMISSED, sorted([a, b] for a, b in dismissed))
        tx.audit("not_same_person", people=list(pair))
