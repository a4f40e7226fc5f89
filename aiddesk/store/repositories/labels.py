"""Need categories and zones: data with an English and a Spanish label."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aiddesk.store.models import NeedCategory, Zone

LabelModel = type[NeedCategory] | type[Zone]


def list_labels(
    session: Session, model: LabelModel, *, include_retired: bool = True
) -> list[NeedCategory | Zone]:
    query = select(model).where(model.deleted.is_(False)).order_by(model.position, model.label_en)
    if not include_retired:
        query = query.where(model.retired.is_(False))
    return list(session.scalars(query))


def next_position(session: Session, model: LabelModel) -> int:
    return (session.scalar(select(func.max(model.position))) or 0) + 1


def get_label(session: Session, model: LabelModel, label_id: str) -> NeedCategory | Zone | None:
    row = session.get(model, label_id)
    return row if isinstance(row, NeedCategory | Zone) else None
