"""The promises of docs/exchange-format.md for the exchange folder's series of files, proved with
hypothesis through real passes (aiddesk/services/exchange/folder.py) between real databases.

Two to five desks make random edits and run passes through one shared folder, while the folder
misbehaves as sync tools and people make it: files lost, duplicated as conflict copies, synced
half-written (completed later), arriving late and out of order, a desk writing a snapshot that
removes its older files while another desk is reading them, a desk restored from an old backup
(it takes a new desk id). Then everything still in transit arrives, and the desks pass until
the folder falls quiet: all hold the same state, no edit is lost, every conflict is shown, and
no desk still waits for a file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiddesk.exchange.workbook import series
from aiddesk.services.exchange import folder as folder_service
from aiddesk.services.exchange import merge as merge_service
from aiddesk.store import backup as backups
from aiddesk.store.migrate import open_database
from aiddesk.store.repositories.desk import get_desk
from aiddesk.store.repositories.exchange import folder_state
from aiddesk.store.restore import restore_backup
from tests.exchange import desks as harness
from tests.exchange.desks import ExchangeDesk, World
from tests.exchange.test_properties import (
    assert_conflicts_shown,
    assert_converged,
    assert_nothing_lost,
    assert_visibility,
    local_step,
    run_step,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
_FOLDER_OPS = [
    "pass",
    "pass",
    "pass",
    "pass",
    "lose",
    "duplicate",
    "half",
    "delay",
    "arrive",
    "race",
    "backup",
    "restore",
]
folder_step = st.tuples(
    st.sampled_from(_FOLDER_OPS), st.integers(0, 4), st.integers(0, 7), st.just(0), st.just(0)
)
rounds = st.tuples(
    st.lists(local_step, min_size=1, max_size=3), st.lists(folder_step, min_size=1, max_size=4)
)
scripts = st.lists(rounds, min_size=1, max_size=4).map(
    lambda rs: [s for local, f in rs for s in (*local, *f)]
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return harness.migrated_template(tmp_path_factory.mktemp("series-template"))


GROUP_PASSWORD = "the-group-password-1"


class Network:
    """The desks of a world sharing one exchange folder (unlocked here: the locking is the same
    for every file and is proved in tests/services), and what is still in transit."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.folder = world.root / "shared"
        self.folder.mkdir()
        self.transit = world.root / "transit"  # files on their way (delayed)
        self.transit.mkdir()
        self.halves: dict[str, bytes] = {}  # file name -> its whole content, still syncing
        self.backups: dict[int, Path] = {}
        for desk in world.desks:
            self.join(desk)

    def join(self, desk: ExchangeDesk) -> None:
        """The folder and the group's password, as Settings keeps them (a desk without the
        password exchanges nothing: its records never go into the folder unlocked)."""
        folder_service.save_folder_settings(desk.db, str(self.folder), GROUP_PASSWORD, new_password=True)

    def files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.is_file())

    def pick(self, a: int, *, live_only: bool = False) -> Path | None:
        """A file of the folder; `live_only`: not the series of a desk id no desk has any more (a
        desk restored from a backup): what is lost of a desk that is gone is lost for good."""
        files = self.files()
        if live_only:
            live = {series.fragment(d.desk_id) for d in self.world.desks}
            files = [f for f in files if (n := series.parse_name(f.name)) is None or n.frag in live]
        return files[a % len(files)] if files else None

    def run_pass(self, desk: ExchangeDesk) -> folder_service.PassSummary:
        with desk.wall_clock():
            return folder_service.run_pass(desk.db, "Ana")

    def step(self, op: str, d: int, a: int) -> None:
        desk = self.world.desks[d % len(self.world.desks)]
        path = self.pick(a, live_only=op in ("lose", "half", "delay"))
        if op == "pass":
            self.run_pass(desk)
        elif op == "lose" and path is not None:
            path.unlink()
        elif op == "duplicate" and path is not None:
            stem = path.name.removesuffix(".xlsx")
            shutil.copyfile(path, self.folder / f"{stem}.sync-conflict-20261207-10{a:04d}-ABCDEFG.xlsx")
        elif op == "half" and path is not None and path.name not in self.halves:
            whole = path.read_bytes()
            self.halves[path.name] = whole
            path.write_bytes(whole[: len(whole) // 2])
        elif op == "delay" and path is not None:
            path.rename(self.transit / path.name)
        elif op == "arrive":
            self.arrive()
        elif op == "race":
            self.race(desk, self.world.desks[(d + 1 + a) % len(self.world.desks)])
        elif op == "backup":
            self.backups[desk.index] = backups.take(desk.db.path, self.world.root / "backups", "manual").path
        elif op == "restore" and desk.index in self.backups:
            self.restore(desk, self.backups.pop(desk.index))

    def arrive(self) -> None:
        """Everything in transit arrives; half-synced files are completed (unless removed meanwhile)."""
        for late in sorted(self.transit.iterdir()):
            late.rename(self.folder / late.name)
        for name, whole in sorted(self.halves.items()):
            if (self.folder / name).exists():
                (self.folder / name).write_bytes(whole)
        self.halves.clear()

    def race(self, reader: ExchangeDesk, writer: ExchangeDesk) -> None:
        """`writer` writes a snapshot (removing its older files) while `reader` is in its pass,
        between looking at the folder and reading the first file."""
        if reader is writer:
            return
        with writer.db.write_session() as session:
            own = folder_state.own_series(session)
            if own is not None:
                own.snapshot_due = True
                folder_state.put_own_series(session, own)
        real = merge_service.read
        raced: list[bool] = []

        def read_after_the_writer(path: Path, password: str | None = None) -> Any:
            if not raced:
                raced.append(True)
                self.run_pass(writer)
            return real(path, password)

        with mock.patch.object(merge_service, "read", read_after_the_writer):
            self.run_pass(reader)
        if not raced:
            self.run_pass(writer)

    def restore(self, desk: ExchangeDesk, backup_file: Path) -> None:
        """The desk's computer died: it is put back from an old backup and takes a new desk id.
        What it had passed to the folder before lives on; the edits it made since are gone with
        the computer (they left the recorded history too)."""
        self.run_pass(desk)  # what the old computer shared before it died
        path = desk.db.path
        desk.db.close()
        restore_backup(backup_file, path)
        desk.db = open_database(path)
        with desk.db.session() as session:
            new_desk = get_desk(session)
            assert new_desk is not None
            desk.desk_id = new_desk.desk_id
        assert self.world.desks[desk.index] is desk

    def settle(self) -> list[folder_service.PassSummary]:
        """Everything in transit arrives, then rounds of passes until one round writes and merges
        nothing (a desk that lost a file writes a snapshot on its next pass)."""
        self.arrive()
        for _round in range(12):
            summaries = [self.run_pass(desk) for desk in self.world.desks]
            if all(s.wrote is None and not s.merged for s in summaries):
                return summaries
        raise AssertionError("the folder never falls quiet")


def run_script(w: World, net: Network, script: list[tuple[str, int, int, int, int]]) -> None:
    first = w.desks[0]
    ana = first.add_person("Ana", "+16175550111", address="1 Main St", household_size=2)
    first.add_request(ana, "arroz", urgency="this_week")
    for desk in w.desks:
        net.run_pass(desk)
    for op, d, a, b, c in script:
        if op in _FOLDER_OPS:
            net.step(op, d, a)
        else:
            run_step(w, op, d, a, b, c)


@settings(max_examples=12, suppress_health_check=SLOW, deadline=None)
@given(script=scripts, desks=st.integers(2, 5))
def test_desks_sharing_a_misbehaving_folder_converge_and_lose_nothing(
    template: Path, script: list, desks: int
) -> None:
    with harness.world(template, desks) as w:
        net = Network(w)
        run_script(w, net, script)
        quiet = net.settle()
        assert all(s.failed == [] and s.waiting == [] for s in quiet), [(s.failed, s.waiting) for s in quiet]
        state = assert_converged(w)
        assert_nothing_lost(w, state)
        assert_conflicts_shown(w)
        assert_visibility(w)


def test_a_desk_restored_from_an_old_backup_gets_back_what_it_had_shared(template: Path) -> None:
    with harness.world(template, 2) as w:
        net = Network(w)
        a, b = w.desks
        person = a.add_person("Ana", "+16175550111")
        net.run_pass(a)
        net.step("backup", 0, 0)
        a.edit("person", person, name="Ana María")
        net.run_pass(a)
        old_id = a.desk_id
        net.step("restore", 0, 0)
        assert a.desk_id != old_id and a.record("person", person)["fields"]["name"][0][3] == "Ana"
        net.settle()
        state = assert_converged(w)
        assert_nothing_lost(w, state)
        assert b.record("person", person)["fields"]["name"][0][3] == "Ana María"
