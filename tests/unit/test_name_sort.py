"""Names sort as the desk's language expects: accents aside (Ángela with the A's, not after Zoe),
and in Spanish Ñ is a letter of its own after N."""

from __future__ import annotations

import pytest

from aiddesk.domain.sorting import name_sort_key, name_sort_values, told_apart

PEOPLE = [
    "Zoe Okafor",
    "Óscar Ruiz",
    "ana Tran",
    "Ángela Díaz",
    "Muñoz Ortiz",
    "Munro Lee",
    "Ñeco Paz",
    "Nuria Gil",
]


def order(language: str) -> list[str]:
    return sorted(PEOPLE, key=lambda name: name_sort_key(name, language))


def test_english_sets_accents_and_case_aside() -> None:
    assert order("en") == [
        "ana Tran",
        "Ángela Díaz",
        "Muñoz Ortiz",
        "Munro Lee",
        "Ñeco Paz",
        "Nuria Gil",
        "Óscar Ruiz",
        "Zoe Okafor",
    ]


def test_spanish_puts_n_tilde_after_n() -> None:
    assert order("es") == [
        "ana Tran",
        "Ángela Díaz",
        "Munro Lee",
        "Muñoz Ortiz",
        "Nuria Gil",
        "Ñeco Paz",
        "Óscar Ruiz",
        "Zoe Okafor",
    ]


@pytest.mark.parametrize("name", ["", "   ", "O'Brien-Smith", "José  María", "Zoë", "Đorđe"])
def test_every_name_has_a_key_in_both_languages(name: str) -> None:
    values = name_sort_values(name)
    assert set(values) == {"name_sort_en", "name_sort_es"}
    assert all(isinstance(v, str) for v in values.values())
    assert name_sort_key("José María", "en") == name_sort_key("jose   maria", "en")


def test_people_of_one_name_are_told_apart_by_their_code() -> None:
    listed = [("Ana Ortiz", "CC1-V0001"), ("Bob Smith", "CC1-V0002"), ("ana ortiz", "CC1-V0007")]
    assert told_apart(listed) == ["Ana Ortiz (CC1-V0001)", "Bob Smith", "ana ortiz (CC1-V0007)"]
