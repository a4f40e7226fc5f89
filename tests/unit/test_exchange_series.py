"""Which files of a desk's series a reader reads (aiddesk/domain/exchange_series.py) and what a
file's name says (aiddesk/exchange/workbook/series.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aiddesk.domain.exchange_series import DELTA, SNAPSHOT, SeriesFile, plan
from aiddesk.exchange.workbook.series import file_name, is_exchange_file, parse_name

DESK = "1a2b3c4d-0000-4000-8000-000000000001"


def s(to: int) -> SeriesFile:
    return SeriesFile(to, 0, SNAPSHOT, f"s{to}")


def d(start: int, to: int) -> SeriesFile:
    return SeriesFile(to, start, DELTA, f"d{start}-{to}")


def test_deltas_continue_from_what_the_reader_has() -> None:
    got = plan(5, [s(5), d(5, 8), d(8, 9)])
    assert got.read == [d(5, 8), d(8, 9)] and got.covered == [s(5)] and got.waiting == []


def test_a_new_reader_starts_from_the_latest_snapshot() -> None:
    got = plan(0, [s(3), d(3, 5), s(5), d(5, 7)])
    assert got.read == [s(5), d(5, 7)]


def test_a_gap_waits_and_is_never_jumped() -> None:
    got = plan(5, [d(5, 8), d(9, 12)])  # 8..9 is missing
    assert got.read == [d(5, 8)] and got.waiting == [d(9, 12)]


def test_a_snapshot_fills_a_gap() -> None:
    got = plan(5, [d(6, 8), s(8), d(8, 10)])
    assert got.read == [s(8), d(8, 10)] and got.waiting == []


def test_deltas_are_preferred_to_a_snapshot_they_reach() -> None:
    assert plan(5, [d(5, 8), s(8)]).read == [d(5, 8)]


@settings(max_examples=200)
@given(
    have=st.integers(0, 20),
    cuts=st.lists(st.integers(1, 30), min_size=1, max_size=8, unique=True),
    lost=st.sets(st.integers(0, 8)),
    snaps=st.sets(st.integers(0, 8)),
)
def test_reading_never_skips_a_counter(have: int, cuts: list[int], lost: set[int], snaps: set[int]) -> None:
    """Whatever files are lost: what is read runs on without a gap from `have`, and the reader ends
    as far as the files allow without guessing."""
    points = sorted(cuts)
    files = []
    for i, to in enumerate(points):
        start = points[i - 1] if i else 0
        if i in snaps:
            files.append(s(to))
        if i not in lost and start < to:
            files.append(d(start, to))
    got = plan(have, files)
    at = have
    for f in got.read:
        assert f.snapshot or f.start <= at, (at, f)
        assert f.to > at
        at = f.to
    assert all(f.to > at and not f.snapshot and f.start > at for f in got.waiting)


def test_names() -> None:
    snapshot = file_name("CC1", DESK, SNAPSHOT, 0, 42)
    delta = file_name("CC1", DESK, DELTA, 42, 50)
    assert (snapshot, delta) == (
        "CC1-1a2b3c4d000040008000000000000001.s42.aiddesk.xlsx",
        "CC1-1a2b3c4d000040008000000000000001.d42-50.aiddesk.xlsx",
    )
    named = parse_name(delta)
    assert named is not None and named.part == SeriesFile(50, 42, DELTA, delta) and named.code == "CC1"
    whole = parse_name("CC1-1a2b3c4d.aiddesk.xlsx")
    assert whole is not None and whole.part is None
    assert (
        parse_name("CC1-1a2b3c4d000040008000000000000001.d50-42.aiddesk.xlsx") is None
    )  # runs backwards: not a series file
    for conflict in (
        "CC1-1a2b3c4d.d42-50.aiddesk.sync-conflict-20261207-101010-ABCDEFG.xlsx",
        "CC1-1a2b3c4d.s42.aiddesk (conflicted copy 2026-12-07 101010).xlsx",
    ):
        assert is_exchange_file(conflict) and parse_name(conflict) is None  # merged whole
    for temporary in ("~$CC1.aiddesk.xlsx", ".CC1.aiddesk.xlsx", "notes.xlsx", "CC1.aiddesk.xlsx.tmp"):
        assert not is_exchange_file(temporary)


def test_the_exchange_screen_says_which_desks_wait_for_a_missing_file() -> None:
    from aiddesk import i18n
    from aiddesk.services.exchange.folder import PassSummary, Waiting
    from aiddesk.ui.exchange.texts import pass_lines

    summary = PassSummary(waiting=[Waiting("CC2", 41, 3)])
    assert "Desk CC2: 3 files wait for one of its files that has not arrived." in pass_lines(summary)
    i18n.set_language("es")
    try:
        assert "Puesto CC2: 3 archivos esperan otro archivo suyo que todavía no llega." in pass_lines(summary)
    finally:
        i18n.set_language("en")
    assert not any("wait" in line for line in pass_lines(PassSummary()))
