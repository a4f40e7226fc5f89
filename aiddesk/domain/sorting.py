"""How names sort: as the desk's language expects, not by character codes (where "Ángela" and
"Óscar" came after "Zoe").

`name_sort_key` is what the store keeps beside each name (a column per language, kept by every
write, indexed), so lists sort in SQL at the speed of a plain column. Pure."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

SORT_LANGUAGES: tuple[str, ...] = ("en", "es")
_TILDE = "\u0303"  # the combining tilde of ñ once decomposed
_AFTER_N = "~"  # sorts after every ASCII letter and digit: "n~" (ñ) after "nz", before "o"


def name_sort_key(name: str, language: str) -> str:
    """The text a name sorts by in `language`: case and accents aside, spaces single, other marks
    (apostrophes, hyphens) left out; in Spanish ñ is its own letter, after n."""
    text = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    out: list[str] = []
    for ch in text:
        if unicodedata.combining(ch):
            if ch == _TILDE and language == "es" and out and out[-1] == "n":
                out.append(_AFTER_N)
            continue
        if ch.isalnum() or ch == " ":
            out.append(ch)
    return "".join(out)


def sort_column(language: str) -> str:
    """The column holding the names' keys for `language` (English for a language without one)."""
    return f"name_sort_{language if language in SORT_LANGUAGES else SORT_LANGUAGES[0]}"


def name_sort_values(name: str) -> dict[str, str]:
    """The sort-key columns of a record with this name, one per language."""
    return {sort_column(language): name_sort_key(name, language) for language in SORT_LANGUAGES}


# ---- telling people of one name apart ---------------------------------------------------------


def repeated_names(names: Iterable[str]) -> frozenset[str]:
    """The names (as compared: case and accents aside) that more than one of `names` has."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for name in names:
        key = name_sort_key(name, "en")
        (repeated if key in seen else seen).add(key)
    return frozenset(repeated)


def shown_name(name: str, code: str, repeated: frozenset[str]) -> str:
    """A name as a list shows it: with the record's code when someone else listed has the name."""
    return f"{name} ({code})" if name_sort_key(name, "en") in repeated else name


def told_apart(people: Sequence[tuple[str, str]]) -> list[str]:
    """Each (name, code) as one list shows it (see shown_name)."""
    repeated = repeated_names(name for name, _code in people)
    return [shown_name(name, code, repeated) for name, code in people]
