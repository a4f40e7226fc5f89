"""An encrypted desk against the same desk unencrypted, side by side: unlock, caller lookup, the
request queue and saving a call.

    python tests/bench/bench_encrypted.py [--people 10000] [--runs 9] [--keep DIR]

Makes a demo desk (`aiddesk demo --people N --seed 1`) and an encrypted copy of it (the
conversion of services.desk.encryption, with the key stretching tuned as on a real desk), then
times on both, alternating plain and encrypted run by run so a busy machine weighs on both alike:

- unlock: the recovery key and a passphrase (scrypt tuned to ~0.5 s) -> target <= 1 s;
- lookup: services.intake.lookup.find_callers for names and phone numbers typed key by key;
- queue: services.requests.queue.queue_snapshot (order and chip counts) and the first page's rows;
- save a call: services.intake.calls.save_call of a new caller with two requests.

A plain desk runs on the standard library's SQLite, an encrypted one on SQLCipher's (a newer
SQLite, whose query planner differs): the plain desk is also timed through SQLCipher's SQLite
without a key, so the encryption's own cost shows apart from the engine's.

Target: each median on the encrypted desk within 1.25x of the plain one on the same engine;
the ratio to the standard library's is printed beside it.
Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

UNLOCK_S = 1.0
RATIO = 1.25
PASSPHRASE = "bench passphrase of the desk"


def make_desks(folder: Path, people: int) -> tuple[Path, Path, float]:
    plain, secret = folder / "plain", folder / "secret"
    env = {k: v for k, v in os.environ.items() if k != "AIDDESK_SECRET"}
    print(f"making a demo desk of {people:,} people ...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "aiddesk",
            "--data-dir",
            str(plain),
            "demo",
            "--people",
            str(people),
            "--seed",
            "1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    secret.mkdir()
    shutil.copyfile(plain / "aiddesk.db", secret / "aiddesk.db")
    from aiddesk.services.desk import encryption

    started = time.perf_counter()
    encryption.convert(
        secret / "aiddesk.db", name="Bench", passphrase=PASSPHRASE, recovery="bench recovery words"
    )
    return plain / "aiddesk.db", secret / "aiddesk.db", time.perf_counter() - started


class _NoKey:
    """Stands for a key: the plain desk opened through SQLCipher's SQLite without one."""

    raw = b""


def same_engine_connect(real: Callable[..., Any]) -> Callable[..., Any]:
    def connect(path: Path | str, key: Any, **options: Any) -> Any:
        if isinstance(key, _NoKey):
            from aiddesk.store.cipher import driver

            return driver.connect(
                str(path),
                timeout=options.get("timeout", 5.0),
                check_same_thread=options.get("check_same_thread", True),
            )
        return real(path, key, **options)

    return connect


def side_by_side(label: str, actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _run in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append((time.perf_counter() - started) * 1000)
    m = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"  {label:<36} plain {m['plain']:8.2f} ms  plain/SQLCipher {m['same']:8.2f} ms  encrypted "
        f"{m['secret']:8.2f} ms  ratio {m['secret'] / m['same']:5.2f} (to plain: {m['secret'] / m['plain']:5.2f})"
    )
    return m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="make the desks in DIR and leave them there")
    args = parser.parse_args()

    from sqlalchemy import func, select

    from aiddesk.domain import defaults
    from aiddesk.domain.intake import IntakeForm, NeedRow
    from aiddesk.services.desk import encryption
    from aiddesk.services.desk import setup as desk_service
    from aiddesk.services.intake.calls import save_call
    from aiddesk.services.intake.lookup import find_callers
    from aiddesk.services.requests import queue
    from aiddesk.services.requests.queue import QueueQuery
    from aiddesk.store.migrate import open_database
    from aiddesk.store.models import Person

    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-encrypted-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        plain_path, secret_path, converted_s = make_desks(folder, args.people)
        print(f"converted to an encrypted desk in {converted_s:.1f} s")

        unlock_s = []
        for _ in range(5):
            started = time.perf_counter()
            key = encryption.unlock(secret_path, "bench recovery words")
            unlock_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            encryption.unlock(secret_path, PASSPHRASE, "Bench")
            unlock_s.append(time.perf_counter() - started)
        unlock = statistics.median(unlock_s)
        print(
            f"unlock (scrypt, tuned here): median {unlock:.2f} s, max {max(unlock_s):.2f} s (target <= {UNLOCK_S} s)"
        )

        started = time.perf_counter()
        secret = open_database(secret_path, key=key)
        opened_ms = (time.perf_counter() - started) * 1000
        plain = open_database(plain_path)
        from aiddesk.store import cipher

        cipher.connect = same_engine_connect(cipher.connect)  # type: ignore[assignment]
        shutil.copyfile(plain_path, folder / "same.db")
        same = open_database(folder / "same.db", key=_NoKey())  # type: ignore[arg-type]
        print(f"open the encrypted database after the unlock: {opened_ms:.0f} ms")
        desk = desk_service.get_desk(plain)
        assert desk is not None
        region = desk.phone_region
        rng = random.Random(1)
        with plain.session() as session:
            total = session.scalar(select(func.count()).select_from(Person))
            picked = list(
                session.execute(
                    select(Person.name, Person.phone)
                    .where(Person.phone.like("+1%"))
                    .order_by(Person.id)
                    .limit(60)
                )
            )
        typed: list[str] = []
        for name, phone in picked:
            words = name.split()
            first = words[0] + (" " + words[-1][:3] if len(words) > 1 else "")
            typed += [first[:n] for n in range(2, len(first) + 1)]
            digits = phone[2:]
            typed += [digits[:n] for n in range(3, len(digits) + 1)]
        print(
            f"{total:,} people; {len(typed)} keystrokes of lookups per run; {args.runs} runs each, alternating"
        )

        results: list[dict[str, float]] = []
        desks = {"plain": plain, "same": same, "secret": secret}

        def each(make: Callable[[Any], Callable[[], object]]) -> dict[str, Callable[[], object]]:
            return {name: make(db) for name, db in desks.items()}

        def lookups(db: object) -> Callable[[], object]:
            return lambda: [find_callers(db, text, region) for text in typed]  # type: ignore[arg-type]

        results.append(side_by_side("lookup (every keystroke)", each(lookups), args.runs))
        today = dt.date.today()
        now = dt.datetime.now(dt.UTC)

        def first_page(db: object) -> Callable[[], object]:
            def run() -> object:
                snap = queue.queue_snapshot(db, QueueQuery(), today=today, now=now)  # type: ignore[arg-type]
                return queue.queue_rows(db, snap.rowids[:60])  # type: ignore[arg-type]

            return run

        results.append(side_by_side("queue: order, counts, first page", each(first_page), args.runs))

        def search(db: object) -> Callable[[], object]:
            return lambda: [
                queue.queue_snapshot(db, QueueQuery(text="maria gar"), today=today, now=now)  # type: ignore[arg-type]
                for _ in range(20)
            ]

        results.append(side_by_side("queue: text 'maria gar' (x20)", each(search), args.runs))

        categories = [c.id_for("need_category") for c in defaults.NEED_CATEGORIES]
        zones = [z.id_for("zone") for z in defaults.ZONES]
        counter = iter(range(10**6))

        def saves(db: object) -> Callable[[], object]:
            def run() -> None:
                for _ in range(5):
                    i = next(counter)
                    form = IntakeForm(
                        phone=f"(555) 02{i // 100 % 10}-{i % 100:02d}{rng.randrange(10)}{rng.randrange(10)}",
                        name=f"Benchmark Caller {i} Núñez",
                        language="es",
                        address=f"{i} Bench Street",
                        zone_id=rng.choice(zones),
                        household_size="3",
                        consent=True,
                        consent_version="aiddesk-1",
                        needs=[
                            NeedRow(rng.choice(categories), "within_24h", "once", "arroz, frijoles, leche"),
                            NeedRow(rng.choice(categories), "this_week", "weekly", "a ride to the clinic"),
                        ],
                    )
                    save_call(db, "Bench", form, region)  # type: ignore[arg-type]

            return run

        results.append(side_by_side("save a call (5 new callers)", each(saves), args.runs))
        for db in desks.values():
            db.close()

    worst = max(m["secret"] / m["same"] for m in results)
    worst_plain = max(m["secret"] / m["plain"] for m in results)
    ok = unlock <= UNLOCK_S and worst <= RATIO
    print(
        f"encrypted desk at {total:,} people: unlock {unlock:.2f} s (target <= {UNLOCK_S}), "
        f"worst ratio {worst:.2f} to the same desk on the same engine (target <= {RATIO}), "
        f"{worst_plain:.2f} to the standard library's SQLite -> " + ("OK" if ok else "TOO SLOW")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
