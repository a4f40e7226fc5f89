"""Saving a call at the Intake screen, on a desk of 100,000 people.

    python tests/bench/bench_save_call.py [--source /tmp/demo100k] [--people 100000] [--runs 60]

Works on a copy of the demo desk in --source (made with `aiddesk demo --people N --seed 1` when it
does not exist). Times services.intake.save_call — what Ctrl+S runs: the checks, the duplicate search
(same number, same name and address), then one transaction (person, call, requests with their codes,
"created" events, audit, draft deleted) committed with synchronous=FULL — for:

- a new caller with two needs (their draft saved first, as the screen does);
- a repeat caller (the person chosen from the list and read back as the screen does) with one need.

Target: median <= 50 ms for each.

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 50.0


def ensure_source(source: Path, people: int) -> None:
    if (source / "aiddesk.db").exists():
        return
    print(f"making a demo desk of {people:,} people in {source} ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "aiddesk",
            "--data-dir",
            str(source),
            "demo",
            "--people",
            str(people),
            "--seed",
            "1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def summary(label: str, values: list[float]) -> float:
    ordered = sorted(values)
    median = statistics.median(ordered)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    print(
        f"  {label:<40} {len(values):>4} saves  median {median:6.1f} ms  p90 {p90:6.1f}  max {ordered[-1]:6.1f}"
    )
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/demo100k"))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    ensure_source(args.source, args.people)

    from sqlalchemy import func, select

    from aiddesk.domain import defaults
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.services.intake import drafts
    from aiddesk.services.intake.calls import known_caller, save_call
    from aiddesk.store.migrate import open_database
    from aiddesk.store.models import Person

    categories = [c.id_for("need_category") for c in defaults.NEED_CATEGORIES]
    zones = [z.id_for("zone") for z in defaults.ZONES]
    rng = random.Random(1)
    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-save-") as tmp:
        folder = Path(tmp)
        shutil.copyfile(args.source / "aiddesk.db", folder / "aiddesk.db")
        db = open_database(folder / "aiddesk.db")
        desk = desk_service.get_desk(db)
        assert desk is not None
        region = desk.phone_region
        with db.session() as session:
            total = session.scalar(select(func.count()).select_from(Person))
            known = list(
                session.scalars(
                    select(Person.id)
                    .where(Person.deleted.is_(False))
                    .order_by(func.random())
                    .limit(args.runs)
                )
            )
        print(f"{total:,} people; {args.runs} saves of each kind")

        new_ms: list[float] = []
        for i in range(args.runs):
            form = IntakeForm(
                phone=f"(555) 01{i // 100 % 10}-{i % 100:02d}{rng.randrange(10)}{rng.randrange(10)}",
                name=f"Benchmark Caller {i} Núñez",
                language=rng.choice(["en", "es", "vi"]),
                address=f"{i} Bench Street, Apt {rng.randrange(1, 30)}",
                zone_id=rng.choice(zones),
                household_size=str(rng.randrange(1, 8)),
                consent=True,
                consent_version="aiddesk-1",
                needs=[
                    NeedRow(rng.choice(categories), "within_24h", "once", "arroz, frijoles, leche"),
                    NeedRow(rng.choice(categories), "this_week", "weekly", "a ride to the clinic"),
                ],
            )
            draft_id = drafts.new_draft_id()
            drafts.save_draft(db, draft_id, "Bench", form)
            started = time.perf_counter()
            save_call(db, "Bench", form, region, draft_id=draft_id)
            new_ms.append((time.perf_counter() - started) * 1000)

        repeat_ms: list[float] = []
        for person_id in known:
            caller = known_caller(db, person_id, region)
            assert caller is not None
            form = caller.form
            form.needs = [NeedRow(rng.choice(categories), "days_2_3", "once", "diapers, size 4")]
            form.call_notes = "Called back about last week's delivery."
            started = time.perf_counter()
            save_call(db, "Bench", form, region)
            repeat_ms.append((time.perf_counter() - started) * 1000)
        db.close()

    print("save_call (checks, duplicate search, one committed transaction):")
    worst = max(
        summary("new caller + 2 requests", new_ms),
        summary("repeat caller + 1 request", repeat_ms),
    )
    ok = worst <= TARGET_MS
    print(
        f"saving a call at {total:,} people: median {worst:.1f} ms at worst (target <= {TARGET_MS:.0f}) -> "
        + ("OK" if ok else "TOO SLOW")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
