"""The request status machine: the one table of allowed moves."""

from __future__ import annotations

from collections.abc import Callable

from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.markers import N_

CLOSING: frozenset[S] = frozenset(
    {S.DUPLICATE, S.REFERRED_OUT, S.OUT_OF_AREA, S.WITHDRAWN, S.UNABLE_TO_FULFILL}
)
FINAL: frozenset[S] = CLOSING | {S.DELIVERED}
OPEN: frozenset[S] = frozenset(S) - FINAL

_FORWARD: dict[S, frozenset[S]] = {
    S.NEW: frozenset({S.NEEDS_INFO, S.CALL_BACK, S.READY}),
    S.NEEDS_INFO: frozenset({S.CALL_BACK, S.READY}),
    S.CALL_BACK: frozenset({S.NEEDS_INFO, S.READY}),
    S.READY: frozenset({S.ASSIGNED, S.NEEDS_INFO, S.CALL_BACK}),
    S.ASSIGNED: frozenset({S.OUT_FOR_DELIVERY, S.READY, S.FAILED}),
    S.OUT_FOR_DELIVERY: frozenset({S.DELIVERED, S.FAILED}),
    S.FAILED: frozenset({S.READY}),
}

# Every open request may be closed by one of the closing exits.
ALLOWED: dict[S, frozenset[S]] = {
    status: _FORWARD.get(status, frozenset()) | (CLOSING if status in OPEN else frozenset()) for status in S
}

# Moves that must say why.
NEEDS_REASON: frozenset[S] = frozenset({S.FAILED}) | CLOSING


class MoveRefused(ValueError):
    """A status move the domain does not allow.

    `reason` is an English message marked N_; `params` hold the statuses it
    names. `message(translate)` renders it in the UI language."""

    def __init__(self, reason: str, **params: S) -> None:
        self.reason = reason
        self.params = params
        super().__init__(self.message(lambda text: text))

    def message(self, translate: Callable[[str], str]) -> str:
        names = {key: translate(value.label) for key, value in self.params.items()}
        return translate(self.reason) % names if names else translate(self.reason)


def check_move(current: S, target: S, reason: str = "") -> None:
    """Raise MoveRefused when a request may not go from `current` to `target`."""
    if current == target:
        raise MoveRefused(N_("The request is already in this status."))
    if current in FINAL:
        raise MoveRefused(N_("A request that is closed or delivered cannot change status."))
    if target not in ALLOWED[current]:
        raise MoveRefused(
            N_("A request cannot go from “%(current)s” to “%(target)s”."),
            current=current,
            target=target,
        )
    if target in NEEDS_REASON and not reason.strip():
        raise MoveRefused(N_("Please say why the request is “%(target)s”."), target=target)
