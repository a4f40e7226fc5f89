"""What a number of the overview opens in the queue."""

from __future__ import annotations

from dataclasses import dataclass

from aiddesk.domain.enums import RequestStatus
from aiddesk.services.requests.queue import Focus


@dataclass(frozen=True)
class QueueView:
    """The Requests screen with these status chips and this focus, every other filter cleared;
    `select`: the request to select once listed."""

    statuses: frozenset[RequestStatus]
    focus: Focus = Focus.NONE
    select: str | None = None
