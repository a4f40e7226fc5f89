"""When two records sharing a phone number look like one person: their names are alike.

A household shares one phone; a shelter's front desk number serves dozens of callers. So a
shared number alone is no reason to suggest a merge: the names must share a word (accents,
case and spacing aside), or one of the two has no name at all (an anonymous caller)."""

from __future__ import annotations

import unicodedata


def _words(name: str) -> set[str]:
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return {word for word in "".join(ch if ch.isalnum() else " " for ch in plain).split() if len(word) > 1}


def similar_names(a: str, b: str) -> bool:
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return True
    return bool(words_a & words_b)
