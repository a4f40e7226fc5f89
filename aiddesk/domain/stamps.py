"""Edit stamps and version vectors (see docs/exchange-format.md, "Version vectors, stamps, siblings").

A stamp names one local transaction of one desk: (desk id, counter), plus the
hybrid clock it was made at. A version vector maps desk id -> highest counter
of that desk seen for a record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

NIL_DESK = "00000000-0000-0000-0000-000000000000"  # genesis stamp of default records


@dataclass(frozen=True, order=True)
class Stamp:
    desk: str
    counter: int
    clock: int

    def as_list(self) -> list[object]:
        return [self.desk, self.counter, self.clock]

    @classmethod
    def from_list(cls, value: list[object]) -> Stamp:
        desk, counter, clock = value
        return cls(str(desk), int(counter), int(clock))  # type: ignore[call-overload]


GENESIS = Stamp(NIL_DESK, 0, 0)

VersionVector = dict[str, int]


def covers(vv: Mapping[str, int], stamp: Stamp) -> bool:
    """True when a version vector has seen the edit named by `stamp`."""
    return vv.get(stamp.desk, -1) >= stamp.counter


def join(a: Mapping[str, int], b: Mapping[str, int]) -> VersionVector:
    """Pointwise maximum of two version vectors."""
    out = dict(a)
    for desk, counter in b.items():
        if counter > out.get(desk, -1):
            out[desk] = counter
    return out
