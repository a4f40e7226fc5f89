"""Moving requests through their statuses, with the reason and who did it kept in the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aiddesk.domain.enums import RequestStatus
from aiddesk.domain.follow_up import FOLLOW_UP_STATUSES, follow_up_after_move, follow_up_problem
from aiddesk.domain.status import MoveRefused, check_move
from aiddesk.domain.validation import Invalid, check_text
from aiddesk.i18n import N_
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.repositories.request_updates import requests_for_update


def _known(status: str) -> RequestStatus:
    try:
        return RequestStatus(status)
    except ValueError:  # written by a newer version of AidDesk at another desk
        raise MoveRefused(N_("This request has a status this version of AidDesk does not know.")) from None


@dataclass
class MoveResult:
    moved: list[str] = field(default_factory=list)  # display codes
    refused: list[tuple[str, MoveRefused]] = field(default_factory=list)  # (code, why)


def move_status(
    db: Database,
    who: str,
    request_ids: list[str],
    target: RequestStatus,
    reason: str = "",
    follow_up: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> MoveResult:
    """Move every request the domain allows; the others are listed with the reason they were refused.

    `follow_up` (the day to call back) is kept on moves to needs info or call
    back and ignored on others, and the day a request had is cleared on moves to
    a status that waits for no call (domain.follow_up); a day before `today` (the desk's date, the
    computer's by default) is refused with Invalid, nothing moved. One
    transaction: the moves, their status events and the audit trail are saved together."""
    reason = reason.strip()
    check_text({"status_reason": reason})
    if target not in FOLLOW_UP_STATUSES:
        follow_up = None
    if (problem := follow_up_problem(follow_up, today or dt.date.today())) is not None:
        raise Invalid([problem])
    result = MoveResult()
    with db.transaction(who) as tx:
        for request in requests_for_update(tx.session, request_ids):
            try:
                current = _known(request.status)
                check_move(current, target, reason)
            except MoveRefused as refused:
                result.refused.append((request.code, refused))
                continue
            request.status = target.value
            request.status_reason = reason
            kept = follow_up_after_move(target, request.follow_up, follow_up)
            if kept != request.follow_up:
                request.follow_up = kept
            detail: dict[str, str] = {"from": current.value, "to": target.value, "reason": reason}
            if follow_up is not None:
                detail["follow_up"] = follow_up.isoformat()
            record_event(tx, request, "status", **detail)
            tx.audit("status", request, to=target.value)
            result.moved.append(request.code)
    return result
