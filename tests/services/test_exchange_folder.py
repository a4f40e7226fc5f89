"""The exchange folder: desks with their own desk ids share one folder, each pass writes the
desk's own workbook and merges the others', and the desks converge."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from aiddesk.domain.validation import Invalid
from aiddesk.services.desk import setup as desk_service
from aiddesk.services.desk.records import dump
from aiddesk.services.exchange import export as export_service
from aiddesk.services.exchange import folder as folder_service
from aiddesk.services.exchange.folder import run_pass, save_folder_settings
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
    """Desks of their own (each with a new random desk id), set up to use `folder`."""
    opened: list[Database] = []

    def make(code: str, folder: Path | None = None, password: str = PASSWORD) -> Database:
        db = new_desk(tmp_path / f"desk-{len(opened)}-{code}", migrated_template, code)
        opened.append(db)
        if folder is not None:
            save_folder_settings(db, str(folder), password)
        return db

    yield make
    for db in opened:
        db.close()


def desk_of(db: Database) -> desk_service.DeskInfo:
    desk = desk_service.get_desk(db)
    assert desk is not None
    return desk


def own_files(folder: Path, db: Database) -> list[str]:
    """The desk's files in the folder (its series), by name."""
    desk = desk_of(db)
    return sorted(p.name for p in folder.glob(f"{desk.code}-{desk.desk_id.replace('-', '')}.*"))


# ---- settings ----------------------------------------------------------------------------------


def test_settings_are_checked_and_saved(db: Database, folder: Path) -> None:
    assert folder_service.folder_settings(db) == folder_service.FolderSettings("", "")
    with pytest.raises(Invalid) as missing:
        save_folder_settings(db, str(folder / "nope"), PASSWORD)
    assert [p.field for p in missing.value.problems] == ["folder"]
    with pytest.raises(Invalid) as short:
        save_folder_settings(db, str(folder), "short")
    assert [p.field for p in short.value.problems] == ["password"]
    with pytest.raises(Invalid):
        save_folder_settings(db, str(folder), "")  # a folder needs the group password
    save_folder_settings(db, f"  {folder}  ", PASSWORD)
    assert folder_service.folder_settings(db) == folder_service.FolderSettings(str(folder), PASSWORD)
    save_folder_settings(db, "", "")  # stop exchanging
    assert not folder_service.status(db).configured


def test_a_file_is_no_folder(db: Database, folder: Path) -> None:
    afile = folder / "file.txt"
    afile.write_text("x")
    with pytest.raises(Invalid) as refused:
        save_folder_settings(db, str(afile), PASSWORD)
    assert refused.value.problems[0].field == "folder"


def test_export_password_typed_twice() -> None:
    folder_service.check_export_password("long enough", "long enough")
    with pytest.raises(Invalid) as different:
        folder_service.check_export_password("long enough", "long enougj")
    assert different.value.problems[0].field == "again"
    with pytest.raises(Invalid) as short:
        folder_service.check_export_password("short", "short")
    assert short.value.problems[0].field == "password"


# ---- passes ------------------------------------------------------------------------------------


def test_a_pass_writes_the_desks_own_file(make_desk: MakeDesk, folder: Path) -> None:
    db = make_desk("CC1", folder)
    add_person(db, "CC1-0001", "María López")
    desk = desk_of(db)
    name = f"CC1-{desk.desk_id.replace('-', '')}.s1.aiddesk.xlsx"  # its first: a snapshot to counter 1
    when = dt.datetime(2026, 11, 23, 14, 32, tzinfo=dt.UTC)
    summary = run_pass(db, "Ana", now=when)
    assert not summary.offline and summary.configured
    assert summary.wrote == folder / name
    assert (folder / name).is_file()
    assert summary.merged == [] and summary.failed == []
    assert summary.last_exchange == when
    assert folder_service.status(db) == folder_service.FolderStatus(True, True, when, str(folder))
    assert [p.name for p in folder.iterdir()] == [name]  # no temporary file left behind


def test_two_desks_with_one_code_keep_their_own_files(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC1", folder)
    add_person(first, "CC1-0001", "Ana")
    add_person(second, "CC1-0001", "Luis")
    run_pass(first, "Ana")
    run_pass(second, "Luis")
    assert len(own_files(folder, first)) == len(own_files(folder, second)) == 1
    assert len(list(folder.glob("*.aiddesk.xlsx"))) == 2
    assert len(run_pass(first, "Ana").merged) == 1


def _rounds(desks: list[Database], order: tuple[int, ...], rounds: int) -> None:
    for _round in range(rounds):
        for index in order:
            summary = run_pass(desks[index], "Ana")
            assert summary.failed == [] and not summary.offline


def _rounds_until_quiet(desks: list[Database], order: tuple[int, ...]) -> int:
    """Rounds of passes until one writes and merges nothing; how many it took."""
    for count in range(1, 10):
        summaries = [run_pass(desks[index], "Ana") for index in order]
        if all(s.wrote is None and not s.merged for s in summaries):
            return count
    raise AssertionError("the desks never fall quiet")


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1)])
def test_desks_converge_through_the_folder(make_desk: MakeDesk, folder: Path, order: tuple[int, ...]) -> None:
    desks = [make_desk(code, folder) for code in ("CC1", "CC2", "CC3")]
    ids = [
        add_person(db, f"{code}-0001", f"Caller of {code}")
        for db, code in zip(desks, ("CC1", "CC2", "CC3"), strict=True)
    ]
    _rounds(desks, order, 3)
    assert dump(desks[0]) == dump(desks[1]) == dump(desks[2])
    # An edit after convergence travels too.
    rename_person(desks[order[-1]], ids[0], "José Núñez")
    _rounds(desks, order, 2)
    states = [dump(db) for db in desks]
    assert states[0] == states[1] == states[2]
    # Then it falls quiet (no file rewritten and merged back and forth for ever).
    assert _rounds_until_quiet(desks, order) <= 3
    for db in desks:
        summary = run_pass(db, "Ana")
        assert summary.wrote is None and summary.merged == [] and summary.unchanged >= 2  # not read again


def test_passes_in_every_order_converge(make_desk: MakeDesk, folder: Path) -> None:
    desks = [make_desk(code, folder) for code in ("CC1", "CC2", "CC3")]
    for db, code in zip(desks, ("CC1", "CC2", "CC3"), strict=True):
        add_person(db, f"{code}-0001", f"Caller of {code}")
    for order in itertools.permutations(range(3)):
        run_pass(desks[order[0]], "Ana")
        add_person(desks[order[1]], f"X{order[1]}-{''.join(map(str, order))}", "Another caller")
        for index in order:
            run_pass(desks[index], "Ana")
    _rounds(desks, (0, 1, 2), 2)
    assert dump(desks[0]) == dump(desks[1]) == dump(desks[2])


def test_unchanged_files_are_not_merged_again(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC2", folder)
    add_person(first, "CC1-0001", "Ana")
    run_pass(first, "Ana")
    merged = run_pass(second, "Luis")
    assert [name for name, _report in merged.merged] == own_files(folder, first)
    assert merged.merged[0][1].new > 0 and merged.merged[0][1].applied
    again = run_pass(second, "Luis")
    assert again.merged == [] and again.unchanged == 1
    add_person(first, "CC1-0002", "Rosa")
    run_pass(first, "Ana")
    third = run_pass(second, "Luis")
    assert len(third.merged) == 1 and third.merged[0][1].new == 1


def test_conflicts_and_hand_edits_are_counted(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC2", folder)
    person = add_person(first, "CC1-0001", "Ana")
    run_pass(first, "Ana")
    run_pass(second, "Luis")
    rename_person(first, person, "Ana María")
    rename_person(second, person, "Ana Mari")
    run_pass(first, "Ana")
    summary = run_pass(second, "Luis")
    assert summary.conflicts == 1 and summary.proposals == 0


# ---- a folder that is not there ------------------------------------------------------------------


def test_an_unplugged_folder_is_offline(make_desk: MakeDesk, folder: Path) -> None:
    db = make_desk("CC1", folder)
    when = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    run_pass(db, "Ana", now=when)
    shutil.rmtree(folder)  # the USB stick was pulled out
    summary = run_pass(db, "Ana")
    assert summary.offline and summary.wrote is None and summary.failed == []
    assert summary.last_exchange == when
    assert folder_service.status(db) == folder_service.FolderStatus(True, False, when, str(folder))
    folder.mkdir()  # plugged in again: the file is written again
    assert run_pass(db, "Ana").wrote is not None


def test_a_folder_replaced_by_a_file_is_offline(make_desk: MakeDesk, folder: Path) -> None:
    db = make_desk("CC1", folder)
    shutil.rmtree(folder)
    folder.write_text("not a folder")
    assert run_pass(db, "Ana").offline


def test_a_write_that_fails_is_offline(
    make_desk: MakeDesk, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = make_desk("CC1", folder)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(export_service, "export_workbook", refuse)
    summary = run_pass(db, "Ana")
    assert summary.offline and summary.last_exchange is None


def test_no_folder_set_up(db: Database) -> None:
    summary = run_pass(db, "Ana")
    assert not summary.configured and not summary.offline
    assert folder_service.status(db) == folder_service.FolderStatus(False, False, None, "")


# ---- files that cannot be merged -----------------------------------------------------------------


def test_a_rejected_file_does_not_stop_the_others(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC2", folder)
    add_person(second, "CC2-0001", "Luis")
    run_pass(second, "Luis")
    (folder / "XX-0badf11e.aiddesk.xlsx").write_bytes(b"this is no workbook at all")
    summary = run_pass(first, "Ana")
    assert [name for name, _message in summary.failed] == ["XX-0badf11e.aiddesk.xlsx"]
    assert summary.failed[0][1]  # says why, in words
    assert [name for name, _report in summary.merged] == own_files(folder, second)
    again = run_pass(first, "Ana")  # tried again, still refused; the good one is not merged again
    assert [name for name, _message in again.failed] == ["XX-0badf11e.aiddesk.xlsx"]
    assert again.merged == []


def test_a_half_written_file_merges_once_complete(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC2", folder)
    add_person(second, "CC2-0001", "Luis")
    run_pass(second, "Luis")
    path = folder / own_files(folder, second)[0]
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # the sync tool is still copying it
    summary = run_pass(first, "Ana")
    assert [name for name, _message in summary.failed] == [path.name] and summary.merged == []
    path.write_bytes(whole)
    later = run_pass(first, "Ana")
    assert later.failed == [] and [name for name, _report in later.merged] == [path.name]
    assert later.merged[0][1].new > 0


def test_temporary_and_lock_files_are_left_alone(make_desk: MakeDesk, folder: Path) -> None:
    db = make_desk("CC1", folder)
    for name in (
        "~$CC2-12345678.aiddesk.xlsx",
        ".CC2-12345678.aiddesk.xlsx",
        ".syncthing.CC2.aiddesk.xlsx.tmp",
    ):
        (folder / name).write_bytes(b"partial")
    (folder / "CC3-12345678.aiddesk.xlsx").write_bytes(b"")  # a placeholder not filled yet
    summary = run_pass(db, "Ana")
    assert summary.failed == [] and summary.merged == []


def test_another_group_password_does_not_open(make_desk: MakeDesk, folder: Path) -> None:
    first = make_desk("CC1", folder)
    stranger = make_desk("CC9", folder, password="another-password")
    add_person(first, "CC1-0001", "Ana")
    run_pass(first, "Ana")
    summary = run_pass(stranger, "Luis")
    assert [name for name, _message in summary.failed] == own_files(folder, first)
    assert "password" in summary.failed[0][1].lower()
    assert summary.merged == []
    assert dump(stranger) != dump(first)
    # The file is encrypted with the group password: the same desk's group merges it.
    friend = make_desk("CC2", folder)
    assert len(run_pass(friend, "Rosa").merged) == 1


def test_a_new_folder_starts_afresh(make_desk: MakeDesk, folder: Path, tmp_path: Path) -> None:
    db = make_desk("CC1", folder)
    run_pass(db, "Ana")
    other = tmp_path / "other"
    other.mkdir()
    save_folder_settings(db, str(other), PASSWORD)
    summary = run_pass(db, "Ana")
    assert summary.wrote is not None and summary.wrote.parent == other


# ---- a wrong group password ----------------------------------------------------------------------


def folder_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_password_that_opens_no_other_desks_file_is_refused(make_desk: MakeDesk, folder: Path) -> None:
    first = make_desk("CC1", folder)
    add_person(first, "CC1-0001", "Ana")
    run_pass(first, "Ana")
    before = folder_files(folder)
    late = make_desk("CC2")
    with pytest.raises(folder_service.GroupPasswordRefused) as refused:
        save_folder_settings(late, str(folder), "another-password")
    problem = refused.value.problems[0]
    assert problem.field == "password"
    assert (problem.message % problem.params).startswith(
        f"This password does not open the files the other desks put in {folder}."
    )
    assert "Ask your coordinator for the group password." in problem.message
    assert folder_service.folder_settings(late) == folder_service.FolderSettings("", "")  # nothing kept
    assert run_pass(late, "Luis").configured is False
    assert folder_files(folder) == before  # nothing written
    save_folder_settings(late, str(folder), PASSWORD)  # the group's password opens them: kept
    assert len(run_pass(late, "Luis").merged) == 1


def test_the_first_desk_in_a_folder_takes_any_password(make_desk: MakeDesk, folder: Path) -> None:
    (folder / "CC3-12345678.aiddesk.xlsx").write_bytes(b"partial")  # a file that cannot be told
    db = make_desk("CC1", folder, password="any password of ours")
    assert folder_service.folder_settings(db).password == "any password of ours"


def test_the_group_chose_a_new_password(make_desk: MakeDesk, folder: Path) -> None:
    """The coordinator's desk takes the new password on purpose (its files are then locked with it);
    the other desks' new password opens them, so theirs is taken without more ado."""
    coordinator, other = make_desk("CC1", folder), make_desk("CC2", folder)
    add_person(coordinator, "CC1-0001", "Ana")
    add_person(other, "CC2-0001", "Luis")
    run_pass(coordinator, "Ana")
    run_pass(other, "Luis")
    new = "our new group password"
    with pytest.raises(folder_service.GroupPasswordRefused):
        save_folder_settings(coordinator, str(folder), new)
    save_folder_settings(coordinator, str(folder), new, new_password=True)
    moved = run_pass(coordinator, "Ana")
    assert moved.wrote is not None and moved.locked == [f for f in own_files(folder, other)]
    save_folder_settings(other, str(folder), new)  # the coordinator's file opens with it
    assert run_pass(other, "Luis").failed == []
    assert run_pass(coordinator, "Ana").failed == []
    assert dump(coordinator) == dump(other)


def test_a_file_locked_with_another_password_is_said_so_and_waits_for_nothing(
    make_desk: MakeDesk, folder: Path
) -> None:
    stranger = make_desk("CC9", folder, password="another-password")  # first in the folder: taken
    first = make_desk("CC1", folder)
    add_person(first, "CC1-0001", "Ana")
    run_pass(first, "Ana")
    summary = run_pass(stranger, "Luis")
    name = own_files(folder, first)[0]
    assert summary.failed == [
        (
            name,
            f"{name} is locked with another password: the group password of this desk does not open it. "
            "Ask your coordinator for the group password and set it in Settings.",
        )
    ]
    assert summary.locked == [name]
    assert summary.waiting == [] and folder_service.waiting(stranger) == []  # the file is there


def test_a_wrong_password_never_replaces_the_desks_good_file(make_desk: MakeDesk, folder: Path) -> None:
    first, second = make_desk("CC1", folder), make_desk("CC2", folder)
    add_person(second, "CC2-0001", "Luis")
    run_pass(first, "Ana")
    run_pass(second, "Luis")
    good = folder_files(folder)
    with pytest.raises(folder_service.GroupPasswordRefused):
        save_folder_settings(second, str(folder), "mistyped group password")
    assert folder_service.folder_settings(second).password == PASSWORD
    assert run_pass(second, "Luis").wrote is None
    assert folder_files(folder) == good  # its good snapshot is still there, as it was
    merged = run_pass(first, "Ana")
    assert [name for name, _report in merged.merged] == own_files(folder, second)
    assert merged.failed == []


def test_a_desk_that_lost_its_group_password_leaves_nothing_unlocked_in_the_folder(
    make_desk: MakeDesk, folder: Path
) -> None:
    """The group password lives outside the database, and backups never copy it: a backup put back
    on another computer (or a data folder moved away from its keyring) keeps the folder but not the
    password. Its passes must not put the desk's records in the shared folder unlocked."""
    from aiddesk.exchange.workbook.reading import is_encrypted
    from aiddesk.store.group_secret import SECRET_FILE

    other, desk = make_desk("CC2", folder), make_desk("CC1", folder)
    add_person(other, "CC2-0001", "María López")
    add_person(desk, "CC1-0001", "Ana Ruiz")
    run_pass(other, "Luis")
    (desk.path.parent / SECRET_FILE).unlink()  # the password did not come along
    assert folder_service.folder_settings(desk).password == ""

    done = run_pass(desk, "Ana")

    assert all(is_encrypted(path) for path in folder.iterdir())
    assert own_files(folder, desk) == []
    assert done.password_missing and done.merged == [] and done.wrote is None
    status = folder_service.status(desk)
    assert status.configured and status.password_missing  # the screens say so (ui/exchange/texts.py)
    save_folder_settings(desk, str(folder), PASSWORD)  # typed again in Settings: exchanges again
    assert not folder_service.status(desk).password_missing
    again = run_pass(desk, "Ana")
    assert again.wrote is not None and len(again.merged) == 1
