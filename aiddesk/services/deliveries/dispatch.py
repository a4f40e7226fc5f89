"""Delivery runs: plan one, reorder its stops, start it, record each stop, cancel it.

Each use case is one transaction: the run, its stops, the requests' status moves
(checked by the status machine), their "status" events and the audit trail are
saved together, or nothing is. Refusals raise `Invalid` naming the field (or the
request) and why, in English marked N_ for the caller to translate."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from aiddesk.domain.access import Right, require
from aiddesk.domain.enums import DeliveryStatus, FailureReason, RequestStatus, StopOutcome
from aiddesk.domain.follow_up import follow_up_after_move
from aiddesk.domain.run_times import windows_overlap
from aiddesk.domain.status import MoveRefused, check_move
from aiddesk.domain.validation import Invalid, Problem, check_text
from aiddesk.i18n import N_, _, translations_for
from aiddesk.services.deliveries.recurring import open_next_week
from aiddesk.services.history import record_event
from aiddesk.store.database import Database
from aiddesk.store.models import Delivery, Request, Stop
from aiddesk.store.repositories import deliveries as repo
from aiddesk.store.repositories.deliveries import ReadyRow, RunRow, RunTime, StopRow, VolunteerChoice
from aiddesk.store.repositories.desk import reserve_codes
from aiddesk.store.stamping import Tx, utcnow

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_STOPS = 60
# Runs whose stops may still change.
OPEN_RUNS = frozenset({DeliveryStatus.PLANNED, DeliveryStatus.OUT})


@dataclass(frozen=True)
class StopRecorded:
    """What recording a stop did."""

    request_code: str
    request_status: str  # where the request went: delivered or ready
    run_done: bool  # every stop of the run is now recorded
    next_request_code: str | None = None  # next week's request, for a weekly one


def _refuse(field: str, message: str, **params: object) -> Invalid:
    return Invalid([Problem(field, message, dict(params))])


def _move_problem(code: str, refused: MoveRefused) -> Problem:
    """A refused status move as a problem naming the request by its code; why is in the UI language."""
    return Problem(
        "requests",
        N_("Request %(code)s cannot go on this run: %(why)s"),
        {"code": code, "why": refused.message(_)},
    )


def _check_window(window_start: str, window_end: str) -> list[Problem]:
    problems: list[Problem] = []
    for field, value in (("window_start", window_start), ("window_end", window_end)):
        if not _TIME.match(value):
            problems.append(Problem(field, N_("A time is written like 09:30.")))
    if not problems and window_end <= window_start:
        problems.append(Problem("window_end", N_("The window must end after it starts.")))
    return problems


def _move(tx: Tx, request: Request, target: RequestStatus, reason: str = "") -> None:
    """Move one request (already checked) and write its status event."""
    current = request.status
    request.status = target.value
    request.status_reason = reason
    if (kept := follow_up_after_move(target, request.follow_up)) != request.follow_up:
        request.follow_up = kept  # a request on a run, delivered or back to ready waits for no call
    record_event(tx, request, "status", **{"from": current, "to": target.value, "reason": reason})


def _open_run(tx: Tx, delivery_id: str, allowed: frozenset[DeliveryStatus] = OPEN_RUNS) -> Delivery:
    run = repo.get_delivery(tx.session, delivery_id)
    if run is None:
        raise _refuse("delivery", N_("This run no longer exists."))
    if run.status not in allowed:
        if run.status == DeliveryStatus.DONE:
            raise _refuse("delivery", N_("Run %(code)s is done: it cannot change."), code=run.code)
        if run.status == DeliveryStatus.CANCELLED:
            raise _refuse("delivery", N_("Run %(code)s was cancelled: it cannot change."), code=run.code)
        if run.status == DeliveryStatus.OUT:
            raise _refuse("delivery", N_("Run %(code)s has already started."), code=run.code)
        raise _refuse("delivery", N_("Run %(code)s has not started yet."), code=run.code)
    return run


def _set_run_status(tx: Tx, run: Delivery, target: DeliveryStatus, reason: str = "") -> None:
    current = run.status
    run.status = target.value
    record_event(tx, run, "status", **{"from": current, "to": target.value, "reason": reason})
    tx.audit("run_" + target.value, run)


def _assign(tx: Tx, ids: list[str]) -> list[Request]:
    """The requests to put on a run, moved to assigned; Invalid (nothing moved) if any may not go."""
    if len(set(ids)) != len(ids):
        raise _refuse("requests", N_("A request can be on a run only once."))
    found = repo.requests_by_id(tx.session, ids)
    problems: list[Problem] = []
    for request_id in ids:
        request = found.get(request_id)
        if request is None:
            problems.append(Problem("requests", N_("A chosen request no longer exists.")))
            continue
        try:
            check_move(RequestStatus(request.status), RequestStatus.ASSIGNED)
        except (MoveRefused, ValueError) as refused:
            why = refused if isinstance(refused, MoveRefused) else MoveRefused(N_("Its status is unknown."))
            problems.append(_move_problem(request.code, why))
    if problems:
        raise Invalid(problems)
    requests = [found[i] for i in ids]
    for request in requests:
        _move(tx, request, RequestStatus.ASSIGNED)
    return requests


# ---- use cases -----------------------------------------------------------------------------------


def plan_run(
    db: Database,
    who: str,
    *,
    volunteer_id: str,
    date: dt.date,
    window_start: str,
    window_end: str,
    request_ids: list[str],
) -> str:
    """A new planned run with one stop per request in the given order; returns the run's id.

    The requests move to assigned (each with a "status" event). When any request may
    not go (not ready, already on a run, closed), Invalid names it and why and nothing
    is stored."""
    require(who, Right.DELIVERIES)
    problems = _check_window(window_start, window_end)
    if not request_ids:
        problems.append(Problem("requests", N_("Please choose at least one request for the run.")))
    elif len(request_ids) > MAX_STOPS:
        problems.append(Problem("requests", N_("A run has at most %(max)d stops."), {"max": MAX_STOPS}))
    if problems:
        raise Invalid(problems)
    with db.transaction(who) as tx:
        volunteer = repo.get_volunteer(tx.session, volunteer_id)
        if volunteer is None:
            raise _refuse("volunteer", N_("Please choose a volunteer."))
        if not volunteer.active:
            raise _refuse(
                "volunteer", N_("%(name)s is not active and cannot take a run."), name=volunteer.name
            )
        requests = _assign(tx, request_ids)
        (code,) = reserve_codes(tx.session, "delivery", tx.desk.code)
        run = Delivery(
            id=tx.new_id(),
            code=code,
            volunteer_id=volunteer.id,
            date=date,
            window_start=window_start,
            window_end=window_end,
            status=DeliveryStatus.PLANNED.value,
            notes="",
        )
        tx.session.add(run)
        for position, request in enumerate(requests, start=1):
            tx.session.add(
                Stop(
                    id=tx.new_id(),
                    delivery_id=run.id,
                    request_id=request.id,
                    position=position,
                    outcome=StopOutcome.PENDING.value,
                    failure_reason="",
                    note="",
                )
            )
        record_event(tx, run, "planned", volunteer=volunteer.id, stops=len(requests))
        tx.audit("run_planned", run, stops=len(requests))
        return run.id


def add_stops(db: Database, who: str, delivery_id: str, request_ids: list[str]) -> None:
    """More requests at the end of a planned run (they move to assigned)."""
    require(who, Right.DELIVERIES)
    if not request_ids:
        raise _refuse("requests", N_("Please choose at least one request for the run."))
    with db.transaction(who) as tx:
        run = _open_run(tx, delivery_id, frozenset({DeliveryStatus.PLANNED}))
        stops = repo.stops_of(tx.session, run.id)
        if len(stops) + len(request_ids) > MAX_STOPS:
            raise _refuse("requests", N_("A run has at most %(max)d stops."), max=MAX_STOPS)
        requests = _assign(tx, request_ids)
        last = max((s.position for s in stops), default=0)
        for offset, request in enumerate(requests, start=1):
            tx.session.add(
                Stop(
                    id=tx.new_id(),
                    delivery_id=run.id,
                    request_id=request.id,
                    position=last + offset,
                    outcome=StopOutcome.PENDING.value,
                    failure_reason="",
                    note="",
                )
            )
        tx.audit("run_stops_added", run, stops=len(requests))


def remove_stop(db: Database, who: str, stop_id: str) -> None:
    """Take a stop off a planned run: its request goes back to ready; the others close up."""
    require(who, Right.DELIVERIES)
    with db.transaction(who) as tx:
        stop = repo.get_stop(tx.session, stop_id)
        if stop is None:
            raise _refuse("stop", N_("This stop no longer exists."))
        run = _open_run(tx, stop.delivery_id, frozenset({DeliveryStatus.PLANNED}))
        request = repo.requests_by_id(tx.session, [stop.request_id]).get(stop.request_id)
        if request is not None and request.status == RequestStatus.ASSIGNED:
            _move(tx, request, RequestStatus.READY)
        stop.deleted = True
        for position, other in enumerate((s for s in repo.stops_of(tx.session, run.id) if s is not stop), 1):
            if other.position != position:
                other.position = position
        tx.audit("run_stop_removed", run, request=stop.request_id)


def reorder_stops(db: Database, who: str, delivery_id: str, stop_ids: list[str]) -> None:
    """Put the run's stops in the order of `stop_ids` (every stop of the run, each once)."""
    require(who, Right.DELIVERIES)
    with db.transaction(who) as tx:
        run = _open_run(tx, delivery_id)
        stops = {s.id: s for s in repo.stops_of(tx.session, run.id)}
        if sorted(stop_ids) != sorted(stops):
            raise _refuse("stops", N_("The stops changed meanwhile; please look at the run again."))
        for position, stop_id in enumerate(stop_ids, start=1):
            if stops[stop_id].position != position:
                stops[stop_id].position = position
        tx.audit("run_reordered", run)


def start_run(db: Database, who: str, delivery_id: str) -> None:
    """The driver leaves: the run is out and its requests are out for delivery."""
    require(who, Right.DELIVERIES)
    with db.transaction(who) as tx:
        run = _open_run(tx, delivery_id, frozenset({DeliveryStatus.PLANNED}))
        stops = [s for s in repo.stops_of(tx.session, run.id) if s.outcome == StopOutcome.PENDING]
        if not stops:
            raise _refuse("delivery", N_("Run %(code)s has no stops to deliver."), code=run.code)
        found = repo.requests_by_id(tx.session, [s.request_id for s in stops])
        problems: list[Problem] = []
        for stop in stops:
            request = found.get(stop.request_id)
            if request is None:
                problems.append(Problem("requests", N_("A request of this run no longer exists.")))
                continue
            try:
                check_move(RequestStatus(request.status), RequestStatus.OUT_FOR_DELIVERY)
            except MoveRefused as refused:
                problems.append(_move_problem(request.code, refused))
        if problems:
            raise Invalid(problems)
        for stop in stops:
            _move(tx, found[stop.request_id], RequestStatus.OUT_FOR_DELIVERY)
        _set_run_status(tx, run, DeliveryStatus.OUT)


def _failure_text(tx: Tx, reason: FailureReason, note: str) -> str:
    """The reason kept on the request, in the desk's language (what its coordinators read)."""
    label = translations_for(tx.desk.language).gettext(reason.label)
    return f"{label} — {note}" if note else label


def record_stop(
    db: Database,
    who: str,
    stop_id: str,
    outcome: StopOutcome | str,
    *,
    failure_reason: FailureReason | str = "",
    note: str = "",
    when: dt.datetime | None = None,
) -> StopRecorded:
    """Record what happened at one stop of a run that is out.

    Delivered or left at the door: the request is delivered (a weekly one opens next
    week's request). Failed (a reason is required): the request goes back to ready with
    the reason in its history. When every stop is recorded, the run is done."""
    require(who, Right.DELIVERIES)
    note = note.strip()
    check_text({"note": note})
    try:
        outcome = StopOutcome(outcome)
    except ValueError:
        raise _refuse("outcome", N_("Please choose what happened at this stop.")) from None
    if outcome == StopOutcome.PENDING:
        raise _refuse("outcome", N_("Please choose what happened at this stop."))
    reason: FailureReason | None = None
    if outcome == StopOutcome.FAILED:
        try:
            reason = FailureReason(failure_reason)
        except ValueError:
            raise _refuse("failure_reason", N_("Please say why the delivery failed.")) from None
    elif failure_reason:
        raise _refuse("failure_reason", N_("Only a failed stop has a reason."))
    with db.transaction(who) as tx:
        stop = repo.get_stop(tx.session, stop_id)
        if stop is None:
            raise _refuse("stop", N_("This stop no longer exists."))
        run = _open_run(tx, stop.delivery_id, frozenset({DeliveryStatus.OUT}))
        if stop.outcome != StopOutcome.PENDING:
            raise _refuse("stop", N_("This stop is already recorded."))
        request = repo.requests_by_id(tx.session, [stop.request_id]).get(stop.request_id)
        if request is None:
            raise _refuse("stop", N_("The request of this stop no longer exists."))
        next_code: str | None = None
        recorded = when or utcnow()
        stop.recorded_at = recorded
        if reason is None:
            _checked(request, RequestStatus.DELIVERED)
            stop.delivered_at = recorded
            _move(tx, request, RequestStatus.DELIVERED)
            next_request = open_next_week(tx, request, run.date)
            next_code = next_request.code if next_request is not None else None
        else:
            text = _failure_text(tx, reason, note)
            _checked(request, RequestStatus.FAILED, text)
            _move(tx, request, RequestStatus.FAILED, text)
            _checked(request, RequestStatus.READY)
            _move(tx, request, RequestStatus.READY, text)
        stop.outcome = outcome.value
        stop.failure_reason = reason.value if reason is not None else ""
        stop.note = note
        tx.audit("stop_recorded", stop, outcome=outcome.value)
        pending = [s for s in repo.stops_of(tx.session, run.id) if s.outcome == StopOutcome.PENDING]
        if not pending:
            _set_run_status(tx, run, DeliveryStatus.DONE)
        return StopRecorded(request.code, request.status, not pending, next_code)


def _checked(request: Request, target: RequestStatus, reason: str = "") -> None:
    try:
        check_move(RequestStatus(request.status), target, reason)
    except MoveRefused as refused:
        raise Invalid([_move_problem(request.code, refused)]) from None


def cancel_run(db: Database, who: str, delivery_id: str, reason: str) -> None:
    """Call off a planned or started run: its stops not yet recorded send their requests back to ready."""
    require(who, Right.DELIVERIES)
    reason = reason.strip()
    check_text({"reason": reason}, required=("reason",))
    with db.transaction(who) as tx:
        run = _open_run(tx, delivery_id)
        stops = [s for s in repo.stops_of(tx.session, run.id) if s.outcome == StopOutcome.PENDING]
        found = repo.requests_by_id(tx.session, [s.request_id for s in stops])
        for stop in stops:
            request = found.get(stop.request_id)
            if request is None:
                continue
            status = RequestStatus(request.status)
            if status == RequestStatus.ASSIGNED:
                _move(tx, request, RequestStatus.READY, reason)
            elif status == RequestStatus.OUT_FOR_DELIVERY:
                # Out for delivery cannot go straight back: it failed (the run was called off), then ready.
                _move(tx, request, RequestStatus.FAILED, reason)
                _move(tx, request, RequestStatus.READY, reason)
        _set_run_status(tx, run, DeliveryStatus.CANCELLED, reason)


# ---- reads for the screens -----------------------------------------------------------------------


def volunteers_for_runs(db: Database, *, language: str = "en") -> list[VolunteerChoice]:
    """Active volunteers, by name as `language` sorts it (who may take a new run)."""
    with db.session() as session:
        return repo.active_volunteers(session, language)


def volunteers_with_runs(db: Database, *, language: str = "en") -> list[VolunteerChoice]:
    """Active volunteers and anyone who ever had a run, by name as `language` sorts it."""
    with db.session() as session:
        return repo.volunteers_with_runs(session, language)


def runs_of_day(db: Database, day: dt.date, *, language: str = "en") -> list[repo.RunRow]:
    """The runs of one day, by window start, then volunteer (names as `language` sorts them)."""
    with db.session() as session:
        return repo.runs_on(session, day, language)


def clashing_runs(
    db: Database,
    volunteer_id: str,
    day: dt.date,
    window_start: str,
    window_end: str,
    *,
    except_run: str | None = None,
) -> list[RunTime]:
    """The volunteer's other runs that day (not cancelled) whose time overlaps the window: the
    screens warn before a volunteer is booked twice at once (planning it anyway is allowed)."""
    with db.session() as session:
        runs = repo.runs_of_volunteer_on(session, volunteer_id, day)
    return [
        run
        for run in runs
        if run.id != except_run
        and windows_overlap(run.window_start, run.window_end, window_start, window_end)
    ]


def run_summary(db: Database, delivery_id: str) -> RunRow | None:
    with db.session() as session:
        return repo.run_row(session, delivery_id)


def runs_on(db: Database, day: dt.date) -> list[RunRow]:
    """The runs of a day (cancelled ones too), by the start of their window, then volunteer."""
    with db.session() as session:
        return repo.runs_on(session, day)


def runs_of_volunteer(db: Database, volunteer_id: str) -> list[RunRow]:
    """A volunteer's recent runs, the latest first."""
    with db.session() as session:
        return repo.runs_of_volunteer(session, volunteer_id)


def stops_of_run(db: Database, delivery_id: str, *, language: str) -> list[StopRow]:
    """A run's stops in their order, with where their requests stand (needs named in `language`)."""
    with db.session() as session:
        return repo.stop_rows(session, delivery_id, language=language)


def ready_for_runs(db: Database, *, language: str) -> list[ReadyRow]:
    """Requests ready to go on a run, most pressing first (needs and zones named in `language`)."""
    with db.session() as session:
        return repo.ready_requests(session, language=language)
