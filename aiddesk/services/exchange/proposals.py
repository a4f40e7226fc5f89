"""Hand edits found in merged workbooks: accept (a local edit whose causal context is the
workbook's version vector) or reject, one by one or all at once."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiddesk.domain.access import Right, require
from aiddesk.domain.merge import edit_in_context, is_erased
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.models import MODEL_BY_KIND, Proposal
from aiddesk.store.repositories.exchange import proposals as repo
from aiddesk.store.repositories.exchange.record_states import local_states, update_states
from aiddesk.store.stamping import Tx, utcnow


@dataclass(frozen=True)
class PendingEdit:
    id: int
    kind: str
    record_id: str
    column: str
    typed: str
    was: str
    source: str
    sheet: str
    row: int


def _view(p: Proposal) -> PendingEdit:
    return PendingEdit(p.id, p.record_kind, p.record_id, p.field, p.typed, p.was, p.source, p.sheet, p.row)


def pending(db: Database) -> list[PendingEdit]:
    with db.session() as session:
        return [_view(p) for p in repo.pending(session)]


def pending_count(db: Database) -> int:
    with db.session() as session:
        return repo.pending_count(session)


def apply_accepted(tx: Tx, chosen: list[Proposal]) -> int:
    """Accept `chosen` in the transaction `tx`: returns how many changed a record."""
    from aiddesk.services.exchange.merge_pass import settle

    session = tx.session
    session.info["merging"] = True  # these writes carry the stamps set here
    stamp = tx.stamp()
    by_kind: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in chosen:
        by_kind[proposal.record_kind].append(proposal)
    changed = 0
    when = utcnow()
    for kind, items in by_kind.items():
        model = MODEL_BY_KIND[kind]
        states, clocks = local_states(session, model, {p.record_id for p in items})
        edited: dict[str, Any] = {}
        for proposal in items:
            state = edited.get(proposal.record_id) or states.get(proposal.record_id)
            repo.decide(proposal, repo.ACCEPTED, tx.who, when)
            if state is None or is_erased(state):
                continue
            values = json.loads(proposal.value)
            context = codec.decode_vv(proposal.context_vv)
            edited[proposal.record_id] = settle(
                kind, edit_in_context(state, values, stamp.as_list(), context)
            )
        update_states(session, model, list(edited.values()), clocks)
        changed += len(edited)
        for record_id in edited:
            tx.audit("accept_hand_edit", None, kind=kind, id=record_id)
    return changed


def accept(db: Database, who: str, ids: Iterable[int]) -> int:
    require(who, Right.CONFLICTS)
    with db.transaction(who) as tx:
        chosen = [p for p in repo.by_ids(tx.session, ids) if p.status == repo.PENDING]
        return apply_accepted(tx, chosen) if chosen else 0


def reject(db: Database, who: str, ids: Iterable[int]) -> int:
    require(who, Right.CONFLICTS)
    with db.transaction(who) as tx:
        chosen = [p for p in repo.by_ids(tx.session, ids) if p.status == repo.PENDING]
        when = utcnow()
        for proposal in chosen:
            repo.decide(proposal, repo.REJECTED, who, when)
        return len(chosen)
