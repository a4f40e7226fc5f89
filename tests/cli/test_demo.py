"""`aiddesk demo`: a realistic bilingual desk, the same content and codes for the same seed, new ids
every time, consistent statuses, runs and history, and never over a desk that holds records."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import shutil
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from aiddesk import cli
from aiddesk.demo import desk as demo
from aiddesk.demo import generator as demo_generator
from aiddesk.domain import defaults
from aiddesk.domain.enums import RequestStatus, Skill
from aiddesk.domain.phone import normalise
from aiddesk.domain.status import NEEDS_REASON, check_move
from aiddesk.domain.validation import desk_code_problem

TODAY = dt.date(2026, 3, 10)  # a Tuesday
PEOPLE = "60"


def run_cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(list(argv))
    return code, out.getvalue()


def make_demo(folder: Path, template: Path, seed: int, people: str = PEOPLE) -> Path:
    """A data folder (from the migrated template) filled by `aiddesk demo`."""
    folder.mkdir(parents=True)
    shutil.copyfile(template, folder / "aiddesk.db")
    code, out = run_cli(
        "--data-dir",
        str(folder),
        "demo",
        "--seed",
        str(seed),
        "--people",
        people,
        "--today",
        TODAY.isoformat(),
    )
    assert code == 0, out
    return folder


def query(folder: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    con = sqlite3.connect(folder / "aiddesk.db")
    con.row_factory = sqlite3.Row
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def dump(folder: Path) -> dict[str, Any]:
    code, out = run_cli("--data-dir", str(folder), "dump")
    assert code == 0
    return json.loads(out)


def content(state: dict[str, Any]) -> dict[str, list[str]]:
    """Every record as its field values, ids replaced by display codes, stamps and clocks left out."""
    codes = {
        r["id"]: r["fields"]["code"][0][3]
        for records in state.values()
        for r in records
        if "code" in r["fields"]
    }

    def value(v: Any) -> Any:
        return codes.get(v, v) if isinstance(v, str) else v

    out: dict[str, list[str]] = {}
    for kind, records in state.items():
        rows = []
        for record in records:
            assert all(len(values) == 1 for values in record["fields"].values()), (
                "a fresh demo has no conflicts"
            )
            fields = {name: value(values[0][3]) for name, values in record["fields"].items()}
            rows.append(json.dumps(fields, sort_keys=True, ensure_ascii=False))
        out[kind] = sorted(rows)
    return out


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> tuple[Path, Path]:
    """Two folders filled with the same seed."""
    root = tmp_path_factory.mktemp("twins")
    return make_demo(root / "a", migrated_template, 7), make_demo(root / "b", migrated_template, 7)


@pytest.fixture(scope="module")
def desk(twins: tuple[Path, Path]) -> Path:
    return twins[0]


# -- the same seed, the same desk; new ids ------------------------------------------------------


def test_same_seed_gives_same_content_and_codes_but_new_ids(twins: tuple[Path, Path]) -> None:
    a, b = twins
    state_a, state_b = dump(a), dump(b)
    assert content(state_a) == content(state_b)
    assert len(state_a["person"]) == int(PEOPLE)
    for kind in ("person", "call", "request", "volunteer", "delivery", "stop", "event"):
        ids_a = {r["id"] for r in state_a[kind]}
        ids_b = {r["id"] for r in state_b[kind]}
        assert ids_a and not ids_a & ids_b, kind
    (desk_a,), (desk_b,) = (
        query(a, "SELECT desk_id, code FROM desk"),
        query(b, "SELECT desk_id, code FROM desk"),
    )
    assert desk_a["desk_id"] != desk_b["desk_id"]
    assert desk_a["code"] == desk_b["code"] == "D7"
    stamped_by = {r["fields"]["name"][0][0] for r in state_a["person"]}
    assert stamped_by == {desk_a["desk_id"]}, "every record is stamped by the desk that made it"


def test_display_codes_follow_the_desk_code(desk: Path) -> None:
    for table in ("person", "call", "request", "volunteer", "delivery"):
        codes = [row["code"] for row in query(desk, f"SELECT code FROM {table}")]
        assert len(set(codes)) == len(codes)
        letter = {"person": "P", "call": "C", "request": "R", "volunteer": "V", "delivery": "D"}[table]
        assert all(re.fullmatch(rf"D7-{letter}\d{{4}}", code) for code in codes), table  # a series per kind
    assert (
        query(desk, "SELECT min(code) AS code FROM person WHERE name = ?", "María José Hernández")[0]["code"]
        == "D7-P0001"
    )


def test_different_seeds_give_different_desk_codes(
    tmp_path: Path, migrated_template: Path, desk: Path
) -> None:
    other = make_demo(tmp_path / "other", migrated_template, 8, people="20")
    assert query(other, "SELECT code FROM desk")[0]["code"] == "D8"
    assert query(desk, "SELECT code FROM desk")[0]["code"] == "D7"
    assert query(other, "SELECT code FROM person LIMIT 1")[0]["code"].startswith("D8-")


def test_desk_codes_from_seeds_are_valid_desk_codes() -> None:
    assert [demo.desk_code_for_seed(s) for s in (0, 7, 35, 36, demo.MAX_SEED)] == [
        "D0",
        "D7",
        "DZ",
        "D10",
        "DZZZZZ",
    ]
    for seed in (0, 1, 35, 36, 1295, 1296, 99_999, demo.MAX_SEED):
        assert desk_code_problem(demo.desk_code_for_seed(seed)) is None


def test_demo_twice_is_refused_and_changes_nothing(
    tmp_path: Path, migrated_template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make_demo(tmp_path / "desk", migrated_template, 11, people="20")
    before = dump(folder)
    assert cli.main(["--data-dir", str(folder), "demo", "--seed", "12", "--people", "20"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and demo.desk_code_for_seed(11) in err and "Traceback" not in err
    assert dump(folder) == before


def test_demo_fills_an_empty_existing_desk_with_its_code(
    desk_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--data-dir", str(desk_data_dir), "demo", "--desk-code", "OTHER", "--people", "20"]) == 2
    assert "TST" in capsys.readouterr().err
    assert cli.main(["--data-dir", str(desk_data_dir), "demo", "--seed", "4", "--people", "20"]) == 0
    assert "TST" in capsys.readouterr().out
    assert query(desk_data_dir, "SELECT code FROM person ORDER BY code LIMIT 1")[0]["code"] == "TST-P0001"


def test_given_desk_code_names_the_new_desk(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    code, out = run_cli("--data-dir", str(folder), "demo", "--desk-code", "cc1", "--people", "20", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["desk_code"] == "CC1" and summary["people"] == 20
    assert query(folder, "SELECT code FROM desk")[0]["code"] == "CC1"


# -- what the desk holds ------------------------------------------------------------------------


def test_every_request_status_is_present_with_its_reason(desk: Path) -> None:
    rows = query(desk, "SELECT status, status_reason, follow_up FROM request")
    assert {row["status"] for row in rows} == {str(s) for s in RequestStatus}
    for row in rows:
        if RequestStatus(row["status"]) in NEEDS_REASON:
            assert row["status_reason"].strip(), row["status"]
        if row["status"] == "call_back":
            assert row["follow_up"] is not None


def test_people_have_accented_names_and_many_languages(desk: Path) -> None:
    rows = query(desk, "SELECT name, language, needs_interpreter, consent, consent_version FROM person")
    names = {row["name"] for row in rows}
    assert {"María José Hernández", "Nguyễn Văn An", "José Núñez", "Zoë O'Brien", "Anaïs Dubois"} <= names
    assert sum(not name.isascii() for name in names) >= len(names) // 3
    languages = Counter(row["language"] for row in rows)
    assert languages["en"] >= 10 and languages["es"] >= 10
    assert len(set(languages) - {"en", "es"}) >= 2
    assert any(row["needs_interpreter"] for row in rows)
    assert all(row["consent_version"] == ("2026-1" if row["consent"] else "") for row in rows)


def test_phone_numbers_are_typed_many_ways_and_normalised(desk: Path) -> None:
    rows = query(desk, "SELECT name, phone, phone_raw, phone2, phone2_raw FROM person")
    shapes = {re.sub(r"\d", "9", row["phone_raw"]) for row in rows if row["phone"]}
    assert len(shapes) >= 5, shapes
    for row in rows:
        for e164, raw in ((row["phone"], row["phone_raw"]), (row["phone2"], row["phone2_raw"])):
            assert e164 == (normalise(raw, "US").e164 if raw else None), raw
    typed = defaultdict(set)
    for row in rows:
        if row["phone"]:
            typed[row["phone"]].add(row["phone_raw"])
    shared = {e164: raws for e164, raws in typed.items() if len(raws) > 1}
    assert shared, "the same number typed two ways normalises to one E.164"
    maria = query(desk, "SELECT phone_raw, phone FROM person WHERE name = ?", "María José Hernández")
    assert len(maria) == 2 and maria[0]["phone"] == maria[1]["phone"]
    assert maria[0]["phone_raw"] != maria[1]["phone_raw"]


def test_generated_phones_include_extensions_and_numbers_nobody_can_call() -> None:
    rows = demo.generate(seed=5, people=400, today=TODAY)
    raws = [p["phone_raw"] for p in rows.person]
    assert any("ext" in raw or " x" in raw for raw in raws)
    bad = [p for p in rows.person if p["phone_raw"] and p["phone"] is None]
    assert bad and all(normalise(p["phone_raw"]).e164 is None for p in bad)
    assert any(p["phone2_raw"].startswith("+5") for p in rows.person), "relatives abroad"


def test_generation_depends_only_on_seed_and_date() -> None:
    one = demo.generate(seed=3, people=40, today=TODAY)
    two = demo.generate(seed=3, people=40, today=TODAY)
    later = demo.generate(seed=3, people=40, today=TODAY + dt.timedelta(days=1))

    def names(rows: demo.DemoRows) -> list[tuple[str, str]]:
        return [(p["name"], p["phone_raw"]) for p in rows.person]

    assert names(one) == names(two)
    assert [r["created_at"] for r in one.request] == [r["created_at"] for r in two.request]
    assert [r["created_at"] for r in later.request] != [r["created_at"] for r in one.request]
    assert {p["id"] for p in one.person}.isdisjoint(p["id"] for p in two.person)


def test_calls_and_requests_come_from_the_last_sixty_days(desk: Path) -> None:
    calls = query(desk, "SELECT taken_at, taken_by, channel, outcome FROM call")
    per_person = Counter(row["person_id"] for row in query(desk, "SELECT person_id FROM call"))
    merged = query(desk, "SELECT id FROM person WHERE replaced_by IS NOT NULL")
    # Everyone called; the calls of a caller recorded twice moved to the record kept.
    assert set(per_person.values()) <= {1, 2, 3, 4, 5, 6} and len(per_person) == int(PEOPLE) - len(merged)
    # Stored in UTC: allow a day either way for the machine's time zone.
    first = dt.datetime.combine(TODAY - dt.timedelta(days=61), dt.time())
    last = dt.datetime.combine(TODAY + dt.timedelta(days=1), dt.time())
    for row in calls:
        assert first <= dt.datetime.fromisoformat(row["taken_at"]) <= last
    takers = {row["taken_by"] for row in calls}
    assert 2 <= len(takers) <= 8 and any(not t.isascii() for t in takers)
    assert len({row["channel"] for row in calls}) >= 3
    per_call = Counter(row["call_id"] for row in query(desk, "SELECT call_id FROM request"))
    assert set(per_call.values()) <= {1, 2}
    categories = {row["category_id"] for row in query(desk, "SELECT category_id FROM request")}
    assert categories <= {c.id_for("need_category") for c in defaults.NEED_CATEGORIES}


def test_volunteers_have_skills_languages_zones_and_availability(desk: Path) -> None:
    rows = query(desk, "SELECT * FROM volunteer")
    assert len(rows) >= 12
    zone_ids = {z.id_for("zone") for z in defaults.ZONES}
    skills = {str(s) for s in Skill}
    for row in rows:
        assert set(json.loads(row["skills"])) <= skills
        assert row["preferred_language"] in ("en", "es")
        assert row["preferred_language"] in json.loads(row["languages"])
        assert set(json.loads(row["zones"])) <= zone_ids and json.loads(row["zones"])
        assert 0 < row["availability"] < 1 << 21
        assert 1 <= row["max_runs_week"] <= 5
    assert {row["preferred_language"] for row in rows} == {"en", "es"}
    assert any(Skill.DRIVER in json.loads(row["skills"]) for row in rows)


def test_today_and_tomorrow_have_runs_for_english_and_spanish_speakers(desk: Path) -> None:
    runs = query(
        desk,
        "SELECT d.date, d.status, v.preferred_language, v.skills, v.availability, d.window_start, "
        "(SELECT count(*) FROM stop s WHERE s.delivery_id = d.id) AS stops "
        "FROM delivery d JOIN volunteer v ON v.id = d.volunteer_id",
    )
    for day in (TODAY, TODAY + dt.timedelta(days=1)):
        todays = [r for r in runs if r["date"] == day.isoformat() and r["status"] in ("planned", "out")]
        assert {r["preferred_language"] for r in todays} == {"en", "es"}, day
        assert all(r["stops"] > 0 for r in todays)
    assert any(r["date"] < TODAY.isoformat() and r["status"] == "done" for r in runs), "past runs"
    for run in runs:
        assert Skill.DRIVER in json.loads(run["skills"])
        slot = {"09:00": 0, "13:00": 1, "17:00": 2}[run["window_start"]]
        bit = dt.date.fromisoformat(run["date"]).weekday() * 3 + slot
        assert run["availability"] & (1 << bit), "a driver is available when on a run"


def test_stops_and_requests_are_in_consistent_statuses(desk: Path) -> None:
    stops = query(
        desk,
        "SELECT d.date, d.status AS run, s.outcome, s.failure_reason, s.delivered_at, r.status, r.created_at "
        "FROM stop s JOIN delivery d ON d.id = s.delivery_id JOIN request r ON r.id = s.request_id",
    )
    expected = {"done": {"delivered", "failed"}, "planned": {"assigned"}, "out": {"out_for_delivery"}}
    for stop in stops:
        assert stop["status"] in expected[stop["run"]], dict(stop)
        if stop["run"] == "done":
            assert stop["date"] < TODAY.isoformat()
            if stop["status"] == "delivered":
                assert stop["outcome"] in ("delivered", "left_at_door")
                assert stop["delivered_at"] > stop["created_at"]
            else:
                assert stop["outcome"] == "failed" and stop["failure_reason"]
        else:
            assert stop["date"] >= TODAY.isoformat() and stop["outcome"] == "pending"
    on_runs = Counter(row["request_id"] for row in query(desk, "SELECT request_id FROM stop"))
    assert set(on_runs.values()) == {1}
    statuses = {row["id"]: row["status"] for row in query(desk, "SELECT id, status FROM request")}
    travelling = {"assigned", "out_for_delivery", "delivered", "failed"}
    assert {rid for rid, status in statuses.items() if status in travelling} == set(on_runs)


def test_history_events_walk_each_request_to_its_status(desk: Path) -> None:
    events = defaultdict(list)
    for row in query(desk, "SELECT record_kind, record_id, what, detail, who, at FROM event"):
        if row["record_kind"] == "person":  # people merged or erased (the test above)
            assert row["what"] in ("merged", "erased") and row["who"]
            continue
        assert (row["record_kind"], row["what"]) == ("request", "status") and row["who"]
        events[row["record_id"]].append((row["at"], json.loads(row["detail"])))
    for request in query(desk, "SELECT id, status, status_reason, created_at FROM request"):
        steps = [detail for _, detail in sorted(events[request["id"]], key=lambda e: e[0])]
        status = RequestStatus.NEW
        for step in steps:
            assert step["from"] == status
            check_move(status, RequestStatus(step["to"]), step["reason"])
            status = RequestStatus(step["to"])
        assert status == request["status"]
        if steps:
            assert steps[-1]["reason"] == request["status_reason"]
            assert min(at for at, _ in events[request["id"]]) > request["created_at"]


def test_every_status_path_is_allowed_by_the_status_machine() -> None:
    demo_generator.check_paths()
    assert set(demo_generator.PATHS) == set(RequestStatus)


def test_demo_database_passes_the_check(desk: Path) -> None:
    code, out = run_cli("--data-dir", str(desk), "check", "--json")
    report = json.loads(out)
    assert code == 0 and (report["ok"], report["problems"]) == (True, [])
    assert report["audit"]["ok"] and not report["audit"]["unchecked"] and report["audit"]["sealed"] >= 1


def test_the_demo_holds_merged_and_erased_people_and_deleted_records(desk: Path) -> None:
    merged = query(desk, "SELECT * FROM person WHERE replaced_by IS NOT NULL")
    assert merged, "someone recorded twice was merged"
    for other in merged:
        [kept] = query(desk, "SELECT * FROM person WHERE id = ?", other["replaced_by"])
        assert other["deleted"] and not kept["deleted"] and kept["name"] == other["name"]
        assert not query(desk, "SELECT id FROM request WHERE person_id = ?", other["id"])
        events = query(desk, "SELECT detail FROM event WHERE what = 'merged' AND record_id = ?", other["id"])
        assert json.loads(events[0]["detail"])["kept_code"] == kept["code"]
    erased = query(desk, "SELECT * FROM person WHERE erased")
    assert erased, "someone asked to be erased"
    for person in erased:
        assert (
            person["deleted"] and person["name"] == "" and person["phone"] is None and person["address"] == ""
        )
        statuses = {
            r["status"] for r in query(desk, "SELECT status FROM request WHERE person_id = ?", person["id"])
        }
        assert statuses and not statuses & {
            s.value for s in RequestStatus if s.value in ("new", "ready", "assigned")
        }
        [event] = query(
            desk, "SELECT detail FROM event WHERE what = 'erased' AND record_id = ?", person["id"]
        )
        assert json.loads(event["detail"]) == {"code": person["code"]}
    assert query(desk, "SELECT id FROM call WHERE deleted"), "a call deleted"
    assert query(desk, "SELECT id FROM request WHERE deleted"), "a request deleted"
    # Every tombstone was deleted by the edit that wrote it: a merge elsewhere keeps it deleted.
    for table in ("person", "call", "request"):
        assert not query(desk, f"SELECT id FROM {table} WHERE deleted AND (del_ctx IS NULL OR del_ctx != vv)")
