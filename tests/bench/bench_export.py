"""Export benchmark: an exchange workbook of about 100,000 records against a bare writer.

    python tests/bench/bench_export.py [--source DIR] [--people 10000] [--runs 3] [--profile]
                                       [--password PW]

Works on the demo desk in --source (made with `aiddesk demo --seed 1 --people N` when it does not
exist; 10,000 people make about 100,000 records: people, calls, requests, volunteers, deliveries,
stops and their events). The source is only read: the exports run on a private copy of it
(made once in the system's temporary folder: an export writes its audit entry and journals its
temporary file in the desk's folder). Times, in this process, services.export.export_workbook of every record
(visible sheets, Conflicts, README, _meta and _state), and as a floor measured in the same run a
bare openpyxl write-only writer that writes the very same cells (read back from the export, so
the floor writes exactly what the export wrote, without AidDesk's work: reading the database,
building states, texts, checksum). Peak memory is the ru_maxrss of a fresh child process that
does one export.

--password PW measures the locked export (AES-256, from memory): the floor is then the bare writer
into memory plus the same locking of its bytes (crypto.encrypt), and the cells are read back from
the unlocked copy in memory.

It also prints the CPU time of both (on a busy machine wall times swing with other work) and
--no-peak skips the child process.

Targets (issue 13): export <= 1.5x the bare writer; peak memory <= 400 MB at 100,000 people. --profile prints where an export's
time goes (cProfile, by cumulative time).

Not collected by pytest (testpaths leaves tests/bench out)."""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_save_call import ensure_source  # a demo desk of N people, made once

TARGET_RATIO = 1.5
TARGET_MB = 400.0


def working_copy(source: Path) -> Path:
    """A private copy of the desk in `source` (made once), so that the source is only read."""
    copy = Path(tempfile.gettempdir()) / f"aiddesk-bench-export-work-{source.resolve().name}"
    if not (copy / "aiddesk.db").exists():
        print(f"copying {source} to {copy} (the exports run there) ...", flush=True)
        partial = copy.with_name(copy.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=0o700)
        for item in source.iterdir():
            if item.is_file() and not item.is_symlink():
                shutil.copy2(item, partial / item.name)
        shutil.rmtree(copy, ignore_errors=True)
        partial.rename(copy)
    return copy


def export(source: Path, target: Path, password: str | None = None) -> Any:
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.store.migrate import open_database

    db = open_database(source / "aiddesk.db")
    try:
        return export_workbook(db, target, ExportOptions(language="en", password=password))
    finally:
        db.close()


def cells_of(path: Path, password: str | None = None) -> list[tuple[str, str, list[list[Any]]]]:
    """(title, state, rows) of every sheet of a workbook, as calamine reads them (unlocked in
    memory when it is locked)."""
    from python_calamine import CalamineWorkbook

    if password:
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = io.BytesIO()
        with path.open("rb") as locked:
            office = OOXMLFile(locked)
            office.load_key(password=password)
            office.decrypt(plain)
        plain.seek(0)
        book = CalamineWorkbook.from_filelike(plain)
    else:
        book = CalamineWorkbook.from_path(str(path))
    states = {sheet.name: sheet.visible for sheet in book.sheets_metadata}
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out.append((name, str(states[name]), [[None if v == "" else v for v in row] for row in rows]))
    return out


def bare_write(
    sheets: list[tuple[str, str, list[list[Any]]]], target: Path, password: str | None = None
) -> None:
    """The floor: openpyxl's streaming writer, the same cells as text, nothing else (and with a
    password the same locking, from memory, as the export's)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, _state, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    if not password:
        book.save(str(target))
        return
    from aiddesk.exchange.workbook import crypto

    plain = io.BytesIO()
    book.save(plain)
    with target.open("wb") as locked:
        crypto.encrypt(plain.getvalue(), locked, password, label=target.name)


def child_peak(*args: str) -> float:
    """Peak resident memory (MB) of a fresh process running this script's --child with `args`
    (the script is the caller's: each benchmark runs its own child)."""
    done = subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["peak_mb"])


def report_peak() -> None:
    """Print this process's peak resident memory. On Linux the high-water mark of its own memory
    (VmHWM): ru_maxrss of a process started by a big one counts the starter's memory too (the
    kernel carries it over the exec), which made a 120 MB export look like 390 MB."""
    try:
        status = Path("/proc/self/status").read_text()
        peak_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peak_mb": peak_kb / 1024}))


def profiled(work: Callable[[], Any]) -> None:
    """Run `work` under cProfile and print where its time went."""
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    for key, count in (("cumulative", 35), ("tottime", 20)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(count)
        print(out.getvalue())


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        export(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
        report_peak()
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/aiddesk-bench-exchange-10000"))
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--password", help="measure the export locked with this password")
    parser.add_argument("--no-peak", action="store_true", help="skip the peak memory's child process")
    args = parser.parse_args()
    ensure_source(args.source, args.people)
    source = working_copy(args.source)
    password = args.password
    with tempfile.TemporaryDirectory(prefix="aiddesk-bench-export-") as tmp:
        folder = Path(tmp)
        exported = folder / "export.xlsx"
        export_s, floor_s, export_cpu, floor_cpu = [], [], [], []
        summary = None
        for run in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            summary = export(source, exported, password)
            export_s.append(time.perf_counter() - started)
            export_cpu.append(time.process_time() - cpu)
            if run == 0:
                sheets = cells_of(exported, password)
            started, cpu = time.perf_counter(), time.process_time()
            bare_write(sheets, folder / "bare.xlsx", password)
            floor_s.append(time.perf_counter() - started)
            floor_cpu.append(time.process_time() - cpu)
        assert summary is not None
        peak = (
            0.0
            if args.no_peak
            else child_peak(
                __file__,
                "--child",
                str(source),
                str(folder / "child.xlsx"),
                *([password] if password else []),
            )
        )
        size = exported.stat().st_size / 1e6
        cells = sum(len(row) for _t, _s, rows in sheets for row in rows)
        if args.profile:
            profiled(lambda: export(source, folder / "profiled.xlsx", password))
    export_median, floor_median = statistics.median(export_s), statistics.median(floor_s)
    ratio = export_median / floor_median
    print(
        f"{'locked ' if password else ''}{summary.records:,} records ({', '.join(f'{k} {v:,}' for k, v in summary.rows.items())}); "
        f"workbook {size:.1f} MB, {cells:,} cells"
    )
    print(
        f"  export_workbook     median {export_median:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in export_s)})"
    )
    print(
        f"  bare openpyxl write median {floor_median:6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in floor_s)})"
    )
    print(
        f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO}x) -> {'OK' if ratio <= TARGET_RATIO else 'TOO SLOW'}"
    )
    # On a machine others use too, wall times swing with their load; CPU time much less.
    cpu_ratio = statistics.median(export_cpu) / statistics.median(floor_cpu)
    print(
        f"  CPU time: export median {statistics.median(export_cpu):.2f} s, bare writer median "
        f"{statistics.median(floor_cpu):.2f} s, ratio {cpu_ratio:.2f}x"
    )
    print(
        f"  peak memory of an export process: {peak:.0f} MB (target < {TARGET_MB:.0f}) -> {'OK' if peak < TARGET_MB else 'TOO MUCH'}"
    )
    return 0 if ratio <= TARGET_RATIO and peak < TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
