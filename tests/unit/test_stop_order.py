"""Stops put in a sensible order for a driver: zone by zone, then street by street, then by the
house number (as a number: 4 before 12), whichever way the address is written."""

from __future__ import annotations

from aiddesk.domain.stop_order import by_zone_and_street, street_key


def test_stops_go_zone_by_zone_then_street_by_street_then_by_number() -> None:
    stops = [
        ("South", "3 Oak Ave"),
        ("North", "12 Elm St, Apt 2"),
        ("North", "4 Elm St"),
        ("North", "Calle Olmo 1420"),
        ("", "77 Quiet Ln"),
        ("North", "1 Birch Rd"),
        ("North", "Ávila St 9"),
    ]
    ordered = by_zone_and_street(stops, lambda stop: stop)
    assert ordered == [
        ("", "77 Quiet Ln"),  # no zone: first, so none is forgotten at the end
        ("North", "Ávila St 9"),
        ("North", "1 Birch Rd"),
        ("North", "Calle Olmo 1420"),
        ("North", "4 Elm St"),
        ("North", "12 Elm St, Apt 2"),
        ("South", "3 Oak Ave"),
    ]


def test_the_street_and_number_of_an_address() -> None:
    assert street_key("12 Elm St, Apt 2") == ("elm st", 12)
    assert street_key("Calle Olmo 1420, Depto 3") == ("calle olmo", 1420)
    assert street_key("  12B   Elm  St ") == ("elm st", 12)
    assert street_key("PO Box") == ("po box", 0)
    assert street_key("") == ("", 0)
