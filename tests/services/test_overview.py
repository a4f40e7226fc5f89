"""Today at a glance: what the coordinator's overview counts, on a desk that exchanges with
another (a real conflict, a desk seen), in New York time (the local day, not the UTC one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aiddesk.domain.enums import RequestStatus
from aiddesk.services.deliveries import dispatch
from aiddesk.services.reports.overview import overview
from aiddesk.services.requests import queue
from aiddesk.services.requests.queue import OPEN_STATUSES, Focus, QueueQuery
from aiddesk.store.models import Call, Request, Stop, Volunteer
from tests.record_makers import NEED
from tests.report_desk import NEW_YORK, local, rows_of
from tests.two_desks import exchange, north_and_south

TODAY = dt.date(2026, 11, 23)


def test_today_at_a_glance(tmp_path: Path, migrated_template: Path) -> None:
    with north_and_south(tmp_path, migrated_template) as (north, south):
        db = north.db
        rosa = north.add_person("NOR-P1", "Rosa Díaz", language="es")
        exchange(north, south)
        north.edit("person", rosa, name="Rosa María Díaz")
        south.edit("person", rosa, name="Rosa Diaz")
        exchange(south, north)  # both names kept: one conflict waits at North

        def request(status: str, created: dt.datetime, **fields: object) -> str:
            with db.transaction("Ana") as tx:
                row = Request(
                    id=tx.new_id(),
                    code=f"NOR-R{tx.new_id()[:4]}",
                    person_id=rosa,
                    category_id=NEED["groceries"],
                    status=status,
                    created_at=created,
                    **fields,
                )
                tx.session.add(row)
            return row.id

        def call(when: dt.datetime, deleted: bool = False) -> None:
            with db.transaction("Ana") as tx:
                row = Call(id=tx.new_id(), code=f"NOR-C{tx.new_id()[:4]}", person_id=rosa, taken_at=when)
                tx.session.add(row)
            if deleted:
                north.edit("call", row.id, deleted=True)

        call(local(2026, 11, 23, 0, 5))
        call(local(2026, 11, 23, 19, 30))  # already November 24 in UTC
        call(local(2026, 11, 22, 23, 55))  # yesterday
        call(local(2026, 11, 23, 10), deleted=True)
        oldest = request("new", local(2026, 10, 1))
        request("new", local(2026, 11, 23, 0, 30))
        request("new", local(2026, 11, 22, 23, 50))
        request("call_back", local(2026, 11, 20), follow_up=TODAY)
        request("needs_info", local(2026, 11, 19), follow_up=TODAY - dt.timedelta(days=3))
        request("call_back", local(2026, 11, 19), follow_up=TODAY + dt.timedelta(days=1))
        request("failed", local(2026, 11, 18), status_reason="Not home")
        gone = request("new", local(2026, 11, 23, 9))
        north.edit("request", gone, deleted=True)
        with db.transaction("Ana") as tx:
            driver = Volunteer(id=tx.new_id(), code="NOR-V1", name="Luis Ortega", active=True)
            tx.session.add(driver)
        today_run = [request("ready", local(2026, 11, 21)) for _ in range(2)]
        yesterday = [request("ready", local(2026, 9, 1))]  # fails, back to ready: waits to be planned again
        for day, ids in ((TODAY - dt.timedelta(days=1), yesterday), (TODAY, today_run)):
            run = dispatch.plan_run(
                db,
                "Marta",
                volunteer_id=driver.id,
                date=day,
                window_start="09:00",
                window_end="12:00",
                request_ids=ids,
            )
            dispatch.start_run(db, "Marta", run)
        stops = {s.request_id: s.id for s in rows_of(db, Stop)}
        dispatch.record_stop(db, "Luis", stops[yesterday[0]], "failed", failure_reason="not_home")
        dispatch.record_stop(db, "Luis", stops[today_run[0]], "delivered")

        seen = overview(db, TODAY, language="es", tz=NEW_YORK)

        assert seen.calls_today == 2
        assert seen.requests_today == 1
        counts = {c.status: c.count for c in seen.by_status}
        assert counts == {
            RequestStatus.NEW: 3,
            RequestStatus.NEEDS_INFO: 1,
            RequestStatus.CALL_BACK: 2,
            RequestStatus.READY: 1,
            RequestStatus.ASSIGNED: 0,
            RequestStatus.OUT_FOR_DELIVERY: 1,
            RequestStatus.FAILED: 1,
        }
        assert (seen.call_backs_today, seen.call_backs_overdue) == (1, 1)
        [run_today] = seen.runs_today
        assert (run_today.stops, run_today.recorded, run_today.volunteer_name) == (2, 1, "Luis Ortega")
        assert seen.failed_to_replan == 2  # the one still marked failed, the one ready again
        assert seen.oldest_waiting[0].id == yesterday[0] and seen.oldest_waiting[1].id == oldest
        assert seen.oldest_waiting[0].need == "Mandado / despensa"
        assert seen.conflicts_waiting == 1
        assert [d.code for d in seen.other_desks] == ["SUR"]

        # Each number opens the queue filtered to it: the same requests, by hand too.
        def listed(focus: Focus) -> set[str]:
            now = dt.datetime(2026, 11, 23, 17, 0)
            query = QueueQuery(statuses=frozenset(OPEN_STATUSES), focus=focus)
            snapshot = queue.queue_snapshot(db, query, today=TODAY, now=now, with_counts=False)
            return {row.id for row in queue.queue_rows(db, snapshot.rowids)}

        still_failed = {r.id for r in rows_of(db, Request) if r.status == "failed" and not r.deleted}
        assert listed(Focus.FAILED) == still_failed | {yesterday[0]}
        due = {
            r.id
            for r in rows_of(db, Request)
            if r.follow_up == TODAY and r.status in {"call_back", "needs_info"}
        }
        assert len(listed(Focus.DUE_TODAY)) == seen.call_backs_today and listed(Focus.DUE_TODAY) == due
        assert len(listed(Focus.OVERDUE)) == seen.call_backs_overdue == 1
