"""A sensible order for the stops of a run, as a driver goes: zone by zone, then street by street,
then by house number (4 before 12). Pure.

An address is read from its first part (before a comma): the house number at its start
("12 Elm St") or at its end ("Calle Olmo 1420"), the rest is the street. Stops without a zone come
first, so none is forgotten at the end of a sheet."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from aiddesk.domain.sorting import name_sort_key

T = TypeVar("T")
_NUMBER_FIRST = re.compile(r"^(\d+)\w*\s+(.+)$")
_NUMBER_LAST = re.compile(r"^(.+?)\s+(\d+)\w*$")


def street_key(address: str, language: str = "en") -> tuple[str, int]:
    """(the street, as names sort; the house number, 0 when none is written)."""
    first = " ".join(address.split(",", 1)[0].split())
    for pattern, number_group, street_group in ((_NUMBER_FIRST, 1, 2), (_NUMBER_LAST, 2, 1)):
        match = pattern.match(first)
        if match:
            return name_sort_key(match.group(street_group), language), int(match.group(number_group))
    return name_sort_key(first, language), 0


def by_zone_and_street(
    stops: Sequence[T], zone_and_address: Callable[[T], tuple[str, str]], language: str = "en"
) -> list[T]:
    """The stops zone by zone, then street by street, then by house number (stable for equals)."""

    def key(stop: T) -> tuple[str, str, int]:
        zone, address = zone_and_address(stop)
        return (name_sort_key(zone, language), *street_key(address, language))

    return sorted(stops, key=key)
