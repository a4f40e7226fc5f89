"""Weekly requests: once delivered, next week's request opens.

Only the desk that records the delivery makes it, inside that same transaction
(never a merge, so two desks never both create it), and only once per request:
an event on the delivered request names the request it opened."""

from __future__ import annotations

import datetime as dt

from aiddesk.domain.enums import Recurring, RequestStatus
from aiddesk.services.history import record_event
from aiddesk.store.models import Request
from aiddesk.store.repositories.deliveries import NEXT_REQUEST_EVENT, has_next_request
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.stamping import Tx, utcnow

# Next week's request is ready at once: the need was checked when it was first taken and
# has just been delivered; it waits in the queue with a follow-up date a week after this run.
NEXT_STATUS = RequestStatus.READY
WEEK = dt.timedelta(days=7)
PREVIOUS_REQUEST_EVENT = "previous_request"


def open_next_week(tx: Tx, delivered: Request, run_date: dt.date) -> Request | None:
    """Next week's request for a delivered weekly request (None for other requests, or when
    it was opened already). The two requests get events naming each other."""
    if delivered.recurring != Recurring.WEEKLY or delivered.status != RequestStatus.DELIVERED:
        return None
    if has_next_request(tx.session, delivered.id):
        return None
    (code,) = reserve_codes(tx.session, "request", tx.desk.code)
    follow_up = run_date + WEEK
    following = Request(
        id=tx.new_id(),
        code=code,
        person_id=delivered.person_id,
        call_id=None,
        category_id=delivered.category_id,
        details=delivered.details,
        urgency=delivered.urgency,
        recurring=delivered.recurring,
        status=NEXT_STATUS.value,
        status_reason="",
        follow_up=follow_up,
        created_at=utcnow(),
    )
    tx.session.add(following)
    record_event(tx, delivered, NEXT_REQUEST_EVENT, request=following.id, code=code)
    record_event(
        tx,
        following,
        PREVIOUS_REQUEST_EVENT,
        request=delivered.id,
        code=delivered.code,
        status=NEXT_STATUS.value,
    )
    tx.audit("request_recurred", following, previous=delivered.id)
    return following
