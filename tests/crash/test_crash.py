"""Crash harness: the real `aiddesk` command is killed (SIGKILL) at a random moment of a merge,
a spreadsheet import, an export (plain and locked), an exchange, a backup (here and to another
folder), a restore and an upgrade; then the next command starts, and:

- nothing committed is lost: the desk's `dump` is what it was before, or what the whole
  operation gives (never half of it);
- `check` passes;
- no name or phone number of the desk's people lies in plain text anywhere in the data
  folder (the database and its backups aside), the exchange folder, or beside the target;
- no temporary file is left over.

A few points run with the suite; AIDDESK_CRASH_POINTS=200 runs 200 (spread over the
operations; AIDDESK_CRASH_SEED=N repeats a run's kill moments)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aiddesk.paths import DATABASE_NAME
from aiddesk.store import backup as backups
from tests.crash import world as w

POINTS = int(os.environ.get("AIDDESK_CRASH_POINTS") or 0)
SEED = int(os.environ.get("AIDDESK_CRASH_SEED") or random.SystemRandom().randrange(1 << 30))


@dataclass
class Point:
    """One kill: the folders it works in and the command it kills."""

    root: Path
    desk: Path
    target: Path  # the export's or backup's folder (empty for the others)
    exchange: Path


@dataclass(frozen=True)
class Operation:
    name: str
    command: Callable[[Point, w.World], list[str]]
    # What a finished run leaves: "same" (the records do not change), "whole" (the dump of a
    # run that was not killed), "restored" (the backup's dump), "grown" (new records only).
    outcome: str
    plain_target: bool = False  # the target itself is a plain workbook (the user asked for one)
    needs_old: bool = False


def _backup_of(point: Point) -> str:
    [made] = [b for b in backups.list_backups(point.desk / "backups") if b.reason == "manual"]
    return str(made.path)


OPERATIONS = [
    Operation("merge", lambda p, wd: ["merge", str(wd.other_workbook)], "whole"),
    Operation(
        "import-sheet", lambda p, wd: ["import-sheet", str(wd.sheet), "--mapping", str(wd.mapping)], "grown"
    ),
    Operation("export", lambda p, wd: ["export", str(p.target / "out.xlsx")], "same", plain_target=True),
    Operation(
        "export-locked",
        lambda p, wd: ["export", str(p.target / "out.xlsx"), "--password-env", "AIDDESK_EXPORT_PASSWORD"],
        "same",
    ),
    Operation("exchange", lambda p, wd: ["exchange"], "whole"),
    Operation("backup", lambda p, wd: ["backup"], "same"),
    Operation("backup-to", lambda p, wd: ["backup", "--to", str(p.target)], "same"),
    Operation("restore", lambda p, wd: ["restore", _backup_of(p)], "restored"),
    Operation("upgrade", lambda p, wd: ["dump"], "whole", needs_old=True),
]
BY_NAME = {op.name: op for op in OPERATIONS}
# The normal suite: one point each of the operations this branch's tests must always pass (the
# export and exchange points wait for the temporary-file journal of exports; run them on demand).
QUICK = ("merge", "import-sheet", "export", "export-locked", "exchange", "backup", "restore", "upgrade")
CHOSEN = [OPERATIONS[i % len(OPERATIONS)] for i in range(POINTS)] if POINTS else [BY_NAME[n] for n in QUICK]


@pytest.fixture(scope="module")
def crash_world(tmp_path_factory: pytest.TempPathFactory) -> w.World:
    return w.make_world(tmp_path_factory.mktemp("crash-world"), with_old=any(op.needs_old for op in CHOSEN))


def new_point(root: Path, world: w.World, operation: Operation) -> Point:
    desk = w.copy_desk(
        world.old_desk if operation.needs_old and world.old_desk else world.desk, root / "desk"
    )
    exchange = root / "exchange"
    shutil.copytree(world.exchange, exchange)
    if not operation.needs_old:
        w.set_exchange_folder(desk, exchange)
    target = root / "target"
    target.mkdir()
    return Point(root, desk, target, exchange)


@dataclass
class Reference:
    seconds: float  # how long the command runs, its start included
    after: dict[str, Any]
    counts: dict[str, int]


_references: dict[str, Reference] = {}
_start: list[float] = []


def start_seconds(world: w.World) -> float:
    """How long a command takes to start here (the machine may be busy)."""
    if not _start:
        started = time.monotonic()
        assert w.run("--data-dir", str(world.desk), "backups", "--json").returncode == 0
        _start.append(time.monotonic() - started)
    return _start[0]


def reference(operation: Operation, world: w.World, root: Path) -> Reference:
    """The operation run to its end on a copy: how long it takes and what it leaves."""
    if operation.name not in _references:
        point = new_point(root, world, operation)
        started = time.monotonic()
        w.must("--data-dir", str(point.desk), *operation.command(point, world))
        seconds = time.monotonic() - started + start_seconds(world)
        after = w.dump(point.desk)
        _references[operation.name] = Reference(seconds, after, {k: len(v) for k, v in after.items()})
    return _references[operation.name]


def kill_at(command: list[str], delay: float) -> int | None:
    child = subprocess.Popen(
        w.aiddesk(*command),
        env=w.environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        child.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout=w.TIMEOUT)
        return None
    return child.returncode


def settled(
    operation: Operation,
    before: dict[str, Any],
    after: dict[str, Any],
    ref: Reference,
    backup: dict[str, Any] | None,
) -> None:
    if operation.outcome == "same":
        assert after == before
    elif operation.outcome == "whole":
        assert after == before or after == ref.after, "half an operation, or a record lost"
    elif operation.outcome == "restored":
        assert after in (before, backup)
    else:  # grown: new records only, all of them or none
        counts = {k: len(v) for k, v in after.items()}
        assert counts in ({k: len(v) for k, v in before.items()}, ref.counts)
        for kind, records in before.items():
            present = {r["id"]: r for r in after[kind]}
            for record in records:
                assert present.get(record["id"]) == record, f"{kind} {record['id']} changed or lost"


@pytest.mark.parametrize("index", range(len(CHOSEN)), ids=[f"{i}-{op.name}" for i, op in enumerate(CHOSEN)])
def test_a_kill_loses_nothing_leaks_nothing_and_leaves_nothing(
    index: int, crash_world: w.World, tmp_path: Path
) -> None:
    operation = CHOSEN[index]
    ref = reference(operation, crash_world, tmp_path / "reference")
    point = new_point(tmp_path / "point", crash_world, operation)
    # an old database has no dump before its upgrade: the upgraded one is the truth
    before = ref.after if operation.needs_old else w.dump(point.desk)
    backup = (
        w.dump_backup(_backup_of(point), tmp_path / "backup-view")
        if operation.outcome == "restored"
        else None
    )
    delay = random.Random(SEED * 1000 + index).uniform(0.3, 1.05) * ref.seconds
    code = kill_at(["--data-dir", str(point.desk), *operation.command(point, crash_world)], delay)
    note = f"{operation.name} killed after {delay:.2f} s of {ref.seconds:.2f} s (AIDDESK_CRASH_SEED={SEED})"
    if code is not None:
        note += f"; it had finished (exit {code})"

    # the next start
    check = w.run("--data-dir", str(point.desk), "check")
    assert check.returncode == 0, (note, check.stdout, check.stderr)
    assert check.stdout.strip() == "The database is sound.", note

    settled(operation, before, w.dump(point.desk), ref, backup)

    assert w.unexpected_in_data_folder(point.desk) == [], note
    exchange_left = [p.name for p in point.exchange.iterdir() if not p.name.endswith(".aiddesk.xlsx")]
    assert exchange_left == [], note
    target_left = [
        p.name
        for p in point.target.iterdir()
        if p.name != "out.xlsx" and not (operation.name == "backup-to" and backups.parse_name(p))
    ]
    assert target_left == [], note

    secrets = w.personal_strings(before, crash_world.sheet_names)
    looked_at = w.files_outside_the_database(point.desk) + sorted(point.exchange.iterdir())
    looked_at += [
        p
        for p in sorted(point.target.iterdir())
        if not (operation.plain_target and p.name == "out.xlsx") and not backups.parse_name(p)
    ]
    assert w.plaintext_found(looked_at, secrets) == [], note
    for item in backups.list_backups(point.desk / "backups"):
        assert backups.integrity_ok(item.path), (note, item.path)
    assert (point.desk / DATABASE_NAME).stat().st_size > 0
