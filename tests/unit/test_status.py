"""The request status machine: the moves docs/architecture.md allows, and the ones it refuses with a reason."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from aiddesk.domain.enums import RequestStatus as S
from aiddesk.domain.follow_up import follow_up_after_move
from aiddesk.domain.status import CLOSING, MoveRefused, check_move
from aiddesk.i18n import translations_for

OPEN = (S.NEW, S.NEEDS_INFO, S.CALL_BACK, S.READY, S.ASSIGNED, S.OUT_FOR_DELIVERY, S.FAILED)
CLOSED = (S.DUPLICATE, S.REFERRED_OUT, S.OUT_OF_AREA, S.WITHDRAWN, S.UNABLE_TO_FULFILL)

# The forward path new -> needs_info | call_back -> ready -> assigned -> out_for_delivery -> delivered,
# the steps back a coordinator takes (more info needed, a run cancelled), failed -> ready,
# and every closing exit from every open status. Written out here, independent of the code's table.
ALLOWED = {
    (S.NEW, S.NEEDS_INFO),
    (S.NEW, S.CALL_BACK),
    (S.NEW, S.READY),
    (S.NEEDS_INFO, S.CALL_BACK),
    (S.NEEDS_INFO, S.READY),
    (S.CALL_BACK, S.NEEDS_INFO),
    (S.CALL_BACK, S.READY),
    (S.READY, S.ASSIGNED),
    (S.READY, S.NEEDS_INFO),
    (S.READY, S.CALL_BACK),
    (S.ASSIGNED, S.OUT_FOR_DELIVERY),
    (S.ASSIGNED, S.READY),
    (S.ASSIGNED, S.FAILED),
    (S.OUT_FOR_DELIVERY, S.DELIVERED),
    (S.OUT_FOR_DELIVERY, S.FAILED),
    (S.FAILED, S.READY),
} | {(status, exit_) for status in OPEN for exit_ in CLOSED}

NEEDS_REASON = {S.FAILED, *CLOSED}


def _reason(target: S) -> str:
    return "Not home twice" if target in NEEDS_REASON else ""


@pytest.mark.parametrize(("current", "target"), sorted(ALLOWED))
def test_allowed_move_is_accepted(current: S, target: S) -> None:
    check_move(current, target, _reason(target))


def test_design_path_is_walkable_end_to_end() -> None:
    path = [
        S.NEW,
        S.NEEDS_INFO,
        S.CALL_BACK,
        S.READY,
        S.ASSIGNED,
        S.OUT_FOR_DELIVERY,
        S.FAILED,
        S.READY,
        S.ASSIGNED,
        S.OUT_FOR_DELIVERY,
        S.DELIVERED,
    ]
    for current, target in itertools.pairwise(path):
        check_move(current, target, _reason(target))


@pytest.mark.parametrize(
    ("current", "target"),
    sorted((a, b) for a, b in itertools.product(OPEN, S) if a != b and (a, b) not in ALLOWED),
)
def test_other_moves_from_open_statuses_are_refused_naming_both(current: S, target: S) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(current, target, "some reason")
    assert str(refused.value) == f"A request cannot go from “{current.label}” to “{target.label}”."


@pytest.mark.parametrize(("current", "target"), [(a, b) for a in (S.DELIVERED, *CLOSED) for b in S if a != b])
def test_delivered_and_closed_requests_never_move(current: S, target: S) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(current, target, "reopen it")
    assert str(refused.value) == "A request that is closed or delivered cannot change status."


@pytest.mark.parametrize("target", sorted(NEEDS_REASON))
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_failing_or_closing_needs_a_reason(target: S, blank: str) -> None:
    current = S.OUT_FOR_DELIVERY if target == S.FAILED else S.READY
    with pytest.raises(MoveRefused) as refused:
        check_move(current, target, blank)
    assert str(refused.value) == f"Please say why the request is “{target.label}”."


@pytest.mark.parametrize("target", [S.NEEDS_INFO, S.READY, S.ASSIGNED])
def test_forward_moves_need_no_reason(target: S) -> None:
    current = {S.NEEDS_INFO: S.NEW, S.READY: S.NEEDS_INFO, S.ASSIGNED: S.READY}[target]
    check_move(current, target)


@pytest.mark.parametrize("status", list(S))
def test_same_status_is_refused(status: S) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(status, status, "reason")
    assert str(refused.value) in {
        "The request is already in this status.",
        "A request that is closed or delivered cannot change status.",
    }


def test_refusal_is_rendered_in_the_ui_language() -> None:
    spanish = translations_for("es")  # the app's own Spanish catalog
    with pytest.raises(MoveRefused) as refused:
        check_move(S.NEW, S.DELIVERED)
    assert refused.value.message(spanish.gettext) == "Un pedido no puede pasar de “Nuevo” a “Entregado”."
    assert refused.value.message(lambda text: text) == "A request cannot go from “New” to “Delivered”."


def test_closing_exits_are_the_five_of_the_design() -> None:
    assert set(CLOSING) == set(CLOSED)


def test_enums_sharing_a_value_keep_their_own_labels() -> None:
    from aiddesk.domain.enums import CallChannel, ContactMethod, RequestStatus, StopOutcome

    assert CallChannel.PHONE.label == "Phone"
    assert ContactMethod.PHONE.label == "Phone call"
    assert CallChannel.TEXT.label == ContactMethod.TEXT.label == "Text message"
    assert RequestStatus.FAILED.label == "Failed" and StopOutcome.FAILED.label == "Failed"


def test_a_day_to_call_back_is_kept_only_while_a_call_is_awaited() -> None:
    had, chosen = dt.date(2026, 11, 24), dt.date(2026, 11, 30)
    assert follow_up_after_move(S.CALL_BACK, had) == had
    assert follow_up_after_move(S.NEEDS_INFO, had, chosen) == chosen
    for target in (S.READY, S.ASSIGNED, S.DELIVERED, S.WITHDRAWN, S.FAILED):
        assert follow_up_after_move(target, had, chosen) is None
