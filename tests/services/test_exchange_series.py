"""A desk's series of files in the exchange folder: a snapshot, then deltas with only what the desk
changed itself; readers follow each series without a gap, wait at a gap, catch up from the latest
snapshot; a desk removes what its newer snapshot covers; conflict copies are merged."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.exchange import folder as folder_service
from aiddesk.services.exchange.folder import run_pass, save_folder_settings
from aiddesk.services.exchange.merge import read
from aiddesk.store.database import Database
from tests.exchange_desks import new_desk, rename_person
from tests.record_makers import add_person

PASSWORD = "shared-secret-1"
MakeDesk = Callable[..., Database]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "exchange"
    path.mkdir()
    return path


@pytest.fixture
def make_desk(tmp_path: Path, migrated_template: Path) -> Iterator[MakeDesk]:
    opened: list[Database] = []

    def make(code: str, folder: Path | None = None) -> Database:
        db = new_desk(tmp_path / f"desk-{len(opened)}-{code}", migrated_template, code)
        opened.append(db)
        if folder is not None:
            save_folder_settings(db, str(folder), PASSWORD)
        return db

    yield make
    for db in opened:
        db.close()


def files_of(folder: Path, db: Database) -> list[str]:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return sorted(p.name for p in folder.glob(f"{desk.code}-{desk.desk_id.replace('-', '')}.*"))


def meta(path: Path) -> dict[str, str]:
    return read(path, PASSWORD).meta.values


def names(db: Database) -> set[str]:
    return {state["fields"]["name"][0][3] for state in dump(db)["person"]}


def test_a_delta_carries_only_what_the_desk_changed_itself(make_desk: MakeDesk, folder: Path) -> None:
    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    people = [add_person(a, f"CC1-{n:04d}", f"Caller {n}") for n in range(30)]
    first = run_pass(a, "Ana")
    assert first.snapshot and first.wrote is not None
    snapshot = meta(first.wrote)
    assert (snapshot["series.kind"], snapshot["series.from"]) == ("snapshot", "0")
    assert int(snapshot["state_rows"]) >= 30
    run_pass(b, "Luis")
    assert "Caller 7" in names(b)
    rename_person(a, people[7], "Rosa Díaz")
    second = run_pass(a, "Ana")
    assert second.wrote is not None and not second.snapshot
    delta = meta(second.wrote)
    assert delta["series.kind"] == "delta"
    assert delta["series.from"] == snapshot["series.to"] and int(delta["series.to"]) > int(
        delta["series.from"]
    )
    assert delta["series.previous"] == first.wrote.name
    assert delta["state_rows"] == "1"  # one person: not the other 29, not the categories
    assert second.wrote_bytes < first.wrote_bytes
    got = run_pass(b, "Luis")
    assert [name for name, _r in got.merged] == [second.wrote.name]
    assert "Rosa Díaz" in names(b)
    # B learned it from A's file: B's own next file does not publish it again (no N² in a folder).
    add_person(b, "CC2-0001", "Nueva")
    own = run_pass(b, "Luis")
    assert own.wrote is not None and meta(own.wrote)["state_rows"] != "0"
    b_delta = meta(own.wrote) if not own.snapshot else None
    if b_delta is not None:
        assert b_delta["state_rows"] == "1"
    assert run_pass(a, "Ana").wrote is None  # A changed nothing: nothing written


def test_a_gap_waits_until_the_next_snapshot(make_desk: MakeDesk, folder: Path) -> None:
    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(a, "CC1-0001", "Ana")
    run_pass(a, "Ana")
    run_pass(b, "Luis")
    rename_person(a, person, "Ana María")
    lost = run_pass(a, "Ana").wrote
    rename_person(a, person, "Ana María López")
    later = run_pass(a, "Ana").wrote
    assert lost is not None and later is not None
    kept = lost.read_bytes()
    lost.unlink()  # the sync tool lost it
    waits = run_pass(b, "Luis")
    assert waits.merged == [] and waits.failed == []
    assert [(w.desk, w.files) for w in waits.waiting] == [("CC1", 1)]
    assert folder_service.waiting(b)[0].desk == "CC1"
    assert names(b) == {"Ana"}  # the delta past the gap is not guessed at
    # A notices its file is gone: its next file is a snapshot, and it removes the older ones.
    rename_person(a, person, "Ana María López G.")
    healed = run_pass(a, "Ana")
    assert healed.snapshot and later.name in healed.removed
    assert files_of(folder, a) == [healed.wrote.name] if healed.wrote else False
    caught = run_pass(b, "Luis")
    assert caught.waiting == [] and names(b) == {"Ana María López G."}
    assert folder_service.waiting(b) == []
    # The lost file turns up again, late: it is covered and not read.
    (folder / lost.name).write_bytes(kept)
    again = run_pass(b, "Luis")
    assert again.merged == [] and again.waiting == []


def test_a_late_desk_catches_up_from_the_latest_snapshot(make_desk: MakeDesk, folder: Path) -> None:
    a = make_desk("CC1", folder)
    person = add_person(a, "CC1-0001", "Ana")
    run_pass(a, "Ana")
    for n in range(3):
        rename_person(a, person, f"Ana {n}")
        run_pass(a, "Ana")
    assert len(files_of(folder, a)) == 4  # a snapshot and three deltas
    late = make_desk("CC9", folder)
    got = run_pass(late, "Luis")
    snapshot = [f for f in files_of(folder, a) if ".s" in f]
    deltas = sorted(
        (f for f in files_of(folder, a) if ".d" in f), key=lambda f: int(f.split(".d")[1].split("-")[0])
    )
    assert [name for name, _r in got.merged] == snapshot + deltas  # the snapshot, then the deltas in order
    assert names(late) == {"Ana 2"}
    assert dump(late)["person"] == dump(a)["person"]


def test_a_conflict_copy_is_merged_and_fills_the_gap(make_desk: MakeDesk, folder: Path) -> None:
    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(a, "CC1-0001", "Ana")
    run_pass(a, "Ana")
    run_pass(b, "Luis")
    rename_person(a, person, "Ana Conflicto")
    delta = run_pass(a, "Ana").wrote
    assert delta is not None
    stem = delta.name.removesuffix(".xlsx")
    copy = folder / f"{stem}.sync-conflict-20261207-101010-ABCDEFG.xlsx"  # as Syncthing names one
    delta.rename(copy)
    nextcloud = folder / "CC1 (conflicted copy 2026-12-07 101010).aiddesk.xlsx"
    shutil.copyfile(copy, nextcloud)
    got = run_pass(b, "Luis")
    assert {name for name, _r in got.merged} == {copy.name, nextcloud.name}
    assert got.waiting == [] and names(b) == {"Ana Conflicto"}
    assert run_pass(b, "Luis").merged == []  # merged once


def test_a_half_synced_delta_waits_then_merges(make_desk: MakeDesk, folder: Path) -> None:
    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(a, "CC1-0001", "Ana")
    run_pass(a, "Ana")
    run_pass(b, "Luis")
    rename_person(a, person, "Ana Bea")
    delta = run_pass(a, "Ana").wrote
    assert delta is not None
    whole = delta.read_bytes()
    delta.write_bytes(whole[: len(whole) // 2])
    half = run_pass(b, "Luis")
    assert [name for name, _m in half.failed] == [delta.name] and half.waiting[0].desk == "CC1"
    delta.write_bytes(whole)
    done = run_pass(b, "Luis")
    assert done.failed == [] and done.waiting == [] and names(b) == {"Ana Bea"}


def test_a_merge_from_outside_the_folder_travels_in_the_next_file(
    make_desk: MakeDesk, folder: Path, tmp_path: Path
) -> None:
    """Desks that only meet through a third: what the middle desk merged by hand goes on."""
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.services.exchange.merge import merge_file

    far = make_desk("FAR")  # never in this folder: its workbook comes on a USB stick
    middle, near = make_desk("MID", folder), make_desk("NEA", folder)
    add_person(middle, "MID-0001", "Mid")
    run_pass(middle, "Ana")
    run_pass(near, "Luis")
    add_person(far, "FAR-0001", "Lejos")
    stick = tmp_path / "stick.xlsx"
    export_workbook(far, stick, ExportOptions(language="en"))
    merge_file(middle, stick, "Ana")
    add_person(middle, "MID-0002", "Mid dos")
    sent = run_pass(middle, "Ana")
    assert sent.wrote is not None and not sent.snapshot  # a small delta, with the far desk's records
    run_pass(near, "Luis")
    assert "Lejos" in names(near)
    assert dump(near)["person"] == dump(middle)["person"]


def test_what_a_desk_only_passed_on_reaches_desks_that_have_all_its_own_edits(
    make_desk: MakeDesk, folder: Path, tmp_path: Path
) -> None:
    """The middle desk merges a USB stick and edits nothing itself: its next file must still reach
    the desks that read all of its own edits already, and be written once, not every pass."""
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.services.exchange.merge import merge_file

    far = make_desk("FAR")  # never in this folder: its workbook comes on a USB stick
    middle, near = make_desk("MID", folder), make_desk("NEA", folder)
    add_person(middle, "MID-0001", "Mid")
    run_pass(middle, "Ana")
    run_pass(near, "Luis")
    assert names(near) == {"Mid"}
    add_person(far, "FAR-0001", "Lejos")
    stick = tmp_path / "stick.xlsx"
    export_workbook(far, stick, ExportOptions(language="en"))
    merge_file(middle, stick, "Ana")

    sent = run_pass(middle, "Ana")
    got = run_pass(near, "Luis")

    assert names(near) == {"Mid", "Lejos"}
    assert dump(near)["person"] == dump(middle)["person"]
    assert sent.wrote is not None and not sent.snapshot  # only the far desk's records: a delta
    assert [name for name, _report in got.merged] == [sent.wrote.name]
    assert run_pass(middle, "Ana").wrote is None  # passed on once: nothing new to say after


def test_a_snapshot_passes_on_what_came_from_outside_once(
    make_desk: MakeDesk, folder: Path, tmp_path: Path
) -> None:
    """A snapshot carries everything the desk holds: what it had to pass on is sent, not sent
    again in the file after it."""
    from aiddesk.services.exchange.export import ExportOptions, export_workbook
    from aiddesk.services.exchange.merge import merge_file

    far, middle = make_desk("FAR"), make_desk("MID", folder)
    add_person(far, "FAR-0001", "Lejos")
    stick = tmp_path / "stick.xlsx"
    export_workbook(far, stick, ExportOptions(language="en"))
    add_person(middle, "MID-0001", "Mid")
    first = run_pass(middle, "Ana")
    merge_file(middle, stick, "Ana")
    for name in files_of(folder, middle):
        (folder / name).unlink()  # the sync tool lost its file: the next one is a snapshot

    healed = run_pass(middle, "Ana")

    assert first.snapshot and healed.snapshot
    assert run_pass(middle, "Ana").wrote is None


def test_a_desks_files_share_a_salt_of_its_own(make_desk: MakeDesk, folder: Path) -> None:
    """A reader stretches the group password once per desk, not twice per file (the key that
    locks each file's content is still random per file)."""
    from aiddesk.exchange.workbook import key_cache

    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(a, "CC1-0001", "Ana")
    first = run_pass(a, "Ana").wrote
    rename_person(a, person, "Ana B")
    second = run_pass(a, "Ana").wrote
    add_person(b, "CC2-0001", "Luis")
    other = run_pass(b, "Luis").wrote
    assert first is not None and second is not None and other is not None
    key_cache._stretched.cache_clear()
    meta(first)
    meta(second)
    assert key_cache._stretched.cache_info().misses == 1
    meta(other)  # another desk: its own salt
    assert key_cache._stretched.cache_info().misses == 2


def test_a_reader_waiting_for_a_file_lost_on_its_way_asks_for_a_snapshot(
    make_desk: MakeDesk, tmp_path: Path
) -> None:
    """Two copies of the folder kept in sync by a tool that lost one file on the way to B: A still
    has it, so only B's word (`series.waiting` in B's next file) makes A write a snapshot."""
    here, there = tmp_path / "a-side", tmp_path / "b-side"
    here.mkdir()
    there.mkdir()
    a, b = make_desk("CC1", here), make_desk("CC2", there)

    def sync(skip: str = "") -> None:
        for source, target in ((here, there), (there, here)):
            for path in source.iterdir():
                if path.name != skip and not (target / path.name).exists():
                    shutil.copyfile(path, target / path.name)
        for side in (here, there):  # what a desk removed goes on both sides
            for path in side.iterdir():
                other = there if side == here else here
                if not (other / path.name).exists() and path.name not in (skip,):
                    path.unlink()

    person = add_person(a, "CC1-0001", "Ana")
    run_pass(a, "Ana")
    sync()
    run_pass(b, "Luis")
    rename_person(a, person, "Ana Uno")
    lost = run_pass(a, "Ana").wrote
    rename_person(a, person, "Ana Dos")
    run_pass(a, "Ana")
    assert lost is not None
    sync(skip=lost.name)
    assert run_pass(b, "Luis").waiting[0].desk == "CC1"
    add_person(b, "CC2-0001", "Luis")
    asking = run_pass(b, "Luis").wrote
    assert asking is not None and meta(asking)["series.waiting"]
    sync(skip=lost.name)
    run_pass(a, "Ana")  # reads B's file: B waits for A
    answer = run_pass(a, "Ana")  # no edit of its own, still a snapshot
    assert answer.snapshot and answer.wrote is not None
    sync(skip=lost.name)
    done = run_pass(b, "Luis")
    assert done.waiting == [] and names(b) >= {"Ana Dos"}


def test_passes_back_up_before_merging_at_most_once_an_hour(make_desk: MakeDesk, folder: Path) -> None:
    a, b = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(a, "CC1-0001", "Ana")
    backups = b.path.parent / "backups"
    run_pass(a, "Ana")
    assert run_pass(b, "Luis").merged and len(list(backups.glob("aiddesk-merge-*"))) == 1
    for name in ("Ana Uno", "Ana Dos"):
        rename_person(a, person, name)
        run_pass(a, "Ana")
        assert run_pass(b, "Luis").merged
    assert len(list(backups.glob("aiddesk-merge-*"))) == 1  # the next one in an hour


def test_a_pass_says_each_step_it_takes(make_desk: MakeDesk, folder: Path) -> None:
    """The steps the status bar shows: writing this desk's file, then each other desk's file read,
    counted against how many there are to read."""
    a, b, c = make_desk("CC1", folder), make_desk("CC2", folder), make_desk("CC3", folder)
    add_person(b, "CC2-0001", "Berta")
    add_person(c, "CC3-0001", "Carmen")
    run_pass(b, "Luis")
    run_pass(c, "Luis")
    add_person(a, "CC1-0001", "Alma")
    steps: list[folder_service.PassStep] = []
    summary = run_pass(a, "Ana", progress=steps.append)
    assert len(summary.merged) == 2
    assert steps == [
        folder_service.PassStep(writing=True),
        folder_service.PassStep(writing=False, done=0, total=2),
        folder_service.PassStep(writing=False, done=1, total=2),
    ]
    steps.clear()
    assert run_pass(a, "Ana", progress=steps.append).wrote is None
    assert steps == []  # nothing new anywhere: nothing to say
