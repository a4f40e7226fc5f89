"""Hybrid logical clock and version vectors (docs/exchange-format.md, "Version vectors, stamps, siblings")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aiddesk.domain import clock
from aiddesk.domain.stamps import GENESIS, NIL_DESK, Stamp, covers, join

NOW = 1_750_000_000_000  # a wall clock in milliseconds (June 2025)
walls = st.integers(min_value=NOW - 10 * clock.DAY_MS, max_value=NOW + 10 * clock.DAY_MS)
desks = st.sampled_from(["desk-a", "desk-b", "desk-c", NIL_DESK])
vectors = st.dictionaries(desks, st.integers(min_value=0, max_value=50), max_size=4)


@given(st.lists(walls, min_size=1, max_size=40))
def test_tick_rises_even_when_the_wall_clock_goes_back(wall_times: list[int]) -> None:
    last = 0
    for now in wall_times:
        nxt = clock.tick(last, now)
        assert nxt > last
        assert clock.wall_ms(nxt) >= now or nxt == last + 1
        last = nxt


def test_tick_follows_the_wall_clock_when_it_moves_on() -> None:
    first = clock.tick(0, NOW)
    assert clock.wall_ms(first) == NOW
    assert clock.wall_ms(clock.tick(first, NOW + 5000)) == NOW + 5000
    back = clock.tick(first, NOW - 60_000)  # the laptop's clock was set back a minute
    assert back == first + 1


@given(last=walls, remote_wall=walls, now=walls, logical=st.integers(0, 100))
def test_receive_adopts_near_clocks_and_flags_far_future_ones(
    last: int, remote_wall: int, now: int, logical: int
) -> None:
    last_clock = clock.pack(last)
    remote = clock.pack(remote_wall, logical)
    new, flagged = clock.receive(last_clock, remote, now)
    assert new > last_clock
    if remote_wall - now > clock.DAY_MS:
        assert flagged
        assert new == clock.tick(last_clock, now)  # a desk whose clock is far ahead does not drag ours along
    else:
        assert not flagged
        assert new > remote


def test_receive_flags_just_over_a_day_ahead() -> None:
    assert clock.receive(0, clock.pack(NOW + clock.DAY_MS), NOW)[1] is False
    assert clock.receive(0, clock.pack(NOW + clock.DAY_MS + 1), NOW)[1] is True


def test_pack_orders_by_wall_then_logical() -> None:
    assert clock.pack(NOW, 5) < clock.pack(NOW + 1, 0)
    assert clock.wall_ms(clock.pack(NOW, 7)) == NOW


def test_covers() -> None:
    vv = {"desk-a": 3}
    assert covers(vv, Stamp("desk-a", 3, 0))
    assert covers(vv, Stamp("desk-a", 1, 0))
    assert not covers(vv, Stamp("desk-a", 4, 0))
    assert not covers(vv, Stamp("desk-b", 1, 0))
    assert covers({NIL_DESK: 0}, GENESIS)
    assert not covers({}, GENESIS)


@given(vectors, vectors)
def test_join_is_commutative(a: dict[str, int], b: dict[str, int]) -> None:
    assert join(a, b) == join(b, a)


@given(vectors, vectors, vectors)
def test_join_is_associative(a: dict[str, int], b: dict[str, int], c: dict[str, int]) -> None:
    assert join(join(a, b), c) == join(a, join(b, c))


@given(vectors)
def test_join_is_idempotent(a: dict[str, int]) -> None:
    assert join(a, a) == a


@given(vectors, vectors, desks, st.integers(0, 60))
def test_join_covers_exactly_what_either_side_covers(
    a: dict[str, int], b: dict[str, int], desk: str, n: int
) -> None:
    stamp = Stamp(desk, n, 0)
    assert covers(join(a, b), stamp) == (covers(a, stamp) or covers(b, stamp))


def test_join_leaves_its_arguments_alone() -> None:
    a, b = {"desk-a": 1}, {"desk-a": 2, "desk-b": 1}
    assert join(a, b) == {"desk-a": 2, "desk-b": 1}
    assert a == {"desk-a": 1}


@given(desks, st.integers(0, 2**40), st.integers(0, 2**62))
def test_stamp_list_round_trip(desk: str, counter: int, clk: int) -> None:
    stamp = Stamp(desk, counter, clk)
    assert Stamp.from_list(stamp.as_list()) == stamp
