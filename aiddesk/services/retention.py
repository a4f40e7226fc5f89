"""Retention (docs/security.md, "Retention"): closed requests lose their details, status reasons and notes,
people not heard from are erased, after the months an administrator chose. A preview says what
a run would do; the run does exactly what the preview of the same day lists (both come from
`_plan`), in one transaction, audited with its counts. Once confirmed it runs daily
(`run_if_due`, the window's keeper) or by `aiddesk retention`.

The details and notes are blanked through the ordinary stamped write, so the blank travels to
the other desks as an edit; an erasure is the ordinary erasure, which wins on every desk."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from aiddesk.domain import retention as rule
from aiddesk.domain.access import Right, require
from aiddesk.domain.retention import RetentionPolicy
from aiddesk.domain.status import FINAL, OPEN
from aiddesk.domain.validation import Invalid, Problem
from aiddesk.i18n import N_, ngettext
from aiddesk.services.people.erasure import erase_in
from aiddesk.store import stamps_codec as codec
from aiddesk.store.database import Database
from aiddesk.store.repositories import desk as desk_repo
from aiddesk.store.repositories import retention as repo
from aiddesk.store.repositories.people import detail as people_repo
from aiddesk.store.repositories.people import search as search_repo

POLICY_KEY = "retention"
LAST_RUN_KEY = "retention_last_run"
SCHEDULE = "AidDesk (retention)"  # the name on the daily run's changes and audit entry


class RetentionOff(Exception):
    """Retention was not confirmed (or no rule is set): nothing was done."""


@dataclass(frozen=True)
class RetentionPlan:
    """What a run forgets (or forgot): the codes of the requests that lose their details and
    notes, and of the people erased."""

    policy: RetentionPolicy
    today: dt.date
    requests: tuple[str, ...] = ()
    people: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.requests and not self.people


def _policy(session: Session) -> RetentionPolicy:
    stored = desk_repo.get_setting(session, POLICY_KEY, {}) or {}
    return RetentionPolicy(
        request_months=stored.get("request_months"),
        people_months=stored.get("people_months"),
        enabled=bool(stored.get("enabled", False)),
    )


def get_policy(db: Database) -> RetentionPolicy:
    with db.session() as session:
        return _policy(session)


def last_run(db: Database) -> dt.date | None:
    with db.session() as session:
        stored = desk_repo.get_setting(session, LAST_RUN_KEY)
        return dt.date.fromisoformat(stored) if stored else None


def save_policy(db: Database, who: str, policy: RetentionPolicy) -> RetentionPolicy:
    """Store the months and whether retention runs (administrators only). Invalid: nothing saved."""
    require(who, Right.SETTINGS)
    problems = [
        Problem(name, message)
        for name, months in (
            ("request_months", policy.request_months),
            ("people_months", policy.people_months),
        )
        if (message := rule.months_problem(months)) is not None
    ]
    if policy.enabled and not policy.anything:
        problems.append(Problem("form", N_("Choose after how many months records are forgotten.")))
    if problems:
        raise Invalid(problems)
    with db.transaction(who) as tx:
        if _policy(tx.session) != policy:
            value = {
                "request_months": policy.request_months,
                "people_months": policy.people_months,
                "enabled": policy.enabled,
            }
            desk_repo.put_setting(tx.session, POLICY_KEY, value)
            tx.audit(
                "retention_settings",
                request_months=policy.request_months,
                people_months=policy.people_months,
                enabled=policy.enabled,
            )
    return policy


def _plan(
    session: Session, policy: RetentionPolicy, today: dt.date
) -> tuple[list[str], list[str], RetentionPlan]:
    """The ids and the plan of what is due today under `policy`."""
    requests = [
        r
        for r in repo.closed_requests_with_text(session, [s.value for s in FINAL])
        if rule.is_due(r.last, today, policy.request_months)
    ]
    busy = repo.people_with_open_requests(session, [s.value for s in OPEN]) if policy.people_months else set()
    people = [
        p
        for p in repo.people_last_heard(session)
        if p.id not in busy and rule.is_due(p.last, today, policy.people_months)
    ]
    plan = RetentionPlan(policy, today, tuple(r.code for r in requests), tuple(p.code for p in people))
    return [r.id for r in requests], [p.id for p in people], plan


def preview(
    db: Database, who: str, policy: RetentionPolicy | None = None, today: dt.date | None = None
) -> RetentionPlan:
    """What a run would forget today under `policy` (the stored one when None)."""
    require(who, Right.SETTINGS)
    today = today or dt.date.today()
    with db.session() as session:
        return _plan(session, policy or _policy(session), today)[2]


def run(db: Database, who: str, today: dt.date | None = None) -> RetentionPlan:
    """Forget what is due today under the stored, confirmed policy; RetentionOff when it is not."""
    require(who, Right.SETTINGS)
    today = today or dt.date.today()
    with db.transaction(who) as tx:
        policy = _policy(tx.session)
        if not (policy.enabled and policy.anything):
            raise RetentionOff()
        request_ids, person_ids, plan = _plan(tx.session, policy, today)
        for request_id in request_ids:
            request = repo.closed_request(tx.session, request_id)
            if request is not None:
                # Stamped edits: they travel, and every desk converges on the empty text.
                request.details = ""
                request.status_reason = ""
                for stop in repo.stops_with_notes(tx.session, request_id):
                    stop.note = ""
                for event in repo.status_events_with_reason(tx.session, request_id):
                    # The history keeps the move (from, to, when, who), not what was said about it.
                    event.detail = codec.dumps(json.loads(event.detail) | {"reason": ""})
        for person_id in person_ids:
            person = people_repo.get_person(tx.session, person_id)
            if person is not None and not person.erased:
                erase_in(tx, person, by="retention")
        if request_ids or person_ids:
            search_repo.forget_removed_words(tx.session)
        desk_repo.put_setting(tx.session, LAST_RUN_KEY, today.isoformat())
        tx.audit(
            "retention_run",
            requests=len(plan.requests),
            people=len(plan.people),
            request_months=policy.request_months,
            people_months=policy.people_months,
        )
    return plan


def run_if_due(db: Database, today: dt.date | None = None) -> RetentionPlan | None:
    """The daily run (the window's keeper): once a day once confirmed; None when not due."""
    today = today or dt.date.today()
    with db.session() as session:
        policy = _policy(session)
        stored = desk_repo.get_setting(session, LAST_RUN_KEY)
    if not rule.run_is_due(dt.date.fromisoformat(stored) if stored else None, today, policy):
        return None
    return run(db, SCHEDULE, today)


def summary(plan: RetentionPlan, *, done: bool) -> str:
    """One sentence in the current language: what the run forgot, or what it would forget (a
    rule that is off is not mentioned)."""
    requests, people = len(plan.requests), len(plan.people)
    parts = []
    if plan.policy.request_months is not None:
        if done:
            text = ngettext(
                "%(n)d closed request lost its details and notes",
                "%(n)d closed requests lost their details and notes",
                requests,
            )
        else:
            text = ngettext(
                "%(n)d closed request would lose its details and notes",
                "%(n)d closed requests would lose their details and notes",
                requests,
            )
        parts.append(text % {"n": requests})
    if plan.policy.people_months is not None:
        if done:
            text = ngettext(
                "%(n)d person not heard from was erased", "%(n)d people not heard from were erased", people
            )
        else:
            text = ngettext(
                "%(n)d person not heard from would be erased",
                "%(n)d people not heard from would be erased",
                people,
            )
        parts.append(text % {"n": people})
    sentence = "; ".join(parts) + "."
    return sentence[:1].upper() + sentence[1:]  # "se borraría a …" may open the sentence
