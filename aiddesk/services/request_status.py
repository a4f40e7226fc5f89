"""Moving requests through their statuses, with the reason and who did it kept in the history."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.status import MoveRefused, check_move
from aiddesk.domain.validation import check_text
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.repositories.requests_by_id import requests_for_update


@dataclass
class MoveResult:
    moved: list[str] = field(default_factory=list)  # display codes
    refused: list[tuple[str, MoveRefused]] = field(default_factory=list)  # (code, why)


def move_status(
    db: Database, who: str, request_ids: list[str], target: RequestStatus, reason: str = ""
) -> MoveResult:
    """Move every request the domain allows; the others are listed with the reason they were refused.

    One transaction: the moves, their status events and the audit trail are saved together."""
    reason = reason.strip()
    check_text({"status_reason": reason})
    result = MoveResult()
    with db.transaction(who) as tx:
        for request in requests_for_update(tx.session, request_ids):
            current = RequestStatus(request.status)
            try:
                check_move(current, target, reason)
            except MoveRefused as refused:
                result.refused.append((request.code, refused))
                continue
            request.status = target.value
            request.status_reason = reason
            record_event(
                tx, request, "status", **{"from": current.value, "to": target.value, "reason": reason}
            )
            tx.audit("status", request, to=target.value)
            result.moved.append(request.code)
    return result
