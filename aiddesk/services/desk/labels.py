"""Need categories and zones: add, rename, retire (retired ones stay readable on old records)."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.domain.access import Right, require
from aiddesk.domain.validation import Invalid, Problem, check_text
from aiddesk.i18n import N_
from aiddesk.store.database import Database
from aiddesk.store.models import NeedCategory, Zone
from aiddesk.store.repositories import labels as repo

KINDS: dict[str, type[NeedCategory] | type[Zone]] = {"need_category": NeedCategory, "zone": Zone}


@dataclass(frozen=True)
class Label:
    id: str
    label_en: str
    label_es: str
    retired: bool

    def text(self, language: str) -> str:
        first, other = (self.label_es, self.label_en) if language == "es" else (self.label_en, self.label_es)
        return first or other


def _model(kind: str) -> type[NeedCategory] | type[Zone]:
    if kind not in KINDS:
        raise ValueError(f"unknown label kind {kind!r}")
    return KINDS[kind]


def list_labels(db: Database, kind: str, *, include_retired: bool = True) -> list[Label]:
    with db.session() as session:
        return [
            Label(row.id, row.label_en, row.label_es, row.retired)
            for row in repo.list_labels(session, _model(kind), include_retired=include_retired)
        ]


def _validate(
    db: Database, kind: str, label_en: str, label_es: str, exclude_id: str | None
) -> tuple[str, str]:
    label_en, label_es = " ".join(label_en.split()), " ".join(label_es.split())
    check_text({"label_en": label_en, "label_es": label_es}, max_len={"label_en": 120, "label_es": 120})
    if not label_en and not label_es:
        raise Invalid([Problem("label_en", N_("Please type a name in English or in Spanish."))])
    for other in list_labels(db, kind, include_retired=False):
        if other.id == exclude_id:
            continue
        for field, mine, theirs in (
            ("label_en", label_en, other.label_en),
            ("label_es", label_es, other.label_es),
        ):
            if mine and mine.casefold() == theirs.casefold():
                raise Invalid([Problem(field, N_("“%(name)s” is already in the list."), {"name": mine})])
    return label_en, label_es


def add_label(db: Database, who: str, kind: str, label_en: str, label_es: str) -> str:
    require(who, Right.SETTINGS)
    model = _model(kind)
    label_en, label_es = _validate(db, kind, label_en, label_es, None)
    with db.transaction(who) as tx:
        row = model(
            id=tx.new_id(),
            key=None,
            label_en=label_en,
            label_es=label_es,
            retired=False,
            position=repo.next_position(tx.session, model),
        )
        tx.session.add(row)
        tx.session.flush()
        tx.audit("label_added", row, label_en=label_en, label_es=label_es)
        return row.id


def rename_label(db: Database, who: str, kind: str, label_id: str, label_en: str, label_es: str) -> None:
    require(who, Right.SETTINGS)
    model = _model(kind)
    label_en, label_es = _validate(db, kind, label_en, label_es, label_id)
    with db.transaction(who) as tx:
        row = repo.get_label(tx.session, model, label_id)
        if row is None:
            raise LookupError(label_id)
        row.label_en, row.label_es = label_en, label_es
        tx.audit("label_renamed", row, label_en=label_en, label_es=label_es)


def set_retired(db: Database, who: str, kind: str, label_id: str, retired: bool) -> None:
    require(who, Right.SETTINGS)
    model = _model(kind)
    with db.transaction(who) as tx:
        row = repo.get_label(tx.session, model, label_id)
        if row is None:
            raise LookupError(label_id)
        row.retired = retired
        tx.audit("label_retired" if retired else "label_restored", row)
