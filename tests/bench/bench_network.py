"""A simulated network: desks exchanging their series of files through one folder.

    python tests/bench/bench_network.py [--people 20000] [--desks 10] [--rounds 20] [--calls 10]
                                        [--source DIR] [--work DIR] [--snapshot]

Set-up, not timed: a demo desk of --people people (`aiddesk demo --seed 1`, made once in
--source), copied once per desk (each copy takes its own desk id when it opens, as a copied
database does). The copies start as a network that has already exchanged its snapshots: each
desk's series and what it merged of the others' are set as after that first exchange, so the
rounds measure the steady state (--snapshot also times one snapshot, to show what a desk joining
late costs). Then, --rounds times: every desk takes --calls new callers (the intake service:
person, call, request, event: about 30 records), then every desk runs one pass in turn
(services/exchange/folder.run_pass: its delta written, locked with the group password, and the
other desks' new files read and merged).

Reports: bytes written per pass, CPU seconds per pass per desk (median, p90, max: the first
pass of a desk also takes its hourly backup before merging), files merged per pass, and how many
passes it takes until every desk has every caller of a round.

Targets: a pass that takes in the new callers of 9 other desks <= 2 s of CPU at 20,000 people;
the file carrying one desk's 10 new callers <= 50 KB.

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_save_call import ensure_source  # a demo desk of N people, made once

TARGET_CPU_S = 2.0
TARGET_KB = 50.0
PASSWORD = "bench-group-password"


def make_desks(source: Path, work: Path, count: int, folder: Path, password: str) -> list[Any]:
    from aiddesk.store.migrate import open_database

    desks = []
    for index in range(count):
        home = work / f"desk{index:02d}"
        home.mkdir(parents=True)
        shutil.copyfile(source / "aiddesk.db", home / "aiddesk.db")
        db = open_database(home / "aiddesk.db")  # a copy: it takes a new desk id here
        _set_up(db, folder, password, f"N{index:02d}")
        desks.append(db)
    return desks


def _set_up(db: Any, folder: Path, password: str, code: str) -> None:
    from sqlalchemy import update

    from aiddesk.services.exchange.folder import save_folder_settings
    from aiddesk.store.models import Desk

    with db.write_session() as session:
        session.execute(update(Desk).values(code=code))
    save_folder_settings(db, str(folder), password)  # a folder always has its group password


def as_if_exchanged(desks: list[Any]) -> None:
    """Every desk as after the network's first exchange of snapshots: its own series started at
    its counter now, and every other desk's series merged up to theirs."""
    import datetime as dt

    from aiddesk.store.repositories.desk import get_desk
    from aiddesk.store.repositories.exchange import folder_state

    counters = {}
    for db in desks:
        with db.session() as session:
            desk = get_desk(session)
            assert desk is not None
            counters[desk.desk_id] = (desk.counter, desk.clock)
    for db in desks:
        with db.write_session() as session:
            desk = get_desk(session)
            assert desk is not None
            counter, clock = counters[desk.desk_id]
            folder_state.put_own_series(
                session,
                folder_state.OwnSeries(
                    to=counter,
                    clock=clock,
                    snapshot_bytes=db.path.stat().st_size,
                    snapshot_at=dt.datetime.now(dt.UTC).isoformat(),
                ),
            )
            folder_state.put_have(session, {d: c for d, (c, _clock) in counters.items() if d != desk.desk_id})


def take_calls(db: Any, desk: int, round_: int, calls: int) -> list[str]:
    from aiddesk.domain.defaults import NEED_CATEGORIES
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.services.intake.calls import save_call

    need = NEED_CATEGORIES[1].id_for("need_category")
    made = []
    for n in range(calls):
        form = IntakeForm(
            phone=f"(617) 5{desk:02d}-{round_:02d}{n:02d}",
            name=f"Caller {desk}-{round_}-{n}",
            language="es",
            consent=True,
            consent_version="aiddesk-1",
            needs=[NeedRow(need, "within_24h", "once", "arroz, frijoles")],
        )
        made.append(save_call(db, "Ana", form, "US", allow_duplicate=True).person_id)
    return made


def holds(db: Any, ids: list[str]) -> bool:
    from sqlalchemy import func, select

    from aiddesk.store.models import Person

    with db.session() as session:
        found = session.scalar(select(func.count()).select_from(Person).where(Person.id.in_(ids)))
    return found == len(ids)


def spread(label: str, values: list[float], unit: str) -> str:
    ordered = sorted(values)
    p90 = ordered[round(0.9 * (len(ordered) - 1))]
    return (
        f"  {label:<34} median {statistics.median(ordered):9.2f} {unit}  p90 {p90:9.2f}  "
        f"max {ordered[-1]:9.2f}  ({len(values)} passes)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--desks", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=10, help="new callers per desk between passes")
    parser.add_argument("--source", type=Path, help="the demo desk (made here when missing)")
    parser.add_argument("--work", type=Path, help="where the desks and the folder go (a temporary folder)")
    parser.add_argument("--snapshot", action="store_true", help="also time one snapshot export")
    parser.add_argument("--profile", action="store_true", help="where the last pass's time goes (cProfile)")
    args = parser.parse_args()
    source = args.source or Path(tempfile.gettempdir()) / f"aiddesk-bench-{args.people}"
    ensure_source(source, args.people)
    from aiddesk.services.exchange import folder as folder_service

    work = args.work or Path(tempfile.mkdtemp(prefix="aiddesk-network-"))
    folder = work / "shared"
    folder.mkdir(parents=True)
    password = PASSWORD
    print(
        f"{args.desks} desks of {args.people:,} people, {args.rounds} rounds, {args.calls} callers per desk per round"
    )
    started = time.monotonic()
    desks = make_desks(source, work / "desks", args.desks, folder, password)
    as_if_exchanged(desks)
    print(f"  set-up: {time.monotonic() - started:.0f} s (not timed)")
    if args.snapshot:
        from aiddesk.services.exchange.export import ExportOptions, SeriesPart, export_workbook

        cpu = time.process_time()
        target = work / "snapshot.aiddesk.xlsx"
        export_workbook(
            desks[0], target, ExportOptions(password=password, series=SeriesPart("snapshot", 0, 0))
        )
        print(f"  one snapshot: {time.process_time() - cpu:.1f} s CPU, {target.stat().st_size / 1e6:.1f} MB")
    cpu_s: list[float] = []
    written_kb: list[float] = []
    merged_files: list[int] = []
    outstanding: list[tuple[int, list[list[str]]]] = []  # (round, callers of each desk)
    complete_after: list[int] = []
    passes = 0
    for round_ in range(args.rounds):
        callers = [take_calls(db, index, round_, args.calls) for index, db in enumerate(desks)]
        outstanding.append((passes, callers))
        for index, db in enumerate(desks):
            last = args.profile and round_ == args.rounds - 1 and index == len(desks) - 1
            profile = cProfile.Profile() if last else None
            cpu = time.process_time()
            if profile is not None:
                profile.enable()
            summary = folder_service.run_pass(db, "Ana")
            if profile is not None:
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
            cpu_s.append(time.process_time() - cpu)
            passes += 1
            assert not summary.failed and not summary.offline, summary.failed
            if summary.wrote is not None:
                written_kb.append(summary.wrote_bytes / 1024)
            merged_files.append(len(summary.merged))
        still = []
        for since, made in outstanding:
            if all(holds(db, ids) for db in desks for ids in made):
                complete_after.append(passes - since)
            else:
                still.append((since, made))
        outstanding = still
        print(
            f"  round {round_ + 1:>2}: median pass {statistics.median(cpu_s[-args.desks :]):5.2f} s CPU, "
            f"files {statistics.median(written_kb[-args.desks :]):6.1f} KB",
            flush=True,
        )
    for db in desks:
        db.close()
    print("results")
    print(
        spread("CPU per pass per desk", cpu_s[args.desks :] or cpu_s, "s")
    )  # after the first passes' backups
    print(spread("CPU per pass, first round too", cpu_s, "s"))
    print(spread("bytes written per pass", written_kb, "KB"))
    print(spread("files merged per pass", [float(m) for m in merged_files], "  "))
    print(
        f"  passes until every desk has a round's callers: max {max(complete_after)}, "
        f"median {statistics.median(complete_after)} ({args.desks} passes = one round); "
        f"{len(outstanding)} rounds not complete"
    )
    steady = statistics.median(cpu_s[args.desks :] or cpu_s)
    ok = steady <= TARGET_CPU_S and statistics.median(written_kb) <= TARGET_KB
    print(
        f"targets: pass <= {TARGET_CPU_S} s CPU (median {steady:.2f}), file <= {TARGET_KB:.0f} KB "
        f"(median {statistics.median(written_kb):.1f}): {'met' if ok else 'NOT met'}"
    )
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
